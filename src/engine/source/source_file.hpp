// A source file's text with its scanned statements.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "source/statement_map.hpp"

namespace splice {

class SourceFile {
public:
    explicit SourceFile(std::string text);

    const StatementMap& statements() const { return statements_; }
    int line_count() const { return static_cast<int>(line_starts_.size()); }
    std::string_view line_text(int line) const;

    // Is it a `for` or `while` loop (`async for` included)?
    bool is_loop(const Statement& statement) const;

    // The def/class statement whose body is a code object named `name` whose
    // co_firstlineno is `first_line`, or kNone.
    int find_scope(int first_line, std::string_view name) const;

private:
    std::string text_;
    std::vector<std::size_t> line_starts_;
    StatementMap statements_;
};


}  // namespace splice
