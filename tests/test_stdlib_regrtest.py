"""CPython's own tests of json and textwrap pass with a hook at every line.

Each module is instrumented at import (splice.instrument, every injectable
line, in each mode), then its regression tests from the interpreter's `test`
package run; the outcome must be exactly the one without hooks, and the hooks
must have fired.
"""

import json
import os
import subprocess
import sys

import pytest

RUNNER = os.path.join(os.path.dirname(__file__), "stdlib", "run_instrumented.py")
CASES = [("json", "test.test_json"), ("textwrap", "test.test_textwrap")]


def run(package, mode, test_module):
    completed = subprocess.run(
        [sys.executable, RUNNER, package, mode, test_module],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1]), completed.stderr


@pytest.fixture(scope="module")
def baselines():
    return {package: run(package, "none", test_module)[0] for package, test_module in CASES}


@pytest.mark.parametrize("mode", ["statement", "line"])
@pytest.mark.parametrize("package,test_module", CASES)
def test_regression_tests_pass_with_a_hook_at_every_line(baselines, package, test_module, mode):
    baseline = baselines[package]
    assert baseline["run"] > 0 and baseline["failures"] == 0 and baseline["errors"] == 0
    outcome, log = run(package, mode, test_module)
    for key in ("run", "failures", "errors", "skipped", "expected_failures", "unexpected_successes"):
        assert outcome[key] == baseline[key], (key, log[-3000:])
    assert package in outcome["modules"]
    assert outcome["hits"] > 1000
    assert outcome["lines_fired"] > 50
    print(f"{package} {mode}: {outcome['run']} tests, {outcome['hits']} hook calls on {outcome['lines_fired']} lines, "
          f"modules {outcome['modules']}")
