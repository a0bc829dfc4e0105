"""What runs inside the program: reads the probe file, then splices its probes
into each module as it is imported (and into the main script or -m module
before it runs).

Started by the bootstrap (splice/_bootstrap/sitecustomize.py) in every Python
process that `splice COMMAND` starts, before the program's own code.
"""

import functools
import os
import sys
import types
import weakref

import splice
from splice import _engine, probe_file, tools
from splice.locations import LocationError, is_path, resolve_probe_place

FILE_VARIABLE = "SPLICE_PROBE_FILE"
VERBOSE_VARIABLE = "SPLICE_VERBOSE"

_probes = None  # the ProbeSet in force
_spliced = weakref.WeakSet()  # code objects that already carry their probes


def warn(message):
    try:
        sys.stderr.write("splice: %s\n" % message)
    except Exception:  # no usable stderr: nothing to tell
        pass


def source_key(filename):
    return os.path.normcase(os.path.realpath(filename))


def code_source_key(filename):
    """source_key of a code object's file; 3.11+ names the code of frozen
    standard modules "<frozen name>", and their module knows the file."""
    if filename.startswith("<frozen ") and filename.endswith(">"):
        filename = getattr(sys.modules.get(filename[8:-1]), "__file__", None)
        if not isinstance(filename, str):
            return None
    return source_key(filename)


class ProbeSet:
    """The probes of one probe file, by source file and line."""

    def __init__(self, path):
        self.path = path
        self.by_file = {}    # source_key -> {line: [Probe]}
        self.by_module = {}  # module name -> {line: [Probe]}, until the module is found
        self.specs = {}    # Probe -> its entry in the file, for messages
        try:
            parsed = probe_file.read(path)
        except (OSError, UnicodeDecodeError) as error:
            warn("cannot read the probe file %s: %s" % (path, error))
            return
        for line, message in parsed["problems"]:
            warn("%s:%d: %s" % (path, line, message))
        names = self.probe_names(parsed["imports"])
        base = os.path.dirname(os.path.abspath(path))
        for spec in parsed["probes"]:
            made = self.make_probe(spec, names, base)
            if made is not None:
                place, probe = made
                index = self.by_module if is_module_name(place) else self.by_file
                index.setdefault(place, {}).setdefault(spec["line"], []).append(probe)
        for name in list(self.by_module):  # modules imported before splice started
            filename = getattr(sys.modules.get(name), "__file__", None)
            if isinstance(filename, str):
                self.found_module(name, filename)

    def where(self, spec):
        return "%s:%d: probe %s" % (self.path, spec["config_line"], spec["at"])

    def probe_names(self, imports):
        names = {"splice": tools.namespace(), "wilma": tools.wilma_namespace()}
        for text, line in imports:
            try:
                exec("import " + text, names)
            except Exception as error:
                warn("%s:%d: import %s failed: %s: %s" % (self.path, line, text, type(error).__name__, error))
        names.pop("__builtins__", None)
        return names

    def make_probe(self, spec, names, base):
        """(place, probe): place is a source_key, or a module name, found
        when the module is imported (the program's own folders are on
        sys.path only once it runs)."""
        if is_module_name(spec["place"]):
            place = spec["place"]
        else:
            try:
                place = source_key(resolve_probe_place(spec["place"], base))
            except LocationError as error:
                warn("%s: %s" % (self.where(spec), error))
                return None
        try:
            run = compile(spec["run"], "<probe %s>" % spec["at"], "exec", dont_inherit=True)
            when = compile(spec["when"], "<probe %s>" % spec["at"], "eval", dont_inherit=True) if spec["when"] else None
        except SyntaxError as error:
            warn("%s: does not compile: %s" % (self.where(spec), error.msg))
            return None
        probe = _engine.Probe(spec["at"], run, when, names)
        probe.enabled = spec["enabled"]
        self.specs[probe] = spec
        return place, probe

    def found_module(self, name, filename):
        """The module `name` is `filename`: its probes join the file's."""
        lines = self.by_module.pop(name, None)
        if lines:
            merged = self.by_file.setdefault(source_key(filename), {})
            for line, probes in lines.items():
                merged.setdefault(line, []).extend(probes)

    def lines_for(self, filename, module_name=None):
        """{line: (probes...)} for a source file (of module `module_name`), or None."""
        if module_name in self.by_module and filename:
            self.found_module(module_name, filename)
        lines = self.by_file.get(source_key(filename)) if filename else None
        return {line: tuple(probes) for line, probes in lines.items()} if lines else None

    def all(self):
        return [probe for lines in self.by_file.values() for probes in lines.values() for probe in probes]


def is_module_name(place):
    return not is_path(place)


