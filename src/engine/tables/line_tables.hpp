// The three line table formats, each with its reader beside its writer.
// Offsets are in code units (2 bytes) unless a name says bytes.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/code_unit.hpp"

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

// 3.10 co_linetable: the line (or kNone) of each instruction, given where
// each starts (in code units, ascending).
std::vector<int> read_ranges310(std::string_view table, int first_line, std::span<const int> starts);
std::string write_ranges310(std::span<const SizedLocation> instrs, int first_line);

// 3.11+ location table: the position of each instruction, given where each
// starts. `merge` joins consecutive instructions with equal positions into one
// run (3.12+).
std::vector<Location> read_locations(std::string_view table, int first_line, std::span<const int> starts);
std::string write_locations(std::span<const SizedLocation> instrs, int first_line, bool merge);

}  // namespace splice
