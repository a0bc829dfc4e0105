// The block pass: logical lines -> statements. Indentation opens and closes
// blocks exactly as CPython's INDENT/DEDENT do; the first word of a logical
// line says what it begins, and a header's colon (the first one outside
// brackets that no `lambda` claims) separates it from an inline body.
#include "source/statement_map.hpp"

#include <algorithm>

#include "source/logical_lines.hpp"

namespace splice {

namespace {

// What the first word(s) of a logical line begin.
enum class Head : std::uint8_t {
    Simple,
    Decorator,
    If,
    Elif,
    Else,
    Loop,  // for, while, async for
    Try,
    Except,
    Finally,
    With,
    Scope,  // def, class, async def
    Match,
    Case,
};

struct Keyword {
    std::string_view word;
    Head head;
};
// Hard keywords that begin a compound statement or clause. `async`, `match`
// and `case` need a look at their context and are handled apart.
constexpr Keyword kKeywords[] = {
    {"if", Head::If},         {"elif", Head::Elif},       {"else", Head::Else},    {"for", Head::Loop},
    {"while", Head::Loop},    {"try", Head::Try},         {"except", Head::Except}, {"finally", Head::Finally},
    {"with", Head::With},     {"def", Head::Scope},       {"class", Head::Scope},
};

Head keyword_head(std::string_view word) {
    for (const Keyword& k : kKeywords)
        if (k.word == word) return k.head;
    return Head::Simple;
}

// Which clauses may still follow a compound statement at its indentation.
enum class Chain : std::uint8_t {
    None,
    If,       // elif / else
    Loop,     // else
    Try,      // except / else / finally
    TryElse,  // finally
};

struct Frame {
    int indent = 0;
    int owner = -1;           // statement whose body this block is; -1: the module
    int scope = -1;           // innermost Scope around the block's statements
    bool match_body = false;  // the block of a match: case clauses only
    Chain chain = Chain::None;
    int chain_owner = -1;     // the if/elif an elif or else continues; the loop; the try
};

// A header waiting for its indented block.
struct PendingBody {
    bool active = false;
    int owner = -1;
    int scope = -1;
    bool match_body = false;
};

// A compound statement ends where the last statement of its bodies ends. A
// parent always precedes its children, so one backward pass carries each end
// up the whole chain (an elif's parent is the clause before it).
void stretch_over_bodies(std::vector<Statement>& statements) {
    for (std::size_t i = statements.size(); i-- > 0;) {
        const Statement& s = statements[i];
        if (s.parent < 0) continue;
        int& last = statements[static_cast<std::size_t>(s.parent)].last_line;
        last = std::max(last, s.last_line);
    }
}

class BlockParser {
public:
    BlockParser(std::string_view source, const LexedSource& lexed, StatementMap& out)
        : src_(source), lexed_(lexed), out_(out), bare_lines_(static_cast<std::size_t>(lexed.line_count), 0) {
        frames_.push_back(Frame{});
    }

    // Fills out_.statements (and out_.error_line when it cannot).
    bool run();
    // bare_lines()[line - 1]: the line belongs to an `else:` or `finally:` header.
    const std::vector<std::uint8_t>& bare_lines() const { return bare_lines_; }

private:
    std::string_view src_;
    const LexedSource& lexed_;
    StatementMap& out_;
    std::vector<Frame> frames_;
    PendingBody pending_;
    std::vector<std::uint8_t> bare_lines_;
    int decorator_line_ = -1;  // first decorator line of the def/class to come
    int error_line_ = 0;

    const SourceToken& token(std::uint32_t i) const { return lexed_.tokens[i]; }
    std::string_view text(std::uint32_t i) const { return src_.substr(token(i).begin, token(i).end - token(i).begin); }
    bool is_op(std::uint32_t i, std::string_view op) const {
        return token(i).kind == TokenKind::Op && text(i) == op;
    }
    bool is_name(std::uint32_t i, std::string_view name) const {
        return token(i).kind == TokenKind::Name && text(i) == name;
    }
    bool fail(int line) {
        error_line_ = line;
        return false;
    }

