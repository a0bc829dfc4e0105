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

// Reads the entries one at a time, in table order.
class ExceptionTableReader {
public:
    explicit ExceptionTableReader(std::string_view table) : table_(table) {}
    bool next(ExceptionEntry& entry);  // false past the last entry

private:
    std::string_view table_;
    std::size_t pos_ = 0;
};

std::string write_exception_table(std::span<const ExceptionEntry> entries);

}  // namespace splice
