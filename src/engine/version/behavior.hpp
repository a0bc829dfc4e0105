// What differs between CPython versions beyond the opcode table: one row per
// minor version. Passes ask the row, never the version number.
#pragma once

#include <array>

#include "version/opcodes.hpp"

namespace splice {

enum class LineTableFormat : std::uint8_t {
    Lnotab,       // 3.8-3.9 co_lnotab: (byte delta, line delta) pairs
    Ranges310,    // 3.10 co_linetable: (byte length, line delta) ranges, -128 = no line
    Locations,    // 3.11+ co_linetable: location entries with columns
};

// How `hook(arg)` is called; the instruction names of each shape are in hook_call.cpp.
enum class HookCallShape : std::uint8_t {
    CallFunction,       // 3.8-3.10: LOAD_CONST hook; LOAD_CONST arg; CALL_FUNCTION 1
    NullPrecallCall,    // 3.11: PUSH_NULL; LOAD_CONST hook; LOAD_CONST arg; PRECALL 1; CALL 1
    NullCall,           // 3.12: PUSH_NULL; LOAD_CONST hook; LOAD_CONST arg; CALL 1
    CallableNullCall,   // 3.13+: LOAD_CONST hook; PUSH_NULL; LOAD_CONST arg; CALL 1
};

// How sys.settrace decides to report a 'line' event (see inject/line_events.cpp).
enum class LineEvents : std::uint8_t {
    RangeStart,   // 3.8-3.9: at the start of a co_lnotab line range, or after a backward jump
    LineChange,   // 3.10-3.11: the line differs from the previous instruction's, or a backward jump
    Monitoring,   // 3.12+: sys.monitoring LINE events at line starts and jump targets, plus backward jumps
};

struct Behavior {
    int minor;
    LineTableFormat line_table;
    // Jump arguments count bytes (3.8-3.9) or code units (3.10+).
    int jump_arg_bytes;
    bool exception_table;
    // 3.12+ location entries cover runs of instructions with equal positions;
    // 3.11 writes entries per instruction.
    bool locations_merge_instructions;
    // Code units past FOR_ITER's target where an exhausted loop continues:
    // 3.12 skips END_FOR, 3.13 END_FOR and POP_TOP, 3.14 END_FOR (POP_ITER runs).
    int for_iter_exit_skip;
    HookCallShape hook_call;
    // 3.11+ compilers keep one stack depth per instruction; before, exception
    // paths could disagree and CPython kept the deepest.
    bool stack_depths_agree;
    LineEvents line_events;
    // 3.9 reports a 'line' event on entering an exception handler when the
    // raising instruction was not at the start of a line range (ceval's exception_unwind).
    bool handler_entry_reports_line;
    // 3.13+: an exception thrown into a suspended frame (gen.throw, close,
    // asyncio cancelling) arrives with the RESUME after the yield as the
    // previous instruction, which always lets the handler report its line.
    bool throw_reports_line;
    // 3.13+: under sys.settrace a FOR_ITER that is no longer where its line
    // starts specializes for generators, and its END_FOR then reports a
    // StopIteration 'exception' event; one that is a jump target does not.
    bool for_iter_stays_jump_target;
    // 3.13+: a probe's own code can be spliced in place of the hook call
    // (inject/inline_body.hpp), with the calling convention, name operands
    // (LOAD_GLOBAL and LOAD_ATTR shifted by one) and bool-only conditional
    // jumps that the translation assumes.
    bool inline_probes;
};

inline constexpr std::array kBehaviors{
    Behavior{.minor = 8, .line_table = LineTableFormat::Lnotab,
             .jump_arg_bytes = 2, .exception_table = false, .locations_merge_instructions = false,
             .for_iter_exit_skip = 0, .hook_call = HookCallShape::CallFunction, .stack_depths_agree = false,
             .line_events = LineEvents::RangeStart,
             .handler_entry_reports_line = false,
             .throw_reports_line = false,
             .for_iter_stays_jump_target = false,
             .inline_probes = false},
    Behavior{.minor = 9, .line_table = LineTableFormat::Lnotab,
             .jump_arg_bytes = 2, .exception_table = false, .locations_merge_instructions = false,
             .for_iter_exit_skip = 0, .hook_call = HookCallShape::CallFunction, .stack_depths_agree = false,
             .line_events = LineEvents::RangeStart,
             .handler_entry_reports_line = true,
             .throw_reports_line = false,
             .for_iter_stays_jump_target = false,
             .inline_probes = false},
    Behavior{.minor = 10, .line_table = LineTableFormat::Ranges310,
             .jump_arg_bytes = 1, .exception_table = false, .locations_merge_instructions = false,
             .for_iter_exit_skip = 0, .hook_call = HookCallShape::CallFunction, .stack_depths_agree = false,
             .line_events = LineEvents::LineChange,
             .handler_entry_reports_line = false,
             .throw_reports_line = false,
             .for_iter_stays_jump_target = false,
             .inline_probes = false},
    Behavior{.minor = 11, .line_table = LineTableFormat::Locations,
             .jump_arg_bytes = 1, .exception_table = true, .locations_merge_instructions = false,
             .for_iter_exit_skip = 0, .hook_call = HookCallShape::NullPrecallCall, .stack_depths_agree = true,
             .line_events = LineEvents::LineChange,
             .handler_entry_reports_line = false,
             .throw_reports_line = false,
             .for_iter_stays_jump_target = false,
             .inline_probes = false},
    Behavior{.minor = 12, .line_table = LineTableFormat::Locations,
             .jump_arg_bytes = 1, .exception_table = true, .locations_merge_instructions = true,
             .for_iter_exit_skip = 1, .hook_call = HookCallShape::NullCall, .stack_depths_agree = true,
             .line_events = LineEvents::Monitoring,
             .handler_entry_reports_line = false,
             .throw_reports_line = false,
             .for_iter_stays_jump_target = false,
             .inline_probes = false},
    Behavior{.minor = 13, .line_table = LineTableFormat::Locations,
             .jump_arg_bytes = 1, .exception_table = true, .locations_merge_instructions = true,
             .for_iter_exit_skip = 2, .hook_call = HookCallShape::CallableNullCall, .stack_depths_agree = true,
             .line_events = LineEvents::Monitoring,
             .handler_entry_reports_line = false,
             .throw_reports_line = true,
             .for_iter_stays_jump_target = true,
             .inline_probes = true},
    Behavior{.minor = 14, .line_table = LineTableFormat::Locations,
             .jump_arg_bytes = 1, .exception_table = true, .locations_merge_instructions = true,
             .for_iter_exit_skip = 1, .hook_call = HookCallShape::CallableNullCall, .stack_depths_agree = true,
             .line_events = LineEvents::Monitoring,
             .handler_entry_reports_line = false,
             .throw_reports_line = true,
             .for_iter_stays_jump_target = true,
             .inline_probes = true},
    Behavior{.minor = 15, .line_table = LineTableFormat::Locations,
             .jump_arg_bytes = 1, .exception_table = true, .locations_merge_instructions = true,
             .for_iter_exit_skip = 1, .hook_call = HookCallShape::CallableNullCall, .stack_depths_agree = true,
             .line_events = LineEvents::Monitoring,
             .handler_entry_reports_line = false,
             .throw_reports_line = true,
             .for_iter_stays_jump_target = true,
             .inline_probes = true},
};

consteval const Behavior& find_behavior(int minor) {
    for (const Behavior& row : kBehaviors)
        if (row.minor == minor) return row;
    throw "splice: no behaviour row for this CPython version";
}

// The row of the interpreter this extension is built for.
inline constexpr const Behavior& kBehavior = find_behavior(kGeneratedMinor);

}  // namespace splice
