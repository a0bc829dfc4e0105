// The tokenizer-lite under the statement scanner: it splits source into
// logical lines (brackets, backslashes, strings and comments resolved) and
// keeps just enough of each token for the block pass to find statement
// keywords, header colons and semicolons. Strings, f-strings and t-strings
// become single tokens however many lines they span.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace splice {

enum class TokenKind : std::uint8_t { Name, Number, String, Op };

struct SourceToken {
    std::uint32_t begin = 0;  // byte offsets into the source
    std::uint32_t end = 0;
    int line = 0;             // line of the first byte
    int end_line = 0;         // line of the last byte; later than `line` only for strings
    TokenKind kind = TokenKind::Op;
    std::uint8_t depth = 0;   // brackets open around it; an opener and its closer share the value
};

struct LogicalLine {
    int first_line = 0;
    int last_line = 0;  // the line of its NEWLINE, as tokenize reports it
    int indent = 0;     // in columns: tabs to the next multiple of 8, form feed resets, as CPython
    std::uint32_t first_token = 0;
    std::uint32_t end_token = 0;
};

struct LexedSource {
    bool ok = true;
    int error_line = 0;
    int line_count = 0;
    std::vector<SourceToken> tokens;
    std::vector<LogicalLine> lines;     // comment-only and blank lines have none
    std::vector<std::uint8_t> has_code;  // has_code[line - 1]: a token touches the line
};

LexedSource lex_logical_lines(std::string_view source);

}  // namespace splice
