#include "tables/line_tables.hpp"

namespace splice {

namespace {
constexpr int kNoLineDelta = -128;
}

std::vector<int> read_ranges310(std::string_view table, int first_line, std::span<const int> starts) {
    std::vector<int> lines(starts.size(), kNone);
    int line = first_line;
    int start = 0;  // code units
    std::size_t next = 0;
    for (std::size_t i = 0; i + 1 < table.size() && next < starts.size(); i += 2) {
        const int end = start + static_cast<unsigned char>(table[i]) / 2;
        const int delta = static_cast<signed char>(table[i + 1]);
        if (delta != kNoLineDelta) line += delta;
        for (; next < starts.size() && starts[next] < end; ++next) lines[next] = delta == kNoLineDelta ? kNone : line;
        start = end;
    }
    return lines;
}

namespace {

// One run of instructions on one line, written as CPython 3.10's assembler does.
void put_range(std::string& out, int bytes, int line, int& previous_line) {
    if (bytes == 0) return;
    int delta = kNoLineDelta;
    if (line != kNone) {
        delta = line - previous_line;
        previous_line = line;
        for (; delta > 127; delta -= 127) out += {0, 127};
        for (; delta < -127; delta += 127) out += {0, static_cast<char>(-127)};
    }
    for (; bytes > 254; bytes -= 254) {
        out += {static_cast<char>(254), static_cast<char>(delta)};
        delta = line == kNone ? kNoLineDelta : 0;
    }
    out += {static_cast<char>(bytes), static_cast<char>(delta)};
}

}  // namespace

std::string write_ranges310(std::span<const SizedLocation> instrs, int first_line) {
    std::string out;
    int previous_line = first_line;
    int run_line = first_line;
    int run_bytes = 0;
    for (const SizedLocation& instr : instrs) {
        if (instr.loc.line != run_line) {
            put_range(out, run_bytes, run_line, previous_line);
            run_line = instr.loc.line;
            run_bytes = 0;
        }
        run_bytes += instr.units * 2;
    }
    put_range(out, run_bytes, run_line, previous_line);
    return out;
}

}  // namespace splice
