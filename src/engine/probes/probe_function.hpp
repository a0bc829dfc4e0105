// The fast way to run a probe: its statements compiled (by the runtime) into
// a function whose parameters are the names it reads, called with the
// values the frame holds. No f_locals snapshot, no name dict, no write-back;
// it serves the probes that assign nothing, in function bodies.
#pragma once

#include <nanobind/nanobind.h>

#include <optional>
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

// The probe's function for one code object: what each of its parameters
// is (a variable of that code, or one of the probe's own names; whatever
// else the probe reads is a global of the frame), and the code the runtime
// made for it (None when it could not).
struct ProbeBinding {
    std::vector<std::variant<VariableSlot, nb::object>> arguments;
    nb::object function_code;
};

// Nothing when the probe runs the slow way there (it reads its namespace or
// frame, or too many names). Raises when looking a name up does.
std::optional<ProbeBinding> bind_probe(Probe& probe, PyCodeObject* code);

// Runs the probe's function in `frame`; not_here when the probe, this code
// object or this frame needs the slow way; raised with the Python error set.
FunctionRun run_probe_function(Probe& probe, const CallingFrame& frame);

}  // namespace splice
