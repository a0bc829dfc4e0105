#include "tables/line_tables.hpp"

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
constexpr std::size_t kMaxEntryBytes = 25;

struct Writer {
    std::string out;
    char* p;
    int line;

    Writer(std::size_t expected_bytes, int first_line) : out(expected_bytes + kMaxEntryBytes, '\0'), p(out.data()), line(first_line) {}
    std::string finish() {
        out.resize(static_cast<std::size_t>(p - out.data()));
        return std::move(out);
    }

    void make_room() {
        const std::size_t used = static_cast<std::size_t>(p - out.data());
        if (out.size() - used >= kMaxEntryBytes) return;
        out.resize(2 * out.size());
        p = out.data() + used;
    }

    void put(int byte) { *p++ = static_cast<char>(byte); }
    void first_byte(int code, int length) { put(0x80 | (code << 3) | (length - 1)); }
    void varint(unsigned value) {
        while (value >= 64) {
            put(static_cast<int>(64 | (value & 63)));
            value >>= 6;
        }
        put(static_cast<int>(value));
    }
    void svarint(int value) { varint(value < 0 ? (static_cast<unsigned>(-value) << 1) | 1 : static_cast<unsigned>(value) << 1); }

    // One entry of at most 8 units, in the form CPython's assembler picks.
    void entry(const Location& loc, int length) {
        make_room();
        if (loc.line < 0) {
            first_byte(kNoLocation, length);
            return;
        }
        const int delta = loc.line - line;
        const int col = loc.col;
        const int end_col = loc.end_col;
        if (col < 0 || end_col < 0) {
            if (loc.end_line == loc.line || loc.end_line < 0) {
                first_byte(kNoColumn, length);
                svarint(delta);
                line = loc.line;
                return;
            }
        } else if (loc.end_line == loc.line) {
            if (delta == 0 && col < 80 && end_col - col < 16 && end_col >= col) {
                first_byte(col / 8, length);
                put(((col % 8) << 4) | (end_col - col));
                return;
            }
            if (delta >= 0 && delta < 3 && col < 128 && end_col < 128) {
                first_byte(kOneLine0 + delta, length);
                put(col);
                put(end_col);
                line = loc.line;
                return;
            }
        }
        first_byte(kLong, length);
        svarint(delta);
        varint(static_cast<unsigned>(loc.end_line - loc.line));
        varint(static_cast<unsigned>(col + 1));
        varint(static_cast<unsigned>(end_col + 1));
        line = loc.line;
    }

    void run(const Location& loc, int units) {
        for (; units > 8; units -= 8) entry(loc, 8);
        if (units > 0) entry(loc, units);
    }
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
