"""Line mode: ``hook(arg)`` at line N runs exactly as often as ``sys.settrace`` reports a
``'line'`` event for line N (each loop iteration on a loop header, each jump back into the
line, each return to it within a multi-line statement, after a handler resumes there).

The oracle is the original program run under ``sys.settrace`` (``oracles.LineTracer``):
module body and main(), 'line' events of the frames of the corpus file counted per line.

* oracle checks, no engine: the tracer counts what it should on small programs whose counts
  are the same on every version, and leaves no tracer behind;
* engine checks (``@pytest.mark.engine``): the counts are equal line for line with a hook at
  every injectable line; every line settrace reports is injectable; hooks at some lines only
  count those lines; code objects report the lines of their own code.
"""
import sys
import textwrap
from collections import Counter

import pytest

import support
from support import engine, oracles

MODE = engine.LINE

# Where the engine cannot match settrace, and why. Each entry is an expected failure
# (strict: it must fail, so a fix shows up), stated in docs/line-events.md as well.
KNOWN_DEVIATIONS = {
    ((3, 9), "context_managers"): (
        "3.9 reports a 'line' event on entering an exception handler when the instruction "
        "that raised was not at the start of its line range; which instruction raised is "
        "known only at run time, and this program enters one handler both ways"),
}


@pytest.fixture
def known_deviation(request, corpus_file):
    reason = KNOWN_DEVIATIONS.get((sys.version_info[:2], corpus_file.stem))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))

_trace_cache = {}


def original_trace(path):
    """(Run, events) of the original program under settrace, cached per file."""
    if path not in _trace_cache:
        run, tracer = oracles.trace_run(support.fresh_code(path), path, events=True)
        assert run.error is None, run.error
        _trace_cache[path] = (run, tracer.events)
    return _trace_cache[path]


def line_counts(events):
    return Counter(line for event, _, line in events if event == "line")


def count_diff(actual, expected, source_lines):
    """A readable list of the lines whose counts differ, or None."""
    lines = sorted(set(actual) | set(expected))
    rows = [f"  line {n}: hook {actual.get(n, 0)}, settrace {expected.get(n, 0)}   "
            f"{source_lines[n - 1].strip() if 0 < n <= len(source_lines) else ''}"
            for n in lines if actual.get(n, 0) != expected.get(n, 0)]
    return ("hook counts differ from settrace 'line' counts:\n" + "\n".join(rows)) if rows else None


# -- the oracle, without the engine ---------------------------------------------------------------

# programs whose 'line' counts are the same on 3.8 to 3.15 (loop headers, whose counts differ
# between versions, are left out of the expectations)
COUNT_SNIPPETS = {
    "straight line": ("""\
        a = 1
        b = a + 1
        c = [a,
             b]
        """, {1: 1, 2: 1}),
    "loop body": ("""\
        total = 0
        for i in range(4):
            total += i
            if i % 2:
                total -= 1
        done = True
        """, {1: 1, 3: 4, 4: 4, 5: 2, 6: 1}),
    "function calls and exceptions": ("""\
        def f(x):
            if x:
                raise ValueError(x)
            return x
        caught = []
        for v in (0, 1, 0):
            try:
                f(v)
            except ValueError:
                caught.append(v)
        """, {1: 1, 2: 3, 3: 1, 4: 2, 5: 1, 8: 3, 9: 1, 10: 1}),
}


@pytest.mark.parametrize("name", sorted(COUNT_SNIPPETS))
def test_tracer_counts_line_events(name, tmp_path, no_tracer):
    source, expected = COUNT_SNIPPETS[name]
    source = textwrap.dedent(source) + "def main():\n    return None\n"
    path = tmp_path / "line_snippet.py"
    path.write_text(source, encoding="utf-8")
    run, counts = oracles.trace_line_counts(support.compile_source(source, path), path)
    assert run.error is None
    assert {n: counts.get(n, 0) for n in expected} == expected
    assert sys.gettrace() is None


def test_tracer_ignores_other_files_and_restores_the_previous_tracer(tmp_path):
    seen = []

    def outer(frame, event, arg):
        seen.append(event)
        return None

    source = "import json\nx = json.dumps([1])\ndef main():\n    return x\n"
    path = tmp_path / "other_files.py"
    path.write_text(source, encoding="utf-8")
    sys.settrace(outer)
    try:
        run, tracer = oracles.trace_run(support.compile_source(source, path), path, events=True)
        assert sys.gettrace() is outer
    finally:
        sys.settrace(None)
    assert run.result == "'[1]'"
    assert {name for _, name, _ in tracer.events} == {"<module>", "main"}
    assert dict(tracer.counts) == {1: 1, 2: 1, 3: 1, 4: 1}


