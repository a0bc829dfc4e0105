// The extension module splice._engine.
#include <nanobind/nanobind.h>

namespace nb = nanobind;

namespace splice {
void bind_code_tools(nb::module_& m);
void bind_source_tools(nb::module_& m);
void bind_api(nb::module_& m);
void bind_probe_tools(nb::module_& m);
}

NB_MODULE(_engine, m) {
    m.doc() = "splice's bytecode engine";
    splice::bind_api(m);
    splice::bind_code_tools(m);
    splice::bind_source_tools(m);
    splice::bind_probe_tools(m);
}
