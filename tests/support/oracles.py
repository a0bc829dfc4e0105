"""The two oracles splice is checked against, computed without splice.

Statement mode
--------------
``hook(arg)`` at line N runs exactly as if ``hook(arg)`` had been written in the source as a
statement of its own just before line N. ``StatementMap`` reads a module's source with
``ast`` and says, for every line, what begins there; ``transform_source`` writes that
source with the hook calls spelled out, so that running it gives the expected hook
sequence. The rules (``StatementMap`` checks the set of lines against them):

* A line is *valid* when a statement begins there, or a clause header that has code of its
  own: ``elif`` (its test), ``except`` (its type, also bare), ``case`` (its pattern). Only the
  first of these on a line counts (``a = 1; b = 2``: the hook runs before ``a = 1``;
  ``if x: y = 1``: before the ``if``; ``else: y = 1``: before ``y = 1``, ``else`` not being a
  statement). A statement may begin on a line where another one ends (``c = (a,\\n b); d = 1``:
  ``d = 1`` begins on the second line, which is therefore valid).
* A decorated ``def``/``class`` begins at its first decorator. ``ast`` puts the node on the
  ``def`` line, so either line may name the statement, but not both (they are the same
  point: one statement cannot begin twice). Either way the hook runs before the first
  decorator is evaluated.
* A line is *required* (must be injectable) when a statement that begins there has code.
  Statements without code of their own, which may be absent: ``pass``, ``global``,
  ``nonlocal``, constant expression statements (``...``, strings, including function
  docstrings, which are not stored), annotations without a value (``x: int``: no code in
  functions, deferred in 3.14+), code that cannot run (after ``return``/``raise``/
  ``break``/``continue`` in the same block, the dead branch of a constant ``if``/``while``),
  and ``try`` statements whose body, ``else`` and ``finally`` all have no code. Module and
  class docstrings are stored in ``__doc__``, so they are required. A compound statement
  (``while True:`` included) is required when its header evaluates something or anything
  inside it has code: "before the loop" is a point in the program even when the header
  compiles to nothing, as ``while True:`` does on 3.8/3.9.
  Clause lines: ``elif`` with a non-constant test and ``except E`` are required; a bare
  ``except:`` and an irrefutable ``case`` without guard (``case _:``, ``case name:``) have
  no test of their own and may be absent; every other ``case`` is required.

The transform (``transform_source``):

* statement at line N, first on its line: a new line ``__hook__(N)`` with the statement's
  indentation before it (before the first decorator of a decorated definition);
* statement after ``;`` or after a one-line clause header (``else: y = 1``):
  ``__hook__(N); `` inserted in front of it on the same line;
* docstring (module, class or function): ``; __hook__(N)`` after it, so that it stays the
  docstring. Evaluating a docstring runs no code that a hook could observe, so "after" and
  "before" give the same hook sequence;
* ``elif cond:`` -> ``elif (__hook__(N) or (cond)):``, original text kept, lines included;
* ``except E as e:`` -> ``except (__hook__(N), (E))[1] as e:`` (``except*`` alike);
* bare ``except:`` -> ``__hook__(N)`` as the first statement of the handler body;
* ``case P:`` -> a new line ``case _ if __hook__(N): pass`` before it, with its indentation.
  A guarded wildcard is not irrefutable, so it may stand before other cases; its guard runs
  exactly when the next case is about to be tested, and, being falsy, lets matching go on.
  (The match tests also check ``case`` lines against hand-written sequences.)

Only lines are added or widened, so the transformed module is compiled from its AST with
every line number mapped back to the original line (inserted hook lines get the line of the
statement they precede). The transformed program therefore reports the same ``f_lineno``
and traceback line numbers as the original and its ``main()`` result is comparable as is.

Line mode
---------
``hook(arg)`` at line N runs exactly as often as ``sys.settrace`` reports a ``'line'`` event
for line N: ``trace_line_counts`` counts those events for the frames of one file.
"""
import ast
import gc
import sys
from collections import Counter

from . import compile_source, run_code

HOOK_NAME = "__hook__"


