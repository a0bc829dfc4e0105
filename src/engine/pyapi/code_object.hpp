// Reading the fields of a code object, and making a new one from edited fields.
#pragma once

#include <nanobind/nanobind.h>

#include <span>
#include <string>
#include <utility>
#include <string_view>

#include "model/assembled.hpp"
#include "model/raw_code.hpp"

namespace splice {

namespace nb = nanobind;

// The fields the engine decodes, as views into bytes objects kept alive here.
struct CodeFields {
    nb::bytes code;
    nb::bytes line_table;
    nb::bytes exception_table;  // empty before 3.11
    nb::tuple consts;
    nb::str name;
    int first_line = 0;
    int stacksize = 0;

    std::string_view code_view() const { return {code.c_str(), code.size()}; }
    std::string_view line_table_view() const { return {line_table.c_str(), line_table.size()}; }
    std::string_view exception_table_view() const {
        return {exception_table.c_str(), exception_table.size()};
    }
    std::string_view name_view() const;
    RawCode raw() const {
        return {code_view(), line_table_view(), exception_table_view(), first_line, stacksize};
    }
};

bool is_code(nb::handle obj);
CodeFields read_code_fields(nb::handle code);


// `consts` with some entries replaced (index, value) and others appended.
nb::tuple with_constants(const nb::tuple& consts, std::span<const std::pair<int, nb::object>> replaced,
                         std::span<const nb::object> appended);

// A copy of `original` with new instructions, tables, stack size and
// constants, and `more_names` after its names.
nb::object replace_code(nb::handle original, const AssembledCode& assembled, nb::handle consts,
                        std::span<const nb::object> more_names = {});

// A copy of `original` (whose fields are `fields`) with new constants only.
nb::object replace_constants(nb::handle original, const CodeFields& fields, nb::handle consts);

}  // namespace splice
