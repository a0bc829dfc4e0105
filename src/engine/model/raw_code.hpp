// The encoded fields of a code object, as plain bytes.
#pragma once

#include <string_view>

namespace splice {

struct RawCode {
    std::string_view code;
    std::string_view line_table;
    std::string_view exception_table;  // empty before 3.11
    int first_line = 0;
    int stacksize = 0;
};

}  // namespace splice