class Begin:
    """Something that begins on a line: a statement or a clause header.

    ``kind`` is ``"stmt"``, ``"docstring"``, ``"elif"``, ``"except"`` or ``"case"``; ``node`` the
    ast node (``ast.If`` for ``elif``, ``ast.ExceptHandler``, ``ast.match_case``); ``line`` and
    ``col`` (UTF-8 byte column) where it begins; ``required`` whether the line must be
    injectable because of it.
    """

    __slots__ = ("kind", "node", "line", "col", "required", "decorated_def_line")

    def __init__(self, kind, node, line, col, required, decorated_def_line=None):
        self.kind = kind
        self.node = node
        self.line = line
        self.col = col
        self.required = required
        self.decorated_def_line = decorated_def_line

    def __repr__(self):
        name = type(self.node).__name__
        return f"Begin({self.kind}, {name}, line={self.line}, col={self.col}, required={self.required})"


def _is_constant_expr(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _constant_truth(test):
    """True/False for a constant test the compiler folds, None otherwise."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    return None


def _is_irrefutable(pattern):
    if isinstance(pattern, ast.MatchAs):
        return pattern.pattern is None or _is_irrefutable(pattern.pattern)
    if isinstance(pattern, ast.MatchOr):
        return any(_is_irrefutable(p) for p in pattern.patterns)
    return False


_TERMINATORS = (ast.Return, ast.Raise, ast.Break, ast.Continue)
_NO_CODE = (ast.Pass, ast.Global, ast.Nonlocal)


class StatementMap:
    """What begins on each line of a module, and which lines statement mode must accept."""

    def __init__(self, source):
        self.source = source
        # physical lines as the tokenizer counts them (str.splitlines would also split at
        # form feeds and other characters that may sit inside string literals)
        parts = source.split("\n")
        self.lines = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
        self.tree = ast.parse(source)
        self.begins = []  # every statement and clause header, in source order
        self._has_future_import = False
        self._visit_body(self.tree.body, live=True, owner=self.tree)
        self.first = {}
        for begin in sorted(self.begins, key=lambda b: (b.line, b.col)):
            self.first.setdefault(begin.line, begin)
        # the ``def``/``class`` line of a decorated definition may name it as well
        self.def_lines = {b.decorated_def_line: b for b in self.begins if b.decorated_def_line is not None}

    # -- building -----------------------------------------------------------------------

    def _add(self, kind, node, line, col, required, decorated_def_line=None):
        self.begins.append(Begin(kind, node, line, col, required, decorated_def_line))

    def _visit_body(self, body, live, owner):
        """Visit a statement list; ``live`` is False inside code that cannot run."""
        for index, stmt in enumerate(body):
            is_doc = (
                index == 0
                and isinstance(owner, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and _is_constant_expr(stmt)
                and isinstance(stmt.value.value, str)
            )
            self._visit_stmt(stmt, live, owner, is_doc)
            if isinstance(stmt, _TERMINATORS):
                live = False

    def _stmt_has_code(self, stmt, owner, is_doc):
        if isinstance(stmt, _NO_CODE):
            return False
        if _is_constant_expr(stmt):
            # a module or class docstring is stored in __doc__; any other constant is dropped
            return is_doc and isinstance(owner, (ast.Module, ast.ClassDef))
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None:
            return False
        return True

    def _visit_stmt(self, stmt, live, owner, is_doc):
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            self._has_future_import = True
        decorators = getattr(stmt, "decorator_list", None)
        if decorators:
            first = decorators[0]
            # the '@' is the first non-blank character of the first decorator's line
            line_text = self.lines[first.lineno - 1]
            col = len(line_text.encode("utf-8")) - len(line_text.lstrip().encode("utf-8"))
            start_line, start_col, def_line = first.lineno, col, stmt.lineno
        else:
            start_line, start_col, def_line = stmt.lineno, stmt.col_offset, None
        compound_required = self._visit_children(stmt, live)
        required = live and (compound_required if compound_required is not None
                             else self._stmt_has_code(stmt, owner, is_doc))
        self._add("docstring" if is_doc else "stmt", stmt, start_line, start_col, required, def_line)

    def _visit_children(self, stmt, live):
        """Visit nested statements and clauses; for a compound statement return whether it
        has code (header or body), for a simple statement None."""
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._visit_body(stmt.body, live, owner=stmt)
            return True
        if isinstance(stmt, ast.If):
            truth = _constant_truth(stmt.test)
            body_live = live and truth is not False
            else_live = live and truth is not True
            body_code = self._visit_block(stmt.body, body_live, stmt)
            else_code = self._visit_orelse_of_if(stmt, else_live)
            return truth is None or (truth and body_code) or (not truth and else_code)
        if isinstance(stmt, ast.While):
            truth = _constant_truth(stmt.test)
            body_code = self._visit_block(stmt.body, live and truth is not False, stmt)
            else_code = self._visit_block(stmt.orelse, live and truth is not True, stmt)
            return truth is None or (truth and body_code) or (not truth and else_code)
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
            self._visit_block(stmt.body, live, stmt)
            self._visit_block(getattr(stmt, "orelse", []), live, stmt)
            return True
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            body_code = self._visit_block(stmt.body, live, stmt)
            for handler in stmt.handlers:
                self._add("except", handler, handler.lineno, handler.col_offset,
                          live and body_code and handler.type is not None)
                self._visit_block(handler.body, live and body_code, stmt)
            else_code = self._visit_block(stmt.orelse, live and body_code, stmt)
            final_code = self._visit_block(stmt.finalbody, live, stmt)
            return body_code or else_code or final_code
        if type(stmt).__name__ == "Match":
            for case in stmt.cases:
                refutable = not _is_irrefutable(case.pattern) or case.guard is not None
                line = case.pattern.lineno
                text = self.lines[line - 1]
                col = len(text.encode("utf-8")) - len(text.lstrip().encode("utf-8"))
                self._add("case", case, line, col, live and refutable)
                self._visit_block(case.body, live, stmt)
            return True
        return None

    def _visit_orelse_of_if(self, stmt, live):
        orelse = stmt.orelse
        if len(orelse) == 1 and isinstance(orelse[0], ast.If) and self._is_elif(orelse[0]):
            elif_node = orelse[0]
            truth = _constant_truth(elif_node.test)
            body_code = self._visit_block(elif_node.body, live and truth is not False, elif_node)
            else_code = self._visit_orelse_of_if(elif_node, live and truth is not True)
            self._add("elif", elif_node, elif_node.lineno, elif_node.col_offset, live and truth is None)
            return truth is None or body_code or else_code
        return self._visit_block(orelse, live, stmt)

    def _is_elif(self, node):
        text = self.lines[node.lineno - 1].encode("utf-8")[node.col_offset:]
        return text.startswith(b"elif") and not text[4:5].isalnum() and text[4:5] != b"_"

    def _visit_block(self, body, live, owner):
        """Visit a block; return whether any statement in it (transitively) has code."""
        before = len(self.begins)
        self._visit_body(body, live, owner)
        return any(b.required for b in self.begins[before:] if b.kind in ("stmt", "docstring"))

    # -- queries ------------------------------------------------------------------------

    def begin_at(self, line, injectable=()):
        """The Begin that a hook at ``line`` refers to, or None if the line is not valid.

        The ``def`` line K of a decorated definition whose first decorator line F is not in
        ``injectable`` names the definition (the ast view: the node is on line K). When F is
        in ``injectable``, F names the definition and K means what else begins on it (the
        statement of a one-line body), if anything.
        """
        definition = self.def_lines.get(line)
        if definition is not None and definition.line not in injectable:
            return definition
        return self.first.get(line)

    def valid_lines(self):
        return set(self.first) | set(self.def_lines)

    def required_lines(self):
        """Lines that must be injectable. For a decorated definition this holds the first
        decorator line; its ``def`` line may stand for it instead (see ``problems``)."""
        return {begin.line for begin in self.begins if begin.required}

    def clause_lines(self, kind):
        return {line for line, b in self.first.items() if b.kind == kind}

    def problems(self, injectable):
        """Why ``injectable`` does not follow the rules, as a list of messages (empty if it does)."""
        injectable = set(injectable)
        out = []

        def show(line):
            return repr(self.lines[line - 1].strip()) if 0 < line <= len(self.lines) else "(outside the source)"

        for line in sorted(injectable - self.valid_lines()):
            out.append(f"line {line} is injectable but no statement or clause begins there: {show(line)}")
        for line in sorted(self.required_lines()):
            first = self.first[line]
            names = {line, first.decorated_def_line} - {None}
            if not names & injectable:
                out.append(f"line {line} is not injectable but a {first.kind} "
                           f"({type(first.node).__name__}) with code begins there: {show(line)}")
        for line, definition in sorted(self.def_lines.items()):
            if line in injectable and definition.line in injectable and line not in self.first:
                out.append(f"lines {definition.line} and {line} both name the decorated definition "
                           f"{definition.node.name!r}")
        return out

    # -- the transform ------------------------------------------------------------------

    def transform(self, lines):
        return transform_source(self, lines)


class Transformed:
    """The transformed source, and ``line_map[out_line] = original line``."""

    def __init__(self, text, line_map, hooked):
        self.text = text
        self.line_map = line_map
        self.hooked = hooked

    def tree(self):
        """The transformed module's AST with the original line numbers."""
        tree = ast.parse(self.text)
        line_map = self.line_map
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) is not None:
                node.lineno = line_map.get(node.lineno, node.lineno)
            if getattr(node, "end_lineno", None) is not None:
                node.end_lineno = line_map.get(node.end_lineno, node.end_lineno)
        return tree

    def compile(self, path):
        return compile_source(self.tree(), path)


