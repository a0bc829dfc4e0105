"""Write the opcode facts of the running interpreter as a C++ table.

Run at build time by CMake with the interpreter the extension is built for, so
numbers, cache sizes, jump kinds and stack effects always come from that
interpreter's own `opcode`/`dis` modules, never from a hand-typed list.
Only the classes that `opcode` does not expose (which instructions never fall
through, which end the prologue, ...) are named below, by instruction name.

usage: python gen_opcodes.py OUTPUT.inc
"""

import dis
import opcode
import sys

# Instructions after which execution never continues with the next one.
TERMINATORS = {
    "RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE",
    "JUMP_FORWARD", "JUMP_ABSOLUTE", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",
    "JUMP", "JUMP_NO_INTERRUPT",
}
# 3.8-3.10 block set-up: the jump target is an exception handler, not a jump.
BLOCK_SETUPS = {"SETUP_FINALLY", "SETUP_WITH", "SETUP_ASYNC_WITH", "SETUP_CLEANUP"}
# The argument encodes a position for bookkeeping only; control never goes there.
RELOCATE_ONLY = {"END_ASYNC_FOR"}
# Glued to the instruction before them: nothing may be inserted in between.
GLUED = {"NOT_TAKEN", "END_FOR", "POP_ITER", "END_SEND", "CACHE", "RESUME", "YIELD_FROM"}
# The prologue ends with the first of these (3.10 GEN_START, 3.11+ RESUME).
PROLOGUE_ENDS = {"GEN_START", "RESUME"}
# Exception handler bookkeeping that starts a handler with a borrowed line,
# never the first instruction of a statement.
HANDLER_GLUE = {"END_ASYNC_FOR", "WITH_CLEANUP_START", "WITH_EXCEPT_START", "PUSH_EXC_INFO"}
# sys.monitoring (3.12+) never puts a LINE event on these, and they do not
# count as the previous line when it looks for where lines start.
NO_LINE_EVENT = {"RESUME", "END_FOR", "END_SEND", "END_ASYNC_FOR", "POP_ITER"}

# In opmap, but never found in co_code (co_code is always de-optimized).
NEVER_IN_CO_CODE = {"ENTER_EXECUTOR", "RESERVED"}

# Effects `dis` gets wrong for our purpose. A generator's first resumption
# pushes the sent value: on 3.11/3.12 `dis` counts 0 for RETURN_GENERATOR,
# which the POP_TOP after it pops (3.13 counts 1); on 3.10 GEN_START pops it,
# so counted from an empty stack GEN_START changes nothing.
EFFECT_OVERRIDES = {"RETURN_GENERATOR": 1, "GEN_START": 0}

# Instructions the engine refers to by name; absent ones are emitted as -1.
NAMED = [
    "EXTENDED_ARG", "LOAD_CONST", "POP_TOP", "PUSH_NULL", "CALL", "CALL_FUNCTION", "PRECALL",
    "RESUME", "RETURN_GENERATOR", "FOR_ITER", "POP_ITER", "SEND", "JUMP_FORWARD", "JUMP_BACKWARD",
    "YIELD_VALUE", "END_ASYNC_FOR", "CALL_FINALLY", "POP_BLOCK", "RERAISE", "RAISE_VARARGS",
    "STORE_NAME", "DELETE_NAME",
    # A probe's code spliced in (inject/inline_body.cpp).
    "LOAD_FAST", "LOAD_FAST_BORROW", "LOAD_FAST_CHECK", "LOAD_FAST_LOAD_FAST",
    "LOAD_FAST_BORROW_LOAD_FAST_BORROW", "DELETE_FAST", "RETURN_VALUE", "RETURN_CONST", "LOAD_GLOBAL",
    "LOAD_ATTR", "STORE_ATTR", "DELETE_ATTR", "IMPORT_NAME", "IMPORT_FROM", "STORE_GLOBAL", "DELETE_GLOBAL",
    "POP_JUMP_IF_FALSE", "NOT_TAKEN", "PUSH_EXC_INFO", "POP_EXCEPT", "COPY",
]

CLAMPED = -32768  # slope marker: arguments above 255 use the entry for 255
JUMP_NONE, JUMP_ABSOLUTE, JUMP_FORWARD, JUMP_BACKWARD = range(4)
(FLAG_TERMINATOR, FLAG_BLOCK_SETUP, FLAG_RELOCATE_ONLY, FLAG_GLUED, FLAG_PROLOGUE_END,
 FLAG_NO_LINE_EVENT, FLAG_HANDLER_GLUE) = (1 << i for i in range(7))

# Arguments on which the effect model below is checked (beyond the low byte).
CHECK_ARGS = sorted(set(range(512)) | {1 << k for k in range(9, 24)} | {(1 << k) + 3 for k in range(9, 24)})