def test_tracer_sees_every_corpus_program_run(corpus_file, no_tracer):
    run, events = original_trace(corpus_file)
    original = support.original_run(corpus_file)
    assert run.outcome() == original.outcome(), "tracing changed the program"
    counts = line_counts(events)
    assert counts, "no line events"
    assert max(counts) <= len(support.read_source(corpus_file).splitlines())


# -- the engine -----------------------------------------------------------------------------------


@pytest.mark.engine
def test_settrace_lines_are_injectable(corpus_file, no_tracer):
    lines = engine.injectable(support.compile_corpus(corpus_file), MODE)
    _, events = original_trace(corpus_file)
    missing = set(line_counts(events)) - lines
    assert not missing, f"settrace reports lines that are not injectable: {sorted(missing)}"


@pytest.mark.engine
def test_hook_counts_equal_settrace_counts(corpus_file, no_tracer, known_deviation):
    code = support.fresh_code(corpus_file)
    recorder, hooks = engine.make_recorder()
    lines, new_code = engine.instrument_everywhere(code, MODE, recorder)
    run = support.run_code(new_code, corpus_file)
    original_run, events = original_trace(corpus_file)
    assert run.outcome() == original_run.outcome()
    diff = count_diff(Counter(hooks), line_counts(events), support.read_source(corpus_file).splitlines())
    assert diff is None, diff


@pytest.mark.engine
def test_hooks_fire_in_the_order_of_line_events(corpus_file, no_tracer, known_deviation):
    """Stronger than equal counts: the hook for a line runs when settrace would report the
    line, so the hook sequence is the sequence of 'line' events."""
    code = support.fresh_code(corpus_file)
    recorder, hooks = engine.make_recorder()
    engine_lines, new_code = engine.instrument_everywhere(code, MODE, recorder)
    support.run_code(new_code, corpus_file)
    _, events = original_trace(corpus_file)
    expected = [line for event, _, line in events if event == "line"]
    source = support.read_source(corpus_file).splitlines()
    diff = support.first_difference(hooks, expected, lambda n: f"{n}: {source[n - 1].strip()}")
    assert diff is None, diff


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["every-third-line", "every-other-line"])
def test_some_lines_only(corpus_file, kind, no_tracer, known_deviation):
    """Hooks at some lines only, with arguments that are not line numbers: each fires as often
    as settrace reports its line, and the others do not fire."""
    code = support.fresh_code(corpus_file)
    all_lines = sorted(engine.injectable(code, MODE))
    chosen = set(all_lines[::3] if kind == "every-third-line" else all_lines[1::2])
    args = {n: f"line-{n}" for n in chosen}
    recorder, hooks = engine.make_recorder()
    new_code, placed = engine.instrument(code, recorder, args, MODE)
    assert placed == chosen
    run = support.run_code(new_code, corpus_file)
    original_run, events = original_trace(corpus_file)
    assert run.outcome() == original_run.outcome()
    expected = [args[line] for event, _, line in events if event == "line" and line in chosen]
    assert Counter(hooks) == Counter(expected)


@pytest.mark.engine
def test_code_objects_report_the_lines_of_their_own_code(corpus_file, no_tracer):
    """For every nested code object: its injectable lines are among the module's and inside
    its own source span, and include every line settrace reported for frames of it (or of
    code nested in it). A function object gives the same lines as its code object."""
    code = support.fresh_code(corpus_file)
    module_lines = engine.injectable(code, MODE)
    source_len = len(support.read_source(corpus_file).splitlines())
    tracer = oracles.LineTracer(corpus_file)
    with tracer:
        run = support.run_code(code, corpus_file)
    reported = tracer.code_lines
    assert run.error is None
    for sub in support.walk_code(code):
        if sub is code:
            continue
        lines = engine.injectable(sub, MODE)
        assert lines <= module_lines, f"{sub.co_name}: {sorted(lines - module_lines)} not in the module's lines"
        assert all(sub.co_firstlineno <= n <= source_len for n in lines), sub.co_name
        seen = set()
        for nested in support.walk_code(sub):
            seen |= reported.get(nested, set())
        assert seen <= lines, f"{sub.co_name} at line {sub.co_firstlineno}: settrace saw {sorted(seen - lines)}"
    main = run.namespace["main"]
    assert engine.injectable(main, MODE) == engine.injectable(main.__code__, MODE)
