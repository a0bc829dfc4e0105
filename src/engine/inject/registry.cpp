#include "inject/registry.hpp"

#include <algorithm>

#include <nanobind/stl/string.h>

#include "inject/line_errors.hpp"
#include "pyapi/source_text.hpp"

namespace splice {

namespace {

// Values whose equality runs no user code.
bool is_plain_value(nb::handle obj) {
    return obj.is_none() || PyLong_CheckExact(obj.ptr()) || PyUnicode_CheckExact(obj.ptr()) ||
           PyBytes_CheckExact(obj.ptr()) || PyFloat_CheckExact(obj.ptr()) || PyBool_Check(obj.ptr());
}

bool same_arg(nb::handle a, nb::handle b) {
    if (a.is(b)) return true;
    if (!is_plain_value(a) || !is_plain_value(b) || Py_TYPE(a.ptr()) != Py_TYPE(b.ptr())) return false;
    const int equal = PyObject_RichCompareBool(a.ptr(), b.ptr(), Py_EQ);
    if (equal < 0) {
        PyErr_Clear();
        return false;
    }
    return equal == 1;
}

}  // namespace

bool same_injection(const Request& a, const Request& b) {
    return a.line == b.line && a.mode == b.mode && a.hook.is(b.hook) && same_arg(a.arg, b.arg);
}

Registry& registry() {
    static auto* instance = new Registry();  // never destroyed: functions may outlive module teardown
    return *instance;
}

nb::object as_function(nb::handle target, const char* api) {
    if (PyMethod_Check(target.ptr())) return nb::borrow(PyMethod_GET_FUNCTION(target.ptr()));
    if (PyFunction_Check(target.ptr())) return nb::borrow(target);
    throw nb::type_error((std::string("splice.") + api + "() needs a Python function, not " +
                          nb::cast<std::string>(nb::str(nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(target.ptr()))).attr("__name__"))))
                             .c_str());
}

Registry::FunctionState& Registry::state_for(nb::handle function) {
    auto it = functions_.find(function.ptr());
    nb::object current = function.attr("__code__");
    if (it != functions_.end() && it->second.installed.is(current)) return it->second;
    // New, or its code was replaced behind our back: start from what it runs now.
    PyObject* key = function.ptr();
    nb::object on_death = nb::cpp_function([this, key](nb::handle) { forget(key); });
    PyObject* ref = PyWeakref_NewRef(function.ptr(), on_death.ptr());
    if (!ref) throw nb::python_error();
    FunctionState state;
    state.original = current;
    state.installed = current;
    state.weakref = nb::steal(ref);
    functions_[key] = std::move(state);
    return functions_[key];
}

void Registry::forget(PyObject* function) { functions_.erase(function); }

nb::object Registry::original_code(nb::handle function) const {
    auto it = functions_.find(function.ptr());
    nb::object current = function.attr("__code__");
    if (it != functions_.end() && it->second.installed.is(current)) return it->second.original;
    return current;
}

void Registry::install(nb::handle function, FunctionState& state) {
    nb::object code = state.original;
    if (!state.injections.empty()) {
        const auto source = source_for(state.original);
        code = instrument_tree(state.original, state.injections, source.get()).code;
    }
    function.attr("__code__") = code;
    state.installed = code;
}

void Registry::inject(nb::handle function, Request request) {
    FunctionState& state = state_for(function);
    check_injectable(function, state.original, request.line, request.mode);
    for (const Request& existing : state.injections)
        if (same_injection(existing, request))
            throw nb::value_error(("splice: this hook is already injected with this argument at line " +
                                   std::to_string(request.line) + " of " + describe_function(function, state.original))
                                      .c_str());
    state.injections.push_back(std::move(request));
    try {
        install(function, state);
    } catch (...) {
        state.injections.pop_back();
        throw;
    }
}

void Registry::eject(nb::handle function, const Request& request) {
    auto it = functions_.find(function.ptr());
    const bool live = it != functions_.end() && it->second.installed.is(function.attr("__code__"));
    std::vector<Request>* injections = live ? &it->second.injections : nullptr;
    const auto match = injections ? std::find_if(injections->begin(), injections->end(),
                                                 [&](const Request& r) { return same_injection(r, request); })
                                  : std::vector<Request>::iterator();
    if (!injections || match == injections->end())
        throw nb::value_error(("splice: no such hook is injected at line " + std::to_string(request.line) + " of " +
                               describe_function(function, function.attr("__code__")))
                                  .c_str());
    const auto position = match - injections->begin();
    Request removed = std::move(*match);
    injections->erase(match);
    try {
        install(function, it->second);
    } catch (...) {
        injections->insert(injections->begin() + position, std::move(removed));
        throw;
    }
    if (injections->empty()) functions_.erase(it);
}

}  // namespace splice
