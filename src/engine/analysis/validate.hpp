// Checks a rewritten code object before it is installed: its bytes decode
// back to exactly the planned instructions, positions and handlers.
#pragma once

#include <string>

#include "model/assembled.hpp"
#include "model/code_unit.hpp"

namespace splice {

// Empty when `assembled` is a faithful, sound encoding of `planned`.
std::string validate_assembled(const CodeUnit& planned, const AssembledCode& assembled);

}  // namespace splice
