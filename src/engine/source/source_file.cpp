#include "source/source_file.hpp"

#include "model/code_unit.hpp"

namespace splice {

namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

std::string_view skip_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\f')) s.remove_prefix(1);
    return s;
}

// After a keyword at the start of `s`, the identifier it introduces.
bool take_keyword(std::string_view& s, std::string_view keyword) {
    if (s.substr(0, keyword.size()) != keyword || s.size() == keyword.size() || is_name_char(s[keyword.size()])) return false;
    s = skip_blanks(s.substr(keyword.size()));
    return true;
}

std::string_view defined_name(std::string_view line) {
    line = skip_blanks(line);
    take_keyword(line, "async");
    if (!take_keyword(line, "def") && !take_keyword(line, "class")) return {};
    std::size_t end = 0;
    while (end < line.size() && is_name_char(line[end])) ++end;
    return line.substr(0, end);
}

}  // namespace

SourceFile::SourceFile(std::string text) : text_(std::move(text)), statements_(scan_statements(text_)) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
        const bool cr_alone = text_[i] == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n');
        if ((text_[i] == '\n' || cr_alone) && i + 1 < text_.size()) line_starts_.push_back(i + 1);
    }
}

std::string_view SourceFile::line_text(int line) const {
    if (line < 1 || line > line_count()) return {};
    const std::size_t start = line_starts_[static_cast<std::size_t>(line - 1)];
    const std::size_t end = line < line_count() ? line_starts_[static_cast<std::size_t>(line)] : text_.size();
    return std::string_view(text_).substr(start, end - start);
}

bool SourceFile::is_loop(const Statement& statement) const {
    if (statement.kind != StatementKind::Compound) return false;
    std::string_view line = skip_blanks(line_text(statement.first_line));
    take_keyword(line, "async");
    return take_keyword(line, "for") || take_keyword(line, "while");
}

int SourceFile::find_scope(int first_line, std::string_view name) const {
    const auto& all = statements_.statements;
    for (int s = statements_.beginning_at(first_line); s != kNone && s < static_cast<int>(all.size()) &&
                                                      all[static_cast<std::size_t>(s)].first_line == first_line;
         ++s) {
        const Statement& st = all[static_cast<std::size_t>(s)];
        if (st.kind != StatementKind::Scope) continue;
        for (int line = st.first_line; line <= st.header_last_line; ++line)
            if (defined_name(line_text(line)) == name) return s;
    }
    return kNone;
}


}  // namespace splice
