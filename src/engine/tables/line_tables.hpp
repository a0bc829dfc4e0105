// The three line table formats, each with its reader beside its writer.
// Offsets are in code units (2 bytes) unless a name says bytes.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/code_unit.hpp"
#include "version/behavior.hpp"

namespace splice {

// 3.8-3.9 co_lnotab. Each (byte delta, line delta) pair becomes a mark at its
// absolute offset, carrying the line in force from there on; keeping every
// pair, even (255, 0) or (0, 0) ones, makes an unedited table re-encode exactly.
struct LnotabMark {
    int offset = 0;  // code units
    int line = 0;
};
std::vector<LnotabMark> read_lnotab(std::string_view table, int first_line);
std::string write_lnotab(std::span<const LnotabMark> marks, int first_line);

// An instruction as the 3.10+ writers see it: its size (prefixes and caches
// included) and its position.
struct SizedLocation {
    int units = 1;
    Location loc;
};

// 3.10 co_linetable: (byte length, line delta) ranges.
std::string write_ranges310(std::span<const SizedLocation> instrs, int first_line);

// 3.11+ location table. `merge` joins consecutive instructions with equal
// positions into one run (3.12+).
std::string write_locations(std::span<const SizedLocation> instrs, int first_line, bool merge);

// One entry of a 3.10+ table, read at `pos` (which moves past it): `line` is
// the line the table has reached, `loc` gets the entry's position (3.10: the
// line only). Returns the code units the entry covers.
int read_ranges310_entry(std::string_view table, std::size_t& pos, int& line, Location& loc);
int read_location_entry(std::string_view table, std::size_t& pos, int& line, Location& loc);

// The position of each instruction, from the table of this version, read
// in step with the instructions: `at` is asked for ascending starts (code
// units). Without an entry (or with co_lnotab, whose lines are marks) a
// position is unknown.
class PositionReader {
public:
    PositionReader(std::string_view table, int first_line) : table_(table), line_(first_line) {}

    Location at(int start) {
        while (end_ <= start && pos_ < table_.size()) {
            switch (kBehavior.line_table) {
                case LineTableFormat::Lnotab: return {};
                case LineTableFormat::Ranges310:
                    if (pos_ + 1 >= table_.size()) return {};
                    end_ += read_ranges310_entry(table_, pos_, line_, current_);
                    break;
                case LineTableFormat::Locations:
                    end_ += read_location_entry(table_, pos_, line_, current_);
                    break;
            }
        }
        return end_ > start ? current_ : Location{};
    }

private:
    std::string_view table_;
    std::size_t pos_ = 0;
    int line_;
    int end_ = 0;  // where the current entry ends
    Location current_;
};

}  // namespace splice
