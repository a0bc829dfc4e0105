"""Statement mode: ``hook(arg)`` at line N runs as if ``hook(arg)`` were a statement of its own
written just before line N (see ``support/oracles.py`` for the rules and the transform).

Two groups of tests:

* the oracle itself, with no engine: the transform only adds hook calls, the transformed
  programs behave like the originals, the hooks fire in the order settrace sees those
  statements start, and hand-written programs give hand-written hook sequences;
* the engine (``@pytest.mark.engine``): ``injectable_lines(code, "statement")`` follows the
  rules, and ``instrument(..., "statement")`` gives exactly the hook sequence of the transformed
  program (module body and main(), main() called twice so that specialized code runs too),
  with the original main() result. ``case`` clauses (transformed into a guarded wildcard
  case placed before them) are also checked against hand-written sequences.
"""
import ast
import functools
import sys
import textwrap

import pytest

import support
from support import engine, oracles

MODE = engine.STATEMENT


@functools.lru_cache(maxsize=None)
def statement_map(path):
    return oracles.StatementMap(support.read_source(path))


def reference_lines(smap):
    """Every valid line, decorated definitions named by their first decorator: the largest
    set the rules allow. Used where no engine is involved."""
    return set(smap.first)


def run_transformed(path, smap, lines, calls=1):
    """Run the transformed program; return (Run, hook sequence)."""
    transformed = smap.transform(lines)
    recorder, hooks = engine.make_recorder()
    run = support.run_code(transformed.compile(path), path, extra_globals={oracles.HOOK_NAME: recorder},
                           calls=calls)
    return run, hooks


def run_instrumented(path, lines, calls=1, args=None):
    """Instrument the corpus module at ``lines`` (hook argument: the line, or ``args[line]``);
    return (Run, hook sequence)."""
    code = support.compile_corpus(path)
    recorder, hooks = engine.make_recorder()
    args = args or {}
    new_code, placed = engine.instrument(code, recorder, {n: args.get(n, n) for n in lines}, MODE)
    assert placed == set(lines), (f"placed {sorted(placed)}, asked for {sorted(lines)}: "
                                  f"missing {sorted(set(lines) - placed)}")
    return support.run_code(new_code, path, calls=calls), hooks


def describe_line(smap):
    def describe(n):
        return f"{n!r}: {smap.lines[n - 1].strip()}" if isinstance(n, int) and 0 < n <= len(smap.lines) else repr(n)
    return describe


def transformable(smap, lines):
    """``lines`` without those that are not valid (test_injectable_lines_follow_the_rules
    reports them), so that the sequence tests still compare the rest."""
    return {n for n in lines if smap.begin_at(n, lines) is not None}


# -- the oracle, without the engine ---------------------------------------------------------------


def test_transform_only_adds_hook_calls(corpus_file):
    smap = statement_map(corpus_file)
    transformed = smap.transform(reference_lines(smap))
    assert oracles.check_transform(smap, transformed) == []


