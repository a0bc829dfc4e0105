// Where statements and clauses begin and end in Python source text, found by
// a tokenizer-lite and an indentation pass instead of Python's `ast`: the
// engine places a hook "as if `hook(N)` were written as a statement just
// before line N", and asking `ast` for that would cost more than compiling.
//
// The scanner assumes source that compiles; on text it cannot follow
// (unterminated string, bad dedent, unbalanced brackets...) it says so with
// `ok == false` instead of guessing.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/code_unit.hpp"  // kNone

namespace splice {

enum class StatementKind : std::uint8_t {
    Simple,    // any simple statement (assignment, expression, return, pass, import, global, type, ...)
    Compound,  // if/for/while/try/with/match (async variants too)
    Clause,    // a clause header with code of its own: elif, except (incl. except*), case
    Scope,     // def / async def / class; begins at its first decorator line if decorated
};

struct Statement {
    int first_line = 0;        // 1-based; the first decorator line of a decorated def/class
    int last_line = 0;         // ast's end_lineno: bodies included; an if/elif runs to the end of its chain
    int header_last_line = 0;  // last line of the logical line that begins it (Simple: = last_line)
    StatementKind kind = StatementKind::Simple;
    int parent = kNone;        // innermost enclosing Compound/Clause/Scope, kNone (-1) at module level
    int scope = kNone;         // innermost enclosing Scope, kNone at module level
};

enum class LineRole : std::uint8_t {
    NoCode,        // blank or comment-only (also inside brackets), or a bare `\` continuation line
    Begins,        // a statement or clause begins on it
    Continuation,  // a later line of a statement's header or simple logical line (strings included)
    BareClause,    // `else:` / `finally:`: a clause header without code of its own (with an inline
                   // body, `else: x = 1`, the line is Begins: x begins there)
    OutOfRange,
};

// What the queries read, one per physical line; built once by scan_statements.
struct LineInfo {
    int begins = kNone;     // first statement beginning on the line
    int continues = kNone;  // innermost statement whose header/simple line continues onto it
    LineRole role = LineRole::NoCode;
};

struct StatementMap {
    bool ok = true;      // false: the source could not be scanned and the map is empty
    int error_line = 0;  // where the scan gave up, when !ok
    std::vector<Statement> statements;  // by first_line; enclosing before enclosed; left to right
    std::vector<LineInfo> lines;        // lines[line - 1]

    int line_count() const { return static_cast<int>(lines.size()); }
    // The first (outermost, leftmost) statement beginning on `line`, or kNone.
    int beginning_at(int line) const { return in_range(line) ? at(line).begins : kNone; }
    // The innermost statement of which `line` is a later physical line (of its
    // header or simple logical line, decorators and the `def` line of a
    // decorated def included; blank or comment lines inside brackets too), or kNone.
    int continuing(int line) const { return in_range(line) ? at(line).continues : kNone; }
    LineRole role(int line) const { return in_range(line) ? at(line).role : LineRole::OutOfRange; }

private:
    bool in_range(int line) const { return line >= 1 && line <= line_count(); }
    const LineInfo& at(int line) const { return lines[static_cast<std::size_t>(line) - 1]; }
};

// `source`: the bytes of a module (UTF-8 or any ASCII-compatible encoding).
StatementMap scan_statements(std::string_view source);

}  // namespace splice