def _char_col(text, byte_col):
    return len(text.encode("utf-8")[:byte_col].decode("utf-8"))


def transform_source(smap, lines):
    """Write ``smap``'s source with ``__hook__(N)`` for every N in ``lines`` (see module doc)."""
    lines = sorted(set(lines))
    if smap._has_future_import and lines:
        raise NotImplementedError("the transform does not support 'from __future__' imports")
    # edits: per original line, new lines to put before it, and inline insertions
    before = {}   # line -> [(priority, order, text)]
    inline = {}   # line -> [(char_col, priority, order, text)]
    counter = [0]

    def add_inline(line, byte_col, text, priority=1):
        counter[0] += 1
        col = _char_col(smap.lines[line - 1], byte_col)
        inline.setdefault(line, []).append((col, priority, counter[0], text))

    def hook_before_stmt(node, arg, priority=1):
        """Put a hook statement right before ``node`` (a statement)."""
        decorators = getattr(node, "decorator_list", None)
        line = decorators[0].lineno if decorators else node.lineno
        text = smap.lines[line - 1]
        indent = text[: len(text) - len(text.lstrip())]
        if decorators or len(indent.encode("utf-8")) == node.col_offset:
            counter[0] += 1
            before.setdefault(line, []).append((priority, counter[0], f"{indent}{HOOK_NAME}({arg!r})\n"))
        else:
            add_inline(line, node.col_offset, f"{HOOK_NAME}({arg!r}); ", priority)

    for n in lines:
        begin = smap.begin_at(n, lines)
        if begin is None:
            raise ValueError(f"line {n} does not begin a statement or clause")
        node = begin.node
        if begin.kind == "stmt":
            hook_before_stmt(node, n)
        elif begin.kind == "docstring":
            add_inline(node.end_lineno, node.end_col_offset, f"; {HOOK_NAME}({n!r})")
        elif begin.kind == "elif":
            test = node.test
            add_inline(test.lineno, test.col_offset, f"({HOOK_NAME}({n!r}) or (")
            add_inline(test.end_lineno, test.end_col_offset, "))", priority=0)
        elif begin.kind == "except":
            if node.type is None:
                hook_before_stmt(node.body[0], n, priority=0)
            else:
                add_inline(node.type.lineno, node.type.col_offset, f"({HOOK_NAME}({n!r}), (")
                add_inline(node.type.end_lineno, node.type.end_col_offset, "))[1]", priority=0)
        elif begin.kind == "case":
            text = smap.lines[begin.line - 1]
            indent = text[: len(text) - len(text.lstrip())]
            counter[0] += 1
            before.setdefault(begin.line, []).append(
                (1, counter[0], f"{indent}case _ if {HOOK_NAME}({n!r}): pass\n"))
        else:
            raise AssertionError(begin.kind)

    out, line_map = [], {}
    for number, text in enumerate(smap.lines, 1):
        for _, _, new in sorted(before.get(number, ())):
            out.append(new)
            line_map[len(out)] = number
        edits = inline.get(number)
        if edits:
            # apply right to left; at one column a closer (priority 0) ends up left of an
            # opener (priority 1): the opener is inserted first and the closer in front of it
            for col, _, _, ins in sorted(edits, reverse=True):
                text = text[:col] + ins + text[col:]
        out.append(text)
        line_map[len(out)] = number
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    return Transformed("".join(out), line_map, lines)


