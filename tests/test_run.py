"""`splice COMMAND` end to end: real subprocesses, each compared with the same
program run without splice."""

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.engine

WILMA_TEST = textwrap.dedent('''\
    # File: test.py
    def foo(secret):
        print("I'm not telling you the secret!")
        return None

    foo("Wilma rox!")
    ''')


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def run(folder, *command, splice=True, config=None, env=None, stdin=b""):
    """(stdout, stderr, returncode) of the command run in `folder`."""
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("PYTHONUNBUFFERED", None)
    full_env.pop("SPLICE_PROBE_FILE", None)
    prefix = [sys.executable, "-m", "splice"] + (["-c", str(config)] if config else []) if splice else []
    done = subprocess.run(prefix + [sys.executable if c == "python" else c for c in command], cwd=str(folder),
                          env=full_env, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return done.stdout.decode(), done.stderr.decode(), done.returncode


def test_wilmas_readme_example_prints_what_wilma_prints(tmp_path):
    write(tmp_path, "test.py", WILMA_TEST)
    write(tmp_path, "wilma.toml", '''\
        # File: wilma.toml
        [probes]
        "test.py:4" = "print('The secret is: ', secret)"
        ''')
    out, err, code = run(tmp_path, "python", "-m", "test")
    assert (out, err, code) == ("I'm not telling you the secret!\nThe secret is:  Wilma rox!\n", "", 0)
    assert run(tmp_path, "python", "test.py")[:3] == (out, err, code)


def test_wilmas_locals_example(tmp_path):
    write(tmp_path, "test.py", WILMA_TEST.replace('print("I\'m not telling you the secret!")',
                                                  'print("I\'m not telling you the secret!")\n    print(secret)'))
    write(tmp_path, "wilma.toml", '''\
        [probes]
        "test.py:3" = "with wilma.locals() as ls: ls['secret'] = 'new secret'"
        ''')
    out, err, code = run(tmp_path, "python", "-m", "test")
    assert (out, err, code) == ("I'm not telling you the secret!\nnew secret\n", "", 0)


def test_main_script_module_level_and_functions(tmp_path):
    write(tmp_path, "app.py", '''\
        def double(a):
            b = a * 2
            return b
        total = 0
        for i in range(3):
            total += double(i)
        print("total", total)
        ''')
    write(tmp_path, "splice.toml", '''\
        [[probe]]
        at = "app.py:3"
        run = "print('b =', b)"
        when = "a > 0"

        [[probe]]
        at = "app.py:7"
        run = "print(f'{total=}')"

        [[probe]]
        at = "app.py:5"
        run = "print('never')"
        enabled = false
        ''')
    expected = "b = 2\nb = 4\ntotal=6\ntotal 6\n"
    assert run(tmp_path, "python", "app.py") == (expected, "", 0)
    sub = tmp_path / "sub"
    sub.mkdir()
    # a path given relative to the probe file, the program started from elsewhere
    assert run(sub, "python", "../app.py", config=tmp_path / "splice.toml") == (expected, "", 0)


def test_probes_in_imported_and_preloaded_modules(tmp_path):
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/mod.py", '''\
        import functools

        def deco(f):
            @functools.wraps(f)
            def wrapper(*args):
                return f(*args)
            return wrapper

        class Greeter:
            @deco
            def greet(self, name):
                message = "hello " + name
                return message

        VALUE = 10
        ''')
    write(tmp_path, "main.py", '''\
        import posixpath
        from pkg.mod import Greeter, VALUE
        print(Greeter().greet("you"), VALUE)
        print(posixpath.basename("/a/b"))
        ''')
    basename_body = posixpath_basename_body_line()
    write(tmp_path, "splice.toml", '''\
        [[probe]]
        at = "pkg.mod:13"
        run = "print('message:', message)"

        [[probe]]
        at = "pkg/mod.py:15"
        run = "print('module level of pkg.mod')"

        [[probe]]
        at = "posixpath:%d"
        run = "print('basename of', p)"
        ''' % basename_body)
    out, err, code = run(tmp_path, "python", "main.py")
    assert (out, err, code) == ("module level of pkg.mod\nmessage: hello you\nhello you 10\nbasename of /a/b\nb\n", "", 0)


def posixpath_basename_body_line():
    """posixpath is imported before any site code runs (and frozen on 3.11+)."""
    import posixpath
    with open(posixpath.__file__) as f:
        lines = f.read().splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith("def basename("))
    return 1 + next(i for i in range(start, len(lines)) if lines[i].strip().startswith("p = os.fspath"))


def test_a_probe_that_raises_is_reported_once_and_counted_at_exit(tmp_path):
    write(tmp_path, "app.py", '''\
        for i in range(5):
            print(i)
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "app.py:2" = "1 / 0"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, code) == ("0\n1\n2\n3\n4\n", 0)
    assert err == ("splice: probe app.py:2 raised ZeroDivisionError: division by zero\n"
                   "splice: probe app.py:2 raised 4 more times\n")


