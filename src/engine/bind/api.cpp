// The public entry points, re-exported by the splice package.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <string>

#include "bytecode/disassemble.hpp"
#include "inject/line_errors.hpp"
#include "inject/registry.hpp"
#include "pyapi/code_object.hpp"
#include "pyapi/source_text.hpp"

namespace splice {

namespace {

Mode parse_mode(const std::string& mode) {
    if (mode == "statement") return Mode::Statement;
    if (mode == "line") return Mode::Line;
    throw nb::value_error(("splice: mode must be 'statement' or 'line', not '" + mode + "'").c_str());
}

void inject_hook(nb::handle target, nb::object hook, int line, nb::object arg, const std::string& mode) {
    const nb::object function = as_function(target, "inject_hook");
    registry().inject(function, {line, std::move(hook), std::move(arg), parse_mode(mode)});
}

void eject_hook(nb::handle target, nb::object hook, int line, nb::object arg, const std::string& mode) {
    const nb::object function = as_function(target, "eject_hook");
    registry().eject(function, {line, std::move(hook), std::move(arg), parse_mode(mode)});
}

nb::object code_of(nb::handle target, const char* api) {
    if (is_code(target)) return nb::borrow(target);
    return registry().original_code(as_function(target, api));
}

nb::set injectable(nb::handle target, const std::string& mode) {
    const nb::object code = code_of(target, "injectable_lines");
    const auto source = source_for(code);
    nb::set lines;
    for (int line : injectable_lines(code, parse_mode(mode), source.get())) lines.add(line);
    return lines;
}

nb::tuple instrument(nb::handle code, nb::object hook, nb::handle lines, const std::string& mode) {
    if (!is_code(code)) throw nb::type_error("splice.instrument() needs a code object");
    const Mode parsed = parse_mode(mode);
    std::vector<Request> requests;
    if (PyDict_CheckExact(lines.ptr())) {
        // A dict is walked in place: no (line, arg) tuple is made per line.
        requests.reserve(static_cast<std::size_t>(PyDict_Size(lines.ptr())));
        PyObject* line = nullptr;
        PyObject* arg = nullptr;
        for (Py_ssize_t pos = 0; PyDict_Next(lines.ptr(), &pos, &line, &arg);)
            requests.push_back({nb::cast<int>(nb::handle(line)), hook, nb::borrow(arg), parsed});
    } else {
        for (nb::handle item : nb::iter(lines.attr("items")())) {
            const nb::tuple pair = nb::borrow<nb::tuple>(item);
            requests.push_back({nb::cast<int>(pair[0]), hook, nb::borrow(pair[1]), parsed});
        }
    }
    const auto source = source_for(code);
    Instrumented result = instrument_tree(code, requests, source.get());
    nb::set placed;
    for (int line : result.placed) placed.add(line);
    return nb::make_tuple(result.code, placed);
}

// None when a hook can go at `line` of a module's code, else why not.
nb::object why_not_injectable(nb::handle code, int line, const std::string& mode) {
    if (!is_code(code)) throw nb::type_error("splice: why_not_injectable() needs a code object");
    const std::string refusal = injectable_refusal(code, line, parse_mode(mode), describe_module(code));
    return refusal.empty() ? nb::none() : nb::object(nb::str(refusal.c_str()));
}

}  // namespace

void bind_api(nb::module_& m) {
    nb::exception<RewriteError>(m, "RewriteError", PyExc_RuntimeError);
    m.def("inject_hook", &inject_hook, nb::arg("function"), nb::arg("hook"), nb::arg("line"), nb::arg("arg").none(),
          nb::arg("mode") = "statement");
    m.def("eject_hook", &eject_hook, nb::arg("function"), nb::arg("hook"), nb::arg("line"), nb::arg("arg").none(),
          nb::arg("mode") = "statement");
    m.def("injectable_lines", &injectable, nb::arg("function_or_code"), nb::arg("mode") = "statement");
    m.def("why_not_injectable", &why_not_injectable, nb::arg("code"), nb::arg("line"), nb::arg("mode") = "statement");
    m.def("instrument", &instrument, nb::arg("code"), nb::arg("hook"), nb::arg("lines"), nb::arg("mode") = "statement");
}

}  // namespace splice
