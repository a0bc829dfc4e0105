"""Shared helpers for splice's semantic tests: the corpus, and running its programs.

A corpus program is a file in ``tests/corpus`` that defines ``main()``. A file whose name
starts with ``pyXY_`` (``py310_match.py``) needs Python X.Y or newer; the others run on
every version splice supports (3.8 and newer).

Programs are always run the same way, whether original, source-transformed or
instrumented: the code object (whose ``co_filename`` is the real corpus path) is exec'd
in a fresh module registered in ``sys.modules`` under the corpus module name, then
``main()`` is called. Both steps are captured in a ``Run``.
"""
import functools
import importlib.util
import re
import sys
import warnings
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent
CORPUS_DIR = TESTS_DIR / "corpus"

_VERSION_PREFIX = re.compile(r"^py(\d)(\d+)_")


def min_version(path):
    """The (major, minor) a corpus file needs, from its ``pyXY_`` prefix; (3, 8) without one."""
    match = _VERSION_PREFIX.match(Path(path).name)
    if match is None:
        return (3, 8)
    return (int(match.group(1)), int(match.group(2)))


def all_corpus_files():
    return sorted(CORPUS_DIR.glob("*.py"))


def corpus_files(version=None):
    """The corpus files valid for ``version`` (default: the running interpreter)."""
    version = tuple(sys.version_info[:2]) if version is None else tuple(version)
    return [path for path in all_corpus_files() if min_version(path) <= version]


def corpus_path(name):
    """The path of a corpus file given its stem (``"loops"``) or its file name."""
    path = CORPUS_DIR / (name if name.endswith(".py") else name + ".py")
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def module_name(path):
    """The ``__name__`` a corpus program runs under: its file stem."""
    return Path(path).stem


def read_source(path):
    return Path(path).read_text(encoding="utf-8")


def compile_source(source, path):
    """Compile a module (source text or AST) with ``co_filename`` = the corpus path.

    ``dont_inherit`` keeps this file's future flags out. SyntaxWarnings are silenced: 3.14
    warns about ``return``/``break``/``continue`` in ``finally`` (PEP 765), which the corpus
    uses on purpose.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return compile(source, str(path), "exec", dont_inherit=True)


_code_cache = {}


def compile_corpus(path):
    """The module code object of a corpus file (cached: code objects are immutable)."""
    key = str(path)
    if key not in _code_cache:
        _code_cache[key] = compile_source(read_source(path), path)
    return _code_cache[key]


class Run:
    """What one execution of a program produced.

    ``result`` is ``repr(main())`` (or of each call when main ran several times); ``error``
    is ``(phase, type name, str)`` when the module body or main() raised, else None.
    """

    __slots__ = ("result", "error", "namespace")

    def __init__(self, result, error, namespace):
        self.result = result
        self.error = error
        self.namespace = namespace

    def outcome(self):
        return (self.result, self.error)

    def __repr__(self):
        return f"Run(result={self.result!r}, error={self.error!r})"


def run_code(code, path, extra_globals=None, calls=1, before_main=None):
    """Exec ``code`` as the corpus module of ``path`` and call ``main()`` ``calls`` times.

    ``extra_globals`` are put into the module namespace before the body runs (the
    transformed source needs ``__hook__``). ``before_main`` is called with the namespace
    between the module body and main() (tests use it to clear recorders).
    """
    name = module_name(path)
    if name in sys.modules:
        raise RuntimeError(f"a module named {name!r} is already imported; rename the corpus file")
    spec = importlib.util.spec_from_file_location(name, str(path))
    module = importlib.util.module_from_spec(spec)
    if extra_globals:
        module.__dict__.update(extra_globals)
    sys.modules[name] = module
    results = []
    error = None
    phase = "module"
    try:
        exec(code, module.__dict__)
        if before_main is not None:
            before_main(module.__dict__)
        phase = "main"
        for _ in range(calls):
            results.append(repr(module.main()))
    except Exception as exc:  # the programs catch their own errors: any escape is a result too
        error = (phase, type(exc).__name__, str(exc))
    finally:
        sys.modules.pop(name, None)
    result = results[0] if calls == 1 and results else tuple(results)
    return Run(result, error, module.__dict__)


def walk_code(code):
    """``code`` and every code object nested in its constants, depth first, in const order."""
    yield code
    for const in code.co_consts:
        if isinstance(const, type(code)):
            yield from walk_code(const)


def fresh_code(path):
    """A newly compiled code object of a corpus file. Tracing tests use one for every run they
    compare: a code object that already ran carries adaptive (specialized) state, and on 3.12+
    that can change which events a tracer sees (e.g. an 'exception' event for the StopIteration
    that ends a for loop over a generator)."""
    return compile_source(read_source(path), path)


@functools.lru_cache(maxsize=None)
def original_run(path, calls=1):
    """The original program's Run (cached: the programs are deterministic)."""
    return run_code(compile_corpus(path), path, calls=calls)


def first_difference(actual, expected, describe=repr, context=3):
    """None if the two sequences are equal, else a message showing where they part."""
    actual, expected = list(actual), list(expected)
    if actual == expected:
        return None
    index = next((i for i, (a, e) in enumerate(zip(actual, expected)) if a != e), min(len(actual), len(expected)))
    lo = max(0, index - context)

    def show(seq):
        items = [describe(x) for x in seq[lo:index + context + 1]]
        return "\n    ".join(f"[{lo + i}] {item}" for i, item in enumerate(items)) or "(nothing)"

    return (f"sequences differ at index {index} (actual has {len(actual)} items, expected {len(expected)})\n"
            f"  actual:\n    {show(actual)}\n  expected:\n    {show(expected)}")
