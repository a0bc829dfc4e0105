// The probe file as Python data, for the command line and the runner.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "probes/probe_file.hpp"

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
    out["imports"] = imports;
    out["dependencies"] = dependencies;
    out["probes"] = probes;
    out["problems"] = problems;
    return out;
}

}  // namespace

void bind_probe_tools(nb::module_& m) {
    m.def("parse_probe_file", &probe_file_py, nb::arg("text"),
          "A probe file's contents: {'imports': [(text, line)], 'dependencies': [(name, spec, line)], "
          "'probes': [{at, place, line, run, when, enabled, config_line}], 'problems': [(line, message)]}.");
}

}  // namespace splice
