// The editable form of one code object: a stream of instructions, labels and
// line marks. Jump targets and exception handlers refer to labels; offsets,
// EXTENDED_ARG prefixes and inline caches exist only when assembling.
#pragma once

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace splice {

inline constexpr int kNone = -1;  // no line / no column / no label / no handler

struct Location {
    int line = kNone;
    int end_line = kNone;
    int col = kNone;
    int end_col = kNone;
    // Compared once or twice per instruction written: all four fields at once.
    friend bool operator==(const Location& a, const Location& b) { return std::memcmp(&a, &b, sizeof(Location)) == 0; }
};

enum class ItemKind : std::uint8_t {
    Instr,     // a real instruction
    Label,     // a jump or handler target: binds `label` to the next instruction
    LineMark,  // co_lnotab versions only: a (byte, line) pair of the table starts here
};

struct Item {
    ItemKind kind = ItemKind::Instr;
    std::uint8_t ext_hint = 0;   // EXTENDED_ARG prefixes the original had (may exceed the need)
    std::uint16_t op = 0;        // Instr: opcode
    int arg = 0;                 // Instr: oparg (jumps: recomputed when assembling);
                                 // LineMark: code units past the start of the next instruction
    int label = kNone;           // Instr: jump target; Label: the label it binds
    int handler = kNone;         // Instr: index in CodeUnit::handlers (3.11+)
    Location loc;                // Instr: source position; LineMark: loc.line is the line
                                 // the table says from here on

    static Item instr(int op, int arg, Location loc) {
        Item item;
        item.op = static_cast<std::uint16_t>(op);
        item.arg = arg;
        item.loc = loc;
        return item;
    }
    static Item label_item(int label) {
        Item item;
        item.kind = ItemKind::Label;
        item.label = label;
        return item;
    }
    static Item mark(int line) {
        Item item;
        item.kind = ItemKind::LineMark;
        item.loc.line = line;
        return item;
    }
    bool is_instr() const { return kind == ItemKind::Instr; }
    int mark_line() const { return loc.line; }
};
static_assert(sizeof(Location) == 4 * sizeof(int), "Location is compared as raw bytes: no padding");
static_assert(sizeof(Item) == 32, "Item is copied many times per rewrite: keep it small");

// One exception table entry's handler (3.11+). Entries of the original table
// keep their own record even when two agree, so that re-encoding an unedited
// unit splits ranges exactly where the original did.
struct Handler {
    int label = kNone;
    int depth = 0;
    bool lasti = false;
};

struct CodeUnit {
    std::vector<Item> items;
    std::vector<Handler> handlers;
    int label_count = 0;
    int first_line = 0;

    int new_label() { return label_count++; }
};

}  // namespace splice

namespace splice {

// Where a unit's instructions are and where its labels bind, found in one
// pass for the passes that need both.
struct InstrIndex {
    std::vector<int> instrs;   // item index of each instruction, in order
    std::vector<int> bound;    // label -> item index of the instruction it binds (items.size() past the end)
    std::vector<int> ordinal;  // label -> ordinal of that instruction (instrs.size() past the end)
};

// Builds an InstrIndex item by item, while a unit is read or written.
class InstrIndexer {
public:
    InstrIndexer(int label_count, std::size_t item_count) {
        index_.instrs.reserve(item_count);
        index_.ordinal.assign(static_cast<std::size_t>(label_count), kNone);
    }

    // The item at index `at`. A label binds the instruction that comes next:
    // the one whose ordinal is the count of instructions before the label.
    void add(const Item& item, int at) {
        if (item.is_instr()) {
            index_.instrs.push_back(at);
        } else if (item.kind == ItemKind::Label) {
            index_.ordinal[static_cast<std::size_t>(item.label)] = static_cast<int>(index_.instrs.size());
        }
    }

    InstrIndex finish(int item_count) && {
        index_.bound.resize(index_.ordinal.size());
        for (std::size_t label = 0; label < index_.ordinal.size(); ++label) {
            const int k = index_.ordinal[label];
            index_.bound[label] = k == kNone ? kNone : k < static_cast<int>(index_.instrs.size()) ? index_.instrs[static_cast<std::size_t>(k)] : item_count;
        }
        return std::move(index_);
    }

private:
    InstrIndex index_;
};

inline InstrIndex index_instructions(const CodeUnit& unit) {
    InstrIndexer indexer(unit.label_count, unit.items.size());
    for (std::size_t i = 0; i < unit.items.size(); ++i) indexer.add(unit.items[i], static_cast<int>(i));
    return std::move(indexer).finish(static_cast<int>(unit.items.size()));
}

}  // namespace splice
