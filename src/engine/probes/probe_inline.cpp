#include "probes/probe_inline.hpp"

#include "inject/inline_body.hpp"
#include "probes/probe.hpp"

namespace splice {

namespace {

struct Guard {
    nb::object run_probes, enter, leave, failed;
};

Guard& guard() {
    static auto* kept = new Guard();  // lives as long as the process: code objects hold these
    return *kept;
}

// The function code the runtime compiles for the probe, taking the names it
// reads: the frame's variables, or the probe's own names (its imports, `splice`).
std::optional<InlineTemplate> probe_template(PyObject* hook, PyObject* arg, PyCodeObject* code) {
    const Guard& g = guard();
    if (hook != g.run_probes.ptr() || !PyTuple_Check(arg) || PyTuple_GET_SIZE(arg) != 1) return std::nullopt;
    PyObject* item = PyTuple_GET_ITEM(arg, 0);
    if (!nb::isinstance<Probe>(item)) return std::nullopt;
    Probe& probe = *nb::inst_ptr<Probe>(item);
    if (!probe.function.is_valid() || probe.function.is_none() || nb::len(probe.stored) > 0) return std::nullopt;
    InlineTemplate made;
    nb::list parameters;
    const nb::object reads = probe_reads(probe);
    if (reads.is_none()) return std::nullopt;
    for (nb::handle name : reads) {
        if (auto slot = variable_slot(code, name.ptr())) {
            if (slot->cell) return std::nullopt;
            made.parameters.emplace_back(slot->index);
            parameters.append(name);
        } else if (PyObject* value = PyDict_GetItemWithError(probe.names.ptr(), name.ptr())) {
            made.parameters.emplace_back(nb::borrow(value));
            parameters.append(name);
        } else if (PyErr_Occurred()) {
            PyErr_Clear();
            return std::nullopt;
        }
    }
    try {
        made.code = probe.function(nb::tuple(parameters));
    } catch (nb::python_error&) {  // the runtime's own failure: the hook serves this probe
        return std::nullopt;
    }
    if (!PyCode_Check(made.code.ptr())) return std::nullopt;
    made.enter = g.enter;
    made.leave = g.leave;
    made.failed = g.failed;
    made.probe = nb::borrow(item);
    return made;
}

}  // namespace

void enable_inline_probes(nb::handle run_probes, nb::handle enter, nb::handle leave, nb::handle failed) {
    Guard& g = guard();
    g.run_probes = nb::borrow(run_probes);
    g.enter = nb::borrow(enter);
    g.leave = nb::borrow(leave);
    g.failed = nb::borrow(failed);
    set_inline_source(&probe_template);
}

}  // namespace splice
