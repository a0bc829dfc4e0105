"""Shared pytest set-up for splice's tests.

* ``corpus_file``: any test taking this argument runs once per corpus program valid for the
  running Python (``tests/corpus``, see ``support.corpus_files``), with the file stem as id.
* ``@pytest.mark.engine``: the test needs the compiled ``splice._engine``. When that module
  cannot be imported the test is skipped, with the import error as the reason. Nothing else
  is skipped: if the engine imports but an API function is missing, the tests fail.
"""
import os
import sys

import pytest

_TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if _TESTS_DIR not in sys.path:  # so that `import support` works in any import mode
    sys.path.insert(0, _TESTS_DIR)

import support  # noqa: E402
from support import engine  # noqa: E402

# the corpus programs are data, not tests (and some need a newer Python to even parse)
collect_ignore_glob = ["corpus/*"]

ENGINE_IMPORT_ERROR = engine.import_error()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "engine: needs the compiled splice._engine; skipped, with the import error as reason, "
        "when it cannot be imported",
    )


def pytest_collection_modifyitems(config, items):
    if ENGINE_IMPORT_ERROR is None:
        return
    skip = pytest.mark.skip(reason=ENGINE_IMPORT_ERROR)
    for item in items:
        if "engine" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    files = support.corpus_files()
    engine_state = "importable" if ENGINE_IMPORT_ERROR is None else ENGINE_IMPORT_ERROR
    return [f"splice engine: {engine_state}",
            f"semantic corpus: {len(files)} programs for Python {sys.version_info[0]}.{sys.version_info[1]}"]


def pytest_generate_tests(metafunc):
    if "corpus_file" in metafunc.fixturenames:
        files = support.corpus_files()
        metafunc.parametrize("corpus_file", files, ids=[p.stem for p in files])


@pytest.fixture
def corpus_files():
    """The corpus programs valid for the running Python, as paths."""
    return support.corpus_files()


@pytest.fixture
def no_tracer():
    """Fail early if some other tool (a debugger, coverage) is tracing: the tracing tests
    install their own tracer and would measure nothing meaningful under another one."""
    if sys.gettrace() is not None:
        pytest.fail(f"a trace function is already installed: {sys.gettrace()!r}")
    yield
    assert sys.gettrace() is None, "a test left a trace function installed"
