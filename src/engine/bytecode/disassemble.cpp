#include "bytecode/disassemble.hpp"

#include <algorithm>
#include <string>

#include "bytecode/jumps.hpp"
#include "tables/exception_table.hpp"
#include "tables/line_tables.hpp"
#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

// One instruction as read, with what the later steps attach to it: kept in
// one record so that decoding needs one temporary per instruction, not four.
struct Decoded {
    int op = 0;
    int arg = 0;
    int start = 0;   // code units, first EXTENDED_ARG prefix included
    int units = 0;   // prefixes, instruction and caches
    int ext = 0;
    int target = kNone;   // jumps: the target's code unit, then its instruction index
    int label = kNone;    // the label bound to this instruction, if anything jumps or handles here
    int handler = kNone;  // index in CodeUnit::handlers
};

[[noreturn]] void fail(const std::string& what, int offset) {
    throw DecodeError(what + " at offset " + std::to_string(offset * 2));
}

// Splits the code into instructions, and one record past the last for a label
// bound to the end of the code; `jumps` gets the indices of the jumps.
void split_instructions(std::string_view code, std::vector<Decoded>& out, std::vector<int>& jumps) {
    const int total = static_cast<int>(code.size() / 2);
    out.reserve(static_cast<std::size_t>(total) + 1);
    int pos = 0;
    while (pos < total) {
        Decoded d;
        d.start = pos;
        int arg = 0;
        for (;;) {
            const int op = static_cast<unsigned char>(code[static_cast<std::size_t>(pos) * 2]);
            arg = (arg << 8) | static_cast<unsigned char>(code[static_cast<std::size_t>(pos) * 2 + 1]);
            ++pos;
            if (op != op::EXTENDED_ARG) {
                d.op = op;
                break;
            }
            if (pos >= total) fail("EXTENDED_ARG at the end of the code", pos - 1);
            ++d.ext;
        }
        if (!op_valid(d.op)) fail("unknown opcode " + std::to_string(d.op), pos - 1);
        d.arg = arg;  // kept even where the interpreter ignores it, for exact re-encoding
        pos += op_caches(d.op);
        d.units = pos - d.start;
        if (op_is_jump(d.op)) {
            d.target = jump_target(d.op, d.arg, pos);
            jumps.push_back(static_cast<int>(out.size()));
        }
        out.push_back(d);
    }
    if (pos != total) fail("instruction runs past the end of the code", total);
    Decoded end;
    end.start = total;
    out.push_back(end);
}

[[noreturn]] void fail_inside(const char* what, int unit) { fail(std::string(what) + " points inside an instruction", unit); }

// The index of the instruction that starts at `unit`; the record past the
// last one starts at the end of the code. Searched rather than tabled per
// unit: only jumps and exception entries ask, far fewer than the units.
int instruction_at(const std::vector<Decoded>& instrs, int unit, const char* what) {
    const auto found = std::partition_point(instrs.begin(), instrs.end(), [unit](const Decoded& d) { return d.start < unit; });
    if (found == instrs.end() || found->start != unit) fail_inside(what, unit);
    return static_cast<int>(found - instrs.begin());
}

}  // namespace

CodeUnit disassemble(const RawCode& raw) {
    if (raw.code.size() % 2) throw DecodeError("co_code has an odd length");
    Scratch<Decoded> instrs;
    Scratch<int> jumps;
    split_instructions(raw.code, instrs, jumps);
    const std::size_t count = instrs.size() - 1;  // the last record stands for the end

    CodeUnit unit;
    unit.first_line = raw.first_line;

    // Labels: one per instruction that something jumps to or handles at.
    auto label_for = [&](int index) {
        int& label = instrs[static_cast<std::size_t>(index)].label;
        if (label == kNone) label = unit.new_label();
        return label;
    };
    for (int jump : jumps) {
        Decoded& d = instrs[static_cast<std::size_t>(jump)];
        d.target = instruction_at(instrs, d.target, "a jump");
        if (d.target == static_cast<int>(count)) fail("a jump past the end of the code", d.start);
        label_for(d.target);
    }

    // Exception table: one handler record per entry; each instruction in its range points to it.
    ExceptionTableReader entries(raw.exception_table);
    for (ExceptionEntry e; entries.next(e);) {
        const int first = instruction_at(instrs, e.start, "an exception range start");
        const int last = instruction_at(instrs, e.end, "an exception range end");
        const int target = instruction_at(instrs, e.target, "an exception handler");
        if (target == static_cast<int>(count) || first > last) fail("a bad exception table entry", e.start);
        const int handler = static_cast<int>(unit.handlers.size());
        unit.handlers.push_back({label_for(target), e.depth, e.lasti});
        for (int i = first; i < last; ++i) instrs[static_cast<std::size_t>(i)].handler = handler;
    }

    // co_lnotab pairs become marks before the instruction they start at.
    std::vector<LnotabMark> marks;
    if (kBehavior.line_table == LineTableFormat::Lnotab) marks = read_lnotab(raw.line_table, raw.first_line);
    std::size_t next_mark = 0;
    int line = raw.first_line;
    // Each instruction's position is taken from its first code unit.
    PositionReader positions(raw.line_table, raw.first_line);

    // Every item is counted ahead, so they are written in place: appending
    // one at a time costs a capacity check and a call each.
    unit.items.resize(count + marks.size() + static_cast<std::size_t>(unit.label_count));
    Item* out = unit.items.data();
    for (std::size_t i = 0; i < count; ++i) {
        const Decoded& d = instrs[i];
        if (d.label != kNone) *out++ = Item::label_item(d.label);
        // A mark inside an instruction (3.8-3.9's optimizer leaves some between
        // EXTENDED_ARG and its instruction) keeps its distance from the start;
        // the line an instruction reports is the one in force at its start.
        int line_at_start = line;
        for (; next_mark < marks.size() && marks[next_mark].offset < d.start + d.units; ++next_mark) {
            Item& mark = *out++;
            mark = Item::mark(marks[next_mark].line);
            mark.arg = marks[next_mark].offset - d.start;
            if (mark.arg == 0) line_at_start = mark.mark_line();
            line = marks[next_mark].line;
        }
        Item& item = *out++;  // a default item is an instruction: only what differs is written
        item.op = static_cast<std::uint16_t>(d.op);
        item.arg = d.arg;
        item.loc = positions.at(d.start);
        if (kBehavior.line_table == LineTableFormat::Lnotab) item.loc.line = line_at_start;
        item.ext_hint = static_cast<std::uint8_t>(d.ext);
        item.handler = d.handler;
        if (d.target != kNone) item.label = instrs[static_cast<std::size_t>(d.target)].label;
    }
    if (instrs[count].label != kNone) *out++ = Item::label_item(instrs[count].label);
    for (; next_mark < marks.size(); ++next_mark) *out++ = Item::mark(marks[next_mark].line);
    return unit;
}

}  // namespace splice
