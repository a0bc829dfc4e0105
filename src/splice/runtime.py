"""What runs inside the program: reads the probe file, splices its probes
into each module as it is imported (the main script and -m module before they
run, live functions of modules imported earlier), and splices them again,
or takes them out, whenever the probe file is saved.

Started by the bootstrap (splice/_bootstrap/sitecustomize.py) in every Python
process that `splice COMMAND` starts, before the program's own code.
"""

import functools
import os
import sys
import types
import weakref

import splice
from splice import _engine, dependencies, environment, probe_file, tools
from splice.locations import LocationError, is_path, resolve_probe_place

_probes = None  # the ProbeSet in force
_originals = weakref.WeakKeyDictionary()  # spliced code object -> the code it was made from
_watcher = None


def warn(message):
    try:
        sys.stderr.write("splice: %s\n" % message)
    except Exception:  # no usable stderr: nothing to tell
        pass


def verbose(message):
    if os.environ.get(environment.VERBOSE):
        warn(message)


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
    """The probes of one version of the probe file, by source file and line."""

    def __init__(self, path, parsed):
        self.path = path
        self.by_file = {}    # source_key -> {line: [Probe]}
        self.by_module = {}  # module name -> {line: [Probe]}, until the module is found
        self.specs = {}      # Probe -> its entry in the file, for messages
        for line, message in parsed["problems"]:
            warn("%s:%d: %s" % (path, line, message))
        names = self.probe_names(parsed["imports"], parsed["dependencies"])
        base = os.path.dirname(os.path.abspath(path))
        for spec in parsed["probes"]:
            made = self.make_probe(spec, names, base)
            if made is not None:
                place, probe = made
                if is_path(place):
                    self.add(place, {spec["line"]: [probe]})
                else:
                    self.by_module.setdefault(place, {}).setdefault(spec["line"], []).append(probe)
        for name in list(self.by_module):  # modules imported already
            filename = getattr(sys.modules.get(name), "__file__", None)
            if isinstance(filename, str):
                self.found_module(name, filename)

    def where(self, probe):
        spec = self.specs[probe]
        return "%s:%d: probe %s" % (self.path, spec["config_line"], spec["at"])

    def probe_names(self, imports, needs):
        """What probes see beside the frame: `splice`, `wilma` and the
        imports, which may come from the [dependencies] splice installed."""
        names = {"splice": tools.namespace(), "wilma": tools.wilma_namespace()}
        try:
            folder = dependencies.ensure(needs, lambda line, message: warn("%s:%d: %s" % (self.path, line, message)))
        except Exception as error:  # no pip, no room: the probes that need them will say so
            warn("%s: cannot install the dependencies: %s" % (self.path, error))
            folder = None
        if folder:
            sys.path.insert(0, folder)
        try:
            for text, line in imports:
                try:
                    exec("import " + text, names)
                except Exception as error:
                    warn("%s:%d: import %s failed: %s: %s" % (self.path, line, text, type(error).__name__, error))
        finally:
            if folder:
                sys.path.remove(folder)
        names.pop("__builtins__", None)
        return names

    def make_probe(self, spec, names, base):
        """(place, probe): place is a source_key, or a module name, found
        when the module is imported (the program's own folders are on
        sys.path only once it runs)."""
        if is_path(spec["place"]):
            try:
                place = source_key(resolve_probe_place(spec["place"], base))
            except LocationError as error:
                warn("%s:%d: probe %s: %s" % (self.path, spec["config_line"], spec["at"], error))
                return None
        else:
            place = spec["place"]
        try:
            run, when = probe_file.compile_probe(spec)
        except probe_file.ProbeCodeError as error:
            warn("%s:%d: probe %s: does not compile: %s" % (self.path, spec["config_line"], spec["at"], error.message))
            return None
        stored = _engine.names_stored_by(run)
        assigns = stored or (when is not None and _engine.names_stored_by(when))
        # What a probe assigns goes to the frame: the slow way does that.
        function = None if assigns else probe_file.ProbeFunction(spec, run, when)
        probe = _engine.Probe(spec["at"], run, when, names, stored, function)
        probe.enabled = spec["enabled"]
        self.specs[probe] = spec
        return place, probe

    def found_module(self, name, filename):
        """The module `name` is `filename`: its probes join the file's."""
        lines = self.by_module.pop(name, None)
        if lines:
            self.add(source_key(filename), lines)

    def add(self, key, lines):
        merged = self.by_file.setdefault(key, {})
        for line, probes in lines.items():
            merged.setdefault(line, []).extend(probes)

    def lines_for(self, filename, module_name=None):
        """{line: (probes...)} for a source file (of module `module_name`), or None."""
        if not filename:
            return None
        if module_name in self.by_module:
            self.found_module(module_name, filename)
        return self.lines_of_key(source_key(filename))

    def lines_of_key(self, key):
        lines = self.by_file.get(key)
        return {line: tuple(probes) for line, probes in lines.items()} if lines else None

    def all(self):
        return [probe for lines in self.by_file.values() for probes in lines.values() for probe in probes]