def test_transformed_program_behaves_like_the_original(corpus_file):
    smap = statement_map(corpus_file)
    lines = reference_lines(smap)
    run, hooks = run_transformed(corpus_file, smap, lines, calls=2)
    original = support.original_run(corpus_file, calls=2)
    assert original.error is None, original.error
    assert run.outcome() == original.outcome()
    assert set(hooks) <= lines
    # every statement of main() is at a line that was hooked, so main() must fire hooks
    main_node = next(n for n in smap.tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    assert any(main_node.lineno < h <= main_node.end_lineno for h in hooks)


def test_transformed_hooks_fire_where_settrace_sees_statements_start(corpus_file, no_tracer):
    """For statements that produce exactly one 'line' event per execution (see
    ``oracles.single_event_lines``), the hooks of the transformed program and the settrace
    'line' events of the original program, restricted to those lines, are the same sequence:
    the transform puts each hook where that statement starts running."""
    smap = statement_map(corpus_file)
    lines = reference_lines(smap)
    _, hooks = run_transformed(corpus_file, smap, lines)
    _, tracer = oracles.trace_run(support.fresh_code(corpus_file), corpus_file, events=True)
    single = oracles.single_event_lines(smap)
    assert len(single) >= 5, "too few lines to compare: the check would prove nothing"
    events = [line for event, _, line in tracer.events if event == "line" and line in single]
    assert events, "settrace saw none of the compared lines run"
    diff = support.first_difference([h for h in hooks if h in single], events, describe_line(smap))
    assert diff is None, diff


def _decorated_files():
    return [p for p in support.corpus_files() if statement_map(p).def_lines]


@pytest.mark.parametrize("path", _decorated_files(), ids=lambda p: p.stem)
def test_decorated_definition_may_be_named_by_either_line(path):
    """Naming a decorated definition by its ``def`` line instead of its first decorator line
    gives the same hooks, at the same points (one-line bodies then lose their own hook:
    the ``def`` line's first statement is the definition)."""
    smap = statement_map(path)
    by_decorator = reference_lines(smap)
    by_def = set(by_decorator)
    rename = {}
    for def_line, definition in smap.def_lines.items():
        by_def.discard(definition.line)
        by_def.add(def_line)
        rename[definition.line] = def_line
    assert smap.problems(by_def) == []
    _, hooks_decorator = run_transformed(path, smap, by_decorator)
    _, hooks_def = run_transformed(path, smap, by_def)
    one_line_bodies = {line for line in smap.def_lines if line in smap.first}
    expected = [rename.get(h, h) for h in hooks_decorator if h not in one_line_bodies]
    assert hooks_def == expected


# Hand-written programs and the hook sequences the definition gives for them, with every
# valid line hooked (decorated definitions named by their first decorator).
SNIPPETS = {
    "loop headers fire once, bodies every iteration": ("""\
        total = 0
        for i in range(3):
            total += i
        while total > 1:
            total -= 2
        """, [1, 2, 3, 3, 3, 4, 5]),
    "while True with break": ("""\
        n = 0
        while True:
            n += 1
            if n == 3:
                break
        """, [1, 2, 3, 4, 3, 4, 3, 4, 5]),
    "elif fires when tested, else has no line": ("""\
        def f(x):
            if x < 0:
                return "neg"
            elif (x == 0 or
                  x is None):
                return "zero"
            elif x < 10: return "small"
            else:
                return "big"
        r = [f(v) for v in (-1, 0, 5, 50)]
        """, [1, 10, 2, 3, 2, 4, 6, 2, 4, 7, 2, 4, 7, 9]),
    "except clauses fire when tested, bare except on entry": ("""\
        class Boom:
            def __int__(self):
                raise KeyError("boom")
        def g(v):
            try:
                return 10 // int(v)
            except TypeError:
                return "type"
            except (ZeroDivisionError, ValueError) as e:
                return "zero"
            except:
                return "other"
            finally:
                done.append(v)
        done = []
        out = [g(2), g(0), g(None), g(Boom())]
        """, [1, 2, 4, 15, 16,
              5, 6, 14,
              5, 6, 7, 9, 10, 14,
              5, 6, 7, 8, 14,
              5, 6, 3, 7, 9, 11, 12, 14]),
    "multi-line statements fire once, before any part runs": ("""\
        def show(*args):
            return args
        x = show(
            1,
            show(2),
        )
        y = [1,
             2]; z = len(y)
        """, [1, 3, 2, 2, 7, 8]),
    "decorators: the hook runs before the first decorator": ("""\
        def deco(f=None):
            return f or deco
        @deco
        @deco(
        )
        def h(): return 1
        class K:
            '''doc'''
            x = h()
        """, [1, 3, 2, 2, 2, 7, 8, 9, 6]),
    "one-line compound statements and semicolons": ("""\
        a = 1; b = 2
        if a: c = 3
        else: c = 4
        while b: b -= 1
        try: d = 1 // 0
        except ZeroDivisionError: d = 0
        """, [1, 2, 4, 5, 6]),
    "generators fire as they are resumed": ("""\
        def gen():
            yield 1
            yield 2
        g = gen()
        x = next(g)
        y = list(g)
        """, [1, 4, 5, 2, 6, 3]),
    "nested functions and lambdas": ("""\
        def outer(n):
            def inner(k):
                return k + n
            f = lambda k: inner(k) * 2
            return [f(k) for k in range(n)]
        result = outer(2)
        """, [1, 6, 2, 4, 5, 3, 3]),
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_hook_sequences(name, tmp_path):
    source, expected = SNIPPETS[name]
    source = textwrap.dedent(source)
    path = tmp_path / "snippet_program.py"
    path.write_text(source + "def main():\n    return None\n", encoding="utf-8")
    smap = oracles.StatementMap(support.read_source(path))
    lines = reference_lines(smap) - {len(smap.lines) - 1, len(smap.lines)}
    _, hooks = run_transformed(path, smap, lines)
    assert hooks == expected


# -- the engine -----------------------------------------------------------------------------------


@pytest.mark.engine
def test_injectable_lines_follow_the_rules(corpus_file):
    """Every injectable line begins a statement or clause, every statement with code is
    injectable (the exceptions are listed in ``support/oracles.py``), and a decorated
    definition is named by one line only."""
    smap = statement_map(corpus_file)
    lines = engine.injectable(support.compile_corpus(corpus_file), MODE)
    problems = smap.problems(lines)
    assert problems == [], "\n".join(problems)


@pytest.mark.engine
def test_hook_sequence_matches_the_source_transform(corpus_file):
    smap = statement_map(corpus_file)
    lines = transformable(smap, engine.injectable(support.compile_corpus(corpus_file), MODE))
    expected_run, expected = run_transformed(corpus_file, smap, lines, calls=2)
    actual_run, actual = run_instrumented(corpus_file, lines, calls=2)
    original = support.original_run(corpus_file, calls=2)
    assert expected_run.outcome() == original.outcome(), "the oracle changed the program"
    assert actual_run.outcome() == original.outcome()
    diff = support.first_difference(actual, expected, describe_line(smap))
    assert diff is None, diff


def _subset(smap, lines, kind):
    ordered = sorted(lines)
    if kind == "every-third-line":
        return set(ordered[::3])
    if kind == "headers-and-clauses":
        def is_header(n):
            begin = smap.begin_at(n, lines)
            return begin.kind in ("elif", "except") or any(
                isinstance(v, list) and v and isinstance(v[0], ast.stmt) for _, v in ast.iter_fields(begin.node))
        return {n for n in ordered if is_header(n)}
    raise ValueError(kind)


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["every-third-line", "headers-and-clauses"])
def test_some_lines_only(corpus_file, kind):
    """Hooks at some of the lines, with arguments that are not line numbers: the same
    sequence as the transform with those lines, and the arguments passed through as given."""
    smap = statement_map(corpus_file)
    all_lines = transformable(smap, engine.injectable(support.compile_corpus(corpus_file), MODE))
    lines = _subset(smap, all_lines, kind)
    # keep the naming of decorated definitions that the full set uses
    lines = {n for n in lines if smap.begin_at(n, lines) is smap.begin_at(n, all_lines)}
    args = {n: ("arg", n) for n in lines}
    _, expected = run_transformed(corpus_file, smap, lines)
    actual_run, actual = run_instrumented(corpus_file, lines, args=args)
    assert actual_run.outcome() == support.original_run(corpus_file).outcome()
    diff = support.first_difference(actual, [args[n] for n in expected])
    assert diff is None, diff


def _definitions(tree):
    """{(first line, name): node} for every def and class, first line as in co_firstlineno."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            out[(first, node.name)] = node
    return out


@pytest.mark.engine
def test_nested_code_objects_have_the_lines_of_their_bodies(corpus_file):
    """``injectable_lines`` of a function's or class body's code object (nested code
    included) is the module's set restricted to that body; the ``def`` line itself may be
    included only where a one-line body begins on it. A function object gives the same set
    as its code object."""
    smap = statement_map(corpus_file)
    code = support.compile_corpus(corpus_file)
    module_lines = engine.injectable(code, MODE)
    definitions = _definitions(smap.tree)
    checked = 0
    for sub in support.walk_code(code):
        node = definitions.get((sub.co_firstlineno, sub.co_name))
        if node is None:
            continue  # module, lambdas, comprehensions, annotation and type-parameter scopes
        lines = engine.injectable(sub, MODE)
        body = {n for n in module_lines if node.lineno < n <= node.end_lineno}
        assert lines - {node.lineno} == body, f"{sub.co_name} at line {sub.co_firstlineno}"
        checked += 1
    assert checked >= 3
    namespace = support.run_code(code, corpus_file).namespace
    main = namespace["main"]
    assert engine.injectable(main, MODE) == engine.injectable(main.__code__, MODE)


def _case_labels(smap):
    """{case line: (enclosing function or '<module>', index of the case in its match)}."""
    labels = {}

    def visit(node, owner):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
            else:
                if type(child).__name__ == "Match":
                    for index, case in enumerate(child.cases):
                        labels[case.pattern.lineno] = (owner, index)
                visit(child, owner)

    visit(smap.tree, "<module>")
    return labels


# calls into py310_match.py (function: [(argument as source text, case indices tested)]), the
# indices hand-written from the semantics of match: cases are tried in order until a pattern
# matches and its guard holds
MATCH_EXPECTATIONS = {
    "interpret": [
        ('""', [0]),
        ('"go north"', [0, 1]),
        ('"go up"', [0, 1, 2]),
        ('"take lamp key"', [0, 1, 2, 3]),
        ('"take"', [0, 1, 2, 3, 4, 5]),           # case 3 matches, its guard fails
        ('"n"', [0, 1, 2, 3, 4, 0, 1]),            # alias: recursion
        ('"grab sword"', [0, 1, 2, 3, 4, 0, 1, 2, 3]),
        ('"dance"', [0, 1, 2, 3, 4, 5]),
    ],
    "where": [
        ("Point(0, 0)", [0]),
        ("Point(0, 5)", [0, 1]),
        ("Point(3, 0)", [0, 1, 2]),
        ("Point(-3, 0)", [0, 1, 2, 3]),          # case 2 matches, its guard fails
        ("{'x': 1, 'y': 2, 'z': 3}", [0, 1, 2, 3, 4]),
        ("(4, 5)", [0, 1, 2, 3, 4, 5]),
        ("[6, 7, 8]", [0, 1, 2, 3, 4, 5]),
        ("-2.5", [0, 1, 2, 3, 4, 5, 6]),
        ("'hello'", [0, 1, 2, 3, 4, 5, 6, 7]),
        ("'hi'", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
        ("2", [0, 1, 2, 3, 4, 5, 6, 7, 8]),      # case 6 matches, its guard fails
        ("None", [0, 1, 2, 3, 4, 5, 6, 7, 8]),
    ],
    "tally": [
        ("[{'type': 'click', 'pos': (1, 2)}, {'type': 'click', 'pos': (-1, 2)}, {'type': 'key', 'key': 'a'},"
         " 'noise', {'type': 'key', 'key': 'q'}, {'type': 'click', 'pos': (0, 0)}]",
         [0, 0, 1, 2, 0, 1, 0, 1, 2, 0, 1]),     # stops at the 'q' key
    ],
}


def _check_match_program(code, path, hooked, hooks, extra_globals=None):
    """Run py310_match with hooks at the ``hooked`` case lines ({line: label}), recorded in
    ``hooks``, and check every call of MATCH_EXPECTATIONS against its hand-written sequence."""
    labels = _case_labels(statement_map(path))
    label_line = {label: line for line, label in labels.items()}

    def wanted(owner, indices):
        return [(owner, i) for i in indices if label_line[(owner, i)] in hooked]

    def check(namespace):
        assert hooks == wanted("<module>", [0]), "module-level match"
        for func, calls in MATCH_EXPECTATIONS.items():
            for arg_source, indices in calls:
                del hooks[:]
                namespace[func](eval(arg_source, dict(namespace)))
                assert hooks == wanted(func, indices), f"{func}({arg_source})"
        del hooks[:]

    run = support.run_code(code, path, before_main=check, extra_globals=extra_globals)
    assert run.error is None, run.error
    assert run.outcome() == support.original_run(path).outcome()


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match statements need Python 3.10")
def test_case_transform_gives_the_hand_written_sequences():
    """The ``case`` rule of the transform (a guarded wildcard before the case) against the
    hand-written expectations."""
    path = support.corpus_path("py310_match")
    labels = _case_labels(statement_map(path))
    assert len(labels) == 2 + 6 + 10 + 3
    hooks = []

    def hook(line):
        hooks.append(labels[line])

    code = statement_map(path).transform(set(labels)).compile(path)
    _check_match_program(code, path, labels, hooks, extra_globals={oracles.HOOK_NAME: hook})


@pytest.mark.engine
@pytest.mark.skipif(sys.version_info < (3, 10), reason="match statements need Python 3.10")
def test_match_case_clauses_fire_when_tested():
    path = support.corpus_path("py310_match")
    smap = statement_map(path)
    code = support.compile_corpus(path)
    injectable = engine.injectable(code, MODE)
    labels = _case_labels(smap)
    hooked = {line: label for line, label in labels.items() if line in injectable}
    required = {line for line in labels if smap.first[line].required}
    assert required <= set(hooked), f"case lines not injectable: {sorted(required - set(hooked))}"
    recorder, hooks = engine.make_recorder()
    new_code, placed = engine.instrument(code, recorder, hooked, MODE)
    assert placed == set(hooked)
    _check_match_program(new_code, path, hooked, hooks)


@pytest.mark.engine
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippets_with_the_engine(name, tmp_path):
    """The hand-written programs through the engine: the rules hold and the hooks follow the
    transform (whose sequences test_snippet_hook_sequences checks by hand)."""
    source = textwrap.dedent(SNIPPETS[name][0]) + "def main():\n    return None\n"
    path = tmp_path / "snippet_program.py"
    path.write_text(source, encoding="utf-8")
    smap = oracles.StatementMap(source)
    code = support.compile_source(source, path)
    lines = engine.injectable(code, MODE)
    assert smap.problems(lines) == []
    _, expected = run_transformed(path, smap, lines)
    recorder, hooks = engine.make_recorder()
    new_code, placed = engine.instrument(code, recorder, {n: n for n in lines}, MODE)
    assert placed == lines
    support.run_code(new_code, path)
    diff = support.first_difference(hooks, expected, describe_line(smap))
    assert diff is None, diff