def test_exceptions_and_exit_codes_are_the_programs(tmp_path):
    write(tmp_path, "fails.py", '''\
        import sys
        def inner():
            raise KeyError("missing")
        print("before")
        if len(sys.argv) > 1:
            sys.exit(int(sys.argv[1]))
        inner()
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "fails.py:3" = "pass"
        "fails.py:4" = "pass"
        ''')
    for args in ((), ("3",)):
        assert run(tmp_path, "python", "fails.py", *args) == run(tmp_path, "python", "fails.py", *args, splice=False)
    out, err, code = run(tmp_path, "python", "fails.py")
    assert code == 1 and err.startswith("Traceback (most recent call last):\n") and "KeyError: 'missing'" in err


def test_a_broken_probe_file_leaves_the_program_alone(tmp_path):
    write(tmp_path, "app.py", 'print("hi")\n')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "app.py:1" = "print("
        "app.py:9" = "pass"
        "nowhere.py:1" = "pass"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, code) == ("hi\n", 0)
    lines = err.splitlines()
    assert any("splice.toml:2: probe app.py:1: does not compile" in line for line in lines), err
    assert any("splice.toml:4: probe nowhere.py:1: no such file" in line for line in lines), err


def test_child_processes_get_the_probes(tmp_path):
    write(tmp_path, "child.py", '''\
        def work(n):
            return n + 1
        print(work(1))
        ''')
    write(tmp_path, "parent.py", '''\
        import subprocess, sys
        subprocess.run([sys.executable, "child.py"], check=True)
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "child.py:2" = "print('child sees', n)"
        ''')
    assert run(tmp_path, "python", "parent.py") == ("child sees 1\n2\n", "", 0)


def test_check_and_lines(tmp_path):
    write(tmp_path, "app.py", '''\
        x = (1,
             2)
        print(x)
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "app.py:1" = "pass"
        "app.py:2" = "pass"
        "app.py:3" = "print("
        ''')
    out, err, code = run(tmp_path, "check", splice=True)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "splice.toml:3: probe app.py:2: line 2 of %s (lines 1-3) continues the statement that begins on line 1; "
        "put the hook there" % (tmp_path / "app.py"),
        "splice.toml:4: probe app.py:3: 'run' does not compile: '(' was never closed"
        if sys.version_info >= (3, 10) else err.splitlines()[1],
    ]
    write(tmp_path, "splice.toml", '[probes]\n"app.py:3" = "print(x)"\n')
    assert run(tmp_path, "check") == ("splice: splice.toml: 1 probe, all valid\n", "", 0)
    assert run(tmp_path, "lines", "app.py") == ("%s: 1, 3\n" % (tmp_path / "app.py"), "", 0)


def test_live_reload_adds_changes_and_removes_probes(tmp_path):
    import select
    import time

    write(tmp_path, "app.py", '''\
        import os, time
        def work(i):
            return i * 2
        i = 0
        while not os.path.exists("stop"):
            work(i)
            i += 1
            time.sleep(0.01)
        compiled = compile(open(__file__).read(), __file__, "exec")
        original = next(c for c in compiled.co_consts if getattr(c, "co_name", "") == "work")
        print("original code back:", work.__code__.co_code == original.co_code, flush=True)
        ''')
    config = write(tmp_path, "splice.toml", '[probes]\n"app.py:3" = "print(\'A\', flush=True)"\n')
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)
    process = subprocess.Popen([sys.executable, "-m", "splice", sys.executable, "app.py"], cwd=str(tmp_path), env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = []

    def wait_for(text, seconds=5.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 0.1)
            if ready:
                line = process.stdout.readline().decode().strip()
                seen.append(line)
                if line == text:
                    return time.monotonic()
        raise AssertionError("no %r within %s s; saw %r" % (text, seconds, seen[-5:]))

    try:
        wait_for("A")
        config.write_text('[probes]\n"app.py:3" = "print(\'B\', flush=True)"\n')
        saved = time.monotonic()
        assert wait_for("B") - saved < 1.0
        config.write_text('[probes]\n"app.py:3" = "print(\'B\'\n')  # invalid: the probe stays
        config.write_text('x = [\n')
        time.sleep(0.3)
        wait_for("B")
        config.write_text('[probes]\n')  # no probes: the original code is back
        time.sleep(0.5)
        (tmp_path / "stop").write_text("")
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert out.decode().splitlines()[-1] == "original code back: True"
    assert "invalid TOML" in err.decode() and "keeping the probes of the last valid version" in err.decode()
    assert process.returncode == 0


def test_dependencies_are_installed_for_probes_only(tmp_path):
    package = tmp_path / "src" / "probehelper"
    write(package, "pyproject.toml", '''\
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "probehelper"
        version = "1.0"
        ''')
    write(package, "probehelper.py", 'def shout(text):\n    return text.upper() + "!"\n')
    write(tmp_path, "app.py", '''\
        import sys
        print("splice's folder on sys.path:", any(".splice" in entry for entry in sys.path))
        ''')
    write(tmp_path, "splice.toml", '''\
        imports = ["probehelper as ph"]
        [dependencies]
        probehelper = " @ %s"
        missing-package-xyz = " @ file:///nonexistent/nothing"
        [probes]
        "app.py:2" = "print(ph.shout('probe'))"
        ''' % package.as_uri())
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, code) == ("PROBE!\nsplice's folder on sys.path: False\n", 0), err
    assert "splice.toml:4: cannot install missing-package-xyz @ file:///nonexistent/nothing" in err
    assert (tmp_path / ".splice" / "deps").is_dir()


