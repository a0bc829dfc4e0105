#include "source/logical_lines.hpp"

#include <array>
#include <string>

namespace splice {

namespace {

// What a byte can start, so the hot loops test one table entry instead of a
// chain of comparisons.
enum class Char : std::uint8_t {
    Other,      // an operator byte, or one the tokenizer rejects
    Space,      // space, tab, form feed
    Newline,    // \n or \r (\r\n and a lone \r both end a line, as in CPython)
    Name,       // letters, _, and every byte >= 0x80 (UTF-8 identifiers)
    Digit,
    Quote,
    Hash,
    Backslash,
    Open,
    Close,
    Colon,
    Dot,
};

constexpr std::array<Char, 256> make_char_table() {
    std::array<Char, 256> table{};
    for (int c = 'a'; c <= 'z'; ++c) table[c] = Char::Name;
    for (int c = 'A'; c <= 'Z'; ++c) table[c] = Char::Name;
    for (int c = 0x80; c < 0x100; ++c) table[c] = Char::Name;
    for (int c = '0'; c <= '9'; ++c) table[c] = Char::Digit;
    table['_'] = Char::Name;
    table[' '] = table['\t'] = table['\f'] = Char::Space;
    table['\n'] = table['\r'] = Char::Newline;
    table['\''] = table['"'] = Char::Quote;
    table['#'] = Char::Hash;
    table['\\'] = Char::Backslash;
    table['('] = table['['] = table['{'] = Char::Open;
    table[')'] = table[']'] = table['}'] = Char::Close;
    table[':'] = Char::Colon;
    table['.'] = Char::Dot;
    return table;
}
constexpr std::array<Char, 256> kChar = make_char_table();

// Bytes that can end the boring stretch of a string body; everything else is
// skipped without a branch per kind.
constexpr std::array<bool, 256> make_string_stops(bool braces) {
    std::array<bool, 256> stops{};
    stops['\\'] = stops['\''] = stops['"'] = stops['\n'] = stops['\r'] = true;
    stops['{'] = stops['}'] = braces;
    return stops;
}
constexpr std::array<bool, 256> kPlainStops = make_string_stops(false);
constexpr std::array<bool, 256> kTemplateStops = make_string_stops(true);

// CPython's limit on nested brackets (MAXLEVEL); depth must fit a uint8_t.
constexpr std::size_t kMaxDepth = 200;
// Replacement fields inside replacement fields (nested f-strings, format
// specs): CPython stops far earlier; the limit only keeps recursion bounded.
constexpr int kMaxFieldNesting = 200;
constexpr int kTabSize = 8;

struct StringFlags {
    bool raw = false;
    bool templated = false;  // f-string or t-string: has replacement fields
};

// String prefixes, lower-cased; u cannot combine, b not with f or t (3.14's
// template strings).
constexpr std::string_view kStringPrefixes[] = {"r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt"};

// Whether `name` glued to a quote makes one string with it (else the name and
// the string are separate tokens), and what kind of string.
bool string_prefix(std::string_view name, StringFlags& flags) {
    if (name.size() > 2) return false;
    char lower[2] = {};
    for (std::size_t i = 0; i < name.size(); ++i) lower[i] = static_cast<char>(name[i] | 0x20);
    const std::string_view key(lower, name.size());
    for (std::string_view prefix : kStringPrefixes) {
        if (prefix != key) continue;
        flags = StringFlags{key.find('r') != key.npos, key.find_first_of("ft") != key.npos};
        return true;
    }
    return false;
}

// What skip_name_or_string found.
enum class Word : std::uint8_t { Failed, Name, String };

class Lexer {
public:
    explicit Lexer(std::string_view src) : src_(src) {}

