// A probe: statements (and an optional condition) run in the frame of the
// line they are spliced before, as if written there.
#pragma once

#include <nanobind/nanobind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "probes/probe_function.hpp"

namespace splice {

namespace nb = nanobind;

struct Probe {
    std::string label;  // "app.py:42": how messages name it
    nb::object run;     // code object, "exec" mode
    nb::object when;    // code object, "eval" mode, or None
    nb::dict names;     // what the probe sees beside the frame's names: `splice`, the imports
    nb::tuple stored;   // the names its statements assign or delete: they go back to the frame
    // The fast way (probes/probe_function.hpp): the runtime's ProbeFunction,
    // asked on the first hit for the names the probe reads (`reads()`), then
    // per code object for the code of a function taking them; None: no fast way.
    nb::object function;
    nb::object loads;  // what function.reads() gave; unset until the first hit
    std::vector<std::shared_ptr<ProbeSite>> sites;  // shared: a hit that runs Python code keeps its site
    bool enabled = true;
    std::uint64_t hits = 0;
    std::uint64_t errors = 0;  // the first is reported at once, the rest at exit

    // For the cycle collector: a site's function holds the globals of a
    // module whose code holds this probe.
    int traverse(visitproc visit, void* arg) const;
    void clear();
    // Back to the slow way only: what the fast way holds is let go. A probe's
    // function holds its module's globals, and the module's code holds the
    // probe; no collector sees through code objects, so the runtime breaks
    // that cycle itself (at exit, and when a reload replaces the probe).
    void release();
};

// The injected hook: runs each probe of `probes` (a tuple: those of one
// line, in file order) in the calling frame. An Exception it
// raises is reported (once per probe) and swallowed; KeyboardInterrupt and
// SystemExit go on to the program. A probe that fires while another probe
// of the same thread runs is skipped, so probes never recurse.
void run_probes(nb::handle probes);
PyObject* run_probes_hook(PyObject* self, PyObject* probes);  // run_probes as a METH_O function

// The guard around a probe's own code spliced in (inject/inline_body.hpp),
// as Python functions take them. enter(probe): True when the probe is to run
// now (on, and no probe of this thread running), which makes it the running
// one; leave(): it is done; failed(probe, exc): it raised exc, which is
// reported when it is an Exception and raised on otherwise.
PyObject* enter_inline_probe(PyObject* self, PyObject* probe);
PyObject* leave_inline_probe(PyObject* self, PyObject* unused);
PyObject* inline_probe_failed(PyObject* self, PyObject* const* args, Py_ssize_t count);

// The names a probe's code object assigns or deletes at its top level.
nb::tuple names_stored_by(nb::handle code);

// The frame the running probe of this thread was spliced into, or None.
nb::object probe_frame();

// "splice: probe app.py:42 raised ZeroDivisionError: division by zero"
std::string describe_error(const Probe& probe, nb::handle exception);

}  // namespace splice