def cache_entries():
    entries = getattr(opcode, "_inline_cache_entries", None)
    if entries is None:
        return {}
    if hasattr(entries, "items"):  # 3.13+: by name (a frozendict on 3.15)
        return {opcode.opmap[name]: n for name, n in entries.items() if name in opcode.opmap}
    return {op: n for op, n in enumerate(entries) if n}


def is_backward(op):
    check = getattr(dis, "_is_backward_jump", None)
    return bool(check and check(op))


def stack_effect(op, arg, jump):
    if op < opcode.HAVE_ARGUMENT:
        arg = None
    try:
        return dis.stack_effect(op, arg, jump=jump)
    except (ValueError, TypeError):
        return None


def effect_model(op, jump):
    """Model the effect as table[arg & 0xFF] + slope * (arg >> 8), checked on many args."""
    if opcode.opname[op] in EFFECT_OVERRIDES:
        return [EFFECT_OVERRIDES[opcode.opname[op]]] * 256, 0
    low = [stack_effect(op, a, jump) for a in range(256)]
    if any(e is None for e in low):
        return None
    if op < opcode.HAVE_ARGUMENT:
        return low, 0
    slope = stack_effect(op, 256, jump) - low[0]
    if all(stack_effect(op, arg, jump) == low[arg & 0xFF] + slope * (arg >> 8) for arg in CHECK_ARGS):
        return low, slope
    # An enumeration-like argument (BUILD_SLICE's 2 or 3): the compiler never
    # emits more than a byte, and larger values behave like the last one.
    if all(stack_effect(op, arg, jump) == low[255] for arg in CHECK_ARGS if arg > 255):
        return low, CLAMPED
    sys.exit(f"gen_opcodes: the stack effect of {opcode.opname[op]} fits no model")


def main(out_path):
    caches = cache_entries()
    first_instrumented = getattr(opcode, "MIN_INSTRUMENTED_OPCODE", 256)
    real_ops = {op for name, op in opcode.opmap.items()
                if op < first_instrumented and name not in NEVER_IN_CO_CODE}
    rows, effect_rows = [], []
    for op in range(256):
        name = opcode.opname[op]
        valid = op in real_ops
        jump = JUMP_NONE
        if op in opcode.hasjabs:
            jump = JUMP_ABSOLUTE
        elif op in opcode.hasjrel:
            jump = JUMP_BACKWARD if is_backward(op) else JUMP_FORWARD
        flags = 0
        for names, flag in ((TERMINATORS, FLAG_TERMINATOR), (BLOCK_SETUPS, FLAG_BLOCK_SETUP),
                            (RELOCATE_ONLY, FLAG_RELOCATE_ONLY), (GLUED, FLAG_GLUED),
                            (PROLOGUE_ENDS, FLAG_PROLOGUE_END),
                            (NO_LINE_EVENT, FLAG_NO_LINE_EVENT), (HANDLER_GLUE, FLAG_HANDLER_GLUE)):
            if name in names:
                flags |= flag
        effects = []
        for j in (False, True):
            model = effect_model(op, j) if valid else None
            if model is None:
                effects.append((0, -1, 0))
            elif len(set(model[0])) == 1 and model[1] == 0:
                effects.append((model[0][0], -1, 0))
            else:
                effect_rows.append(model[0])
                effects.append((0, len(effect_rows) - 1, model[1]))
        rows.append((name if valid else "", int(valid), caches.get(op, 0), jump, flags, effects))

    version = "%d.%d.%d" % sys.version_info[:3]
    lines = [
        f"// Generated by tools/gen_opcodes.py from CPython {version}. Do not edit.",
        "#pragma once",
        f"inline constexpr int kGeneratedMinor = {sys.version_info.minor};",
        f"inline constexpr int kHaveArgument = {opcode.HAVE_ARGUMENT};",
        "inline constexpr OpRow kOpRows[256] = {",
    ]
    for name, valid, ncache, jump, flags, ((c0, r0, s0), (c1, r1, s1)) in rows:
        lines.append(f'    {{"{name}", {valid}, {ncache}, {jump}, {flags}, '
                     f'{{{c0}, {r0}, {s0}}}, {{{c1}, {r1}, {s1}}}}},')
    lines.append("};")
    lines.append(f"inline constexpr std::int16_t kEffectRows[{max(1, len(effect_rows))}][256] = {{")
    for row in effect_rows or [[0] * 256]:
        lines.append("    {" + ", ".join(map(str, row)) + "},")
    lines.append("};")
    lines.append("namespace op {")
    for name in NAMED:
        lines.append(f"inline constexpr int {name} = {opcode.opmap.get(name, -1)};")
    lines.append("}  // namespace op")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