class _Unhook(ast.NodeTransformer):
    """Undo the transform on an AST: drop hook statements and unwrap wrapped clauses."""

    @staticmethod
    def is_hook(node):
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == HOOK_NAME)

    def generic_visit(self, node):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, [s for s in value
                                      if not (isinstance(s, ast.Expr) and self.is_hook(s.value))])
        return super().generic_visit(node)

    def visit_Match(self, node):
        node.cases = [c for c in node.cases
                      if not (isinstance(c.pattern, ast.MatchAs) and c.pattern.pattern is None
                              and c.pattern.name is None and c.guard is not None and self.is_hook(c.guard))]
        return self.generic_visit(node)

    def visit_BoolOp(self, node):
        if isinstance(node.op, ast.Or) and len(node.values) == 2 and self.is_hook(node.values[0]):
            return self.visit(node.values[1])
        return self.generic_visit(node)

    def visit_Subscript(self, node):
        index = node.slice.value if type(node.slice).__name__ == "Index" else node.slice
        if (isinstance(node.value, ast.Tuple) and len(node.value.elts) == 2
                and self.is_hook(node.value.elts[0]) and isinstance(index, ast.Constant)
                and index.value == 1):
            return self.visit(node.value.elts[1])
        return self.generic_visit(node)


def hook_calls(tree):
    """The N of every ``__hook__(N)`` call in a tree."""
    return [node.args[0].value for node in ast.walk(tree) if _Unhook.is_hook(node)]


