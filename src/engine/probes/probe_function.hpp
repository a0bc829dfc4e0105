// The fast way to run a probe: its statements compiled (by the runtime) into
// a function whose parameters are the names it reads, called with the
// values the frame holds. No f_locals snapshot, no name dict, no write-back;
// it serves the probes that assign nothing, in function bodies.
#pragma once

#include <nanobind/nanobind.h>

#include <variant>
#include <vector>

#include "pyapi/calling_frame.hpp"

namespace splice {

namespace nb = nanobind;

struct Probe;

// One code object a probe is spliced into, and the function that runs the
// probe there.
struct ProbeSite {
    nb::object code;                                      // a weak reference to the spliced code object, the key:
                                                          // that code holds the probe, and code objects are not
                                                          // collected in cycles
    nb::object function_code;                             // None: this site runs the slow way
    std::vector<std::variant<VariableSlot, nb::object>> arguments;  // a frame variable, or a probe name's value
    PyObject* globals = nullptr;                          // those `function` was made with (identity only)
    nb::object function;                                  // kept only for a module's globals: see function_for
};

enum class FunctionRun { done, not_here, raised };

// The names the probe reads, asked of the runtime the first time; None
// when it must run the slow way.
nb::object probe_reads(Probe& probe);

// Runs the probe's function in `frame`; not_here when the probe, this code
// object or this frame needs the slow way; raised with the Python error set.
FunctionRun run_probe_function(Probe& probe, const CallingFrame& frame);

}  // namespace splice
