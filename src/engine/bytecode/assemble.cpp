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

int prefixes_for(int arg) { return instr_units_for_arg(arg) - 1; }

// 3.12+ location tables and 3.10 line ranges cover runs of instructions with
// equal positions, so the sweep hands the writers runs rather than instructions;
// 3.11 writes an entry per instruction.
constexpr bool kLinesInRuns = kBehavior.line_table == LineTableFormat::Ranges310 || kBehavior.locations_merge_instructions;

// Room for the instructions of a typical unit (an instruction and its caches
// take two or three code units), so that the code buffer rarely grows.
constexpr std::size_t kExpectedUnitsPerInstr = 3;

// A jump to a label the sweep has not reached yet: written at the end of the
// sweep, once every label's offset is known.
struct ForwardJump {
    int offset;    // code units: where its prefixes start
    int end;       // code units: just past its caches
    int op;
    int label;
    int prefixes;  // as given; raised for the next sweep when the argument needs more
};

void write_instruction(char* code, int offset, int op, int arg_value, int prefixes) {
    const unsigned arg = static_cast<unsigned>(arg_value);
    char* at = code + static_cast<std::size_t>(offset) * 2;
    for (int p = prefixes; p > 0; --p) {
        *at++ = static_cast<char>(op::EXTENDED_ARG);
        *at++ = static_cast<char>((arg >> (8 * p)) & 0xFF);
    }
    at[0] = static_cast<char>(op);
    at[1] = static_cast<char>(arg & 0xFF);
}

// What a sweep gathers besides the code. The vectors keep their capacity from
// one sweep to the next; `forward_jumps` also keeps the prefixes each jump
// needs, since the jumps come in the same order every sweep.
struct Gathered {
    Scratch<int> label_offset;           // label -> code units (kNone until the sweep binds it)
    Scratch<ForwardJump> forward_jumps;
    Scratch<SizedLocation> lines;        // 3.10+: instructions, or runs (kLinesInRuns)
    std::vector<LnotabMark> marks;       // 3.8-3.9
    Scratch<ExceptionEntry> entries;     // 3.11+; `target` is the handler's label until the end
    int end = 0;                         // code units
};