    bool open_block(const LogicalLine& line);
    Head classify(const LogicalLine& line, const Frame& frame) const;
    std::uint32_t header_colon(const LogicalLine& line) const;
    bool parse_line(const LogicalLine& line);
    bool parse_clause(const LogicalLine& line, Head head);
    bool parse_header(const LogicalLine& line, Head head);
    bool open_body(const LogicalLine& line, std::uint32_t colon, int owner, int scope, bool match_body);
    int add(const Statement& statement);
    void add_simple_run(std::uint32_t begin, std::uint32_t end, int parent, int scope);
};

bool BlockParser::run() {
    for (const LogicalLine& line : lexed_.lines) {
        if (!parse_line(line)) {
            out_.error_line = error_line_ ? error_line_ : line.first_line;
            return false;
        }
    }
    if (pending_.active || decorator_line_ >= 0) {
        out_.error_line = lexed_.line_count;
        return false;  // a header or decorator with nothing after it
    }
    stretch_over_bodies(out_.statements);
    return true;
}

// INDENT/DEDENT: enters the block a header asked for, or returns to the
// enclosing block whose indentation the line matches.
bool BlockParser::open_block(const LogicalLine& line) {
    if (pending_.active) {
        if (line.indent <= frames_.back().indent) return false;  // expected an indented block
        frames_.push_back(Frame{line.indent, pending_.owner, pending_.scope, pending_.match_body});
        pending_.active = false;
        return true;
    }
    while (line.indent < frames_.back().indent) frames_.pop_back();
    return line.indent == frames_.back().indent;  // else: unexpected indent or no matching level
}

Head BlockParser::classify(const LogicalLine& line, const Frame& frame) const {
    const std::uint32_t first = line.first_token;
    if (frame.match_body) return is_name(first, "case") ? Head::Case : Head::Simple;
    if (is_op(first, "@")) return Head::Decorator;
    if (token(first).kind != TokenKind::Name) return Head::Simple;
    const std::string_view word = text(first);
    if (word == "async" && first + 1 < line.end_token && token(first + 1).kind == TokenKind::Name) {
        const Head next = keyword_head(text(first + 1));
        return next == Head::Scope || next == Head::Loop || next == Head::With ? next : Head::Simple;
    }
    if (word == "match") {
        // The soft keyword: `match <subject>:` ends with its header colon,
        // which no simple statement starting with the name `match` can do
        // (`match = 3`, `match(x)`, `match[x]: int`, `match.y` cannot).
        const std::uint32_t colon = header_colon(line);
        return colon != line.end_token && colon > first + 1 && colon + 1 == line.end_token ? Head::Match
                                                                                             : Head::Simple;
    }
    return keyword_head(word);
}

// The first `:` outside brackets that no `lambda` claims (`if lambda: 1:` is
// legal), or line.end_token. `:=` is a token of its own and never matches.
std::uint32_t BlockParser::header_colon(const LogicalLine& line) const {
    int lambdas = 0;
    for (std::uint32_t i = line.first_token; i < line.end_token; ++i) {
        if (token(i).depth != 0) continue;
        if (is_name(i, "lambda")) {
            ++lambdas;
        } else if (is_op(i, ":")) {
            if (lambdas == 0) return i;
            --lambdas;
        }
    }
    return line.end_token;
}

bool BlockParser::parse_line(const LogicalLine& line) {
    if (!open_block(line)) return fail(line.first_line);
    Frame& frame = frames_.back();
    const Head head = classify(line, frame);
    if (decorator_line_ >= 0 && head != Head::Decorator && head != Head::Scope) return fail(line.first_line);
    switch (head) {
        case Head::Decorator:
            frame.chain = Chain::None;
            if (decorator_line_ < 0) decorator_line_ = line.first_line;
            return true;
        case Head::Simple:
            if (frame.match_body) return fail(line.first_line);
            frame.chain = Chain::None;
            add_simple_run(line.first_token, line.end_token, frame.owner, frame.scope);
            return true;
        case Head::Elif:
        case Head::Else:
        case Head::Except:
        case Head::Finally:
        case Head::Case: return parse_clause(line, head);
        default: return parse_header(line, head);
    }
}

// if / for / while / try / with / match / def / class.
bool BlockParser::parse_header(const LogicalLine& line, Head head) {
    Frame& frame = frames_.back();
    const std::uint32_t colon = header_colon(line);
    if (colon == line.end_token) return fail(line.first_line);
    Statement statement;
    statement.first_line = line.first_line;
    statement.kind = head == Head::Scope ? StatementKind::Scope : StatementKind::Compound;
    if (head == Head::Scope && decorator_line_ >= 0) {
        statement.first_line = decorator_line_;
        decorator_line_ = -1;
    }
    statement.last_line = token(colon).line;
    statement.header_last_line = line.last_line;
    statement.parent = frame.owner;
    statement.scope = frame.scope;
    const int index = add(statement);
    switch (head) {
        case Head::If: frame.chain = Chain::If; break;
        case Head::Loop: frame.chain = Chain::Loop; break;
        case Head::Try: frame.chain = Chain::Try; break;
        default: frame.chain = Chain::None; break;
    }
    frame.chain_owner = index;
    const int body_scope = head == Head::Scope ? index : frame.scope;
    return open_body(line, colon, index, body_scope, head == Head::Match);
}

// elif / else / except / finally / case: which statement each continues, and
// whose body follows it. An elif nests in the clause before it, like ast's
// If in orelse, so that its span runs to the end of the chain.
bool BlockParser::parse_clause(const LogicalLine& line, Head head) {
    Frame& frame = frames_.back();
    const Chain chain = frame.chain;
    const std::uint32_t colon = header_colon(line);
    if (colon == line.end_token) return fail(line.first_line);
    if (head == Head::Else || head == Head::Finally) {
        const bool fits = head == Head::Else ? chain != Chain::None && chain != Chain::TryElse
                                             : chain == Chain::Try || chain == Chain::TryElse;
        if (!fits) return fail(line.first_line);
        frame.chain = head == Head::Else && chain == Chain::Try ? Chain::TryElse : Chain::None;
        for (int l = line.first_line; l <= line.last_line; ++l) bare_lines_[static_cast<std::size_t>(l) - 1] = 1;
        return open_body(line, colon, frame.chain_owner, frame.scope, false);
    }
    Statement statement;
    statement.first_line = line.first_line;
    statement.last_line = token(colon).line;
    statement.header_last_line = line.last_line;
    statement.kind = StatementKind::Clause;
    statement.scope = frame.scope;
    if (head == Head::Case) {
        statement.parent = frame.owner;
    } else {
        const Chain wanted = head == Head::Elif ? Chain::If : Chain::Try;
        if (chain != wanted) return fail(line.first_line);
        statement.parent = frame.chain_owner;
    }
    const int index = add(statement);
    if (head == Head::Elif) frame.chain_owner = index;  // an else belongs to the last elif
    return open_body(line, colon, index, frame.scope, false);
}

// Statements after the header colon on the same line, or a block to come.
bool BlockParser::open_body(const LogicalLine& line, std::uint32_t colon, int owner, int scope, bool match_body) {
    if (colon + 1 < line.end_token) {
        if (match_body) return fail(line.first_line);  // a match needs its block of cases
        add_simple_run(colon + 1, line.end_token, owner, scope);
    } else {
        pending_ = PendingBody{true, owner, scope, match_body};
    }
    return true;
}

// Simple statements separated by top-level `;`.
void BlockParser::add_simple_run(std::uint32_t begin, std::uint32_t end, int parent, int scope) {
    std::uint32_t start = begin;
    for (std::uint32_t i = begin; i <= end; ++i) {
        if (i < end && !(token(i).depth == 0 && is_op(i, ";"))) continue;
        if (i > start) {
            const int last = token(i - 1).end_line;
            add(Statement{token(start).line, last, last, StatementKind::Simple, parent, scope});
        }
        start = i + 1;
    }
}

int BlockParser::add(const Statement& statement) {
    out_.statements.push_back(statement);
    return static_cast<int>(out_.statements.size()) - 1;
}

// The per-line answers of the queries. `continues` is filled outermost first
// so that inner statements overwrite: the logical line's first statement
// covers all its later lines, then each statement its own header lines.
void index_lines(const LexedSource& lexed, const std::vector<std::uint8_t>& bare_lines, StatementMap& map) {
    auto info = [&](int line) -> LineInfo& { return map.lines[static_cast<std::size_t>(line) - 1]; };
    map.lines.assign(static_cast<std::size_t>(lexed.line_count), LineInfo{});
    const int count = static_cast<int>(map.statements.size());
    for (int i = count - 1; i >= 0; --i) info(map.statements[static_cast<std::size_t>(i)].first_line).begins = i;
    for (const LogicalLine& line : lexed.lines) {
        const int first = info(line.first_line).begins;
        if (first < 0) continue;
        for (int l = line.first_line + 1; l <= line.last_line; ++l) info(l).continues = first;
    }
    for (int i = 0; i < count; ++i) {
        const Statement& s = map.statements[static_cast<std::size_t>(i)];
        for (int l = s.first_line + 1; l <= s.header_last_line; ++l) info(l).continues = i;
    }
    for (int l = 1; l <= lexed.line_count; ++l) {
        LineInfo& line = info(l);
        const bool code = lexed.has_code[static_cast<std::size_t>(l) - 1] != 0;
        if (line.begins >= 0) line.role = LineRole::Begins;
        else if (!code) line.role = LineRole::NoCode;
        else if (line.continues >= 0) line.role = LineRole::Continuation;
        else if (bare_lines[static_cast<std::size_t>(l) - 1]) line.role = LineRole::BareClause;
    }
}

}  // namespace

StatementMap scan_statements(std::string_view source) {
    StatementMap map;
    const LexedSource lexed = lex_logical_lines(source);
    if (!lexed.ok) {
        map.ok = false;
        map.error_line = lexed.error_line;
        return map;
    }
    map.statements.reserve(lexed.lines.size() + lexed.lines.size() / 4);
    BlockParser parser(source, lexed, map);
    if (!parser.run()) {
        map.ok = false;
        map.statements.clear();
        return map;
    }
    index_lines(lexed, parser.bare_lines(), map);
    return map;
}

}  // namespace splice