def read_probe_set(path, text=None):
    """The ProbeSet of the file (or of `text`, its new contents); None when
    the file cannot be read or is not valid TOML."""
    try:
        parsed = _engine.parse_probe_file(text) if text is not None else probe_file.read(path)
    except (OSError, UnicodeDecodeError) as error:
        warn("cannot read the probe file %s: %s" % (path, error))
        return None
    if not parsed["valid"]:
        for line, message in parsed["problems"]:
            warn("%s:%d: %s" % (path, line, message))
        return None
    return ProbeSet(path, parsed)


def remember(original, spliced):
    """Pairs every code object of a spliced tree with the one it was made from."""
    if spliced is original:
        return
    _originals[spliced] = original
    for new, old in zip(spliced.co_consts, original.co_consts):
        if isinstance(new, types.CodeType) and isinstance(old, types.CodeType):
            remember(old, new)


def splice_code(original, lines):
    """(new code, placed lines): `original` with these probes."""
    if not lines:
        return original, set()
    new, placed = splice.instrument(original, _engine.run_probes, lines)
    remember(original, new)
    return new, placed


def instrument(code, module_name=None):
    """A module's code object with its file's probes spliced in."""
    probes = _probes
    lines = probes.lines_for(code.co_filename, module_name) if probes else None
    if not lines or code in _originals:  # `-m` hands runpy the code our loader already spliced
        return code
    try:
        new_code, placed = splice_code(code, lines)
    except Exception as error:  # never break an import
        warn("cannot splice probes into %s: %s" % (code.co_filename, error))
        return code
    for line in sorted(set(lines) - set(placed)):
        reason = _engine.why_not_injectable(code, line) or "line %d takes no probe" % line
        for probe in lines[line]:
            warn("%s: %s" % (probes.where(probe), reason))
    for line in sorted(placed):
        for probe in lines[line]:
            verbose("%s: spliced into %s before it runs" % (probes.where(probe), module_name or code.co_filename))
    return new_code


def loaded_files():
    """The source_key of every module imported so far."""
    keys = set()
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if isinstance(filename, str):
            keys.add(source_key(filename))
    return keys


def resplice_live_functions(probes, files):
    """Gives every live function from these files its original code with the
    probes of `probes`: plain functions, methods, closures, the functions
    decorators wrap. Returns the (file, line) pairs placed."""
    import gc

    keys = {}  # co_filename -> source_key if among `files`, else None
    placed = set()
    for obj in gc.get_objects():
        if type(obj) is not types.FunctionType:
            continue
        code = obj.__code__
        original = _originals.get(code, code)
        filename = original.co_filename
        if filename not in keys:
            key = code_source_key(filename)
            keys[filename] = key if key in files else None
        key = keys[filename]
        if key is None:
            continue
        try:
            new, lines = splice_code(original, probes.lines_of_key(key))
        except Exception as error:  # leave this function as it is
            warn("cannot splice probes into %s: %s" % (obj.__qualname__, error))
            continue
        placed.update((key, line) for line in lines)
        if new is not code:
            obj.__code__ = new
            verbose("%s %s" % ("spliced probes at lines %s into" % sorted(lines) if lines else "gave back the original code of",
                               obj.__qualname__))
    return placed


