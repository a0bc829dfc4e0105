"""What a probe sees, end to end: the names of the frame it is spliced into
(arguments, locals, cells, free variables, in functions, generators,
coroutines, module and class bodies), its own imports, and the frame's
globals, in that order, as if its code were written at the probed line.

Most of these probes take the engine's fast way (a function of the names they
read, called with the frame's values); the rest take the slow way (assigned
names, names unbound at the probed line, `global` of a local, class bodies).
Both must give the same answers."""

import pytest

from test_run import run, write

pytestmark = pytest.mark.engine

PROGRAM = '''\
import asyncio
LABEL = "global label"
shadow = "global shadow"
later = "global later"
counter = 0

def cells(a, b):
    c = a + b
    def inner():
        return a + c
    d = inner()
    return d  # probe: print("cells", a, b, c, d, [c + k for k in range(2)], (lambda: a)())

def free(x):
    def use():
        y = x * 2
        return y  # probe: print("free", x, y)
    return use()

def unbound(flag):
    if flag:
        later = "local later"
    return flag  # probe: print("unbound", flag, later, (lambda: flag)())

def gen(n):
    for i in range(n):
        yield i  # probe: print("gen", i, n)

async def coro(v):
    await asyncio.sleep(0)
    return v  # probe: print("coro", v)

class Klass:
    attr = 1
    other = attr + 1  # probe: print("class", attr, LABEL)

def recurse(n):
    return n  # probe: print("recurse", n, recurse(n + 1))

def shadowing(shadow, os):
    return shadow  # probe: print("shadowing", shadow, os, LABEL, sys.platform == sys_platform)

def adds(x):
    return x  # probe: global counter; counter += x

def global_of_a_local(x):
    return x  # probe: global x; print("global x", x)

def raises(v):
    return v  # probe: print("raises", 1 / v)

def namespace(a, b):
    return a  # probe: print("namespace", sorted(name for name in locals() if len(name) == 1), eval("a + b"))

def many(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17):
    return a17  # probe: print("many", a0 + a17, a16)

x = "global x"
sys_platform = __import__("sys").platform
print(cells(1, 2))
print(free(5))
print(unbound(True), unbound(False))
print(list(gen(2)))
print(asyncio.run(coro(7)))
print(Klass.other)
print(recurse(1))
print(shadowing("local shadow", "local os"))
adds(2); adds(3)
print("counter", counter)  # probe: print("module", counter, LABEL, later)
print(global_of_a_local(1))
print(raises(1), raises(0), raises(2))
print(namespace(1, 2))
print(many(*range(18)))
'''

EXPECTED = '''\
class 1 global label
cells 1 2 3 4 [3, 4] 1
4
free 5 10
10
unbound True local later True
unbound False global later False
True False
gen 0 2
gen 1 2
[0, 1]
coro 7
7
2
recurse 1 2
1
shadowing local shadow local os global label True
local shadow
module 5 global label global later
counter 5
global x global x
1
raises 1.0
raises 0.5
1 0 2
namespace ['a', 'b'] 3
1
many 17 16
17
'''


def probe_file(program):
    entries = []
    for number, line in enumerate(program.splitlines(), 1):
        if "# probe: " in line:
            code = line.split("# probe: ", 1)[1]
            entries.append('[[probe]]\nat = "app.py:%d"\nrun = %r\n' % (number, code))
    return 'imports = ["sys"]\n\n' + "\n".join(entries)


def test_probes_see_the_frames_names_first_then_their_imports_then_globals(tmp_path):
    write(tmp_path, "app.py", PROGRAM)
    write(tmp_path, "splice.toml", probe_file(PROGRAM))
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, code) == (EXPECTED, 0), err
    assert err == "splice: probe app.py:%d raised ZeroDivisionError: division by zero\n" % (
        PROGRAM.splitlines().index('    return v  # probe: print("raises", 1 / v)') + 1)


