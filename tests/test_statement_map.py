"""The statement scanner (C++) against exact oracles.

`_engine._scan_statements(source)` returns one tuple per statement, in
document order:

    (first_line, last_line, header_last_line, kind, parent, scope)

kind is "simple", "compound", "clause" or "scope"; parent and scope are
indices into the list, -1 at module level. `_engine._line_roles(source)`
returns {line: (role, beginning_at, continuing)} for lines 0 .. count + 1.

Oracles: `ast` for statements and their nesting, `tokenize` for logical
lines (header ends, continuation lines, lines with code). The whole standard
library of the running interpreter, test package included, is checked.
"""
import ast
import collections
import io
import os
import re
import sys
import sysconfig
import textwrap
import time
import tokenize
import warnings

import pytest

try:
    from splice import _engine
except ImportError:  # conftest.py skips the engine-marked tests and says why
    _engine = None

pytestmark = pytest.mark.engine

VERSION = sys.version_info[:2]
NEWLINE_RE = re.compile(rb"\r\n|\r|\n")
KEYWORD_RE = re.compile(rb"[ \t\f]*(elif|else|finally)(?![A-Za-z0-9_])")
CASE_RE = re.compile(rb"[ \t\f]*case(?![A-Za-z0-9_])")

SCOPE_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
COMPOUND_TYPES = tuple(
    getattr(ast, name)
    for name in ("If", "For", "AsyncFor", "While", "Try", "TryStar", "With", "AsyncWith", "Match")
    if hasattr(ast, name)
)
TRIVIAL_TOKENS = {
    tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT,
    tokenize.ENDMARKER, tokenize.ENCODING,
}
STRING_STARTS = {getattr(tokenize, n) for n in ("FSTRING_START", "TSTRING_START") if hasattr(tokenize, n)}
STRING_ENDS = {getattr(tokenize, n) for n in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, n)}


def split_lines(data):
    """Physical lines as CPython counts them (\\n, \\r\\n and a lone \\r)."""
    parts = NEWLINE_RE.split(data)
    if parts[-1] == b"":
        parts.pop()
    return parts


# ---------------------------------------------------------------- oracles


class Expected(object):
    """One statement as ast (and tokenize, for its header) sees it."""

    __slots__ = ("first", "last", "header_last", "kind", "parent", "scope", "depth", "col", "header_line")

    def __init__(self, first, last, kind, parent, scope, depth, col, header_line):
        self.first, self.last, self.kind = first, last, kind
        self.parent, self.scope, self.depth, self.col = parent, scope, depth, col
        self.header_line = header_line  # a line of its header's logical line
        self.header_last = None


def is_elif(node, lines):
    """An If in a parent If's orelse written as `elif` (not `else:` + `if`)."""
    if len(node.orelse) != 1 or not isinstance(node.orelse[0], ast.If):
        return False
    match = KEYWORD_RE.match(lines[node.orelse[0].lineno - 1])
    return bool(match) and match.group(1) == b"elif"


def decorated_first_line(node, lines):
    """The line of the first `@`: a decorator expression may start after it."""
    line = min([node.lineno] + [d.lineno for d in node.decorator_list])
    while not lines[line - 1].lstrip(b" \t\f").startswith(b"@"):
        line -= 1
    return line


def case_line(node, lines):
    """The line of the `case` keyword: a pattern may start on a later line,
    as in `case (` + newline + `A | B` (turtle.py does that)."""
    line = node.pattern.lineno
    while not CASE_RE.match(lines[line - 1]):
        line -= 1
    return line


