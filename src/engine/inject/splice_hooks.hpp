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
};

Spliced splice_hooks(const CodeUnit& unit, const StackDepths& depths, const HookPlan& plan);

}  // namespace splice
