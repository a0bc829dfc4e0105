#include "pyapi/code_object.hpp"

#include "version/behavior.hpp"

namespace splice {

namespace {

nb::object interned(const char* name) { return nb::steal(PyUnicode_InternFromString(name)); }

// Attribute and keyword names, made once: looked up by C string, each access
// would build a new str.
struct Names {
    nb::object co_code = interned("co_code");
    nb::object line_table = interned(kBehavior.line_table_field.data());
    nb::object co_exceptiontable = interned("co_exceptiontable");
    nb::object co_consts = interned("co_consts");
    nb::object co_firstlineno = interned("co_firstlineno");
    nb::object co_stacksize = interned("co_stacksize");
    nb::object co_name = interned("co_name");
    nb::object replace = interned("replace");
    nb::object no_arguments = nb::tuple();
};

// Made on first use in each interpreter lifetime. When the interpreter
// finalizes, its objects go with it: the names are then forgotten (never
// released, that would be too late), so an interpreter started again in the
// same process makes its own.
const Names* g_names = nullptr;

const Names& names() {
    if (!g_names) {
        g_names = new Names();
        Py_AtExit([] { g_names = nullptr; });
    }
    return *g_names;
}

}  // namespace

bool is_code(nb::handle obj) { return PyCode_Check(obj.ptr()); }

CodeFields read_code_fields(nb::handle code) {
    const Names& n = names();
    CodeFields fields;
    fields.code = nb::borrow<nb::bytes>(code.attr(n.co_code));
    fields.line_table = nb::borrow<nb::bytes>(code.attr(n.line_table));
    fields.exception_table = kBehavior.exception_table ? nb::borrow<nb::bytes>(code.attr(n.co_exceptiontable)) : nb::bytes("", 0);
    fields.consts = nb::borrow<nb::tuple>(code.attr(n.co_consts));
    fields.name = nb::borrow<nb::str>(code.attr(n.co_name));
    fields.first_line = nb::cast<int>(code.attr(n.co_firstlineno));
    fields.stacksize = nb::cast<int>(code.attr(n.co_stacksize));
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

nb::object replace_code(nb::handle original, const AssembledCode& assembled, nb::handle consts) {
    const Names& n = names();
    nb::dict changes;  // keyed by the interned names: no str made per call
    auto change = [&changes](const nb::object& name, const nb::object& value) {
        if (PyDict_SetItem(changes.ptr(), name.ptr(), value.ptr()) != 0) throw nb::python_error();
    };
    change(n.co_code, nb::bytes(assembled.code.data(), assembled.code.size()));
    change(n.line_table, nb::bytes(assembled.line_table.data(), assembled.line_table.size()));
    if (kBehavior.exception_table)
        change(n.co_exceptiontable, nb::bytes(assembled.exception_table.data(), assembled.exception_table.size()));
    change(n.co_stacksize, nb::int_(assembled.stacksize));
    change(n.co_consts, nb::borrow(consts));
    const nb::object method = original.attr(n.replace);
    PyObject* made = PyObject_Call(method.ptr(), n.no_arguments.ptr(), changes.ptr());
    if (!made) throw nb::python_error();
    return nb::steal(made);
}

}  // namespace splice
