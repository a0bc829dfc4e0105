"""The public API: inject_hook, eject_hook, injectable_lines, instrument."""

import dis
import sys
import textwrap
import threading
import types

import pytest

import splice
from splice import _engine


def first_line_of(function, text):
    """The line of `function` whose source contains `text`."""
    import inspect

    lines, start = inspect.getsourcelines(function)
    for offset, line in enumerate(lines):
        if text in line:
            return start + offset
    raise AssertionError(f"{text!r} not in {function.__name__}")


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, arg):
        self.calls.append(arg)
        return "ignored"


def add_and_scale(a, b):
    total = a + b
    scaled = total * 2
    return scaled


def outer(n):
    def inner(x):
        y = x + 1
        return y

    square = lambda v: v * v  # noqa: E731
    values = [inner(i) for i in range(n)]
    gen = sum(square(v) for v in values)
    return values, gen


def multi_line_call(a):
    result = max(
        a,
        10,
    )
    return result


def loop(n):
    total = 0
    for i in range(n):
        total += i
    return total


def test_hook_is_called_with_its_arg_and_result_discarded():
    hook = Recorder()
    line = first_line_of(add_and_scale, "scaled = total")
    splice.inject_hook(add_and_scale, hook, line, "probe")
    try:
        assert add_and_scale(1, 2) == 6
        assert hook.calls == ["probe"]
    finally:
        splice.eject_hook(add_and_scale, hook, line, "probe")


def test_eject_gives_back_the_original_code():
    original = add_and_scale.__code__
    hook = Recorder()
    lines = sorted(splice.injectable_lines(add_and_scale))
    for line in lines:
        splice.inject_hook(add_and_scale, hook, line, line)
    assert add_and_scale.__code__.co_code != original.co_code
    for line in lines:
        splice.eject_hook(add_and_scale, hook, line, line)
    assert add_and_scale.__code__ is original
    assert add_and_scale.__code__.co_code == original.co_code
    assert add_and_scale(1, 2) == 6


def test_nested_code_objects_and_functions_created_later():
    hook = Recorder()
    inner_line = first_line_of(outer, "y = x + 1")
    lambda_line = first_line_of(outer, "square = lambda")
    splice.inject_hook(outer, hook, inner_line, "inner", mode="line")
    splice.inject_hook(outer, hook, lambda_line, "lambda", mode="line")
    try:
        assert outer(3) == ([1, 2, 3], 14)
        # the inner def runs 3 times; the lambda line runs once in outer and 3 times in the lambda
        assert hook.calls.count("inner") == 3
        assert hook.calls.count("lambda") == 4
    finally:
        splice.eject_hook(outer, hook, inner_line, "inner", mode="line")
        splice.eject_hook(outer, hook, lambda_line, "lambda", mode="line")
    hook.calls.clear()
    assert outer(2) == ([1, 2], 5)
    assert hook.calls == []


def test_statement_mode_fires_once_for_a_multi_line_statement():
    hook = Recorder()
    line = first_line_of(multi_line_call, "result = max(")
    splice.inject_hook(multi_line_call, hook, line, "stmt")
    try:
        assert multi_line_call(3) == 10
        assert hook.calls == ["stmt"]
    finally:
        splice.eject_hook(multi_line_call, hook, line, "stmt")


def test_continuation_line_is_refused_with_the_statement_line():
    line = first_line_of(multi_line_call, "result = max(")
    with pytest.raises(ValueError) as error:
        splice.inject_hook(multi_line_call, Recorder(), line + 1, None)
    message = str(error.value)
    assert f"continues the statement that begins on line {line}" in message
    assert "multi_line_call" in message


def test_loop_header_fires_once_in_statement_mode_and_per_iteration_in_line_mode():
    statement_hook, line_hook = Recorder(), Recorder()
    line = first_line_of(loop, "for i in range")
    splice.inject_hook(loop, statement_hook, line, "s")
    splice.inject_hook(loop, line_hook, line, "l", mode="line")
    try:
        assert loop(4) == 6
    finally:
        splice.eject_hook(loop, statement_hook, line, "s")
        splice.eject_hook(loop, line_hook, line, "l", mode="line")
    assert statement_hook.calls == ["s"]
    assert line_hook.calls == ["l"] * 5  # four iterations and the exhausted test


