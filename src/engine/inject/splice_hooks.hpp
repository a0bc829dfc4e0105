// Carries out a HookPlan: a new CodeUnit with the hook calls in place, each
// edge sent through exactly the calls of its route by new labels.
#pragma once

#include "analysis/flow.hpp"
#include "analysis/stack_depth.hpp"
#include "inject/plan.hpp"

namespace splice {

// The new unit, and its instruction index, made while writing it.
struct Spliced {
    CodeUnit unit;
    InstrIndex index;
    // (item index, count): runs of a call's instructions given the handler of
    // the instruction they precede.
    std::vector<std::pair<int, int>> handled_calls;
};

// Each hook call is given the exception handler of the instruction it
// precedes: a hook that raises unwinds as that instruction would.
// `depths` (of `unit`) are needed only for calls with an inline body: the
// body's exception handler unwinds to the depth at its site.
Spliced splice_hooks(const CodeUnit& unit, const HookPlan& plan, const StackDepths* depths = nullptr);

// Takes the handler away from the calls where it expects more on the stack
// than there is (`depths` of the spliced unit; hook calls leave the stack as
// they found it): their exception leaves the function rather than corrupt
// the stack. Handlers change no depth, so the depths stay true.
void settle_hook_handlers(Spliced& spliced, const StackDepths& depths);

}  // namespace splice
