"""Probes spliced in as code of their own (3.13+): what they print, report
and raise is what the hook call gives, on every version, and with
SPLICE_INLINE=0 (every probe behind the hook call)."""

import sys

import pytest

from test_run import run, write

pytestmark = pytest.mark.engine

INLINES = sys.version_info >= (3, 13)

# Appended to a program: whether a function carries a probe's own code.
REPORT = '''
import sys as _sys
def _inlined(function):
    return any(getattr(c, "__name__", "") == "enter_probe" for c in function.__code__.co_consts)
print("inlined", {names}, file=_sys.stderr)
'''


def program(tmp_path, source, probes, report=()):
    write(tmp_path, "app.py", source)
    text = tmp_path.joinpath("app.py").read_text()
    if report:
        names = "[" + ", ".join("_inlined(%s)" % name for name in report) + "]"
        text += REPORT.format(names=names)
    tmp_path.joinpath("app.py").write_text(text)
    write(tmp_path, "splice.toml", probes)


def both_ways(tmp_path):
    """(out, err, code) inlined where the version allows, and behind the hook call."""
    return run(tmp_path, "python", "app.py"), run(tmp_path, "python", "app.py", env={"SPLICE_INLINE": "0"})


def expect_both_ways(tmp_path, out):
    """The program prints `out`, inlined where the version allows and behind the hook."""
    inlined, hooked = both_ways(tmp_path)
    assert inlined == (out, "inlined [%s]\n" % INLINES, 0)
    assert hooked == (out, "inlined [False]\n", 0)


def test_a_print_probe_reading_arguments_is_spliced_in(tmp_path):
    program(tmp_path, '''\
        def greet(name, times=1):
            return name * times
        for n in ("a", "b"):
            greet(n, 2)
        ''', '''\
        [probes]
        "app.py:2" = "print('name:', name, times)"
        ''', report=["greet"])
    expect_both_ways(tmp_path, "name: a 2\nname: b 2\n")


def test_probes_that_read_locals_or_assign_keep_the_hook(tmp_path):
    program(tmp_path, '''\
        def double(a):
            b = a * 2
            c = b
            return c
        print(double(3))
        ''', '''\
        [[probe]]
        at = "app.py:3"
        run = "print('b =', b)"

        [[probe]]
        at = "app.py:4"
        run = "c = 0"
        ''', report=["double"])
    inlined, hooked = both_ways(tmp_path)
    assert inlined == hooked == ("b = 6\n0\n", "inlined [False]\n", 0)


def test_an_inlined_probe_that_raises_is_reported_and_the_program_goes_on(tmp_path):
    program(tmp_path, '''\
        def divide(x):
            try:
                return 10 // x
            except ZeroDivisionError:
                return "handled"
        print([divide(v) for v in (1, 0, 0, 2)])
        ''', '''\
        [probes]
        "app.py:3" = "print('probe', 1 // x)"
        ''', report=["divide"])
    inlined, hooked = both_ways(tmp_path)
    try:
        1 // 0
    except ZeroDivisionError as error:
        message = str(error)  # worded differently from version to version
    stderr = ("splice: probe app.py:3 raised ZeroDivisionError: " + message + "\n"
              "inlined [%s]\n"
              "splice: probe app.py:3 raised 1 more time\n")
    assert inlined == ("probe 1\nprobe 0\n[10, 'handled', 'handled', 5]\n", stderr % INLINES, 0)
    assert hooked == ("probe 1\nprobe 0\n[10, 'handled', 'handled', 5]\n", stderr % False, 0)


def test_keyboard_interrupt_from_an_inlined_probe_reaches_the_program(tmp_path):
    program(tmp_path, '''\
        def inner(x):
            try:
                return x + 1
            except KeyboardInterrupt:
                return "inner handler"
        def outer(x):
            return x + 1
        print(inner(1))
        try:
            outer(1)
        except KeyboardInterrupt:
            print("outer handler")
        outer(2)
        ''', '''\
        [[probe]]
        at = "app.py:3"
        run = "raise KeyboardInterrupt"
        when = "x == 1"

        [[probe]]
        at = "app.py:7"
        run = "raise SystemExit(3)"
        when = "x == 2"

        [[probe]]
        at = "app.py:7"
        run = "raise KeyboardInterrupt"
        when = "x == 1"
        ''')
    inlined, hooked = both_ways(tmp_path)
    assert inlined == hooked == ("inner handler\nouter handler\n", "", 3)


def test_an_inlined_probe_calling_its_own_function_does_not_recurse(tmp_path):
    program(tmp_path, '''\
        def f(n):
            return n
        print(f(1))
        ''', '''\
        [probes]
        "app.py:2" = "print('f', n, f(n + 1))"
        ''', report=["f"])
    expect_both_ways(tmp_path, "f 1 2\n1\n")


