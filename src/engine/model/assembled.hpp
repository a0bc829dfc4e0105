#pragma once
#include <string>
namespace splice {
// What assembling produced, ready to become a code object.
struct AssembledCode {
    std::string code;
    std::string line_table;
    std::string exception_table;
    int stacksize = 0;
};
}  // namespace splice