def test_several_hooks_on_one_line_fire_in_injection_order():
    calls = []
    hooks = [lambda arg, i=i: calls.append((i, arg)) for i in range(3)]
    line = first_line_of(loop, "total += i")
    for i, hook in enumerate(hooks):
        splice.inject_hook(loop, hook, line, i)
    try:
        loop(2)
    finally:
        for i, hook in enumerate(hooks):
            splice.eject_hook(loop, hook, line, i)
    assert calls == [(0, 0), (1, 1), (2, 2)] * 2


def test_injecting_the_same_hook_twice_is_an_error():
    hook = Recorder()
    line = first_line_of(loop, "total = 0")
    splice.inject_hook(loop, hook, line, "once")
    try:
        with pytest.raises(ValueError, match="already injected"):
            splice.inject_hook(loop, hook, line, "once")
        loop(1)
        assert hook.calls == ["once"]
    finally:
        splice.eject_hook(loop, hook, line, "once")


def test_a_line_without_code_names_the_function_its_range_and_the_nearest_lines():
    blank = first_line_of(outer, "def inner") + 3  # the empty line after inner
    with pytest.raises(ValueError) as error:
        splice.inject_hook(outer, Recorder(), blank, None)
    message = str(error.value)
    first = outer.__code__.co_firstlineno
    assert "function 'outer'" in message
    assert __file__ in message
    assert f"lines {first}-" in message
    assert "nearest injectable lines" in message
    assert f"{blank - 1} and {blank + 1}" in message


def test_a_line_outside_the_function_is_refused():
    with pytest.raises(ValueError, match="is outside function 'loop'"):
        splice.inject_hook(loop, Recorder(), 1, None)


def test_targets_that_are_not_functions_are_refused():
    with pytest.raises(TypeError, match="needs a Python function"):
        splice.inject_hook(len, Recorder(), 1, None)
    with pytest.raises(TypeError):
        splice.inject_hook("loop", Recorder(), 1, None)
    with pytest.raises(ValueError, match="mode must be"):
        splice.inject_hook(loop, Recorder(), first_line_of(loop, "total = 0"), None, mode="sometimes")


def test_ejecting_what_was_not_injected_is_an_error():
    with pytest.raises(ValueError, match="no such hook"):
        splice.eject_hook(loop, Recorder(), first_line_of(loop, "total = 0"), None)


def test_bound_methods_are_instrumented_through_their_function():
    class Counter:
        def bump(self):
            self.n = getattr(self, "n", 0) + 1
            return self.n

    hook = Recorder()
    counter = Counter()
    line = first_line_of(Counter.bump, "self.n =")
    splice.inject_hook(counter.bump, hook, line, "bump")
    try:
        assert Counter().bump() == 1
        assert hook.calls == ["bump"]
    finally:
        splice.eject_hook(Counter.bump, hook, line, "bump")


def test_running_frames_keep_their_code():
    def countdown(n):
        while n:
            yield n
            n -= 1

    hook = Recorder()
    gen = countdown(3)
    assert next(gen) == 3
    line = first_line_of(countdown, "n -= 1")
    splice.inject_hook(countdown, hook, line, "new")
    try:
        assert list(gen) == [2, 1]
        assert hook.calls == []  # the suspended frame still runs the old code
        assert list(countdown(2)) == [2, 1]
        assert hook.calls == ["new", "new"]
    finally:
        splice.eject_hook(countdown, hook, line, "new")


