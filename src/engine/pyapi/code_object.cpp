#include "pyapi/code_object.hpp"

#include "version/behavior.hpp"

namespace splice {

namespace {

// The fields whose home in PyCodeObject differs between versions.
#if PY_VERSION_HEX < 0x030A0000
PyObject* line_table_of(PyCodeObject* code) { return code->co_lnotab; }
#else
PyObject* line_table_of(PyCodeObject* code) { return code->co_linetable; }
#endif
#if PY_VERSION_HEX < 0x030B0000
nb::bytes instructions_of(PyCodeObject* code) { return nb::borrow<nb::bytes>(code->co_code); }
nb::bytes exception_table_of(PyCodeObject*) { return nb::bytes("", 0); }

PyCodeObject* new_code_like(PyCodeObject* co, PyObject* code, PyObject* line_table, PyObject*, int stacksize, PyObject* consts,
                            PyObject* names) {
    return PyCode_NewWithPosOnlyArgs(co->co_argcount, co->co_posonlyargcount, co->co_kwonlyargcount, co->co_nlocals, stacksize,
                                     co->co_flags, code, consts, names, co->co_varnames, co->co_freevars,
                                     co->co_cellvars, co->co_filename, co->co_name, co->co_firstlineno, line_table);
}
#else
nb::bytes instructions_of(PyCodeObject* code) {  // without the interpreter's specializations
    PyObject* bytes = PyCode_GetCode(code);
    if (!bytes) throw nb::python_error();
    return nb::steal<nb::bytes>(bytes);
}
nb::bytes exception_table_of(PyCodeObject* code) { return nb::borrow<nb::bytes>(code->co_exceptiontable); }

PyCodeObject* new_code_like(PyCodeObject* co, PyObject* code, PyObject* line_table, PyObject* exception_table, int stacksize,
                            PyObject* consts, PyObject* names) {
    // The local variable names live in one array since 3.11; these make the tuples the constructor wants.
    const nb::object varnames = nb::steal(PyCode_GetVarnames(co));
    const nb::object cellvars = nb::steal(PyCode_GetCellvars(co));
    const nb::object freevars = nb::steal(PyCode_GetFreevars(co));
    if (!varnames.is_valid() || !cellvars.is_valid() || !freevars.is_valid()) return nullptr;
    return PyCode_NewWithPosOnlyArgs(co->co_argcount, co->co_posonlyargcount, co->co_kwonlyargcount, co->co_nlocals, stacksize,
                                     co->co_flags, code, consts, names, varnames.ptr(), freevars.ptr(), cellvars.ptr(),
                                     co->co_filename, co->co_name, co->co_qualname, co->co_firstlineno, line_table,
                                     exception_table);
}
#endif

}  // namespace

bool is_code(nb::handle obj) { return PyCode_Check(obj.ptr()); }

CodeFields read_code_fields(nb::handle code) {
    auto* co = reinterpret_cast<PyCodeObject*>(code.ptr());
    CodeFields fields;
    fields.code = instructions_of(co);
    fields.line_table = nb::borrow<nb::bytes>(line_table_of(co));
    fields.exception_table = exception_table_of(co);
    fields.consts = nb::borrow<nb::tuple>(co->co_consts);
    fields.name = nb::borrow<nb::str>(co->co_name);
    fields.first_line = co->co_firstlineno;
    fields.stacksize = co->co_stacksize;
    return fields;
}

std::string_view CodeFields::name_view() const {
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(name.ptr(), &size);
    if (!text) throw nb::python_error();
    return {text, static_cast<std::size_t>(size)};
}

nb::tuple with_constants(const nb::tuple& consts, std::span<const std::pair<int, nb::object>> replaced,
                         std::span<const nb::object> appended) {
    const std::size_t size = consts.size() + appended.size();
    nb::tuple out = nb::steal<nb::tuple>(PyTuple_New(static_cast<Py_ssize_t>(size)));
    if (!out.is_valid()) throw nb::python_error();
    auto set = [&out](std::size_t at, nb::handle value) {
        PyTuple_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(at), value.inc_ref().ptr());
    };
    for (std::size_t c = 0; c < consts.size(); ++c) set(c, consts[c]);
    for (const auto& [at, value] : replaced) {
        Py_DECREF(PyTuple_GET_ITEM(out.ptr(), at));
        PyTuple_SET_ITEM(out.ptr(), at, value.inc_ref().ptr());
    }
    for (std::size_t a = 0; a < appended.size(); ++a) set(consts.size() + a, appended[a]);
    return out;
}

namespace {

// What code.replace() does, less its audit event: splice's own work is not the program's.
nb::object made_like(nb::handle original, const nb::bytes& code, const nb::bytes& line_table,
                     const nb::bytes& exception_table, int stacksize, nb::handle consts, std::span<const nb::object> more_names = {}) {
    auto* co = reinterpret_cast<PyCodeObject*>(original.ptr());
    nb::object names = nb::borrow(co->co_names);
    if (!more_names.empty()) names = with_constants(nb::borrow<nb::tuple>(co->co_names), {}, more_names);
    PyCodeObject* made = new_code_like(co, code.ptr(), line_table.ptr(), exception_table.ptr(), stacksize, consts.ptr(), names.ptr());
    if (!made) throw nb::python_error();
    return nb::steal(reinterpret_cast<PyObject*>(made));
}

}  // namespace

nb::object replace_code(nb::handle original, const AssembledCode& assembled, nb::handle consts,
                        std::span<const nb::object> more_names) {
    return made_like(original, nb::bytes(assembled.code.data(), assembled.code.size()),
                     nb::bytes(assembled.line_table.data(), assembled.line_table.size()),
                     nb::bytes(assembled.exception_table.data(), assembled.exception_table.size()), assembled.stacksize,
                     consts, more_names);
}

nb::object replace_constants(nb::handle original, const CodeFields& fields, nb::handle consts) {
    return made_like(original, fields.code, fields.line_table, fields.exception_table, fields.stacksize, consts);
}

}  // namespace splice
