#include "probes/probe_function.hpp"

#include <array>

#include "probes/probe.hpp"

namespace splice {

namespace {

constexpr std::size_t max_arguments = 32;  // beyond this many names the slow way is as good

PyObject* call(PyObject* function, PyObject* const* arguments, std::size_t count) {
#if PY_VERSION_HEX < 0x03090000
    return _PyObject_Vectorcall(function, arguments, count, nullptr);  // public from 3.9
#else
    return PyObject_Vectorcall(function, arguments, count, nullptr);
#endif
}

// The parameters the probe's function takes in `code`: each name it reads
// that is a variable there (the frame's value wins, as in the source) or one
// of the probe's own names. Whatever else it reads is a global of the frame.
ProbeSite make_site(const Probe& probe, nb::handle code) {
    ProbeSite site{nb::steal(PyWeakref_NewRef(code.ptr(), nullptr)), nb::none(), {}, nb::none(), nb::none()};
    if (!site.code.is_valid()) throw nb::python_error();
    auto* code_object = reinterpret_cast<PyCodeObject*>(code.ptr());
    const bool function_body = (code_object->co_flags & CO_OPTIMIZED) != 0;
    nb::list parameters;
    for (nb::handle name : probe.loads) {
        if (function_body) {
            if (auto slot = variable_slot(code_object, name.ptr())) {
                site.arguments.emplace_back(*slot);
                parameters.append(name);
                continue;
            }
        }
        if (PyObject* value = PyDict_GetItemWithError(probe.names.ptr(), name.ptr())) {
            site.arguments.emplace_back(nb::borrow(value));
            parameters.append(name);
        } else if (PyErr_Occurred()) {
            throw nb::python_error();
        }
    }
    if (site.arguments.size() > max_arguments) return site;
    try {
        site.function_code = probe.make_function(nb::tuple(parameters));
    } catch (nb::python_error&) {  // the runtime's own failure: the slow way serves this site
    }
    return site;
}

// What a weak reference points to, None once that is gone (read from the
// struct, the same on every version, to stay off a call per hit).
PyObject* referent(const nb::object& weak) { return reinterpret_cast<PyWeakReference*>(weak.ptr())->wr_object; }

ProbeSite& site_for(Probe& probe, PyCodeObject* code) {
    const nb::handle key(reinterpret_cast<PyObject*>(code));
    ProbeSite* free_site = nullptr;
    for (ProbeSite& site : probe.sites) {
        const PyObject* object = referent(site.code);
        if (object == key.ptr()) return site;
        if (object == Py_None) free_site = &site;
    }
    if (free_site) return *free_site = make_site(probe, key);
    return probe.sites.emplace_back(make_site(probe, key));
}

struct Arguments {
    std::array<PyObject*, max_arguments> values;  // the first `count` are set: no zeroing per hit
    std::size_t count = 0;
    ~Arguments() {
        for (std::size_t i = 0; i < count; ++i) Py_DECREF(values[i]);
    }
};

// Each argument's value; false when a frame variable is unbound (the slow
// way then looks the name up past the frame, as it always did).
bool gather(const ProbeSite& site, const CallingFrame& frame, Arguments& out) {
    for (const auto& argument : site.arguments) {
        PyObject* value;
        if (const auto* slot = std::get_if<VariableSlot>(&argument)) {
            value = frame.read(*slot);
            if (!value) return false;
        } else {
            value = std::get<nb::object>(argument).inc_ref().ptr();
        }
        out.values[out.count++] = value;
    }
    return true;
}

}  // namespace

FunctionRun run_probe_function(Probe& probe, const CallingFrame& frame) {
    if (!probe.make_function.is_valid() || probe.make_function.is_none()) return FunctionRun::not_here;
    PyCodeObject* code = frame.code();
    if (!(code->co_flags & CO_OPTIMIZED) && !frame.runs_module_body()) return FunctionRun::not_here;  // a class body
    ProbeSite& site = site_for(probe, code);
    if (site.function_code.is_none()) return FunctionRun::not_here;
    Arguments arguments;
    if (!gather(site, frame, arguments)) return FunctionRun::not_here;
    PyObject* globals = frame.globals();
    if (site.globals.ptr() != globals) {
        PyObject* function = PyFunction_New(site.function_code.ptr(), globals);
        if (!function) return FunctionRun::raised;
        site.function = nb::steal(function);
        site.globals = nb::borrow(globals);
    }
    const nb::object result = nb::steal(call(site.function.ptr(), arguments.values.data(), arguments.count));
    return result.is_valid() ? FunctionRun::done : FunctionRun::raised;
}

}  // namespace splice
