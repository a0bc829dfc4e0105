// 3.11+ co_exceptiontable: (start, end, handler, depth, lasti) in code units.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace splice {

struct ExceptionEntry {
    int start = 0;
    int end = 0;
    int target = 0;
    int depth = 0;
    bool lasti = false;
};

std::vector<ExceptionEntry> read_exception_table(std::string_view table);
std::string write_exception_table(std::span<const ExceptionEntry> entries);

}  // namespace splice