def instrument(code, module_name=None):
    """The module code object with this file's probes spliced in."""
    probes = _probes
    lines = probes.lines_for(code.co_filename, module_name) if probes else None
    if not lines or code in _spliced:  # `-m` hands runpy the code our loader already spliced
        return code
    try:
        new_code, placed = splice.instrument(code, _engine.run_probes, lines)
    except Exception as error:  # never break an import
        warn("cannot splice probes into %s: %s" % (code.co_filename, error))
        return code
    for line in sorted(set(lines) - set(placed)):
        reason = _engine.why_not_injectable(code, line) or "line %d takes no probe" % line
        for probe in lines[line]:
            warn("%s: %s" % (probes.where(probes.specs[probe]), reason))
    _spliced.add(new_code)
    return new_code


def _instrumented_get_code(get_code, fullname):
    return instrument(get_code(fullname), fullname)


class SpliceFinder:
    """First on sys.meta_path: asks the other finders, and has the loader of
    a module with probes splice them into its code before it runs."""

    def find_spec(self, fullname, path=None, target=None):
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        probes = _probes
        if probes and spec.origin and probes.lines_for(spec.origin, fullname) and hasattr(loader, "get_code"):
            get_code = loader.get_code
            if not isinstance(get_code, functools.partial):
                loader.get_code = functools.partial(_instrumented_get_code, get_code)
        return spec

    def invalidate_caches(self):
        pass


def _patch_runpy():
    """`python -m module` and multiprocessing's spawned main run the module's
    code through runpy._run_code."""
    import runpy

    run_code = runpy._run_code
    if getattr(run_code, "_splice", False):
        return

    @functools.wraps(run_code)
    def _run_code(code, run_globals, init_globals=None, mod_name=None, mod_spec=None, *args, **kwargs):
        name = getattr(mod_spec, "name", None)
        return run_code(instrument(code, name), run_globals, init_globals, mod_name, mod_spec, *args, **kwargs)

    _run_code._splice = True
    runpy._run_code = _run_code


def _report_at_exit():
    try:
        sys.stdout.flush()
    except Exception:
        pass
    for probe in _probes.all() if _probes else ():
        if probe.errors > 1:
            warn("probe %s raised %d more time%s" % (probe.label, probe.errors - 1, "" if probe.errors == 2 else "s"))


def loaded_modules_with_probes(probes):
    """{source_key: module} for modules already imported whose file has probes."""
    found = {}
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if isinstance(filename, str):
            key = source_key(filename)
            if key in probes.by_file:
                found[key] = module
    return found


def splice_into_live_functions(probes):
    """Probes in modules imported before splice started go into the live
    functions that hold their lines: plain functions, methods, closures, the
    functions decorators wrap. Their module-level code has run already."""
    targets = loaded_modules_with_probes(probes)
    if not targets:
        return
    import gc

    keys = {}  # co_filename -> source_key, or None when no target
    placed = set()  # (source_key, line)
    for obj in gc.get_objects():
        if type(obj) is not types.FunctionType:
            continue
        code = obj.__code__
        filename = code.co_filename
        if filename not in keys:
            key = code_source_key(filename)
            keys[filename] = key if key in targets else None
        key = keys[filename]
        if key is None:
            continue
        for line, line_probes in probes.by_file[key].items():
            if line < code.co_firstlineno:
                continue
            try:
                splice.inject_hook(obj, _engine.run_probes, line, tuple(line_probes))
            except (ValueError, TypeError):
                continue  # not a line of this function
            placed.add((key, line))
    for key in targets:
        for line, line_probes in probes.by_file[key].items():
            if (key, line) not in placed:
                for probe in line_probes:
                    warn("%s: %s was imported before splice started and no live function has line %d"
                         % (probes.where(probes.specs[probe]), targets[key].__name__, line))


def start(path):
    """Loads the probe file and hooks the import system (once per process)."""
    global _probes
    if _probes is not None:
        return
    _probes = ProbeSet(path)
    sys.meta_path.insert(0, SpliceFinder())
    splice_into_live_functions(_probes)
    _patch_runpy()
    import atexit
    atexit.register(_report_at_exit)


def probes():
    return _probes


RUN_SCRIPT = "from splice.main_script import run; run()"


def interpreter_options():
    """The options this interpreter was started with (before the script)."""
    orig_argv = getattr(sys, "orig_argv", None)  # 3.10+
    if orig_argv:
        return orig_argv[1:len(orig_argv) - len(sys.argv)]
    import subprocess
    return subprocess._args_from_interpreter_flags()


def rerun_main_script():
    """When this process runs a script that has probes, start it again under
    splice's runner (same pid, same streams), which splices them in before
    the script's first line: Python compiles a main script itself, where no
    import hook sees it."""
    script = sys.argv[0] if sys.argv else ""
    if script in ("", "-c", "-m", "-") or not os.path.isfile(script) or not _probes or not _probes.lines_for(script):
        return
    import zipfile
    if zipfile.is_zipfile(script):
        return  # a zipapp's __main__ goes through runpy
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    os.execv(sys.executable, [sys.executable, *interpreter_options(), "-c", RUN_SCRIPT, *sys.argv])
