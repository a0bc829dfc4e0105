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
    const bool columns = (col | end_col) >= 0;  // both known
    if (columns && loc.end_line == loc.line) {
        // Columns below 80 at most 15 apart on the line before: the short form, most entries.
        const unsigned width = static_cast<unsigned>(end_col - col);
        if (delta == 0 && col < 80 && width < 16) {
            p = put_first_byte(p, col / 8, length);
            *p++ = static_cast<char>(((col % 8) << 4) | static_cast<int>(width));
            return p;
        }
        if (static_cast<unsigned>(delta) < 3 && (col | end_col) < 128) {
            p = put_first_byte(p, kOneLine0 + delta, length);
            *p++ = static_cast<char>(col);
            *p++ = static_cast<char>(end_col);
            line = loc.line;
            return p;
        }
    } else if (!columns && (loc.end_line == loc.line || loc.end_line < 0)) {
        line = loc.line;
        return put_svarint(put_first_byte(p, kNoColumn, length), delta);
    }
    p = put_svarint(put_first_byte(p, kLong, length), delta);
    p = put_varint(p, static_cast<unsigned>(loc.end_line - loc.line));
    p = put_varint(p, static_cast<unsigned>(col + 1));
    p = put_varint(p, static_cast<unsigned>(end_col + 1));
    line = loc.line;
    return p;
}

// The table's bytes, grown ahead so that an entry always fits.
class Output {
public:
    explicit Output(std::size_t expected_bytes)
        : bytes_(expected_bytes + kMaxEntryBytes, '\0'), last_start_(bytes_.data() + expected_bytes) {}

    char* start() { return bytes_.data(); }
    // `p`, or where it moved to, with room for the longest entry.
    char* room(char* p) { return p > last_start_ ? grow(p) : p; }
    std::string finish(char* p) && {
        bytes_.resize(static_cast<std::size_t>(p - bytes_.data()));
        return std::move(bytes_);
    }

private:
    char* grow(char* p) {
        const std::size_t used = static_cast<std::size_t>(p - bytes_.data());
        bytes_.resize(2 * bytes_.size());
        last_start_ = bytes_.data() + bytes_.size() - kMaxEntryBytes;
        return bytes_.data() + used;
    }

    std::string bytes_;
    char* last_start_;  // the last position with room for the longest entry
};

// Entries of at most 8 units for `units` of code at one position.
char* put_run(Output& out, char* p, const Location& loc, int units, int& line) {
    for (; units > 0; units -= 8) p = put_entry(out.room(p), loc, std::min(units, 8), line);
    return p;
}

}  // namespace

std::string write_locations(std::span<const SizedLocation> instrs, int first_line, bool merge) {
    Output out(instrs.size() * 5);  // an entry takes two or three bytes, a run most often one or two entries
    char* p = out.start();
    int line = first_line;
    if (!merge) {
        for (const SizedLocation& instr : instrs) p = put_run(out, p, instr.loc, instr.units, line);
        return std::move(out).finish(p);
    }
    Location run_loc;
    int run_units = 0;
    for (const SizedLocation& instr : instrs) {
        if (!(instr.loc == run_loc)) {
            p = put_run(out, p, run_loc, run_units, line);
            run_loc = instr.loc;
            run_units = 0;
        }
        run_units += instr.units;
    }
    p = put_run(out, p, run_loc, run_units, line);
    return std::move(out).finish(p);
}

}  // namespace splice
