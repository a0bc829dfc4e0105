#include "tables/exception_table.hpp"

namespace splice {

namespace {

constexpr int kStartMark = 128;
constexpr int kMore = 64;

// 6-bit chunks, most significant first; bit 7 marks the first byte of an entry.
int read_item(std::string_view table, std::size_t& pos) {
    int b = static_cast<unsigned char>(table[pos++]);
    int value = b & 63;
    while ((b & kMore) && pos < table.size()) {
        b = static_cast<unsigned char>(table[pos++]);
        value = (value << 6) | (b & 63);
    }
    return value;
}

void write_item(std::string& out, int value, int mark) {
    for (int shift = 24; shift > 0; shift -= 6) {
        if (value >= (1 << shift)) {
            out.push_back(static_cast<char>(((value >> shift) & 63) | kMore | mark));
            mark = 0;
        }
    }
    out.push_back(static_cast<char>((value & 63) | mark));
}

}  // namespace

bool ExceptionTableReader::next(ExceptionEntry& e) {
    if (pos_ >= table_.size()) return false;
    e.start = read_item(table_, pos_);
    e.end = e.start + read_item(table_, pos_);
    e.target = read_item(table_, pos_);
    const int depth_lasti = read_item(table_, pos_);
    e.depth = depth_lasti >> 1;
    e.lasti = depth_lasti & 1;
    return true;
}

std::string write_exception_table(std::span<const ExceptionEntry> entries) {
    std::string out;
    out.reserve(entries.size() * 4);
    for (const ExceptionEntry& e : entries) {
        write_item(out, e.start, kStartMark);
        write_item(out, e.end - e.start, 0);
        write_item(out, e.target, 0);
        write_item(out, (e.depth << 1) | static_cast<int>(e.lasti), 0);
    }
    return out;
}

}  // namespace splice