def test_instrument_places_lines_anywhere_in_the_nesting():
    source = textwrap.dedent(
        """\
        def f(x):
            return [y * 2
                    for y in range(x)]

        class K:
            size = f(2)

        RESULT = (f(3), K.size)
        """
    )
    import linecache

    # Source known only to linecache, as for a notebook cell.
    linecache.cache["<instrumented>"] = (len(source), None, source.splitlines(True), "<instrumented>")
    code = compile(source, "<instrumented>", "exec")
    calls = []
    new_code, placed = splice.instrument(code, calls.append, {2: "ret", 6: "class", 8: "module", 4: "blank"})
    assert placed == {2, 6, 8}
    namespace = {}
    exec(new_code, namespace)
    assert namespace["RESULT"] == ([0, 2, 4], [0, 2])
    assert calls == ["class", "ret", "module", "ret"]
    unchanged, nothing = splice.instrument(code, calls.append, {})
    assert unchanged is code and nothing == set()


def test_injectable_lines_accepts_functions_and_code_objects():
    lines = splice.injectable_lines(loop)
    assert lines == splice.injectable_lines(loop.__code__)
    first = loop.__code__.co_firstlineno
    assert lines == {first + 1, first + 2, first + 3, first + 4}
    assert isinstance(lines, set)


def test_code_without_source_uses_the_first_instruction_of_each_line():
    code = compile("a = 1\nb = (a +\n     2)\nc = [i for i in\n     range(2)]\n", "<nowhere>", "exec")
    calls = []
    new_code, placed = splice.instrument(code, calls.append, {1: 1, 2: 2, 3: 3, 4: 4, 5: 5})
    exec(new_code, {})
    # Each line's first instruction fires once; line 3 starts mid-statement.
    # Since 3.12 the comprehension's iterable (line 5) is evaluated first.
    assert calls[:3] == [1, 2, 3]
    assert sorted(calls[3:]) == [4, 5]
    assert placed == {1, 2, 3, 4, 5}


def test_injection_racing_with_calls_on_other_threads():
    original = loop.__code__
    stop = threading.Event()
    errors = []

    def caller():
        while not stop.is_set():
            try:
                assert loop(5) == 10
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
                return

    threads = [threading.Thread(target=caller) for _ in range(3)]
    for t in threads:
        t.start()
    hook = Recorder()
    lines = sorted(splice.injectable_lines(loop, "line"))
    try:
        for _ in range(200):
            for mode in ("statement", "line"):
                for line in lines:
                    splice.inject_hook(loop, hook, line, line, mode=mode)
                for line in lines:
                    splice.eject_hook(loop, hook, line, line, mode=mode)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert loop.__code__ is original
    assert hook.calls  # the other threads did run the instrumented code


def test_a_rewrite_that_fails_validation_leaves_the_function_alone():
    original = loop.__code__
    line = first_line_of(loop, "total += i")
    _engine._break_next_rewrite()
    with pytest.raises(splice.RewriteError, match="invalid"):
        splice.inject_hook(loop, Recorder(), line, None)
    assert loop.__code__ is original
    assert loop(3) == 3
    hook = Recorder()
    splice.inject_hook(loop, hook, line, "after")  # the registry was not left half-done
    try:
        loop(2)
        assert hook.calls == ["after", "after"]
    finally:
        splice.eject_hook(loop, hook, line, "after")


def test_dis_reads_instrumented_code():
    hook = Recorder()
    for line in sorted(splice.injectable_lines(outer, "line")):
        splice.inject_hook(outer, hook, line, line, mode="line")
    try:
        def walk(code):
            yield code
            for const in code.co_consts:
                if isinstance(const, types.CodeType):
                    yield from walk(const)

        codes = list(walk(outer.__code__))
        instructions = [i for code in codes for i in dis.get_instructions(code)]
        loads = [i for i in instructions if i.opname == "LOAD_CONST" and i.argval is hook]
        # one load of the hook per placed line and code object at least
        assert len(loads) >= len(splice.injectable_lines(outer, "line"))
        if sys.version_info >= (3, 11):
            assert all(i.positions.lineno is not None for i in loads)
        assert outer(2) == ([1, 2], 5)
    finally:
        for line in sorted(splice.injectable_lines(outer, "line")):
            splice.eject_hook(outer, hook, line, line, mode="line")
