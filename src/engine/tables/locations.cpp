#include "tables/line_tables.hpp"

#include <algorithm>

namespace splice {

namespace {

enum LocationCode : int {
    kShortMax = 9,   // 0-9: same line, column group in the code
    kOneLine0 = 10,  // 10-12: line delta 0-2, one-byte columns
    kNoColumn = 13,
    kLong = 14,
    kNoLocation = 15,
};

struct Reader {
    std::string_view bytes;
    std::size_t pos = 0;

    int byte() { return static_cast<unsigned char>(bytes[pos++]); }
    int varint() {  // 6-bit chunks, least significant first
        int b = byte();
        int value = b & 63;
        for (int shift = 6; b & 64; shift += 6) {
            b = byte();
            value |= (b & 63) << shift;
        }
        return value;
    }
    int svarint() {
        const int v = varint();
        return (v & 1) ? -(v >> 1) : (v >> 1);
    }
};

}  // namespace

int read_location_entry(std::string_view table, std::size_t& pos, int& line, Location& loc) {
    Reader in{table, pos};
    const int first = in.byte();
    const int code = (first >> 3) & 15;
    loc = Location{};
    if (code == kNoLocation) {
        // no position at all
    } else if (code == kLong) {
        line += in.svarint();
        loc.line = line;
        loc.end_line = line + in.varint();
        loc.col = in.varint() - 1;
        loc.end_col = in.varint() - 1;
    } else if (code == kNoColumn) {
        line += in.svarint();
        loc.line = loc.end_line = line;
    } else if (code >= kOneLine0) {
        line += code - kOneLine0;
        loc.line = loc.end_line = line;
        loc.col = in.byte();
        loc.end_col = in.byte();
    } else {
        const int second = in.byte();
        loc.line = loc.end_line = line;
        loc.col = code * 8 + ((second >> 4) & 7);
        loc.end_col = loc.col + (second & 15);
    }
    pos = in.pos;
    return (first & 7) + 1;
}

namespace {

// Writes into a string sized ahead of the writing: each entry checks once
// for room for the longest one (a byte and four varints of at most six bytes)
// instead of every byte checking, and the string is trimmed at the end.
constexpr std::ptrdiff_t kMaxEntryBytes = 25;

// The entry writers take and return the write position: bytes stored through
// a char pointer may alias anything, so a position kept in a member would be
// stored and loaded again around every byte.
char* put_first_byte(char* p, int code, int length) {
    *p++ = static_cast<char>(0x80 | (code << 3) | (length - 1));
    return p;
}

char* put_varint(char* p, unsigned value) {
    while (value >= 64) {
        *p++ = static_cast<char>(64 | (value & 63));
        value >>= 6;
    }
    *p++ = static_cast<char>(value);
    return p;
}

char* put_svarint(char* p, int value) {
    return put_varint(p, value < 0 ? (static_cast<unsigned>(-value) << 1) | 1 : static_cast<unsigned>(value) << 1);
}

// One entry of at most 8 units, in the form CPython's assembler picks; `line`
// is the line the table has reached.
char* put_entry(char* p, const Location& loc, int length, int& line) {
    if (loc.line < 0) return put_first_byte(p, kNoLocation, length);
    const int delta = loc.line - line;
    const int col = loc.col;
    const int end_col = loc.end_col;
    if (col < 0 || end_col < 0) {
        if (loc.end_line == loc.line || loc.end_line < 0) {
            line = loc.line;
            return put_svarint(put_first_byte(p, kNoColumn, length), delta);
        }
    } else if (loc.end_line == loc.line) {
        if (delta == 0 && col < 80 && end_col - col < 16 && end_col >= col) {
            p = put_first_byte(p, col / 8, length);
            *p++ = static_cast<char>(((col % 8) << 4) | (end_col - col));
            return p;
        }
        if (delta >= 0 && delta < 3 && col < 128 && end_col < 128) {
            p = put_first_byte(p, kOneLine0 + delta, length);
            *p++ = static_cast<char>(col);
            *p++ = static_cast<char>(end_col);
            line = loc.line;
            return p;
        }
    }
    p = put_svarint(put_first_byte(p, kLong, length), delta);
    p = put_varint(p, static_cast<unsigned>(loc.end_line - loc.line));
    p = put_varint(p, static_cast<unsigned>(col + 1));
    p = put_varint(p, static_cast<unsigned>(end_col + 1));
    line = loc.line;
    return p;
}

class Writer {
public:
    Writer(std::size_t expected_bytes, int first_line)
        : out_(expected_bytes + kMaxEntryBytes, '\0'), p_(out_.data()), last_start_(p_ + expected_bytes), line_(first_line) {}

    // Entries of at most 8 units for `units` of code at one position.
    void run(const Location& loc, int units) {
        char* p = p_;
        int line = line_;
        for (; units > 0; units -= 8) {
            if (p > last_start_) p = grow(p);
            p = put_entry(p, loc, std::min(units, 8), line);
        }
        p_ = p;
        line_ = line;
    }

    std::string finish() {
        out_.resize(static_cast<std::size_t>(p_ - out_.data()));
        return std::move(out_);
    }

private:
    char* grow(char* p) {
        const std::size_t used = static_cast<std::size_t>(p - out_.data());
        out_.resize(2 * out_.size());
        last_start_ = out_.data() + out_.size() - kMaxEntryBytes;
        return out_.data() + used;
    }

    std::string out_;
    char* p_;
    char* last_start_;  // the last position with room for the longest entry
    int line_;
};

}  // namespace

std::string write_locations(std::span<const SizedLocation> instrs, int first_line, bool merge) {
    Writer w(instrs.size() * 3, first_line);  // most entries take two or three bytes
    if (!merge) {
        for (const SizedLocation& instr : instrs) w.run(instr.loc, instr.units);
        return w.finish();
    }
    Location run_loc;
    int run_units = 0;
    for (const SizedLocation& instr : instrs) {
        if (!(instr.loc == run_loc)) {
            w.run(run_loc, run_units);
            run_loc = instr.loc;
            run_units = 0;
        }
        run_units += instr.units;
    }
    w.run(run_loc, run_units);
    return w.finish();
}

}  // namespace splice