// One sweep over the items writes every instruction but the forward jumps and
// gathers what the tables need; then the forward jumps are written. Backward
// jumps get their prefixes during the sweep, the layout before them being
// final. Returns false when a forward jump needs more EXTENDED_ARG prefixes
// than it was given: the layout is then wrong from that jump on, and the sweep
// runs again with the prefixes raised. Prefix counts only grow, so this settles
// on the same smallest layout as sizing all jumps round after round would.
bool sweep(const CodeUnit& unit, Gathered& g, std::string& code) {
    g.label_offset.assign(static_cast<std::size_t>(unit.label_count), kNone);
    g.lines.clear();
    g.marks.clear();
    g.entries.clear();
    std::size_t next_forward = 0;
    std::size_t pending_marks = 0;  // 3.8-3.9: the first mark that waits for the next instruction
    int handler = kNone;            // the previous instruction's
    Location run_loc;  // kLinesInRuns: the run of equal positions being gathered
    int run_units = 0;
    char* bytes = code.data();
    int capacity = static_cast<int>(code.size() / 2);
    int offset = 0;
    for (const Item& item : unit.items) {
        if (!item.is_instr()) {
            if (item.kind == ItemKind::Label) {
                g.label_offset[static_cast<std::size_t>(item.label)] = offset;
            } else if (kBehavior.line_table == LineTableFormat::Lnotab) {
                g.marks.push_back({item.arg, item.mark_line()});  // `offset` holds the argument for now
            }
            continue;
        }
        const OpFacts& facts = op_facts(item.op);
        int arg = item.arg;
        int prefixes = item.ext_hint;
        bool forward = false;
        if (static_cast<JumpKind>(facts.jump) == JumpKind::None) {
            if (arg > 0xFF) prefixes = std::max(prefixes, prefixes_for(arg));  // most arguments take one byte
        } else {
            const int target = g.label_offset[static_cast<std::size_t>(item.label)];
            forward = target == kNone;
            if (forward) {
                if (next_forward < g.forward_jumps.size()) prefixes = std::max(prefixes, g.forward_jumps[next_forward].prefixes);
            } else {
                for (;;) {
                    arg = jump_arg(item.op, target, offset + prefixes + 1 + facts.caches);
                    if (prefixes_for(arg) <= prefixes) break;
                    prefixes = prefixes_for(arg);
                }
            }
        }
        const int units = prefixes + 1 + facts.caches;
        if (offset + units > capacity) {
            code.resize(std::max(code.size() * 2, static_cast<std::size_t>(offset + units) * 2));  // zeros: caches
            bytes = code.data();
            capacity = static_cast<int>(code.size() / 2);
        }
        if (forward) {
            const ForwardJump jump{offset, offset + units, item.op, item.label, prefixes};
            if (next_forward < g.forward_jumps.size()) {
                g.forward_jumps[next_forward] = jump;
            } else {
                g.forward_jumps.push_back(jump);
            }
            ++next_forward;
        } else {
            write_instruction(bytes, offset, item.op, arg, prefixes);
        }

        if (kBehavior.exception_table && item.handler != handler) {
            if (handler != kNone) g.entries.back().end = offset;
            if (item.handler != kNone) {
                const Handler& h = unit.handlers[static_cast<std::size_t>(item.handler)];
                g.entries.push_back({offset, offset, h.label, h.depth, h.lasti});
            }
            handler = item.handler;
        }
        if (kBehavior.line_table == LineTableFormat::Lnotab) {
            // A mark's argument counts code units into the instruction after it, within its prefixes.
            for (; pending_marks < g.marks.size(); ++pending_marks) {
                LnotabMark& mark = g.marks[pending_marks];
                mark.offset = offset + std::min(mark.offset, units - 1);
            }
        } else if (kLinesInRuns) {
            if (item.loc == run_loc) {
                run_units += units;
            } else {
                if (run_units > 0) g.lines.push_back({run_units, run_loc});
                run_loc = item.loc;
                run_units = units;
            }
        } else {
            g.lines.push_back({units, item.loc});
        }
        offset += units;
    }
    g.end = offset;
    if (kBehavior.exception_table && handler != kNone) g.entries.back().end = offset;
    if (kBehavior.line_table == LineTableFormat::Lnotab) {
        for (; pending_marks < g.marks.size(); ++pending_marks) {
            LnotabMark& mark = g.marks[pending_marks];
            mark.offset = offset + std::min(mark.offset, 0);
        }
    } else if (kLinesInRuns && run_units > 0) {
        g.lines.push_back({run_units, run_loc});
    }

    bool fits = true;
    for (ForwardJump& jump : g.forward_jumps) {
        const int arg = jump_arg(jump.op, g.label_offset[static_cast<std::size_t>(jump.label)], jump.end);
        if (prefixes_for(arg) > jump.prefixes) {
            jump.prefixes = prefixes_for(arg);
            fits = false;
        }
        if (fits) write_instruction(bytes, jump.offset, jump.op, arg, jump.prefixes);
    }
    return fits;
}

}  // namespace

AssembledCode assemble(const CodeUnit& unit, const InstrIndex& index) {
    AssembledCode out{.code = std::string(index.instrs.size() * kExpectedUnitsPerInstr * 2, '\0')};  // caches stay zero
    Gathered g;
    while (!sweep(unit, g, out.code)) out.code.assign(out.code.size(), '\0');
    out.code.resize(static_cast<std::size_t>(g.end) * 2);

    if (kBehavior.exception_table) {
        for (ExceptionEntry& e : g.entries) e.target = g.label_offset[static_cast<std::size_t>(e.target)];
        out.exception_table = write_exception_table(g.entries);
    }
    if (kBehavior.line_table == LineTableFormat::Lnotab) {
        out.line_table = write_lnotab(g.marks, unit.first_line);
    } else if (kBehavior.line_table == LineTableFormat::Ranges310) {
        out.line_table = write_ranges310(g.lines, unit.first_line);
    } else {
        // Runs of equal positions are joined already.
        out.line_table = write_locations(g.lines, unit.first_line, false);
    }
    return out;
}

}  // namespace splice