    LexedSource run() && {
        // Typical code has a token per 7 bytes and a logical line per 40: one
        // allocation each, most of the time.
        out_.tokens.reserve(src_.size() / 6 + 16);
        out_.lines.reserve(src_.size() / 32 + 16);
        if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;
        while (out_.ok && !at_end()) {
            const int indent = measure_indent();
            if (at_end()) break;
            const Char c = char_at(pos_);
            if (c == Char::Hash) skip_comment();
            if (at_end()) break;
            if (char_at(pos_) == Char::Newline) {
                newline();  // blank or comment-only: no logical line
                continue;
            }
            lex_logical_line(indent);
        }
        finish();
        return std::move(out_);
    }

private:
    std::string_view src_;
    std::size_t pos_ = 0;
    std::size_t line_start_ = 0;
    int line_ = 1;
    std::string brackets_;  // the open brackets of the current logical line
    int field_nesting_ = 0;
    LexedSource out_;

    bool at_end() const { return pos_ >= src_.size(); }
    unsigned char byte_at(std::size_t i) const { return i < src_.size() ? static_cast<unsigned char>(src_[i]) : 0; }
    char peek(std::size_t ahead = 0) const { return static_cast<char>(byte_at(pos_ + ahead)); }
    Char char_at(std::size_t i) const { return i < src_.size() ? kChar[byte_at(i)] : Char::Other; }
    bool at_newline() const { return char_at(pos_) == Char::Newline; }

    // Consumes \n, \r\n or a lone \r.
    void newline() {
        if (peek() == '\r' && peek(1) == '\n') ++pos_;
        ++pos_;
        ++line_;
        line_start_ = pos_;
    }

    bool fail() {
        if (out_.ok) out_.error_line = line_;
        out_.ok = false;
        return false;
    }

    void skip_comment() {
        while (!at_end() && !at_newline()) ++pos_;
    }

    // Columns before the first token of a line, as CPython's tokenizer counts them.
    int measure_indent() {
        int col = 0;
        for (; !at_end(); ++pos_) {
            const char c = peek();
            if (c == ' ') ++col;
            else if (c == '\t') col = (col / kTabSize + 1) * kTabSize;
            else if (c == '\f') col = 0;
            else break;
        }
        return col;
    }

    void push(TokenKind kind, std::size_t begin, int line, std::size_t depth) {
        out_.tokens.push_back(SourceToken{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(pos_), line,
                                          line_, kind, static_cast<std::uint8_t>(depth)});
    }

    void lex_logical_line(int indent);
    bool lex_token();
    bool lex_bracket(char c);
    void skip_name() {
        while (!at_end() && (kChar[byte_at(pos_)] == Char::Name || kChar[byte_at(pos_)] == Char::Digit)) ++pos_;
    }
    // Numbers only need to end where CPython's do not swallow a quote or a
    // bracket; `1e+5` splitting at the sign is harmless here.
    void skip_number() {
        while (!at_end()) {
            const Char c = char_at(pos_);
            if (c != Char::Name && c != Char::Digit && c != Char::Dot) break;
            ++pos_;
        }
    }
    bool skip_string(StringFlags flags);
    bool skip_plain_body(char quote, bool triple);
    bool skip_template_body(char quote, bool triple, bool raw);
    bool skip_field();
    bool skip_format_spec();
    bool skip_escape();
    bool close_quote(char quote, bool triple);
    Word skip_name_or_string();

