// Low-level entry points the tests use to check the codec on real code.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "analysis/stack_depth.hpp"
#include "bytecode/assemble.hpp"
#include "bytecode/disassemble.hpp"
#include "inject/instrument.hpp"
#include "pyapi/code_object.hpp"

namespace splice {

namespace {

nb::object roundtrip(nb::handle code) {
    if (!is_code(code)) throw nb::type_error("expected a code object");
    const CodeFields fields = read_code_fields(code);
    const CodeUnit unit = disassemble(fields.raw());
    const InstrIndex index = index_instructions(unit);
    AssembledCode out = assemble(unit, index);
    const StackDepths depths = compute_stack_depths(unit, &index.bound);
    if (!depths.error.empty()) throw nb::value_error(depths.error.c_str());
    out.stacksize = std::max(depths.max_depth, fields.stacksize);
    return replace_code(code, out, fields.consts);
}

int computed_stack_depth(nb::handle code) {
    if (!is_code(code)) throw nb::type_error("expected a code object");
    const CodeFields fields = read_code_fields(code);
    const StackDepths depths = compute_stack_depths(disassemble(fields.raw()));
    if (!depths.error.empty()) throw nb::value_error(depths.error.c_str());
    return depths.max_depth;
}

}  // namespace

void bind_code_tools(nb::module_& m) {
    nb::register_exception_translator([](const std::exception_ptr& p, void*) {
        try {
            std::rethrow_exception(p);
        } catch (const DecodeError& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        }
    });
    m.def("_roundtrip", &roundtrip, "Decode and re-encode one code object (nested ones untouched).");
    m.def("_break_next_rewrite", &break_next_rewrite, "Corrupt the next rewrite after assembling (tests the validation).");
    m.def("_computed_stack_depth", &computed_stack_depth, "The stack depth the engine computes for a code object.");
}

}  // namespace splice