def expected_statements(tree, lines):
    """Every ast.stmt, ExceptHandler and match_case with its nesting."""
    out = []
    work = [(node, -1, -1, 0, False) for node in reversed(tree.body)]
    while work:
        node, parent, scope, depth, elif_clause = work.pop()
        children = []  # (nodes, is an elif)
        if isinstance(node, ast.stmt):
            first, header_line = node.lineno, node.lineno
            if isinstance(node, SCOPE_TYPES):
                kind = "scope"
                if node.decorator_list:
                    first = decorated_first_line(node, lines)
            elif isinstance(node, COMPOUND_TYPES):
                kind = "clause" if elif_clause else "compound"
            else:
                kind = "simple"
            entry = Expected(first, node.end_lineno, kind, parent, scope, depth, node.col_offset, header_line)
            if isinstance(node, ast.If) and is_elif(node, lines):
                children = [(node.body, False), (node.orelse, True)]
            else:
                for field in ("body", "handlers", "orelse", "finalbody", "cases"):
                    children.append((getattr(node, field, ()), False))
        elif isinstance(node, ast.ExceptHandler):
            entry = Expected(node.lineno, node.end_lineno, "clause", parent, scope, depth, node.col_offset,
                             node.lineno)
            children = [(node.body, False)]
        else:  # match_case
            first = case_line(node, lines)
            entry = Expected(first, node.body[-1].end_lineno, "clause", parent, scope, depth,
                             node.pattern.col_offset, first)
            children = [(node.body, False)]
        index = len(out)
        out.append(entry)
        inner_scope = index if entry.kind == "scope" else scope
        for nodes, elif_child in reversed(children):
            for child in reversed(nodes):
                work.append((child, index, inner_scope, depth + 1, elif_child))
    return out


class LogicalLines(object):
    """What tokenize says: logical lines, their first words, lines with code."""

    def __init__(self, data):
        if b"\r" in data:  # tokenize does not split at a lone \r; CPython's parser does
            data = re.sub(rb"\r\n?", b"\n", data)
        self.spans = []        # (first_line, newline_line)
        self.first_words = []
        self.code_lines = set()
        start = None
        string_starts = []
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            if tok.type in STRING_STARTS:
                string_starts.append(tok.start[0])
            elif tok.type in STRING_ENDS:
                self.code_lines.update(range(string_starts.pop(), tok.end[0] + 1))
            if tok.type == tokenize.NEWLINE:
                if start is not None:
                    self.spans.append((start, tok.start[0]))
                start = None
            elif tok.type not in TRIVIAL_TOKENS:
                if start is None:
                    start = tok.start[0]
                    self.first_words.append(tok.string)
                self.code_lines.update(range(tok.start[0], tok.end[0] + 1))
        self.span_of = {}
        for span in self.spans:
            for line in range(span[0], span[1] + 1):
                self.span_of[line] = span


def fill_header_ends(expected, logical):
    for e in expected:
        if e.kind == "simple":
            e.header_last = e.last
        else:
            e.header_last = logical.span_of[e.header_line][1]


def expected_line_roles(expected, logical, line_count):
    """{line: (role, key of continuing)} from the oracles."""
    begins = {}
    for e in expected:
        if e.first not in begins or (e.depth, e.col) < (begins[e.first].depth, begins[e.first].col):
            begins[e.first] = e
    continuing = {}
    for first, last in logical.spans:  # a later line of a logical line beginning a statement
        if first in begins:
            for line in range(first + 1, last + 1):
                continuing[line] = begins[first]
    for e in sorted(expected, key=lambda e: e.depth):  # then each header, innermost last
        for line in range(e.first + 1, e.header_last + 1):
            continuing[line] = e
    bare = set()
    for (first, last), word in zip(logical.spans, logical.first_words):
        if word in ("else", "finally"):
            bare.update(range(first, last + 1))
    roles = {}
    for line in range(1, line_count + 1):
        cont = continuing.get(line)
        if line in begins:
            role = "begins"
        elif line not in logical.code_lines:
            role = "nocode"
        elif cont is not None:
            role = "continuation"
        elif line in bare:
            role = "bareclause"
        else:
            role = "nocode"
        roles[line] = (role, key(cont) if cont is not None else None)
    return roles