def unhook(tree):
    return _Unhook().visit(tree)


def check_transform(smap, transformed):
    """Check that the transform only added hooks: the transformed AST without its hook calls
    equals the original AST, node for node, line numbers included. Returns a list of problems."""
    problems = []
    tree = transformed.tree()
    calls = sorted(hook_calls(tree))
    if calls != sorted(transformed.hooked):
        problems.append(f"hook calls {calls} != requested lines {sorted(transformed.hooked)}")
    stripped = unhook(tree)
    original = ast.parse(smap.source)
    if ast.dump(stripped) != ast.dump(original):
        problems.append("the transformed program differs from the original beyond the hook calls")
        return problems
    for a, b in zip(ast.walk(stripped), ast.walk(original)):
        for attr in ("lineno", "end_lineno"):
            if getattr(a, attr, None) != getattr(b, attr, None):
                problems.append(f"{type(b).__name__} {attr} {getattr(a, attr, None)} != {getattr(b, attr, None)}")
    return problems


# -- line mode ------------------------------------------------------------------------------


class LineTracer:
    """A sys.settrace tracer for the frames of one file.

    Counts 'line' events per line and, when ``events`` is set, records every event of those
    frames as ``(event, co_name, f_lineno)``. Frames of other files (the hook, asyncio, ...)
    are not traced at all. Installed with ``with LineTracer(path) as t: ...``; the previous
    tracer is put back on exit, exception or not.
    """

    def __init__(self, filename, events=False):
        self.filename = str(filename)
        self.counts = Counter()
        self.events = [] if events else None
        self.code_lines = {}  # code object -> lines of its 'line' events
        self._previous = None

    def _global(self, frame, event, arg):
        if frame.f_code.co_filename != self.filename:
            return None
        if self.events is not None:
            self.events.append((event, frame.f_code.co_name, frame.f_lineno))
        return self._local

    def _local(self, frame, event, arg):
        if event == "line":
            self.counts[frame.f_lineno] += 1
            self.code_lines.setdefault(frame.f_code, set()).add(frame.f_lineno)
        if self.events is not None and event != "call":
            self.events.append((event, frame.f_code.co_name, frame.f_lineno))
        return self._local

    def __enter__(self):
        self._previous = sys.gettrace()
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc_info):
        sys.settrace(self._previous)
        return False


