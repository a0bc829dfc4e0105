// CodeUnit -> co_code and its tables. Jump arguments and EXTENDED_ARG prefixes
// are sized together; caches are written as zeros.
#pragma once

#include "model/code_unit.hpp"
#include "model/assembled.hpp"

namespace splice {

// Everything but the stack size, which analysis/stack_depth computes.
AssembledCode assemble(const CodeUnit& unit, const InstrIndex& index);

}  // namespace splice