def key(e):
    return (e.first, e.last, e.header_last, e.kind)


def scanned_key(t):
    return t[:4]


def compare(data, tree, with_tokens=True):
    """Mismatch messages (empty: all agree) and the number of statements."""
    lines = split_lines(data)
    expected = expected_statements(tree, lines)
    logical = LogicalLines(data) if with_tokens else None
    if logical is not None:
        fill_header_ends(expected, logical)
    scanned = _engine._scan_statements(data)

    def ekey(e):
        return key(e) if logical is not None else (e.first, e.last, e.kind)

    def skey(t):
        return t[:4] if logical is not None else (t[0], t[1], t[3])

    def erel(e, i):
        return None if i < 0 else ekey(expected[i])

    def srel(i):
        return None if i < 0 else skey(scanned[i])

    want = collections.Counter((ekey(e), erel(e, e.parent), erel(e, e.scope)) for e in expected)
    got = collections.Counter((skey(t), srel(t[4]), srel(t[5])) for t in scanned)
    problems = []
    if want != got:
        for item in sorted(want - got):
            problems.append("line %d: missing %r (parent %r, scope %r)" % ((item[0][0],) + item))
        for item in sorted(got - want):
            problems.append("line %d: unexpected %r (parent %r, scope %r)" % ((item[0][0],) + item))
    if logical is not None and not problems:
        roles = _engine._line_roles(data)
        first_beginning = {}  # line -> the first statement in the list beginning there
        for index, t in enumerate(scanned):
            first_beginning.setdefault(t[0], index)
        if len(roles) != len(lines) + 2:
            problems.append("line count %d, expected %d" % (len(roles) - 2, len(lines)))
        else:
            for line, (role, cont) in sorted(expected_line_roles(expected, logical, len(lines)).items()):
                got_role, got_begin, got_cont = roles[line]
                got_cont_key = None if got_cont < 0 else scanned_key(scanned[got_cont])
                begin_ok = got_begin == first_beginning.get(line, -1)
                if got_role != role or got_cont_key != cont or not begin_ok:
                    problems.append("line %d: role %r continuing %r beginning %r, expected %r continuing %r"
                                    % (line, got_role, got_cont_key, got_begin, role, cont))
    return problems, len(expected)


# ---------------------------------------------------------------- the standard library


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "dist-packages", "__pycache__"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


class StdlibReport(object):
    def __init__(self):
        self.files = self.skipped = self.statements = self.lines = self.size = 0
        self.failures = []  # (path, problems)
        self.scan_seconds = self.parse_seconds = 0.0


@pytest.fixture(scope="module")
def stdlib_report():
    report = StdlibReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in stdlib_files():
            with open(path, "rb") as f:
                data = f.read()
            try:
                t0 = time.perf_counter()
                tree = compile(data, path, "exec", ast.PyCF_ONLY_AST)
                report.parse_seconds += time.perf_counter() - t0
            except (SyntaxError, ValueError):
                report.skipped += 1
                continue
            t0 = time.perf_counter()
            _engine._scan_statements(data)
            report.scan_seconds += time.perf_counter() - t0
            try:
                problems, count = compare(data, tree)
            except Exception as exc:  # a bug of the oracle or the scanner: show where
                problems, count = ["%s: %s" % (type(exc).__name__, exc)], 0
            report.files += 1
            report.statements += count
            report.lines += len(split_lines(data))
            report.size += len(data)
            if problems:
                report.failures.append((path, problems))
    print("\nstatement scanner vs ast/tokenize, Python %d.%d: %d files (%d skipped), %d lines, %d statements, "
          "%d files mismatched" % (VERSION + (report.files, report.skipped, report.lines, report.statements,
                                              len(report.failures))))
    if report.scan_seconds:
        print("scanner: %.1f MB/s (ast.parse of the same files: %.1f MB/s; Python list building included)"
              % (report.size / report.scan_seconds / 1e6, report.size / report.parse_seconds / 1e6))
    return report


