// The stack depth before each instruction, found the way CPython's compiler
// finds it: a walk over every path, jumps and exception handlers included.
#pragma once

#include <string>

#include "model/code_unit.hpp"

namespace splice {

struct StackDepths {
    std::vector<int> before;  // per item; kNone where unreachable or not an instruction
    int max_depth = 0;
    std::string error;        // empty when every path agrees and nothing underflows
};

// `bound` (label -> item index) may be passed when already known.
StackDepths compute_stack_depths(const CodeUnit& unit, const std::vector<int>* bound = nullptr);

}  // namespace splice
