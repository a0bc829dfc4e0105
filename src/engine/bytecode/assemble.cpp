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
    }

    // Prefix counts only grow, so this settles after a few rounds.
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t k = 0; k < n; ++k)
            l.slots[k + 1].offset = l.slots[k].offset + l.slots[k].prefixes + 1 + op_caches(l.slots[k].op);
        if (!any_jump) break;
        for (std::size_t k = 0; k < n; ++k) {
            Slot& slot = l.slots[k];
            if (slot.target == kNone) continue;
            slot.arg = jump_arg(slot.op, l.slots[static_cast<std::size_t>(slot.target)].offset, l.slots[k + 1].offset);
            if (prefixes_for(slot.arg) > slot.prefixes) {
                slot.prefixes = prefixes_for(slot.arg);
                changed = true;
            }
        }
    }
}

std::string emit_code(const Layout& l) {
    std::string code(static_cast<std::size_t>(l.end()) * 2, '\0');  // caches stay zero
    char* out = code.data();
    for (std::size_t k = 0; k < l.item_of.size(); ++k) {
        const Slot& slot = l.slots[k];
        const unsigned arg = static_cast<unsigned>(slot.arg);
        char* at = out + static_cast<std::size_t>(slot.offset) * 2;
        for (int p = slot.prefixes; p > 0; --p) {
            *at++ = static_cast<char>(op::EXTENDED_ARG);
            *at++ = static_cast<char>((arg >> (8 * p)) & 0xFF);
        }
        at[0] = static_cast<char>(slot.op);
        at[1] = static_cast<char>(arg & 0xFF);
    }
    return code;
}

std::string emit_line_table(const CodeUnit& unit, const Layout& l) {
    if (kBehavior.line_table == LineTableFormat::Lnotab) {
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
    Scratch<SizedLocation> sized;
    sized.resize(l.item_of.size());
    for (std::size_t k = 0; k < sized.size(); ++k) {
        sized[k].units = l.units(k);
        sized[k].loc = unit.items[static_cast<std::size_t>(l.item_of[k])].loc;
    }
    if (kBehavior.line_table == LineTableFormat::Ranges310) return write_ranges310(sized, unit.first_line);
    return write_locations(sized, unit.first_line, kBehavior.locations_merge_instructions);
}

std::string emit_exception_table(const CodeUnit& unit, const Layout& l) {
    if (!kBehavior.exception_table) return {};
    Scratch<int> handler_offset;
    handler_offset.resize(unit.handlers.size());
    for (std::size_t h = 0; h < unit.handlers.size(); ++h)
        handler_offset[h] = l.offset(static_cast<std::size_t>(l.label_ordinal[static_cast<std::size_t>(unit.handlers[h].label)]));
    Scratch<ExceptionEntry> entries;
    int current = kNone;
    for (std::size_t k = 0; k <= l.item_of.size(); ++k) {
        const int handler = k < l.item_of.size() ? unit.items[static_cast<std::size_t>(l.item_of[k])].handler : kNone;
        if (handler == current) continue;
        if (current != kNone) entries.back().end = l.offset(k);
        if (handler != kNone) {
            const Handler& h = unit.handlers[static_cast<std::size_t>(handler)];
            entries.push_back({l.offset(k), l.offset(k), handler_offset[static_cast<std::size_t>(handler)], h.depth, h.lasti});
        }
        current = handler;
    }
    return write_exception_table(entries);
}

}  // namespace

AssembledCode assemble(const CodeUnit& unit, const InstrIndex& index) {
    Layout layout{index.instrs, index.ordinal};
    lay_out(unit, layout);
    AssembledCode out;
    out.code = emit_code(layout);
    out.line_table = emit_line_table(unit, layout);
    out.exception_table = emit_exception_table(unit, layout);
    return out;
}

}  // namespace splice