def splice_into_loaded_modules(probes, previous=None):
    """Probes of files whose module has run already go into its live
    functions; its module-level code has run, so lines there say so."""
    loaded = loaded_files()
    wanted = set(probes.by_file) & loaded
    files = wanted | (set(previous.by_file) & loaded if previous else set())
    if not files:
        return
    placed = resplice_live_functions(probes, files)
    for key in wanted:
        for line, line_probes in probes.by_file[key].items():
            if (key, line) not in placed:
                for probe in line_probes:
                    warn("%s: the module has run already and no live function has line %d" % (probes.where(probe), line))


def _instrumented_get_code(get_code, fullname):
    return instrument(get_code(fullname), fullname)


def _exec_then_splice(exec_module, module):
    """For loaders that compile modules themselves (pytest's assertion
    rewriter): once the module has run, its functions get their probes."""
    exec_module(module)
    filename = getattr(module, "__file__", None)
    probes = _probes
    if probes and isinstance(filename, str) and probes.lines_for(filename, module.__name__):
        resplice_live_functions(probes, {source_key(filename)})


class _MetaPath(list):
    """sys.meta_path that keeps splice's finder first when others insert
    theirs at the front (pytest does, after start-up)."""

    def insert(self, index, finder):
        if index == 0 and self and isinstance(self[0], SpliceFinder):
            index = 1
        super().insert(index, finder)


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
        if not (probes and spec.origin and probes.lines_for(spec.origin, fullname)):
            return spec
        if hasattr(loader, "get_code"):
            if not isinstance(loader.get_code, functools.partial):
                loader.get_code = functools.partial(_instrumented_get_code, loader.get_code)
        elif hasattr(loader, "exec_module") and not isinstance(loader.exec_module, functools.partial):
            loader.exec_module = functools.partial(_exec_then_splice, loader.exec_module)
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


def reload(text):
    """The probe file was saved: its probes replace the old ones everywhere."""
    global _probes
    try:
        new = read_probe_set(_probes.path, text)
        if new is None:
            warn("keeping the probes of the last valid version")
            return
        previous, _probes = _probes, new
        splice_into_loaded_modules(new, previous)
        for probe in previous.all():
            probe.release()
        verbose("reloaded %s: %d probes" % (new.path, len(new.all())))
    except Exception as error:  # the program goes on with what is spliced
        warn("reloading %s failed: %s: %s" % (_probes.path, type(error).__name__, error))


def _start_watcher():
    global _watcher
    try:
        _watcher = _engine.FileWatcher(_probes.path, reload)
    except Exception as error:
        _watcher = None
        verbose("probe file changes will not be seen: %s" % error)


def _stop_watcher():
    global _watcher
    if _watcher is not None:
        _watcher.stop()
        _watcher = None


def _report_at_exit():
    try:
        sys.stdout.flush()
    except Exception:
        pass
    for probe in _probes.all() if _probes else ():
        probe.release()
        if probe.errors > 1:
            warn("probe %s raised %d more time%s" % (probe.label, probe.errors - 1, "" if probe.errors == 2 else "s"))


def start(path):
    """Loads the probe file, hooks the import system and watches the file
    (once per process)."""
    global _probes
    if _probes is not None:
        return
    path = os.path.abspath(path)
    _probes = read_probe_set(path) or ProbeSet(path, {"problems": [], "imports": [], "probes": []})
    sys.meta_path = _MetaPath([SpliceFinder()] + sys.meta_path)
    splice_into_loaded_modules(_probes)
    _patch_runpy()
    import atexit
    atexit.register(_report_at_exit)
    atexit.register(_stop_watcher)  # runs first: atexit is last in, first out
    if os.path.isfile(path):
        _start_watcher()
        # A watcher thread must not cross a fork: 3.12+ warns about threads then.
        os.register_at_fork(before=_stop_watcher, after_in_parent=_start_watcher, after_in_child=_start_watcher)


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
    _stop_watcher()
    os.execv(sys.executable, [sys.executable, *interpreter_options(), "-c", RUN_SCRIPT, *sys.argv])
