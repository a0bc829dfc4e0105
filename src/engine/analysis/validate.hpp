// Checks a rewritten code object before it is installed: its bytes decode
// back to exactly the planned instructions, positions and handlers.
#pragma once

#include <string>

#include "model/assembled.hpp"
#include "model/code_unit.hpp"

namespace splice {

// Empty when `assembled` is a faithful, sound encoding of `planned`.
// `index` is the planned unit's own (index_instructions).
std::string validate_assembled(const CodeUnit& planned, const InstrIndex& index, const AssembledCode& assembled);

}  // namespace splice
