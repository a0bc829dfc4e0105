// co_code and its tables -> CodeUnit.
#pragma once

#include <stdexcept>

#include "model/code_unit.hpp"
#include "model/raw_code.hpp"

namespace splice {

// Raised for bytecode the engine cannot read (never for valid CPython output).
struct DecodeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

CodeUnit disassemble(const RawCode& raw);

// Size in code units of an instruction whose argument is `arg`, without caches.
inline int instr_units_for_arg(int arg) {
    if (arg < (1 << 8)) return 1;
    if (arg < (1 << 16)) return 2;
    if (arg < (1 << 24)) return 3;
    return 4;
}

}  // namespace splice
