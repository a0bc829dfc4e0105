#include "probes/probe_function.hpp"

#include <array>
#include <memory>

#include "probes/probe.hpp"
#include "pyapi/vectorcall.hpp"

namespace splice {

namespace {

constexpr std::size_t max_arguments = 32;  // beyond this many names the slow way is as good

// The names the probe reads, asked of the runtime on its first hit; None
// when it must run the slow way.
nb::object probe_reads(Probe& probe) {
    if (!probe.loads.is_valid()) {
        nb::object reads;
        try {
            reads = probe.function.attr("reads")();
        } catch (nb::python_error&) {  // the runtime's own failure: the slow way serves this probe
            reads = nb::none();
        }
        if (!reads.is_none() && !nb::isinstance<nb::tuple>(reads)) reads = nb::none();
        probe.loads = reads;
    }
    return probe.loads;
}

}  // namespace

std::optional<ProbeBinding> bind_probe(Probe& probe, PyCodeObject* code) {
    const nb::object reads = probe_reads(probe);
    if (reads.is_none()) return std::nullopt;
    ProbeBinding binding;
    nb::list parameters;
    for (nb::handle name : reads) {
        if (auto slot = variable_slot(code, name.ptr())) {  // the frame's value wins, as in the source
            binding.arguments.emplace_back(*slot);
            parameters.append(name);
        } else if (PyObject* value = PyDict_GetItemWithError(probe.names.ptr(), name.ptr())) {
            binding.arguments.emplace_back(nb::borrow(value));
            parameters.append(name);
        } else if (PyErr_Occurred()) {
            throw nb::python_error();
        }
    }
    if (binding.arguments.size() > max_arguments) return std::nullopt;
    binding.function_code = nb::none();
    try {
        const nb::object function = probe.function;  // a reload may drop it meanwhile
        if (!function.is_none()) binding.function_code = function(nb::tuple(parameters));
    } catch (nb::python_error&) {  // the runtime's own failure: the slow way serves this code
    }
    return binding;
}

namespace {

std::shared_ptr<ProbeSite> make_site(Probe& probe, nb::handle code) {
    auto made = std::make_shared<ProbeSite>(ProbeSite{nb::steal(PyWeakref_NewRef(code.ptr(), nullptr)), nb::none(), {}, nullptr, {}});
    if (!made->code.is_valid()) throw nb::python_error();
    if (auto binding = bind_probe(probe, reinterpret_cast<PyCodeObject*>(code.ptr()))) {
        made->arguments = std::move(binding->arguments);
        made->function_code = std::move(binding->function_code);
    }
    return made;
}

// Whether `globals` is the namespace of a module in sys.modules.
bool is_module_namespace(PyObject* globals) {
    PyObject* name = PyDict_GetItemString(globals, "__name__");  // borrowed
    PyObject* module = name ? PyDict_GetItem(PyImport_GetModuleDict(), name) : nullptr;  // borrowed
    return module && PyModule_Check(module) && PyModule_GetDict(module) == globals;
}

// What a weak reference points to, None once that is gone (read from the
// struct, the same on every version, to stay off a call per hit).
PyObject* referent(const nb::object& weak) { return reinterpret_cast<PyWeakReference*>(weak.ptr())->wr_object; }

// The site of `code`, if the probe has one (borrowed from probe.sites).
ProbeSite* find_site(const Probe& probe, PyCodeObject* code) {
    for (const auto& site : probe.sites)
        if (referent(site->code) == reinterpret_cast<PyObject*>(code)) return site.get();
    return nullptr;
}

// A share of a filed site, for a stretch that may run Python code (during
// which another thread may drop or replace it); the hit's usual path takes
// none, to stay off two atomic operations per hit.
std::shared_ptr<ProbeSite> share(const Probe& probe, const ProbeSite* site) {
    for (const auto& filed : probe.sites)
        if (filed.get() == site) return filed;
    return nullptr;
}

// The site of `code`, made on its first hit. Made before it is filed: making
// it runs Python code, during which another thread may file or drop sites.
std::shared_ptr<ProbeSite> add_site(Probe& probe, PyCodeObject* code) {
    std::shared_ptr<ProbeSite> made = make_site(probe, nb::handle(reinterpret_cast<PyObject*>(code)));
    for (auto& site : probe.sites)
        if (site->function.is_valid() && !is_module_namespace(site->globals)) site->function = nb::object();
    for (auto& site : probe.sites)
        if (referent(site->code) == Py_None) return site = made;  // its code is gone
    probe.sites.push_back(made);
    return made;
}

// The function for these globals. It is kept for a module's globals only:
// it holds them, and they hold the module's code, which holds the probe;
// code objects are not seen by the cycle collector, so a namespace that is
// not a module's (exec) would live until exit. One that stops being a
// module's (runpy.run_path's, once it returns) is let go when the probe
// lands in its next code object.
nb::object function_for(const Probe& probe, ProbeSite& site, PyObject* globals) {
    if (site.globals == globals && site.function.is_valid()) return site.function;
    const std::shared_ptr<ProbeSite> kept = share(probe, &site);  // PyFunction_New may collect garbage
    nb::object function = nb::steal(PyFunction_New(site.function_code.ptr(), globals));
    if (!function.is_valid()) return function;
    site.globals = globals;
    site.function = is_module_namespace(globals) ? function : nb::object();
    return function;
}

struct Arguments {
    std::array<PyObject*, max_arguments> values;  // the first `count` are set: no zeroing per hit
    std::size_t count = 0;
    ~Arguments() {
        for (std::size_t i = 0; i < count; ++i) Py_DECREF(values[i]);
    }
};

// A name unbound in the frame, looked up past it as the source would (the
// probe's names, then the globals, then the builtins); nullptr, no error
// set, when it is nowhere (then the hit goes the slow way, which raises
// NameError where the probe reads it).
PyObject* past_the_frame(const Probe& probe, PyObject* name, PyObject* globals) {
    PyObject* value = PyDict_GetItem(probe.names.ptr(), name);
    if (!value) value = PyDict_GetItem(globals, name);
    if (!value) {
        PyObject* builtins = PyDict_GetItemString(globals, "__builtins__");
        if (builtins && PyModule_Check(builtins)) builtins = PyModule_GetDict(builtins);
        if (builtins && PyDict_Check(builtins)) value = PyDict_GetItem(builtins, name);
    }
    Py_XINCREF(value);
    return value;
}

// Each argument's value; false when one is nowhere to be found.
bool gather(const Probe& probe, const ProbeSite& site, const CallingFrame& frame, Arguments& out) {
    for (const auto& argument : site.arguments) {
        PyObject* value;
        if (const auto* slot = std::get_if<VariableSlot>(&argument)) {
            value = frame.read(*slot);
            if (!value) value = past_the_frame(probe, slot->name, frame.globals());
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
    if (!probe.function.is_valid() || probe.function.is_none()) return FunctionRun::not_here;
    PyCodeObject* code = frame.code();
    // Function bodies only: a module or class body runs once, where making the
    // function would cost a hundred slow runs, and a class body's names are
    // no fast locals.
    if (!(code->co_flags & CO_OPTIMIZED)) return FunctionRun::not_here;
    std::shared_ptr<ProbeSite> made;  // held for the hit only when made by it
    ProbeSite* site = find_site(probe, code);
    if (!site) site = (made = add_site(probe, code)).get();
    if (site->function_code.is_none()) return FunctionRun::not_here;
    Arguments arguments;
    if (!gather(probe, *site, frame, arguments)) return FunctionRun::not_here;  // runs no Python code
    const nb::object function = function_for(probe, *site, frame.globals());
    // From here on the site is not touched: the call may run anything.
    if (!function.is_valid()) return FunctionRun::raised;
    const nb::object result = nb::steal(vectorcall(function.ptr(), arguments.values.data(), arguments.count));
    return result.is_valid() ? FunctionRun::done : FunctionRun::raised;
}

}  // namespace splice
