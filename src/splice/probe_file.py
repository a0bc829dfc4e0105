"""Reading and checking a probe file (the TOML itself is parsed by the engine,
which keeps every entry's line)."""

import os
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
# function that has only the names it reads. (Builtins, and attributes:
# pdb.set_trace, sys._getframe, inspect.currentframe.)
NAMESPACE_READERS = frozenset({"locals", "vars", "dir", "eval", "exec", "breakpoint"})
FRAME_READERS = frozenset({"set_trace", "_getframe", "currentframe"})


def names_in(code):
    """Every name a code object and those nested in it look up: what the
    probe reads from outside itself, plus the attribute names it uses (a
    superset, without a parser: a name that is no variable of the probed
    frame costs nothing). The names a 3.12+ comprehension binds are not
    among them."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= names_in(const)
    return names


PyCF_ONLY_AST = 0x400  # ast.PyCF_ONLY_AST, without importing ast (milliseconds, at the first hit)


class ProbeFunction:
    """The engine's fast way to run a probe, worked out on the probe's first
    hit (a probe file may hold thousands of probes that never fire):

        def __splice_probe__(*parameters):
            if <when>:
                <run>

    reads() gives the names the probe's code reads (the engine passes the
    frame's values of those it has, and the probe's names); everything else
    the probe reads is a global of the frame, as in the source. It gives None
    for a probe that asks for its namespace or frame (`locals()`,
    `eval(...)`, `pdb.set_trace()`): that one must run in the frame's whole
    namespace. Calling it with the parameters gives the function's code
    object, or None when that does not compile (`global x`, x a parameter)."""

    def __init__(self, spec, run, when):
        self.filename = "<probe %s>" % spec["at"]
        self.run_text, self.when_text = spec["run"] or "pass", spec["when"]
        self.codes = [code for code in (run, when) if code is not None]

    def reads(self):
        names = set().union(*(names_in(code) for code in self.codes))
        if names & (NAMESPACE_READERS | FRAME_READERS):
            return None
        return tuple(sorted(names))

    def __call__(self, parameters):
        import _ast

        with warnings.catch_warnings():  # compile_probe has shown them once
            warnings.simplefilter("ignore")
            run = compile(self.run_text, self.filename, "exec", PyCF_ONLY_AST, dont_inherit=True).body
            module = compile("def __splice_probe__(%s):\n    pass" % ", ".join(parameters), self.filename, "exec",
                             PyCF_ONLY_AST, dont_inherit=True)
            function = module.body[0]
            if self.when_text:
                when = compile(self.when_text, self.filename, "eval", PyCF_ONLY_AST, dont_inherit=True).body
                place = dict(lineno=1, col_offset=0, end_lineno=1, end_col_offset=0)
                function.body = [_ast.If(test=when, body=run, orelse=[], **place)]
            else:
                function.body = run
            try:
                code = compile(module, self.filename, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                return None
        return next(const for const in code.co_consts if hasattr(const, "co_code"))


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
