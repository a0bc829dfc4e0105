// Opcode facts of the interpreter the extension is built for.
// The table itself is generated at build time by tools/gen_opcodes.py.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace splice {

// Stack effect as table[arg & 0xFF] + slope * (arg >> 8); a constant when row < 0.
struct EffectModel {
    std::int16_t constant;
    std::int16_t row;
    std::int32_t slope;
};

struct OpRow {
    const char* name;
    std::uint8_t valid;
    std::uint8_t caches;
    std::uint8_t jump;
    std::uint8_t flags;
    EffectModel fall_through;
    EffectModel jump_taken;
};

inline constexpr std::int32_t kClampedSlope = -32768;

#include "opcode_table.inc"

enum class JumpKind : std::uint8_t { None, Absolute, Forward, Backward };

enum OpFlag : std::uint8_t {
    kTerminator = 1,     // never continues with the next instruction
    kBlockSetup = 2,     // 3.8-3.10 SETUP_*: the target is an exception handler
    kRelocateOnly = 4,   // the argument is a position, but control never goes there
    kGlued = 8,          // nothing may be inserted just before it
    kPrologueEnd = 16,   // the prologue ends with the first of these
    kNoLineEvent = 32,   // 3.12+ sys.monitoring puts no LINE event here
    kHandlerGlue = 64,   // exception handler bookkeeping, never a statement's start
};

inline constexpr int kNoOp = -1;

// The facts read for every instruction by every pass, packed apart from the
// rows (names and stack effects make those 32 bytes): 1 KB stays in cache.
struct OpFacts {
    std::uint8_t valid;
    std::uint8_t caches;
    std::uint8_t jump;
    std::uint8_t flags;
};
inline constexpr auto kOpFacts = [] {
    std::array<OpFacts, 256> facts{};
    for (std::size_t op = 0; op < facts.size(); ++op)
        facts[op] = {kOpRows[op].valid, kOpRows[op].caches, kOpRows[op].jump, kOpRows[op].flags};
    return facts;
}();

inline const OpRow& op_row(int op) { return kOpRows[op & 0xFF]; }
inline const OpFacts& op_facts(int op) { return kOpFacts[static_cast<std::size_t>(op & 0xFF)]; }
inline bool op_valid(int op) { return op >= 0 && op < 256 && kOpFacts[static_cast<std::size_t>(op)].valid; }
inline bool op_has_arg(int op) { return op >= kHaveArgument; }
inline int op_caches(int op) { return op_facts(op).caches; }
inline JumpKind op_jump(int op) { return static_cast<JumpKind>(op_facts(op).jump); }
inline bool op_is(int op, OpFlag flag) { return op >= 0 && (op_facts(op).flags & flag) != 0; }
inline bool op_is_jump(int op) { return op_jump(op) != JumpKind::None; }
inline const char* op_name(int op) { return op_row(op).name; }

// Net stack effect, as CPython's compiler counts it.
inline int op_stack_effect(int op, int arg, bool jump) {
    const EffectModel& m = jump ? op_row(op).jump_taken : op_row(op).fall_through;
    if (m.row < 0) return m.constant;
    if (m.slope == kClampedSlope) return kEffectRows[m.row][arg > 255 ? 255 : arg];
    return kEffectRows[m.row][arg & 0xFF] + m.slope * (arg >> 8);
}

}  // namespace splice
