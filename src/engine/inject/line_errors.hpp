// The messages that explain why a line cannot take a hook.
#pragma once

#include <nanobind/nanobind.h>

#include <string>

#include "inject/instrument.hpp"

namespace splice {

namespace nb = nanobind;

// "function 'Parser.feed' (/app/parse.py, lines 10-25)"
std::string describe_function(nb::handle function, nb::handle code);

// "/app/parse.py (lines 1-120)", for a module's code
std::string describe_module(nb::handle code);

// Empty when `line` can take a hook in that mode; otherwise why not, naming
// the place (`described`) and the nearest injectable lines.
std::string injectable_refusal(nb::handle code, int line, Mode mode, const std::string& described);

// Raises ValueError naming the function, its file and line range, and the
// nearest injectable lines, unless `line` can take a hook in that mode.
void check_injectable(nb::handle function, nb::handle code, int line, Mode mode);

}  // namespace splice