    void finish();
};

void Lexer::lex_logical_line(int indent) {
    LogicalLine logical;
    logical.indent = indent;
    logical.first_token = static_cast<std::uint32_t>(out_.tokens.size());
    brackets_.clear();
    for (;;) {
        if (at_end()) {
            if (!brackets_.empty()) {
                fail();
                return;
            }
            logical.last_line = line_;
            break;
        }
        if (at_newline() && brackets_.empty()) {
            logical.last_line = line_;
            newline();
            break;
        }
        if (!lex_token()) return;
    }
    logical.end_token = static_cast<std::uint32_t>(out_.tokens.size());
    if (logical.end_token == logical.first_token) return;  // only a `\` continuation
    logical.first_line = out_.tokens[logical.first_token].line;
    out_.lines.push_back(logical);
}

// One token, or whitespace, a comment, or a line joining inside a logical line.
bool Lexer::lex_token() {
    const std::size_t begin = pos_;
    const int line = line_;
    switch (char_at(pos_)) {
        case Char::Space: ++pos_; return true;
        case Char::Newline: newline(); return true;  // inside brackets
        case Char::Hash: skip_comment(); return true;
        case Char::Backslash:
            ++pos_;
            // A backslash joins lines only right before the line end (never in
            // a comment), and never onto the end of the file.
            if (!at_newline()) return fail();
            newline();
            return !at_end() || fail();
        case Char::Name: {
            const Word word = skip_name_or_string();
            if (word == Word::Failed) return false;
            push(word == Word::String ? TokenKind::String : TokenKind::Name, begin, line, brackets_.size());
            return true;
        }
        case Char::Quote:
            if (!skip_string(StringFlags{})) return false;
            push(TokenKind::String, begin, line, brackets_.size());
            return true;
        case Char::Digit: skip_number(); push(TokenKind::Number, begin, line, brackets_.size()); return true;
        case Char::Dot:
            if (char_at(pos_ + 1) == Char::Digit) {
                skip_number();
                push(TokenKind::Number, begin, line, brackets_.size());
                return true;
            }
            break;
        case Char::Colon:
            if (peek(1) == '=') ++pos_;  // `:=` is one token, never a header colon
            break;
        case Char::Open:
        case Char::Close: return lex_bracket(peek());
        default: break;
    }
    ++pos_;
    push(TokenKind::Op, begin, line, brackets_.size());
    return true;
}

bool Lexer::lex_bracket(char c) {
    const std::size_t begin = pos_;
    ++pos_;
    if (kChar[static_cast<unsigned char>(c)] == Char::Open) {
        if (brackets_.size() >= kMaxDepth) return fail();
        push(TokenKind::Op, begin, line_, brackets_.size());
        brackets_.push_back(c);
        return true;
    }
    static constexpr std::string_view kPairs = "()[]{}";
    const char opener = kPairs[kPairs.find(c) - 1];
    if (brackets_.empty() || brackets_.back() != opener) return fail();
    brackets_.pop_back();
    push(TokenKind::Op, begin, line_, brackets_.size());
    return true;
}

// A name; if it is a string prefix glued to a quote, the whole string.
Word Lexer::skip_name_or_string() {
    const std::size_t begin = pos_;
    skip_name();
    StringFlags flags;
    if (char_at(pos_) != Char::Quote || !string_prefix(src_.substr(begin, pos_ - begin), flags)) return Word::Name;
    return skip_string(flags) ? Word::String : Word::Failed;
}

// From the opening quote to past the closing one.
bool Lexer::skip_string(StringFlags flags) {
    const char quote = peek();
    const bool triple = peek(1) == quote && peek(2) == quote;
    pos_ += triple ? 3 : 1;
    const bool closed =
        flags.templated ? skip_template_body(quote, triple, flags.raw) : skip_plain_body(quote, triple);
    return closed || fail();
}

// At a quote of the string's kind: consumes it if it closes the string.
bool Lexer::close_quote(char quote, bool triple) {
    if (!triple) {
        ++pos_;
        return true;
    }
    if (peek(1) == quote && peek(2) == quote) {
        pos_ += 3;
        return true;
    }
    ++pos_;
    return false;
}

// A backslash and the byte it escapes (even in raw strings, where `\"` does
// not close the string either); a line end counts as one byte.
bool Lexer::skip_escape() {
    ++pos_;
    if (at_end()) return false;
    if (at_newline()) newline();
    else ++pos_;
    return true;
}

bool Lexer::skip_plain_body(char quote, bool triple) {
    while (!at_end()) {
        const unsigned char c = byte_at(pos_);
        if (!kPlainStops[c]) {
            ++pos_;
            continue;
        }
        if (c == '\\') {
            if (!skip_escape()) return false;
        } else if (c == static_cast<unsigned char>(quote)) {
            if (close_quote(quote, triple)) return true;
        } else if (c == '\n' || c == '\r') {
            if (!triple) return false;
            newline();
        } else {
            ++pos_;  // the other quote
        }
    }
    return false;
}

// The literal part of an f-string or t-string. Since 3.12 (PEP 701) a
// replacement field is real code: it may hold the same quote, nested
// f-strings, comments and line breaks, so fields are lexed, not skipped to
// the next quote. Source valid for older versions lexes the same way.
bool Lexer::skip_template_body(char quote, bool triple, bool raw) {
    while (!at_end()) {
        const unsigned char c = byte_at(pos_);
        if (!kTemplateStops[c]) {
            ++pos_;
            continue;
        }
        switch (c) {
            case '\\':
                if (!raw && peek(1) == 'N' && peek(2) == '{') {
                    // \N{NAME} is a character name, not a field.
                    pos_ += 3;
                    while (!at_end() && peek() != '}' && peek() != quote && !at_newline()) ++pos_;
                    if (peek() == '}') ++pos_;
                } else if (peek(1) == '{' || peek(1) == '}') {
                    ++pos_;  // the brace keeps its meaning: `\{x}` still has a field
                } else if (!skip_escape()) {
                    return false;
                }
                break;
            case '{':
                if (peek(1) == '{') {
                    pos_ += 2;
                } else {
                    ++pos_;
                    if (!skip_field()) return false;
                }
                break;
            case '}': pos_ += peek(1) == '}' ? 2 : 1; break;
            case '\n':
            case '\r':
                if (!triple) return false;
                newline();
                break;
            default:
                if (c == static_cast<unsigned char>(quote)) {
                    if (close_quote(quote, triple)) return true;
                } else {
                    ++pos_;
                }
        }
    }
    return false;
}

// From after a field's `{` to past its `}`: an expression, then maybe `!r`,
// `=`, and a format spec after the first `:` outside brackets.
bool Lexer::skip_field() {
    struct Nesting {
        int& level;
        explicit Nesting(int& l) : level(++l) {}
        ~Nesting() { --level; }
    } nesting(field_nesting_);
    if (nesting.level > kMaxFieldNesting) return false;
    int depth = 0;
    while (!at_end()) {
        switch (char_at(pos_)) {
            case Char::Newline: newline(); continue;
            case Char::Hash: skip_comment(); continue;
            case Char::Backslash:
                if (!skip_escape()) return false;
                continue;
            case Char::Quote:
                if (!skip_string(StringFlags{})) return false;
                continue;
            case Char::Name:
                if (skip_name_or_string() == Word::Failed) return false;
                continue;
            case Char::Digit: skip_number(); continue;
            case Char::Open: ++depth; break;
            case Char::Close:
                if (depth == 0) {
                    ++pos_;
                    return byte_at(pos_ - 1) == '}';
                }
                --depth;
                break;
            case Char::Colon:
                if (depth == 0) {
                    ++pos_;
                    return skip_format_spec();
                }
                break;
            default: break;
        }
        ++pos_;
    }
    return false;
}

// From after a field's `:` to past the field's `}`; nested fields allowed.
bool Lexer::skip_format_spec() {
    while (!at_end()) {
        switch (peek()) {
            case '{':
                ++pos_;
                if (!skip_field()) return false;
                continue;
            case '}': ++pos_; return true;
            case '\\':
                if (peek(1) == '{' || peek(1) == '}') break;
                if (!skip_escape()) return false;
                continue;
            case '\n':
            case '\r': newline(); continue;
            default: break;
        }
        ++pos_;
    }
    return false;
}

void Lexer::finish() {
    out_.line_count = line_start_ >= src_.size() ? line_ - 1 : line_;
    if (!out_.ok) {
        out_.tokens.clear();
        out_.lines.clear();
        return;
    }
    out_.has_code.assign(static_cast<std::size_t>(out_.line_count), 0);
    for (const SourceToken& token : out_.tokens)
        for (int line = token.line; line <= token.end_line; ++line) out_.has_code[static_cast<std::size_t>(line) - 1] = 1;
}

}  // namespace

LexedSource lex_logical_lines(std::string_view source) { return Lexer(source).run(); }

}  // namespace splice
