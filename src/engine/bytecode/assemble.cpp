#include "bytecode/assemble.hpp"

#include <algorithm>

#include "bytecode/disassemble.hpp"
#include "bytecode/jumps.hpp"
#include "tables/exception_table.hpp"
#include "tables/line_tables.hpp"
#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

// One instruction as it will be written.
struct Slot {
    int op = 0;
    int arg = 0;          // final argument
    int prefixes = 0;     // EXTENDED_ARG prefixes
    int target = kNone;   // jumps: ordinal of the instruction jumped to
    int offset = 0;       // code units
};

// The instructions in order, with their sizes and offsets once jumps are sized.
struct Layout {
    const std::vector<int>& item_of;        // instruction ordinal -> item index
    const std::vector<int>& label_ordinal;  // label -> ordinal of the instruction it binds
    Scratch<Slot> slots;                    // per ordinal, and one past the last holding the total size

    int offset(std::size_t k) const { return slots[k].offset; }
    int units(std::size_t k) const { return slots[k + 1].offset - slots[k].offset; }
    int end() const { return slots.back().offset; }
};

int prefixes_for(int arg) { return instr_units_for_arg(arg) - 1; }

void lay_out(const CodeUnit& unit, Layout& l) {
    const std::size_t n = l.item_of.size();
    l.slots.resize(n + 1);
    bool any_jump = false;
    for (std::size_t k = 0; k < n; ++k) {
        const Item& item = unit.items[static_cast<std::size_t>(l.item_of[k])];
        Slot& slot = l.slots[k];
        slot.op = item.op;
        slot.arg = item.arg;
        const bool jump = op_is_jump(item.op);
        if (jump) {
            slot.target = l.label_ordinal[static_cast<std::size_t>(item.label)];
            any_jump = true;
        }
        slot.prefixes = std::max<int>(item.ext_hint, jump ? 0 : prefixes_for(item.arg));
        l.slots[k + 1].offset = slot.offset + slot.prefixes + 1 + op_caches(slot.op);
    }
    // Prefix counts only grow, so this settles after a few rounds.
    for (bool changed = any_jump; changed;) {
        changed = false;
        for (std::size_t k = 0; k < n; ++k) {
            Slot& slot = l.slots[k];
            if (slot.target == kNone) continue;
            slot.arg = jump_arg(slot.op, l.slots[static_cast<std::size_t>(slot.target)].offset, l.slots[k + 1].offset);
            if (prefixes_for(slot.arg) > slot.prefixes) {
                slot.prefixes = prefixes_for(slot.arg);
                changed = true;
            }
        }
        if (!changed) break;
        for (std::size_t k = 0; k < n; ++k)
            l.slots[k + 1].offset = l.slots[k].offset + l.slots[k].prefixes + 1 + op_caches(l.slots[k].op);
    }
}

void write_instruction(char* code, const Slot& slot) {
    const unsigned arg = static_cast<unsigned>(slot.arg);
    char* at = code + static_cast<std::size_t>(slot.offset) * 2;
    for (int p = slot.prefixes; p > 0; --p) {
        *at++ = static_cast<char>(op::EXTENDED_ARG);
        *at++ = static_cast<char>((arg >> (8 * p)) & 0xFF);
    }
    at[0] = static_cast<char>(slot.op);
    at[1] = static_cast<char>(arg & 0xFF);
}

std::string lnotab_table(const CodeUnit& unit, const Layout& l) {
    std::vector<LnotabMark> marks;
    std::size_t k = 0;  // ordinal of the next instruction
    for (const Item& item : unit.items) {
        if (item.is_instr()) ++k;
        if (item.kind != ItemKind::LineMark) continue;
        const int room = k < l.item_of.size() ? l.units(k) - 1 : 0;
        marks.push_back({l.offset(k) + std::min(item.arg, room), item.mark_line()});
    }
    return write_lnotab(marks, unit.first_line);
}

// Opens, extends and closes exception table entries instruction by instruction.
class EntryBuilder {
public:
    EntryBuilder(const CodeUnit& unit, const Layout& l) : unit_(unit), l_(l) {}

    void at(std::size_t k, int handler) {
        if (handler == current_) return;
        if (current_ != kNone) entries_.back().end = l_.offset(k);
        if (handler != kNone) {
            const Handler& h = unit_.handlers[static_cast<std::size_t>(handler)];
            const int target = l_.offset(static_cast<std::size_t>(l_.label_ordinal[static_cast<std::size_t>(h.label)]));
            entries_.push_back({l_.offset(k), l_.offset(k), target, h.depth, h.lasti});
        }
        current_ = handler;
    }

    std::string finish() {
        at(l_.item_of.size(), kNone);
        return write_exception_table(entries_);
    }

private:
    const CodeUnit& unit_;
    const Layout& l_;
    Scratch<ExceptionEntry> entries_;
    int current_ = kNone;
};

// One sweep writes the instructions and gathers what both tables need.
void emit(const CodeUnit& unit, const Layout& l, AssembledCode& out) {
    const std::size_t n = l.item_of.size();
    out.code.assign(static_cast<std::size_t>(l.end()) * 2, '\0');  // caches stay zero
    const bool sized_lines = kBehavior.line_table != LineTableFormat::Lnotab;
    Scratch<SizedLocation> sized;
    if (sized_lines) sized.resize(n);
    EntryBuilder entries(unit, l);
    for (std::size_t k = 0; k < n; ++k) {
        const Item& item = unit.items[static_cast<std::size_t>(l.item_of[k])];
        write_instruction(out.code.data(), l.slots[k]);
        if (sized_lines) sized[k] = {l.units(k), item.loc};
        if (kBehavior.exception_table) entries.at(k, item.handler);
    }
    if (kBehavior.exception_table) out.exception_table = entries.finish();
    if (kBehavior.line_table == LineTableFormat::Lnotab) {
        out.line_table = lnotab_table(unit, l);
    } else if (kBehavior.line_table == LineTableFormat::Ranges310) {
        out.line_table = write_ranges310(sized, unit.first_line);
    } else {
        out.line_table = write_locations(sized, unit.first_line, kBehavior.locations_merge_instructions);
    }
}

}  // namespace

AssembledCode assemble(const CodeUnit& unit, const InstrIndex& index) {
    Layout layout{index.instrs, index.ordinal};
    lay_out(unit, layout);
    AssembledCode out;
    emit(unit, layout, out);
    return out;
}

}  // namespace splice