def test_stdlib_matches_oracles(stdlib_report):
    assert stdlib_report.files > 100
    message = []
    for path, problems in stdlib_report.failures[:20]:
        message.append("%s:" % path)
        message.extend("    " + p for p in problems[:10])
    assert not stdlib_report.failures, "\n".join(message)


# ---------------------------------------------------------------- hand-written cases


def scan(src):
    return [tuple(t) for t in _engine._scan_statements(src)]


def roles(src):
    return _engine._line_roles(src)


def check_with_ast(src):
    """Hand-written cases that compile here also go through the oracles."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(src, "<case>", "exec", ast.PyCF_ONLY_AST)
    except SyntaxError:
        return
    problems, _ = compare(src, tree)
    assert not problems, problems


S, C, K, P = "simple", "compound", "clause", "scope"

# (name, minimum version, source, expected statements)
CASES = [
    ("semicolons", (3, 8), b"x = 1; y = 2;\nz = 3\n",
     [(1, 1, 1, S, -1, -1), (1, 1, 1, S, -1, -1), (2, 2, 2, S, -1, -1)]),
    ("inline bodies", (3, 8), b"if x: y = 1; z = 2\nclass A: pass\nwhile x: x -= 1\n",
     [(1, 1, 1, C, -1, -1), (1, 1, 1, S, 0, -1), (1, 1, 1, S, 0, -1),
      (2, 2, 2, P, -1, -1), (2, 2, 2, S, 3, 3), (3, 3, 3, C, -1, -1), (3, 3, 3, S, 5, -1)]),
    ("if chain", (3, 8), b"if a:\n    pass\nelif b:\n    pass\nelif c: pass\nelse:\n    x = 1\n\n# end\n",
     [(1, 7, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 7, 3, K, 0, -1), (4, 4, 4, S, 2, -1),
      (5, 7, 5, K, 2, -1), (5, 5, 5, S, 4, -1), (7, 7, 7, S, 4, -1)]),
    ("else then if", (3, 8), b"if a:\n    pass\nelse:\n    if b:\n        pass\n",
     [(1, 5, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (4, 5, 4, C, 0, -1), (5, 5, 5, S, 2, -1)]),
    ("try", (3, 8),
     b"try:\n    a()\nexcept (A,\n        B) as e:\n    b()\nexcept C: c()\nelse:\n    d()\nfinally:\n    e()\n",
     [(1, 10, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 5, 4, K, 0, -1), (5, 5, 5, S, 2, -1),
      (6, 6, 6, K, 0, -1), (6, 6, 6, S, 4, -1), (8, 8, 8, S, 0, -1), (10, 10, 10, S, 0, -1)]),
    ("loops with else", (3, 8), b"for i in x:\n    pass\nelse:\n    y\nwhile 0:\n    pass\nelse: z\n",
     [(1, 4, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (4, 4, 4, S, 0, -1),
      (5, 7, 5, C, -1, -1), (6, 6, 6, S, 3, -1), (7, 7, 7, S, 3, -1)]),
    ("decorators", (3, 8), b"@a\n@b(1,\n   2)\n\n# c\ndef f(\n    x):\n    return x\n",
     [(1, 8, 7, P, -1, -1), (8, 8, 8, S, 0, 0)]),
    ("nested scopes", (3, 8),
     b"class A:\n    '''doc\n    string'''\n    def f(self):\n        def g(): return 1\n        return g\n",
     [(1, 6, 1, P, -1, -1), (2, 3, 3, S, 0, 0), (4, 6, 4, P, 0, 0), (5, 5, 5, P, 2, 2), (5, 5, 5, S, 3, 3),
      (6, 6, 6, S, 2, 2)]),
    ("async", (3, 8), b"async def f():\n    async for x in y:\n        pass\n    async with a as b: pass\n",
     [(1, 4, 1, P, -1, -1), (2, 3, 2, C, 0, 0), (3, 3, 3, S, 1, 0), (4, 4, 4, C, 0, 0), (4, 4, 4, S, 3, 0)]),
    ("lambda in header", (3, 8), b"if lambda: 1:\n    pass\nwhile (lambda x: x)(0): pass\nx = lambda: 1\n",
     [(1, 2, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 3, 3, C, -1, -1), (3, 3, 3, S, 2, -1),
      (4, 4, 4, S, -1, -1)]),
    ("colons in brackets", (3, 8), b"if d[1:2] == {1: 2}:\n    x: int = 1\ny: 'str'\nif (z := 3): pass\n",
     [(1, 2, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 3, 3, S, -1, -1), (4, 4, 4, C, -1, -1),
      (4, 4, 4, S, 3, -1)]),
    ("backslashes", (3, 8), b"x = 1 + \\\n    2\nif a and \\\n   b:  # c \\\n    pass\n",
     [(1, 2, 2, S, -1, -1), (3, 5, 4, C, -1, -1), (5, 5, 5, S, 1, -1)]),
    ("strings", (3, 8),
     b"a = '''x\n'y'\n\\'''' + \"q\\\"\" + r'\\'' + b'\\\\'\nb = Rb\"\"\"#\n\"\"\"; c = u'#'\n",
     [(1, 3, 3, S, -1, -1), (4, 5, 5, S, -1, -1), (5, 5, 5, S, -1, -1)]),
    ("line endings", (3, 8), b"\xef\xbb\xbfx = 1\r\nif x:\r    y = (1,\r\n  2)\r\n",
     [(1, 1, 1, S, -1, -1), (2, 4, 2, C, -1, -1), (3, 4, 4, S, 1, -1)]),
    ("tabs and form feeds", (3, 8), b"if x:\n\ty = 1\n\tif y:\n\t    z = 2\n\x0cw = 3\n",
     [(1, 4, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 4, 3, C, 0, -1), (4, 4, 4, S, 2, -1),
      (5, 5, 5, S, -1, -1)]),
    ("tab stops", (3, 8), b"if x:\n        y = 1\n\tz = 2\n", [(1, 3, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 3, 3, S, 0, -1)]),
    ("blank and comment lines in blocks", (3, 8), b"def f():\n\n    # c\n    x = 1\n\n# d\n    y = 2\n\n\nz = 3\n",
     [(1, 7, 1, P, -1, -1), (4, 4, 4, S, 0, 0), (7, 7, 7, S, 0, 0), (10, 10, 10, S, -1, -1)]),
    ("global and nonlocal", (3, 8), b"def f():\n    x = 1\n    def g():\n        nonlocal x; global y\n",
     [(1, 4, 1, P, -1, -1), (2, 2, 2, S, 0, 0), (3, 4, 3, P, 0, 0), (4, 4, 4, S, 2, 2), (4, 4, 4, S, 2, 2)]),
    ("f-strings", (3, 8), b"x = f'{a!r:>{w}}' f\"{b}\" rf'\\{c}'\ny = F'''{\n  d}'''\nz = f'\\N{EM DASH}{e}'\n",
     [(1, 1, 1, S, -1, -1), (2, 3, 3, S, -1, -1), (4, 4, 4, S, -1, -1)]),
    ("match", (3, 10),
     b"match x:\n    case [1, 2]:\n        pass\n    case {'a': b} if b: c = 1\n    case _:\n        match y:\n"
     b"            case 1: pass\n",
     [(1, 7, 1, C, -1, -1), (2, 3, 2, K, 0, -1), (3, 3, 3, S, 1, -1), (4, 4, 4, K, 0, -1),
      (4, 4, 4, S, 3, -1), (5, 7, 5, K, 0, -1), (6, 7, 6, C, 5, -1), (7, 7, 7, K, 6, -1), (7, 7, 7, S, 7, -1)]),
    ("match as a name", (3, 8),
     b"match = 3\nmatch(x)\nmatch.foo = 1\nprint(match)\nmatch[1]: int\nmatch -x\ncase = 1\nmatch: int = 2\n"
     b"match[x] = 1\nmatch(x).y = 3\nmatch = lambda: 1\n",
     [(i, i, i, S, -1, -1) for i in range(1, 12)]),
    ("match list and call-like subjects", (3, 10), b"match [a, b]:\n    case _: pass\nmatch(x):\n    case _: pass\n",
     [(1, 2, 1, C, -1, -1), (2, 2, 2, K, 0, -1), (2, 2, 2, S, 1, -1),
      (3, 4, 3, C, -1, -1), (4, 4, 4, K, 3, -1), (4, 4, 4, S, 4, -1)]),
    ("match subjects", (3, 10), b"match (x):\n    case 1: pass\nmatch -x, y:\n    case _: pass\n",
     [(1, 2, 1, C, -1, -1), (2, 2, 2, K, 0, -1), (2, 2, 2, S, 1, -1),
      (3, 4, 3, C, -1, -1), (4, 4, 4, K, 3, -1), (4, 4, 4, S, 4, -1)]),
    ("except star", (3, 11), b"try:\n    pass\nexcept* ValueError:\n    pass\nexcept *TypeError: pass\n",
     [(1, 5, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 4, 3, K, 0, -1), (4, 4, 4, S, 2, -1),
      (5, 5, 5, K, 0, -1), (5, 5, 5, S, 4, -1)]),
    ("type statement", (3, 12), b"type X = int\ntype = 3\ndef f[T: int](x: T): pass\nclass A[T]: pass\n",
     [(1, 1, 1, S, -1, -1), (2, 2, 2, S, -1, -1), (3, 3, 3, P, -1, -1), (3, 3, 3, S, 2, 2),
      (4, 4, 4, P, -1, -1), (4, 4, 4, S, 4, 4)]),
    ("PEP 701 f-strings", (3, 12),
     b"a = f\"{x[\"a\"]}\"\nb = f\"{'\\n'.join(y)}\"\nc = f\"{x:{w}.{p}}\" + f'{{}}'\n"
     b"d = f\"{f\"{f\"{1}\"}\"}\"\ne = f'''{\n  x  # comment: ' \"\n}'''\nf = f\"{x=}\" f'{x = !r:>10}'\n",
     [(1, 1, 1, S, -1, -1), (2, 2, 2, S, -1, -1), (3, 3, 3, S, -1, -1), (4, 4, 4, S, -1, -1),
      (5, 7, 7, S, -1, -1), (8, 8, 8, S, -1, -1)]),
    ("multi-line field in a one-quote f-string", (3, 12), b"x = f\"{\n1 +\n  2}\"\ny = 1\n",
     [(1, 3, 3, S, -1, -1), (4, 4, 4, S, -1, -1)]),
    ("t-strings", (3, 14), b"x = t\"{a}\" + T'{b!r}' + rt'\\{c}' + Tr\"\"\"{\n  d}\"\"\"\n",
     [(1, 2, 2, S, -1, -1)]),
    ("except without brackets", (3, 14), b"try:\n    pass\nexcept A, B:\n    pass\n",
     [(1, 4, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (3, 4, 3, K, 0, -1), (4, 4, 4, S, 2, -1)]),
    ("decorated class and async def", (3, 8), b"@a\nclass A:\n    @b\n    async def f(self): pass\n",
     [(1, 4, 2, P, -1, -1), (3, 4, 4, P, 0, 0), (4, 4, 4, S, 1, 1)]),
    ("multi-line header with inline body", (3, 8), b"class A(B,\n  C): pass\n",
     [(1, 2, 2, P, -1, -1), (2, 2, 2, S, 0, 0)]),
    ("nested lambdas in a header", (3, 8), b"if (lambda: 1) and lambda x=lambda: 2: x:\n    pass\n",
     [(1, 2, 1, C, -1, -1), (2, 2, 2, S, 0, -1)]),
    ("try finally", (3, 8), b"try:\n    pass\nfinally:\n    pass\n",
     [(1, 4, 1, C, -1, -1), (2, 2, 2, S, 0, -1), (4, 4, 4, S, 0, -1)]),
    ("backslash in a comment", (3, 8), b"x = 1  # \\\ny = 2\n", [(1, 1, 1, S, -1, -1), (2, 2, 2, S, -1, -1)]),
    ("form feed inside a line", (3, 8), b"x = 1;\x0cy = 2\n", [(1, 1, 1, S, -1, -1), (1, 1, 1, S, -1, -1)]),
    ("generic alias", (3, 12), b"type X[T] = list[T]\nif x: type Y = int\n",
     [(1, 1, 1, S, -1, -1), (2, 2, 2, C, -1, -1), (2, 2, 2, S, 1, -1)]),
    ("no trailing newline", (3, 8), b"if x:\n    pass", [(1, 2, 1, C, -1, -1), (2, 2, 2, S, 0, -1)]),
    ("empty", (3, 8), b"", []),
    ("comments only", (3, 8), b"# a\n\n  # b \\\n", []),
    ("with", (3, 8), b"with a as b, \\\n     c as d:\n    pass\n",
     [(1, 3, 2, C, -1, -1), (3, 3, 3, S, 0, -1)]),
    ("parenthesized with", (3, 9), b"with (\n    a as b,\n    c,\n):\n    pass\n",
     [(1, 5, 4, C, -1, -1), (5, 5, 5, S, 0, -1)]),
    ("walrus", (3, 8), b"while (line := f()):\n    print(line)\n",
     [(1, 2, 1, C, -1, -1), (2, 2, 2, S, 0, -1)]),
    ("deep nesting", (3, 8), b"def f():\n  if a:\n    for b in c:\n      try:\n        pass\n      finally:\n"
     b"        return\n  x = 1\n",
     [(1, 8, 1, P, -1, -1), (2, 7, 2, C, 0, 0), (3, 7, 3, C, 1, 0), (4, 7, 4, C, 2, 0), (5, 5, 5, S, 3, 0),
      (7, 7, 7, S, 3, 0), (8, 8, 8, S, 0, 0)]),
]


@pytest.mark.parametrize("name,version,src,want", CASES, ids=[c[0] for c in CASES])
def test_cases(name, version, src, want):
    if VERSION < version:
        pytest.skip("needs Python %d.%d" % version)
    assert scan(src) == want
    check_with_ast(src)


def test_line_roles():
    src = textwrap.dedent("""\
        import os

        @dec(1,
             2)
        def f(x):
            '''doc

            string'''
            if x: y = [
                1,

                2]  # c
            else:
                pass
            try:
                pass
            finally: pass
        """).encode()
    got = {line: r for line, r in roles(src).items()}
    assert got[0] == ("outofrange", -1, -1)
    assert got[len(got) - 1] == ("outofrange", -1, -1)
    statements = scan(src)
    f = 1
    assert statements[f][:4] == (3, 17, 5, P)
    expected = {
        1: ("begins", 0, -1),
        2: ("nocode", -1, -1),
        3: ("begins", f, -1),
        4: ("continuation", -1, f),
        5: ("continuation", -1, f),
        6: ("begins", 2, -1),
        7: ("continuation", -1, 2),  # blank, but inside the docstring
        8: ("continuation", -1, 2),
        9: ("begins", 3, -1),
        10: ("continuation", -1, 4),
        11: ("nocode", -1, 4),  # blank inside brackets
        12: ("continuation", -1, 4),
        13: ("bareclause", -1, -1),
        14: ("begins", 5, -1),
        15: ("begins", 6, -1),
        16: ("begins", 7, -1),
        17: ("begins", 8, -1),  # `finally: pass`: the pass begins there
    }
    for line, want in expected.items():
        assert got[line] == want, line
    check_with_ast(src)


def test_statement_after_continuation_on_same_line():
    src = b"x = (1,\n     2); y = (3,\n 4)\nz = 1; \\\nw = 2\n"
    assert scan(src) == [(1, 2, 2, S, -1, -1), (2, 3, 3, S, -1, -1), (4, 4, 4, S, -1, -1), (5, 5, 5, S, -1, -1)]
    got = roles(src)
    assert got[2] == ("begins", 1, 0)
    assert got[3] == ("continuation", -1, 1)
    assert got[5] == ("begins", 3, 2)  # begins w, and is a later line of the logical line of z
    check_with_ast(src)


@pytest.mark.parametrize("src", [
    b"x = 'abc\n",
    b"x = '''abc\n",
    b"x = (1,\n",
    b"x = 1)\n",
    b"x = (1]\n",
    b"if x:\n    y\n  z\n",
    b"  x = 1\n",
    b"if x:\n",
    b"if x:\ny = 1\n",
    b"x = 1 \\ y\n",
    b"else:\n    pass\n",
    b"@dec\nx = 1\n",
    b"x = f'{a'\n",
    b"x = f'{a\n",
    b"x = 1 \\\n",
    b"x = " + b"f'{" * 300 + b"1" + b"}'" * 300 + b"\n",
])
def test_unscannable_source(src):
    with pytest.raises(ValueError):
        _engine._scan_statements(src)


def test_nested_fields():
    src = b"x = " + b"f'{" * 50 + b"1" + b"}'" * 50 + b"\ny = f'{a:{b:{c}}}'\n"
    assert scan(src) == [(1, 1, 1, S, -1, -1), (2, 2, 2, S, -1, -1)]


def check_invariants(statements, line_count):
    for i, (first, last, header_last, kind, parent, scope) in enumerate(statements):
        assert 1 <= first <= header_last <= line_count and first <= last <= line_count
        if kind == S:
            assert header_last == last
        if i:
            assert statements[i - 1][0] <= first
        assert -1 <= parent < i and -1 <= scope < i
        if parent >= 0:
            p = statements[parent]
            assert p[3] != S and p[0] <= first and last <= p[1]
        if scope >= 0:
            assert statements[scope][3] == P


def test_damaged_sources():
    """Cut or spliced real files: a result that holds together, or ValueError."""
    paths = [p for p in stdlib_files()][::40]
    outcomes = collections.Counter()
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        for i in range(1, 41):
            cut = len(data) * i // 41
            for src in (data[:cut], data[:cut] + data[cut + 7:], data[cut:]):
                try:
                    statements = scan(src)
                except ValueError:
                    outcomes["refused"] += 1
                    continue
                outcomes["scanned"] += 1
                check_invariants(statements, len(split_lines(src)))
                assert len(roles(src)) == len(split_lines(src)) + 2
    print("\ndamaged sources: %d files, %r" % (len(paths), dict(outcomes)))


def test_throughput():
    """Informational only: bytes per second on this interpreter's own files."""
    paths = [p for p in stdlib_files()][:300]
    blobs = []
    for path in paths:
        with open(path, "rb") as f:
            blobs.append(f.read())
    size = sum(len(b) for b in blobs)
    t0 = time.perf_counter()
    for blob in blobs:
        try:
            _engine._scan_statements(blob)
        except ValueError:
            pass
    seconds = time.perf_counter() - t0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        for blob in blobs:
            try:
                compile(blob, "<x>", "exec")
            except (SyntaxError, ValueError):
                pass
        compile_seconds = time.perf_counter() - t0
    print("\nscanner: %.1f MB in %.3f s = %.1f MB/s; compile(): %.3f s (scanner/compile = %.3f)"
          % (size / 1e6, seconds, size / seconds / 1e6, compile_seconds, seconds / compile_seconds))
