// Which probes the engine may splice in as code of their own
// (inject/inline_body.hpp): those the fast way would run (they assign
// nothing), alone on their line, in a function whose arguments are the only
// variables of its frame they read.
#pragma once

#include <nanobind/nanobind.h>

namespace splice {

namespace nb = nanobind;

// From now on, calls of `run_probes` (the hook) may be inlined.
void enable_inline_probes(nb::handle run_probes, nb::handle enter, nb::handle leave, nb::handle failed);

}  // namespace splice
