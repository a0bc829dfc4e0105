// Statement mode: `hook(arg)` runs as if written as a statement of its own
// just before the statement that begins at the requested line.
#pragma once

#include <span>

#include "inject/plan.hpp"

namespace splice {

// A statement (or clause) of this code object, by its lines, with the calls
// to make before it (in storage of the caller's that outlives the placement).
struct StatementHooks {
    int first_line = 0;
    int last_line = 0;
    std::span<const HookCall> calls;
    // Without source the statement's extent is unknown: the first instruction
    // of its line, in code order, stands for it.
    bool first_instruction_only = false;
    // A loop jumps back to its own start; any other statement is entered
    // afresh when an enclosing loop jumps back to where it begins.
    bool loops = true;
    // When the statement begins on a later line of another statement (`c = (a,
    // b); d = 1`), that statement's first line: code on the shared line belongs
    // to the other statement until that one's code is over.
    int shares_line_with = kNone;
};

// Control enters a statement when it comes from an instruction outside the
// statement's lines; the hooks go before each instruction where that can
// happen, and edges from inside the statement (a loop's back edge, a
// `continue`) are sent past them.
HookPlan place_statement_hooks(const CodeUnit& unit, const Flow& flow, std::span<const StatementHooks> statements);

}  // namespace splice