def trace_run(code, path, events=False, **run_kwargs):
    """Run a program (module body + main()) under a LineTracer; return (Run, tracer)."""
    tracer = LineTracer(path, events=events)
    # Generators left suspended by earlier runs of the same file would otherwise be
    # finalized (and traced) whenever the collector happens to run.
    gc.collect()
    gc.disable()
    try:
        with tracer:
            run = run_code(code, path, **run_kwargs)
    finally:
        gc.enable()
    return run, tracer


def trace_line_counts(code, path, **run_kwargs):
    """The line-mode oracle: {line: number of settrace 'line' events} for the file's frames."""
    run, tracer = trace_run(code, path, **run_kwargs)
    return run, dict(tracer.counts)


# -- cross-checking the statement oracle against settrace ----------------------------------

_LOOPY = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
          ast.Yield, ast.YieldFrom, ast.Await)
_SIMPLE_EXCLUDED = (ast.Return, ast.Break, ast.Continue, ast.AnnAssign, ast.Pass, ast.Global, ast.Nonlocal)
# 3.9 reports 'line' events for exception clean-up code on the line of the last statement of a
# with/async-for/try block (and none for some copies of finally bodies); 3.10 fixed it (PEP 626)
_CLEANUP_39 = (ast.With, ast.AsyncWith, ast.AsyncFor, ast.Try)


def _is_compound(node):
    return any(isinstance(v, list) and v and isinstance(v[0], ast.stmt) for _, v in ast.iter_fields(node))


def _header_lines(node):
    lines = {node.lineno}
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.stmt, ast.excepthandler)) or type(child).__name__ == "match_case":
            continue
        for sub in ast.walk(child):
            if getattr(sub, "lineno", None) is not None and getattr(sub, "end_lineno", None) is not None:
                lines.update(range(sub.lineno, sub.end_lineno + 1))
    return lines


def single_event_lines(smap, version=None):
    """Lines where a statement begins whose execution gives exactly one settrace 'line' event
    for that line: a simple statement with code (not a type alias or annotation, whose values
    may be evaluated later in code of their own) on one physical line, first on its line,
    sharing the line with no code of another statement, with no loop or suspension inside
    (comprehensions, lambdas, yield, await), and not a return/break/continue (their line can
    be reported again after a ``finally`` or ``with`` exit runs). On 3.9, statements inside
    with/async-for/try blocks are left out (see ``_CLEANUP_39``). Also the lines of ``elif``
    tests and ``except`` types written on one line: one event each time they are tested."""
    version = tuple(sys.version_info[:2]) if version is None else version
    owners = Counter()
    excluded_39 = set()
    for node in ast.walk(smap.tree):
        if not isinstance(node, ast.stmt):
            continue
        if _is_compound(node):
            for line in _header_lines(node):
                owners[line] += 1
            if version == (3, 9) and isinstance(node, _CLEANUP_39):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.stmt) and sub is not node:
                        excluded_39.add(id(sub))
        else:
            for line in range(node.lineno, node.end_lineno + 1):
                owners[line] += 1
    lines = set()
    for line, begin in smap.first.items():
        node = begin.node
        if begin.kind != "stmt" or isinstance(node, _SIMPLE_EXCLUDED) or _is_compound(node):
            continue
        if _is_constant_expr(node) or type(node).__name__ == "TypeAlias" or id(node) in excluded_39:
            continue
        siblings = sum(1 for b in smap.begins if b.kind == "stmt" and b.node is not node
                       and b.line == line and b.node.end_lineno == line and not _is_compound(b.node))
        if node.lineno != node.end_lineno or owners[line] != 1 + siblings:
            continue
        if any(isinstance(sub, _LOOPY) for sub in ast.walk(node)):
            continue
        lines.add(line)
    # an elif test or except type on one line: tested once per 'line' event of that line
    for line, begin in smap.first.items():
        if begin.kind == "elif":
            expr = begin.node.test
        elif begin.kind == "except":
            expr = begin.node.type
        else:
            continue
        if expr is not None and expr.lineno == expr.end_lineno == line \
                and not any(isinstance(sub, _LOOPY) for sub in ast.walk(expr)):
            lines.add(line)
    return lines
