#include "tables/line_tables.hpp"

namespace splice {

std::vector<LnotabMark> read_lnotab(std::string_view table, int first_line) {
    std::vector<LnotabMark> marks;
    marks.reserve(table.size() / 2);
    int offset_bytes = 0;
    int line = first_line;
    for (std::size_t i = 0; i + 1 < table.size(); i += 2) {
        offset_bytes += static_cast<unsigned char>(table[i]);
        line += static_cast<signed char>(table[i + 1]);
        marks.push_back({offset_bytes / 2, line});
    }
    return marks;
}

namespace {

void put_pair(std::string& out, int bytes, int line_delta) {
    out.push_back(static_cast<char>(bytes));
    out.push_back(static_cast<char>(static_cast<signed char>(line_delta)));
}

// Splits one step that does not fit a pair the way CPython's compiler does.
void put_step(std::string& out, int bytes, int line_delta) {
    while (bytes > 255) {
        put_pair(out, 255, 0);
        bytes -= 255;
    }
    if (line_delta < -128 || line_delta > 127) {
        const int step = line_delta < 0 ? -128 : 127;
        const int count = line_delta < 0 ? -line_delta / 128 : line_delta / 127;
        for (int i = 0; i < count; ++i) {
            put_pair(out, i == 0 ? bytes : 0, step);
        }
        line_delta -= count * step;
        bytes = 0;
    }
    put_pair(out, bytes, line_delta);
}

}  // namespace

std::string write_lnotab(std::span<const LnotabMark> marks, int first_line) {
    std::string out;
    out.reserve(marks.size() * 2);
    int offset = 0;
    int line = first_line;
    for (const LnotabMark& mark : marks) {
        put_step(out, (mark.offset - offset) * 2, mark.line - line);
        offset = mark.offset;
        line = mark.line;
    }
    return out;
}

}  // namespace splice