def test_a_probe_module_name_is_shadowed_by_a_frame_variable_of_that_name(tmp_path):
    write(tmp_path, "app.py", '''\
        def f(json):
            return json
        def g():
            return 1
        print(f("not the module"), g())
        ''')
    write(tmp_path, "splice.toml", '''\
        imports = ["json"]
        [probes]
        "app.py:2" = "print('f sees', json)"
        "app.py:4" = "print('g sees', json.dumps([1]))"
        ''')
    assert run(tmp_path, "python", "app.py") == ("f sees not the module\ng sees [1]\nnot the module 1\n", "", 0)


def test_a_code_object_run_with_two_globals_reads_each(tmp_path):
    write(tmp_path, "lib.py", '''\
        NAME = "lib"
        def show():
            return NAME
        ''')
    write(tmp_path, "app.py", '''\
        import lib, types
        print(lib.show())
        other = types.FunctionType(lib.show.__code__, {"NAME": "other globals", "__builtins__": __builtins__})
        print(other())
        print(lib.show())
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "lib.py:3" = "print('probe', NAME)"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, err, code) == ("probe lib\nlib\nprobe other globals\nother globals\nprobe lib\nlib\n", "", 0)


def test_probes_in_threads_each_see_their_own_frame(tmp_path):
    write(tmp_path, "app.py", '''\
        import threading
        results = []
        def work(n):
            total = n * 10
            return total
        threads = [threading.Thread(target=lambda n=n: [work(n) for _ in range(2000)]) for n in range(4)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(sorted(set(results)))
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "app.py:5" = "results.append((n, total))"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, err, code) == ("[(0, 0), (1, 10), (2, 20), (3, 30)]\n", "", 0)


def test_tools_find_the_probed_frame_from_a_probe_that_assigns_nothing(tmp_path):
    write(tmp_path, "app.py", '''\
        def helper(n):
            total = n + 1
            return total
        def caller():
            return helper(41)
        print(caller())
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "app.py:3" = "splice.capture(); splice.stack('end of stack'); print(sorted(splice.locals().__enter__()))"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, code) == ("['n', 'total']\n42\n", 0), err
    assert err.startswith("Stack at ") and ", line 3, in helper" in err and "in caller\n" in err, err
    assert err.endswith("end of stack\n"), err
    import json
    snapshot, = [json.loads(line) for line in (tmp_path / ".splice" / "captures.jsonl").read_text().splitlines()]
    assert (snapshot["function"], snapshot["line"]) == ("helper", 3)
    assert {name: value["repr"] for name, value in snapshot["locals"].items()} == {"n": "41", "total": "42"}


def test_a_namespace_run_by_runpy_is_let_go_once_it_is_done(tmp_path):
    write(tmp_path, "ns.py", '''\
        class Marker:
            pass
        marker = Marker()
        def f():
            return 1
        f()
        ''')
    write(tmp_path, "app.py", '''\
        import gc, runpy, weakref
        first = runpy.run_path("ns.py")
        ref = weakref.ref(first["marker"])
        del first
        runpy.run_path("ns.py")
        gc.collect()
        print("first namespace collected:", ref() is None)
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "ns.py:5" = "print('hit')"
        ''')
    assert run(tmp_path, "python", "app.py") == ("hit\nhit\nfirst namespace collected: True\n", "", 0)
    assert run(tmp_path, "python", "app.py", splice=False)[0] == "first namespace collected: True\n"


def test_pdb_and_namespace_builtins_see_the_frames_namespace(tmp_path):
    write(tmp_path, "app.py", '''\
        def f(a):
            b = a + 1
            return b
        print(f(1))
        ''')
    write(tmp_path, "splice.toml", '''\
        imports = ["pdb"]
        [probes]
        "app.py:3" = "pdb.set_trace()"
        ''')
    out, err, code = run(tmp_path, "python", "app.py", stdin=b"p a, b\nc\n")
    assert code == 0 and "(1, 2)" in out and out.endswith("2\n"), (out, err)
