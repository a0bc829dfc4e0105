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

// An item takes at most five bytes (chunks from bit 24 down), an entry twenty.
constexpr std::size_t kMaxEntryBytes = 20;

// Takes and returns the write position, kept out of memory (see locations.cpp).
char* write_item(char* p, int value, int mark) {
    for (int shift = 24; shift > 0; shift -= 6) {
        if (value >= (1 << shift)) {
            *p++ = static_cast<char>(((value >> shift) & 63) | kMore | mark);
            mark = 0;
        }
    }
    *p++ = static_cast<char>((value & 63) | mark);
    return p;
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
    std::string out(entries.size() * kMaxEntryBytes, '\0');
    char* p = out.data();
    for (const ExceptionEntry& e : entries) {
        p = write_item(p, e.start, kStartMark);
        p = write_item(p, e.end - e.start, 0);
        p = write_item(p, e.target, 0);
        p = write_item(p, (e.depth << 1) | static_cast<int>(e.lasti), 0);
    }
    out.resize(static_cast<std::size_t>(p - out.data()));
    return out;
}

}  // namespace splice
