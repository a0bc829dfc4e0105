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

// The function code the runtime compiles for the probe, as the fast way
// has it (probe_function.hpp), with its frame variables as plain slots.
std::optional<InlineTemplate> probe_template(PyObject* hook, PyObject* arg, PyCodeObject* code) {
    const Guard& g = guard();
    if (hook != g.run_probes.ptr() || !PyTuple_Check(arg) || PyTuple_GET_SIZE(arg) != 1) return std::nullopt;
    PyObject* item = PyTuple_GET_ITEM(arg, 0);
    if (!nb::isinstance<Probe>(item)) return std::nullopt;
    Probe& probe = *nb::inst_ptr<Probe>(item);
    if (!probe.function.is_valid() || probe.function.is_none() || nb::len(probe.stored) > 0) return std::nullopt;
    std::optional<ProbeBinding> binding;
    try {
        binding = bind_probe(probe, code);
    } catch (nb::python_error&) {  // a name lookup failed: the hook serves this probe
        return std::nullopt;
    }
    if (!binding || !PyCode_Check(binding->function_code.ptr())) return std::nullopt;
    InlineTemplate made;
    for (const auto& argument : binding->arguments) {
        if (const auto* slot = std::get_if<VariableSlot>(&argument)) {
            if (slot->cell) return std::nullopt;
            made.parameters.emplace_back(slot->index);
        } else {
            made.parameters.emplace_back(std::get<nb::object>(argument));
        }
    }
    made.code = std::move(binding->function_code);
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