def test_tools_inside_probes(tmp_path):
    write(tmp_path, "app.py", '''\
        def outer():
            return inner(3)
        def inner(n):
            squares = [i * i for i in range(n)]
            return sum(squares)
        def probed_helper():
            return "helper ran"
        print(outer())
        ''')
    write(tmp_path, "splice.toml", '''\
        [[probe]]
        at = "app.py:5"
        run = """
        splice.watch("label", "W")
        splice.capture()
        splice.stack("end of stack")
        squares = [100]
        print(probed_helper())
        """

        [[probe]]
        at = "app.py:7"
        run = "print('never: a probe does not fire inside another probe')"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, code) == ("helper ran\n100\n", 0), err
    main_file = tmp_path / "app.py" if sys.version_info >= (3, 9) else "app.py"  # 3.8: the path as given
    assert err.startswith("Stack at %s, line 5, in inner (most recent call last):\n"
                          '  File "%s", line 8, in <module>\n' % (main_file, main_file)), err
    assert "in outer\n" in err and "splice" not in err.replace("end of stack", "") and err.endswith("end of stack\n")
    import json
    snapshot, = [json.loads(line) for line in (tmp_path / ".splice" / "captures.jsonl").read_text().splitlines()]
    assert snapshot["function"] == "inner" and snapshot["line"] == 5
    assert snapshot["locals"]["squares"]["repr"] == "[0, 1, 4]" and snapshot["watches"]["label"]["repr"] == "'W'"
    assert [frame["function"] for frame in snapshot["stack"][:3]] == ["inner", "outer", "<module>"]


def test_multiprocessing_children_get_the_probes(tmp_path):
    write(tmp_path, "app.py", '''\
        import multiprocessing
        def square(n):
            return n * n
        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            with multiprocessing.Pool(2) as pool:
                print(sorted(pool.map(square, [1, 2, 3])))
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "app.py:3" = "print('square of', n, flush=True)"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert code == 0 and sorted(out.splitlines()) == sorted(["square of 1", "square of 2", "square of 3", "[1, 4, 9]"]), (out, err)


def test_assignments_in_probes_change_the_frame(tmp_path):
    write(tmp_path, "app.py", '''\
        def plain(x):
            y = x
            return x, y
        def gen(x):
            yield x
            yield x
        def with_cell(x):
            def read():
                return x
            return read()
        def bump_counter():
            global COUNT
            COUNT = 100
        COUNT = 0
        print(plain(1), list(gen(1)), with_cell(1))
        print("module", COUNT)
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "app.py:2" = "x = 2"
        "app.py:6" = "x = 3"
        "app.py:10" = "x = 4"
        "app.py:16" = "bump_counter(); seen = COUNT"
        ''')
    out, err, code = run(tmp_path, "python", "app.py")
    assert (out, err, code) == ("(2, 2) [1, 3] 4\nmodule 100\n", "", 0)


def test_breakpoint_opens_pdb_at_the_probed_frame(tmp_path):
    write(tmp_path, "app.py", '''\
        def work(value):
            doubled = value * 2
            return doubled
        print("result", work(21))
        ''')
    write(tmp_path, "splice.toml", '[probes]\n"app.py:3" = "splice.breakpoint()"\n')
    out, err, code = run(tmp_path, "python", "app.py", stdin=b"p doubled\ncontinue\n")
    assert code == 0 and "(Pdb) 42" in out and out.endswith("result 42\n"), (out, err)


def test_pytest_runs_with_probes_in_code_and_tests(tmp_path):
    write(tmp_path, "calc.py", '''\
        def add(a, b):
            total = a + b
            return total
        ''')
    write(tmp_path, "test_calc.py", '''\
        from calc import add

        def test_add():
            result = add(1, 2)
            assert result == 3
        ''')
    write(tmp_path, "splice.toml", '''\
        [probes]
        "calc.py:3" = "print('calc total', total)"
        "test_calc.py:5" = "print('test result', result)"
        ''')
    out, err, code = run(tmp_path, "python", "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "test_calc.py")
    assert code == 0 and "calc total 3\ntest result 3\n" in out, (out, err)
