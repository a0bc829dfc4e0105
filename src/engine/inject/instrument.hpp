// Hooks at lines of a code object and of every code object nested in it.
#pragma once

#include <nanobind/nanobind.h>

#include <span>
#include <string>
#include <vector>

#include "source/source_file.hpp"

namespace splice {

namespace nb = nanobind;

enum class Mode : std::uint8_t { Statement, Line };

struct Request {
    int line = 0;
    nb::object hook;
    nb::object arg;
    Mode mode = Mode::Statement;
};

struct Instrumented {
    nb::object code;          // the very same object when no hook was placed
    std::vector<int> placed;  // requested lines that got hooks, node by node (a line may repeat)
};

// `source` is the code's file, scanned, or null when there is none.
Instrumented instrument_tree(nb::handle code, std::span<const Request> requests, const SourceFile* source);

// The lines where a hook can go in that mode.
std::vector<int> injectable_lines(nb::handle code, Mode mode, const SourceFile* source);

// Every line that some instruction of the code (or of code nested in it) carries, sorted.
std::vector<int> code_lines(nb::handle code);

// For tests: the next rewrite is corrupted after assembling, so validation must refuse it.
void break_next_rewrite();

// Raised when a rewritten code object fails validation; nothing is installed.
struct RewriteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace splice
