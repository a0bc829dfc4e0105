// The extension module splice._engine.
#include <nanobind/nanobind.h>

namespace nb = nanobind;

namespace splice {
void bind_code_tools(nb::module_& m);
}

NB_MODULE(_engine, m) {
    m.doc() = "splice's bytecode engine";
    splice::bind_code_tools(m);
}
