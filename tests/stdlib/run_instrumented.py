"""Run one of CPython's own regression test modules with the module under test
instrumented at import, a hook at every injectable line.

    python run_instrumented.py PACKAGE MODE TEST_MODULE      (MODE: statement, line or none)

Every module named PACKAGE or PACKAGE.* is rewritten through splice.instrument
by an import hook before its code runs, however often the tests import it
afresh. Prints one JSON line: the unittest result counts and how often the
hooks fired.
"""

import importlib.machinery
import json as _json_for_output  # imported before the hook: the tests re-import their own copies
import sys
import unittest

import splice

PACKAGE, MODE, TEST_MODULE = sys.argv[1:4]
fired = {"hits": 0, "modules": set(), "lines": set()}


def hook(line):
    fired["hits"] += 1
    fired["lines"].add(line)


class InstrumentingLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):
        code = super().get_code(fullname)
        lines = splice.injectable_lines(code, MODE)
        new_code, placed = splice.instrument(code, hook, {line: (fullname, line) for line in lines}, MODE)
        assert placed == lines, (fullname, lines - placed)
        fired["modules"].add(fullname)
        return new_code


class InstrumentingFinder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != PACKAGE and not name.startswith(PACKAGE + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        spec.loader = InstrumentingLoader(spec.loader.name, spec.loader.path)
        return spec


def main():
    for name in list(sys.modules):
        if name == PACKAGE or name.startswith(PACKAGE + "."):
            del sys.modules[name]
    if MODE != "none":
        sys.meta_path.insert(0, InstrumentingFinder)
    suite = unittest.defaultTestLoader.loadTestsFromName(TEST_MODULE)
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(suite)
    print(_json_for_output.dumps({
        "run": result.testsRun,
        "failures": len(result.failures),
        "errors": len(result.errors),
        "skipped": len(result.skipped),
        "expected_failures": len(result.expectedFailures),
        "unexpected_successes": len(result.unexpectedSuccesses),
        "hits": fired["hits"],
        "lines_fired": len(fired["lines"]),
        "modules": sorted(fired["modules"]),
    }))


if __name__ == "__main__":
    main()
