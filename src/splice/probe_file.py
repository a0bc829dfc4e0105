"""Reading and checking a probe file (the TOML itself is parsed by the engine,
which keeps every entry's line)."""

import ast
import os
import symtable
import sys
import warnings

import splice
from splice import _engine
from splice.locations import LocationError, resolve_probe_place


def read(path):
    with open(path, encoding="utf-8") as f:
        return _engine.parse_probe_file(f.read())


class ProbeCodeError(Exception):
    """A probe's `run` or `when` does not compile."""

    def __init__(self, field, message):
        super().__init__("'%s' does not compile: %s" % (field, message))
        self.message = message


def compile_probe(spec):
    """(run, when) code objects of a probe entry; when is None without a condition."""
    compiled = {}
    for field, mode in (("run", "exec"), ("when", "eval")):
        if not spec[field]:
            compiled[field] = None
            continue
        try:
            compiled[field] = compile(spec[field], "<probe %s>" % spec["at"], mode, dont_inherit=True)
        except SyntaxError as error:
            raise ProbeCodeError(field, error.msg) from None
    return compiled["run"], compiled["when"]


# What reads the namespace or the frame it is called in: a probe calling one of
# these must run in a namespace that is the frame's (the slow way), not in a
# function that has only the names it reads.
NAMESPACE_READERS = frozenset({"locals", "vars", "dir", "eval", "exec", "breakpoint"})
FRAME_READERS = frozenset({"set_trace", "_getframe", "currentframe"})  # pdb., sys., inspect.


def names_read(text, filename, mode):
    """The names `text` reads from outside itself: at its top level, and the
    global names of its nested scopes (lambdas, comprehensions, functions),
    but not the names those scopes bind."""
    found = set()

    def visit(table, top):
        for symbol in table.get_symbols():
            if symbol.is_referenced() and ((top and not symbol.is_assigned()) or symbol.is_global() or symbol.is_free()):
                found.add(symbol.get_name())
        for child in table.get_children():
            visit(child, False)

    visit(symtable.symtable(text, filename, mode), True)
    return found


def function_maker(spec):
    """(loads, make) for the engine's fast way to run a probe: the names its
    code reads, and make(parameters), the code object of

        def __splice_probe__(*parameters):
            if <when>:
                <run>

    (None when that does not compile, e.g. `global x` with x a parameter).
    The engine passes the frame's values of those names; everything else the
    probe reads is a global of the frame, as in the source. A probe that asks
    for its namespace or frame (`locals()`, `eval(...)`, `pdb.set_trace()`)
    must see the frame's whole namespace: make is None then."""
    filename = "<probe %s>" % spec["at"]
    with warnings.catch_warnings():  # compile_probe has shown them once
        warnings.simplefilter("ignore")
        run = ast.parse(spec["run"] or "pass", filename, "exec").body
        when = ast.parse(spec["when"], filename, "eval").body if spec["when"] else None
        loads = names_read(spec["run"] or "pass", filename, "exec")
        if spec["when"]:
            loads |= names_read(spec["when"], filename, "eval")
    attributes = {node.attr for tree in run + [when] if tree is not None for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute)}
    loads = tuple(sorted(loads))
    if NAMESPACE_READERS.intersection(loads) or FRAME_READERS.intersection(attributes):
        return loads, None

    def make(parameters):
        module = ast.parse("def __splice_probe__(%s):\n    pass" % ", ".join(parameters), filename, "exec")
        function = module.body[0]
        function.body = [ast.If(test=when, body=run, orelse=[])] if when is not None else run
        ast.fix_missing_locations(module)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                code = compile(module, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            return None
        return next(const for const in code.co_consts if hasattr(const, "co_code"))

    return loads, make


def probe_lines(source_path):
    """The lines of a source file where a probe can go (statement mode)."""
    with open(source_path, "rb") as f:
        code = compile(f.read(), source_path, "exec", dont_inherit=True)
    return sorted(splice.injectable_lines(code))


def check(path):
    """(problems, probes): one 'file:line: message' per problem."""
    try:
        parsed = read(path)
    except OSError as error:
        return ["%s: cannot read the probe file: %s" % (path, error.strerror or error)], []
    except UnicodeDecodeError as error:
        return ["%s: the probe file is not UTF-8: %s" % (path, error)], []
    problems = list(parsed["problems"])  # (line in the probe file, message)
    base = os.path.dirname(os.path.abspath(path))
    for text, line in parsed["imports"]:
        try:
            compile("import " + text, path, "exec", dont_inherit=True)
        except SyntaxError:
            problems.append((line, "import '%s' is not valid (write what follows `import`, like \"rich as r\")" % text))
    code_cache = {}
    # The program's own packages sit beside the probe file or in the current folder.
    module_path = [base, os.getcwd()] + [entry for entry in sys.path if entry]
    for probe in parsed["probes"]:
        line = probe["config_line"]
        where = "probe %s" % probe["at"]
        try:
            compile_probe(probe)
        except ProbeCodeError as error:
            problems.append((line, "%s: %s" % (where, error)))
        try:
            source = resolve_probe_place(probe["place"], base, module_path)
        except LocationError as error:
            problems.append((line, "%s: %s" % (where, error)))
            continue
        if source not in code_cache:
            try:
                with open(source, "rb") as f:
                    code_cache[source] = compile(f.read(), source, "exec", dont_inherit=True)
            except (OSError, SyntaxError, ValueError) as error:
                code_cache[source] = error
        code = code_cache[source]
        if isinstance(code, Exception):
            problems.append((line, "%s: cannot compile %s: %s" % (where, source, code)))
            continue
        refusal = _engine.why_not_injectable(code, probe["line"])
        if refusal:
            problems.append((line, "%s: %s" % (where, refusal)))
    problems.sort(key=lambda problem: problem[0])
    return ["%s:%d: %s" % (path, line, message) for line, message in problems], parsed["probes"]
