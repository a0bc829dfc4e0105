// The names a probe's statements see: the probed frame's locals first, then
// the probe's own names (`splice`, the probe file's imports); what neither
// has is looked up in the frame's globals and builtins by the interpreter.
// Stores go to the frame's locals.
#pragma once

#include <nanobind/nanobind.h>

namespace splice {

namespace nb = nanobind;

struct ProbeScope {
    nb::object locals;  // frame_locals() of the probed frame
    nb::dict names;
    bool stored = false;  // a name was stored or deleted: the frame must be written back
};

// mp_subscript and mp_ass_subscript, raw so that a missing name costs a
// KeyError set in C rather than a C++ exception (the interpreter asks the
// scope first for every global and builtin the probe uses).
extern PyType_Slot kProbeScopeSlots[];

}  // namespace splice
