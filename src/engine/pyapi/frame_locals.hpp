// A running frame's local variables, read and written the way each CPython
// version allows.
#pragma once

#include <nanobind/nanobind.h>

namespace splice {

namespace nb = nanobind;

// The mapping of the frame's locals: a snapshot dict before 3.13 (module and
// class frames: their namespace), a write-through proxy from 3.13 on.
nb::object frame_locals(nb::handle frame);

// Makes stores into frame_locals() reach the frame's variables (before 3.13
// the snapshot must be copied back; from 3.13 on it already has).
void write_back_locals(nb::handle frame);

}  // namespace splice
