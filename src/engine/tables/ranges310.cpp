#include "tables/line_tables.hpp"

namespace splice {

namespace {
constexpr int kNoLineDelta = -128;
}

int read_ranges310_entry(std::string_view table, std::size_t& pos, int& line, Location& loc) {
    const int units = static_cast<unsigned char>(table[pos]) / 2;
    const int delta = static_cast<signed char>(table[pos + 1]);
    pos += 2;
    if (delta != kNoLineDelta) line += delta;
    loc = Location{};
    loc.line = delta == kNoLineDelta ? kNone : line;
    return units;
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
