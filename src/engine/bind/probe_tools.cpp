// The probe file as Python data, for the command line and the runner.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <cstdlib>

#include "probes/probe.hpp"
#include "probes/probe_file.hpp"
#include "probes/probe_inline.hpp"
#include "pyapi/frame_locals.hpp"
#include "watch/file_watcher.hpp"

namespace nb = nanobind;

namespace splice {

namespace {

nb::dict probe_file_py(const std::string& text) {
    const ProbeFile file = parse_probe_file(text);
    nb::list imports, dependencies, probes, problems;
    for (const ImportSpec& i : file.imports) imports.append(nb::make_tuple(i.text, i.config_line));
    for (const Dependency& d : file.dependencies) dependencies.append(nb::make_tuple(d.name, d.spec, d.config_line));
    for (const ProbeSpec& p : file.probes) {
        nb::dict probe;
        probe["at"] = p.at;
        probe["place"] = p.place;
        probe["line"] = p.line;
        probe["run"] = p.run;
        probe["when"] = p.when;
        probe["enabled"] = p.enabled;
        probe["config_line"] = p.config_line;
        probes.append(probe);
    }
    for (const ConfigProblem& p : file.problems) problems.append(nb::make_tuple(p.config_line, p.message));
    nb::dict out;
    out["valid"] = file.valid;
    out["imports"] = imports;
    out["dependencies"] = dependencies;
    out["probes"] = probes;
    out["problems"] = problems;
    return out;
}

int probe_traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));  // heap types are visited by their instances
    return nb::inst_ready(self) ? nb::inst_ptr<Probe>(self)->traverse(visit, arg) : 0;
}

int probe_clear(PyObject* self) {
    if (nb::inst_ready(self)) nb::inst_ptr<Probe>(self)->clear();
    return 0;
}

PyType_Slot probe_slots[] = {{Py_tp_traverse, reinterpret_cast<void*>(probe_traverse)},
                             {Py_tp_clear, reinterpret_cast<void*>(probe_clear)},
                             {0, nullptr}};

}  // namespace

void bind_probe_tools(nb::module_& m) {
    nb::class_<Probe>(m, "Probe", "Statements run in the frame of the line they are spliced before.", nb::type_slots(probe_slots))
        .def(nb::init<>())
        .def("__init__",
             [](Probe* probe, std::string label, nb::object run, nb::object when, nb::dict names, nb::tuple stored,
                nb::object function) {
                 new (probe) Probe{std::move(label), std::move(run), std::move(when), std::move(names),
                                   std::move(stored), std::move(function)};
             },
             nb::arg("label"), nb::arg("run"), nb::arg("when").none(), nb::arg("names"), nb::arg("stored"),
             nb::arg("function").none() = nb::none())
        .def_ro("label", &Probe::label)
        .def_rw("enabled", &Probe::enabled)
        .def_ro("hits", &Probe::hits)
        .def_ro("errors", &Probe::errors)
        .def("release", &Probe::release, "Lets go of the fast way's functions (they hold module globals); the slow way goes on.")
        .def("__repr__", [](const Probe& probe) { return "<splice probe " + probe.label + ">"; });
    static PyMethodDef run_probes_def{"run_probes", &run_probes_hook, METH_O,
                                      "The hook spliced in for probes: runs a tuple of them in the calling frame."};
    m.attr("run_probes") = nb::steal(PyCFunction_NewEx(&run_probes_def, nullptr, m.attr("__name__").ptr()));
    static PyMethodDef enter_def{"enter_probe", &enter_inline_probe, METH_O,
                                 "Spliced before a probe's own code: True when it is to run now."};
    static PyMethodDef leave_def{"leave_probe", &leave_inline_probe, METH_NOARGS, "Spliced after a probe's own code."};
    static PyMethodDef failed_def{"probe_failed", reinterpret_cast<PyCFunction>(reinterpret_cast<void*>(&inline_probe_failed)),
                                  METH_FASTCALL, "Spliced where a probe's own code raised: reports it, or raises it on."};
    for (PyMethodDef* def : {&enter_def, &leave_def, &failed_def})
        m.attr(def->ml_name) = nb::steal(PyCFunction_NewEx(def, nullptr, m.attr("__name__").ptr()));
    // SPLICE_INLINE=0 keeps every probe behind the hook call (for comparing the two).
    const char* inline_setting = std::getenv("SPLICE_INLINE");
    if (!inline_setting || std::string(inline_setting) != "0")
        enable_inline_probes(m.attr("run_probes"), m.attr("enter_probe"), m.attr("leave_probe"), m.attr("probe_failed"));
    m.def("names_stored_by", &names_stored_by, nb::arg("code"), "The names a probe's code assigns or deletes.");
    m.def("probe_frame", &probe_frame, "The frame the running probe of this thread is in, or None.");
    nb::class_<FileWatcher>(m, "FileWatcher", "Calls on_change(text) when the file is saved with new content.")
        .def(nb::init<std::string, nb::object>(), nb::arg("path"), nb::arg("on_change"))
        .def("stop", &FileWatcher::stop, nb::call_guard<nb::gil_scoped_release>())
        .def("forget_after_fork", &FileWatcher::forget_after_fork)
        .def_prop_ro("running", &FileWatcher::running);
    m.def("frame_locals", &frame_locals, nb::arg("frame"));
    m.def("write_back_locals", &write_back_locals, nb::arg("frame"));
    m.def("parse_probe_file", &probe_file_py, nb::arg("text"),
          "A probe file's contents: {'valid': is it TOML, 'imports': [(text, line)], 'dependencies': [(name, spec, line)], "
          "'probes': [{at, place, line, run, when, enabled, config_line}], 'problems': [(line, message)]}.");
}

}  // namespace splice
