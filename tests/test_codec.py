"""Reading and writing back bytecode with no edit is exact.

Every code object (nested ones included) of every module of the running
interpreter's standard library is decoded into the engine's model and
assembled again: co_code, the line table, the exception table and
co_stacksize must come back byte for byte.
"""

import os
import sys
import sysconfig
import types
import warnings

import pytest

from splice import _engine

LINE_TABLE = "co_lnotab" if sys.version_info < (3, 10) else "co_linetable"
FIELDS = ("co_code", LINE_TABLE, "co_stacksize") + (("co_exceptiontable",) if sys.version_info >= (3, 11) else ())


def stdlib_sources():
    root = sysconfig.get_paths()["stdlib"]
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "dist-packages", "__pycache__"))
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def walk(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from walk(const)


@pytest.fixture(scope="module")
def stdlib_code_objects():
    codes = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in stdlib_sources():
            try:
                with open(path, "rb") as f:
                    top = compile(f.read(), path, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                continue  # test data that is not meant to compile
            codes.extend(walk(top))
    assert len(codes) > 50000
    return codes


def test_every_stdlib_code_object_round_trips_byte_for_byte(stdlib_code_objects):
    mismatches = []
    for code in stdlib_code_objects:
        again = _engine._roundtrip(code)
        differing = [field for field in FIELDS if getattr(again, field) != getattr(code, field)]
        if differing:
            mismatches.append((code.co_filename, code.co_name, code.co_firstlineno, differing))
    print(f"{len(stdlib_code_objects)} code objects round-tripped, {len(mismatches)} mismatches")
    assert mismatches == []


def test_computed_stack_depth_never_exceeds_the_compilers(stdlib_code_objects):
    equal = 0
    for code in stdlib_code_objects:
        depth = _engine._computed_stack_depth(code)
        assert depth <= code.co_stacksize, (code.co_filename, code.co_name)
        equal += depth == code.co_stacksize
    # CPython's compiler counts a little more in a few places (before its last optimizations).
    assert equal / len(stdlib_code_objects) > 0.9
    print(f"stack depth equal to the compiler's for {equal} of {len(stdlib_code_objects)}")
