#include "pyapi/code_object.hpp"

#include "version/behavior.hpp"

namespace splice {

bool is_code(nb::handle obj) { return PyCode_Check(obj.ptr()); }

CodeFields read_code_fields(nb::handle code) {
    CodeFields fields;
    fields.code = nb::borrow<nb::bytes>(code.attr("co_code"));
    fields.line_table = nb::borrow<nb::bytes>(code.attr(kBehavior.line_table_field.data()));
    fields.exception_table = kBehavior.exception_table
                                 ? nb::borrow<nb::bytes>(code.attr("co_exceptiontable"))
                                 : nb::bytes("", 0);
    fields.consts = nb::borrow<nb::tuple>(code.attr("co_consts"));
    fields.first_line = nb::cast<int>(code.attr("co_firstlineno"));
    fields.stacksize = nb::cast<int>(code.attr("co_stacksize"));
    return fields;
}

nb::object replace_code(nb::handle original, const AssembledCode& assembled, nb::handle consts) {
    nb::dict changes;
    changes["co_code"] = nb::bytes(assembled.code.data(), assembled.code.size());
    changes[kBehavior.line_table_field.data()] =
        nb::bytes(assembled.line_table.data(), assembled.line_table.size());
    if (kBehavior.exception_table)
        changes["co_exceptiontable"] =
            nb::bytes(assembled.exception_table.data(), assembled.exception_table.size());
    changes["co_stacksize"] = assembled.stacksize;
    changes["co_consts"] = consts;
    return original.attr("replace")(**changes);
}

}  // namespace splice