def test_inlined_probes_with_conditions_imports_and_switched_off(tmp_path):
    program(tmp_path, '''\
        def walk(items, limit):
            for item in items:
                limit -= 1
            return limit
        print(walk([1, 2, 3], 4), walk([4], 0))
        ''', '''\
        imports = ["math"]

        [[probe]]
        at = "app.py:2"
        run = "print(math.sqrt(limit), len(items))"
        when = "limit > 0"

        [[probe]]
        at = "app.py:4"
        run = "print('never')"
        enabled = false
        ''', report=["walk"])
    expect_both_ways(tmp_path, "2.0 3\n1 -1\n")


def test_probes_with_code_of_their_own_to_unwind_keep_the_hook(tmp_path):
    # A comprehension (3.12+) or a `with` needs exception handling of its own.
    program(tmp_path, '''\
        def total(items):
            return sum(items)
        print(total([1, 2]))
        ''', '''\
        [[probe]]
        at = "app.py:2"
        run = "print([i * 2 for i in items])"
        ''', report=["total"])
    inlined, hooked = both_ways(tmp_path)
    assert inlined == hooked == ("[2, 4]\n3\n", "inlined [False]\n", 0)


def test_the_probe_tools_see_the_probed_frame_from_an_inlined_probe(tmp_path):
    program(tmp_path, '''\
        def area(width, height):
            return width * height
        def main():
            return area(2, 3)
        print(main())
        ''', '''\
        imports = ["sys"]
        [probes]
        "app.py:2" = "splice.stack(width, file=sys.stdout)"
        ''', report=["area"])
    inlined, hooked = both_ways(tmp_path)
    assert inlined[0] == hooked[0]
    assert "in area" in inlined[0] and "in main" in inlined[0] and inlined[0].endswith("2\n6\n")
    assert inlined[1:] == ("inlined [%s]\n" % INLINES, 0)
    assert hooked[1:] == ("inlined [False]\n", 0)


def test_empty_probes_spliced_in_change_nothing(tmp_path):
    program(tmp_path, '''\
        def parse(text, default):
            try:
                value = int(text)
            except ValueError:
                value = default
            for _ in range(2):
                value += 1
            return value
        print(parse("4", 0), parse("x", 10))
        ''', '''\
        [probes]
        "app.py:3" = "pass"
        "app.py:5" = "pass"
        "app.py:7" = "pass"
        "app.py:8" = "pass"
        ''', report=["parse"])
    expect_both_ways(tmp_path, "6 12\n")


def test_line_events_are_the_same_inlined_and_behind_the_hook(tmp_path):
    # Tracers (debuggers, coverage) see the probed lines as the hook call lets them.
    program(tmp_path, '''\
        import sys
        def work(n, items):
            total = 0
            for item in items:
                if item > n:
                    total += item
            return total
        events = []
        def tracer(frame, event, arg):
            if frame.f_code.co_name == "work":
                events.append((event, frame.f_lineno))
            return tracer
        sys.settrace(tracer)
        work(1, [0, 2, 3])
        try:
            work(None, [1])
        except TypeError:
            pass
        sys.settrace(None)
        print(events)
        ''', '''\
        [probes]
        "app.py:3" = "print('n', n)"
        "app.py:5" = "print('items', len(items))"
        "app.py:7" = "print('done', n)"
        ''', report=["work"])
    inlined, hooked = both_ways(tmp_path)
    assert inlined[0] == hooked[0]
    assert "('line', 5)" in inlined[0] and "('exception', 5)" in inlined[0]
    assert inlined[1:] == ("inlined [%s]\n" % INLINES, 0)


def test_inlined_probes_raising_inside_with_for_and_except_blocks_leave_them_intact(tmp_path):
    program(tmp_path, '''\
        import contextlib, sys
        def collect(items):
            out = []
            with contextlib.nullcontext():
                for item in items:
                    out.append(item)
            return out
        def guard(x):
            try:
                return 1 // x
            except ZeroDivisionError:
                return str(sys.exc_info()[1]) == str(ZeroDivisionError(sys.exc_info()[1]))
        print(collect([0, 1]), collect([2]), guard(0), guard(2))
        ''', '''\
        [probes]
        "app.py:6" = "print(1 // items[0])"
        "app.py:12" = "print(1 // x)"
        ''', report=["collect", "guard"])
    inlined, hooked = both_ways(tmp_path)
    assert inlined[0] == hooked[0] == "0\n[0, 1] [2] True 0\n"
    assert inlined[2] == hooked[2] == 0
    assert inlined[1].count("raised ZeroDivisionError") == hooked[1].count("raised ZeroDivisionError") == 2
    assert ("inlined [%s, %s]\n" % (INLINES, INLINES)) in inlined[1]
