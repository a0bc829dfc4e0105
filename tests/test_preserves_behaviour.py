"""Instrumented code behaves, and looks to tools, exactly like the original.

Every corpus program is instrumented with a hook at every injectable line, in each mode. The
hook records its argument (a list append in a function of ``support/engine.py``, another file,
so that its own frames are never mistaken for the program's). Then:

* main() gives the same result, called twice (the second call runs specialized code on
  3.11+); the results hold f_lineno values and traceback line numbers, so a changed line
  shows; the module body raises nothing that the original does not;
* ``sys.settrace`` reports the same (event, function, line) sequence for the program's frames;
* ``sys.monitoring`` (3.12+) reports the same LINE events;
* coverage.py reports the same executed lines;
* ``dis`` works on every code object and shows only lines of the original code object;
* exceptions escaping instrumented code format the same (``traceback``, ``inspect``), with
  the original source lines.
"""
import ast
import sys

import pytest

import support
from support import engine, observers, oracles

MODES = engine.MODES


@pytest.fixture(params=MODES)
def mode(request):
    return request.param


def instrumented(path, mode):
    """Freshly compiled module code with a recording hook at every injectable line, and the
    list the hook records into. Never reused: see ``support.fresh_code``."""
    recorder, hooks = engine.make_recorder()
    _, new_code = engine.instrument_everywhere(support.fresh_code(path), mode, recorder)
    return new_code, hooks


def _crash_files():
    return [p for p in support.corpus_files() if "\ndef crash():" in support.read_source(p)]


@pytest.mark.engine
def test_same_results_and_exceptions(corpus_file, mode):
    new_code, hooks = instrumented(corpus_file, mode)
    original = support.original_run(corpus_file, calls=2)
    assert original.error is None
    run = support.run_code(new_code, corpus_file, calls=2)
    assert run.outcome() == original.outcome()
    assert hooks, "no hook fired"


@pytest.mark.engine
def test_settrace_sees_the_original_events(corpus_file, mode, no_tracer):
    new_code, _ = instrumented(corpus_file, mode)
    original_run, expected = observers.settrace_events(support.fresh_code(corpus_file), corpus_file)
    run, actual = observers.settrace_events(new_code, corpus_file)
    assert run.outcome() == original_run.outcome()
    diff = support.first_difference(actual, expected)
    assert diff is None, diff


@pytest.mark.engine
@pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring is new in Python 3.12")
def test_sys_monitoring_sees_the_original_lines(corpus_file, mode):
    new_code, _ = instrumented(corpus_file, mode)
    original_run, expected = observers.monitoring_lines(support.fresh_code(corpus_file), corpus_file)
    run, actual = observers.monitoring_lines(new_code, corpus_file)
    assert run.outcome() == original_run.outcome()
    assert expected, "sys.monitoring reported nothing for the original program"
    diff = support.first_difference(actual, expected)
    assert diff is None, diff


@pytest.mark.engine
def test_coverage_reports_the_original_lines(corpus_file, mode, no_tracer):
    new_code, _ = instrumented(corpus_file, mode)
    original_run, expected = observers.coverage_lines(support.fresh_code(corpus_file), corpus_file)
    run, actual = observers.coverage_lines(new_code, corpus_file)
    assert run.outcome() == original_run.outcome()
    assert expected, "coverage measured nothing for the original program"
    assert actual == expected, (f"coverage differs: only instrumented {sorted(actual - expected)}, "
                                f"only original {sorted(expected - actual)}")


@pytest.mark.engine
def test_disassembly_is_well_formed(corpus_file, mode):
    new_code, _ = instrumented(corpus_file, mode)
    problems = observers.disassembly_problems(new_code, support.compile_corpus(corpus_file))
    assert problems == [], "\n".join(problems)


@pytest.mark.engine
@pytest.mark.parametrize("crash_file", _crash_files(), ids=lambda p: p.stem)
def test_tracebacks_show_the_original_source(crash_file, mode):
    new_code, _ = instrumented(crash_file, mode)
    expected = observers.crash_report(support.fresh_code(crash_file), crash_file)
    actual = observers.crash_report(new_code, crash_file)
    assert expected["exception"] is not None and expected["run_error"] is None
    assert actual["exception"] == expected["exception"]
    assert actual["run_error"] is None
    assert actual["frames"] == expected["frames"]
    assert actual["inspect"] == expected["inspect"]
    assert actual["formatted"] == expected["formatted"]
    # the frames point at lines whose source is the code that ran
    assert [line for _, _, line in actual["frames"]] == actual["source"]
    assert all(actual["source"])


def test_corpus_program_runs_cleanly(corpus_file):
    """The corpus itself: main() returns, twice in the same module and in a fresh one, with
    the same result; the file parses with the grammar of the version its name claims; its
    module name shadows no standard module."""
    source = support.read_source(corpus_file)
    minimum = support.min_version(corpus_file)
    ast.parse(source, feature_version=minimum)  # best effort: catches most newer syntax
    first = support.run_code(support.compile_corpus(corpus_file), corpus_file, calls=2)
    second = support.run_code(support.fresh_code(corpus_file), corpus_file, calls=2)
    assert first.error is None, first.error
    assert first.outcome() == second.outcome()
    assert "main" in first.namespace and first.result[0] != repr(None)
    assert support.module_name(corpus_file) not in getattr(sys, "stdlib_module_names", ())


def test_corpus_has_crash_functions():
    """test_tracebacks_show_the_original_source must not be vacuous."""
    assert len(_crash_files()) >= 5


@pytest.mark.engine
def test_settrace_counts_of_the_oracle_are_not_changed_by_hooks(corpus_file, mode, no_tracer):
    """The line-mode oracle run on instrumented code gives the counts of the original: hooks
    add no 'line' events of their own (their frames are in another file)."""
    new_code, _ = instrumented(corpus_file, mode)
    _, expected = oracles.trace_line_counts(support.fresh_code(corpus_file), corpus_file)
    _, actual = oracles.trace_line_counts(new_code, corpus_file)
    assert actual == expected
