"""Injection throughput: a hook at every line of every function of a fixed set
of stdlib modules.

Three ways to get there, timed side by side in one process:
  splice      splice.instrument() on the module's code object (source scanned,
              every nested code object rewritten, validated, rebuilt)
  bytecode    the `bytecode` library (PyPI) doing the same rewrite: read each
              code object, insert the same call before the first instruction
              of each line, write it back
  compile     CPython's own compile() of the module's source
Reported per code object, and as ratios.
"""

import os
import sys
import sysconfig
import timeit
import types

import splice

MODULES = ["json/decoder.py", "textwrap.py", "argparse.py", "dataclasses.py", "inspect.py", "typing.py",
           "email/message.py", "tokenize.py", "ast.py", "collections/__init__.py", "calendar.py", "difflib.py"]


def hook(arg):
    pass


def walk(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from walk(const)


def bytecode_rewriter():
    """The same rewrite with the bytecode library; None where it cannot run."""
    try:
        import bytecode
        from bytecode import Bytecode, Instr
    except ImportError:
        return None, "not installed"

    v = sys.version_info[:2]
    if v <= (3, 10):
        call = lambda: [Instr("LOAD_CONST", hook), Instr("LOAD_CONST", 1), Instr("CALL_FUNCTION", 1), Instr("POP_TOP")]  # noqa: E731
    elif v == (3, 11):
        call = lambda: [Instr("PUSH_NULL"), Instr("LOAD_CONST", hook), Instr("LOAD_CONST", 1), Instr("PRECALL", 1),  # noqa: E731
                        Instr("CALL", 1), Instr("POP_TOP")]
    elif v == (3, 12):
        call = lambda: [Instr("PUSH_NULL"), Instr("LOAD_CONST", hook), Instr("LOAD_CONST", 1), Instr("CALL", 1),  # noqa: E731
                        Instr("POP_TOP")]
    else:
        call = lambda: [Instr("LOAD_CONST", hook), Instr("PUSH_NULL"), Instr("LOAD_CONST", 1), Instr("CALL", 1),  # noqa: E731
                        Instr("POP_TOP")]
    prologue_ends = {"RESUME", "GEN_START"}

    def rewrite(code):
        consts = {}
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                consts[id(const)] = rewrite(const)
        bc = Bytecode.from_code(code)
        out, seen, in_body = [], set(), not any(
            isinstance(i, Instr) and i.name in prologue_ends for i in bc)
        for instr in bc:
            if isinstance(instr, Instr):
                if in_body and instr.lineno is not None and instr.lineno not in seen:
                    seen.add(instr.lineno)
                    for new in call():
                        new.lineno = instr.lineno
                        out.append(new)
                if instr.name in prologue_ends:
                    in_body = True
                if instr.name == "LOAD_CONST" and id(instr.arg) in consts:
                    instr.arg = consts[id(instr.arg)]
            out.append(instr)
        bc[:] = out
        return bc.to_code()

    return rewrite, bytecode.__version__


def best_of(function, repeat=5):
    number = 1
    while True:  # enough calls for about 0.1 s a measurement
        t = timeit.timeit(function, number=number)
        if t > 0.1 or number > 1000:
            break
        number *= 2
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def run():
    stdlib = sysconfig.get_paths()["stdlib"]
    rewrite, bytecode_version = bytecode_rewriter()
    total = {"splice": 0.0, "bytecode": 0.0, "compile": 0.0, "objects": 0}
    bytecode_error = None
    for relative in MODULES:
        path = os.path.join(stdlib, relative)
        with open(path, "rb") as f:
            source = f.read()
        code = compile(source, path, "exec", dont_inherit=True)
        objects = sum(1 for _ in walk(code))
        lines = {line: line for line in splice.injectable_lines(code)}
        total["objects"] += objects
        total["compile"] += best_of(lambda: compile(source, path, "exec", dont_inherit=True))
        total["splice"] += best_of(lambda: splice.instrument(code, hook, lines))
        if rewrite and bytecode_error is None:
            try:
                total["bytecode"] += best_of(lambda: rewrite(code), repeat=3)
            except Exception as exc:  # the library does not know this interpreter
                bytecode_error = f"{type(exc).__name__}: {exc}"[:80]
    per_object = {k: v / total["objects"] * 1e6 for k, v in total.items() if k != "objects"}
    result = {
        "code_objects": total["objects"],
        "modules": len(MODULES),
        "splice_us": per_object["splice"],
        "compile_us": per_object["compile"],
        "splice_over_compile": total["splice"] / total["compile"],
    }
    if rewrite and bytecode_error is None:
        result["bytecode_us"] = per_object["bytecode"]
        result["bytecode_over_splice"] = total["bytecode"] / total["splice"]
        result["bytecode_version"] = bytecode_version
    else:
        result["bytecode_note"] = bytecode_error or bytecode_version
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
