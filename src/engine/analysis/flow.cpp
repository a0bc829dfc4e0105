#include "analysis/flow.hpp"

#include <algorithm>

#include "util/file_by_group.hpp"
#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

// The prologue (3.10 GEN_START; 3.11+ MAKE_CELL, COPY_FREE_VARS,
// RETURN_GENERATOR, POP_TOP, RESUME) must stay first and untouched. It ends
// with the first RESUME/GEN_START after RETURN_GENERATOR, if there is one:
// 3.15 generator expressions run code between an entry RESUME and it.
int find_body_start(const CodeUnit& unit, const std::vector<int>& instrs) {
    std::size_t search_from = 0;
    for (std::size_t k = 0; k < instrs.size(); ++k) {
        if (unit.items[static_cast<std::size_t>(instrs[k])].op == op::RETURN_GENERATOR) {
            search_from = k + 1;
            break;
        }
    }
    for (std::size_t k = search_from; k < instrs.size(); ++k) {
        if (op_is(unit.items[static_cast<std::size_t>(instrs[k])].op, kPrologueEnd))
            return k + 1 < instrs.size() ? instrs[k + 1] : kNone;
    }
    return instrs.empty() ? kNone : instrs.front();
}

// The instructions a 3.8-3.10 SETUP_* block covers: every path from the set-up
// until the POP_BLOCK that pops it, through nested blocks and their handlers.
std::vector<int> block_contents(const CodeUnit& unit, const Flow& flow, const std::vector<int>& bound,
                                const std::vector<int>& ordinal, int setup) {
    std::vector<int> covered;
    std::vector<std::pair<int, int>> work{{setup, -1}};  // (item index, nesting): -1 = the set-up itself
    std::vector<int> seen_depth(unit.items.size(), kNone);
    while (!work.empty()) {
        auto [index, depth] = work.back();
        work.pop_back();
        const Item& item = unit.items[static_cast<std::size_t>(index)];
        if (depth >= 0) {
            if (seen_depth[static_cast<std::size_t>(index)] != kNone && seen_depth[static_cast<std::size_t>(index)] <= depth) continue;
            seen_depth[static_cast<std::size_t>(index)] = depth;
            covered.push_back(index);
            if (item.op == op::POP_BLOCK && depth == 0) continue;  // our block ends here
        }
        const int after = depth < 0 ? 0 : depth + (op_is(item.op, kBlockSetup) ? 1 : 0) - (item.op == op::POP_BLOCK ? 1 : 0);
        const std::size_t k = static_cast<std::size_t>(ordinal[static_cast<std::size_t>(index)]);
        if (!op_is(item.op, kTerminator) && k + 1 < flow.instrs.size()) work.push_back({flow.instrs[k + 1], after});
        if (depth >= 0 && op_is_jump(item.op) && !op_is(item.op, kRelocateOnly)) {
            // A nested block's handler still runs inside ours.
            const int target_depth = op_is(item.op, kBlockSetup) ? depth : after;
            work.push_back({bound[static_cast<std::size_t>(item.label)], target_depth});
        }
    }
    std::sort(covered.begin(), covered.end());
    covered.erase(std::unique(covered.begin(), covered.end()), covered.end());
    return covered;
}

}  // namespace

Flow analyze_flow(const CodeUnit& unit) {
    Flow flow;
    const std::size_t n_items = unit.items.size();
    InstrIndex index = index_instructions(unit);
    flow.instrs = std::move(index.instrs);
    flow.bound = std::move(index.bound);
    const std::vector<int>& label_ordinal = index.ordinal;
    flow.insertable.assign(n_items, 0);
    flow.edge_start.assign(n_items + 1, 0);
    flow.body_start = find_body_start(unit, flow.instrs);
    if (flow.body_start == kNone) return flow;
    const std::vector<int>& bound = flow.bound;

    // 3.12+: an exhausted FOR_ITER continues past END_FOR (and 3.13's POP_TOP),
    // which therefore never run: nothing goes before them, nothing flows out of them.
    Scratch<char> skipped;
    skipped.assign(kBehavior.for_iter_exit_skip > 0 ? n_items : 0, 0);
    if (kBehavior.for_iter_exit_skip > 0) {
        for (int index : flow.instrs) {
            const Item& item = unit.items[static_cast<std::size_t>(index)];
            if (item.op != op::FOR_ITER) continue;
            const std::size_t first = static_cast<std::size_t>(label_ordinal[static_cast<std::size_t>(item.label)]);
            for (std::size_t s = first; s < first + static_cast<std::size_t>(kBehavior.for_iter_exit_skip) && s < flow.instrs.size(); ++s)
                skipped[static_cast<std::size_t>(flow.instrs[s])] = 1;
        }
    }
    auto is_skipped = [&skipped](int index) { return kBehavior.for_iter_exit_skip > 0 && skipped[static_cast<std::size_t>(index)]; };

    // Every edge, as (target item, edge), in code order; walked twice: to
    // count the edges into each instruction, then to file them.
    auto each_edge = [&](auto&& visit) {
        for (std::size_t k = 0; k < flow.instrs.size(); ++k) {
            const int index = flow.instrs[k];
            const Item& item = unit.items[static_cast<std::size_t>(index)];
            // The prologue runs into the body once, as the frame starts (the Start edge).
            const int next = k + 1 < flow.instrs.size() ? flow.instrs[k + 1] : kNone;
            if (next != kNone && !op_is(item.op, kTerminator) && !is_skipped(index) && next != flow.body_start)
                visit(next, Edge{item.op == op::CALL_FINALLY ? EdgeKind::FinallyReturn : EdgeKind::FallThrough, index});
            if (!op_is_jump(item.op) || op_is(item.op, kRelocateOnly)) continue;
            if (item.op == op::FOR_ITER && kBehavior.for_iter_exit_skip > 0) {
                const std::size_t exit = static_cast<std::size_t>(label_ordinal[static_cast<std::size_t>(item.label)] + kBehavior.for_iter_exit_skip);
                if (exit < flow.instrs.size()) visit(flow.instrs[exit], Edge{EdgeKind::LoopExit, index});
                continue;
            }
            visit(bound[static_cast<std::size_t>(item.label)], Edge{op_is(item.op, kBlockSetup) ? EdgeKind::Handler : EdgeKind::Jump, index});
        }
        visit(flow.body_start, Edge{EdgeKind::Start});
        for (std::size_t h = 0; h < unit.handlers.size(); ++h)
            visit(bound[static_cast<std::size_t>(unit.handlers[h].label)], Edge{EdgeKind::Handler, kNone, static_cast<int>(h)});
    };
    file_by_group(n_items, each_edge, flow.edge_start, flow.edges);

    bool in_body = false;
    for (int index : flow.instrs) {
        in_body = in_body || index == flow.body_start;
        if (in_body && !op_is(unit.items[static_cast<std::size_t>(index)].op, kGlued) && !is_skipped(index))
            flow.insertable[static_cast<std::size_t>(index)] = 1;
    }

    if (!kBehavior.exception_table) {
        // Instruction ordinal of each item index, to step through blocks.
        Scratch<int> ordinal;
        ordinal.assign(n_items, kNone);
        for (std::size_t k = 0; k < flow.instrs.size(); ++k) ordinal[static_cast<std::size_t>(flow.instrs[k])] = static_cast<int>(k);
        flow.protected_by_setup.assign(n_items, {});
        for (int index : flow.instrs)
            if (op_is(unit.items[static_cast<std::size_t>(index)].op, kBlockSetup))
                flow.protected_by_setup[static_cast<std::size_t>(index)] = block_contents(unit, flow, bound, ordinal, index);
    }
    file_by_group(
        unit.handlers.size(),
        [&](auto&& visit) {
            for (int index : flow.instrs)
                if (const int h = unit.items[static_cast<std::size_t>(index)].handler; h != kNone) visit(h, index);
        },
        flow.protected_start, flow.protected_items);
    return flow;
}

}  // namespace splice

namespace splice {

std::vector<int> effective_lines(const CodeUnit& unit, const Flow& flow) {
    std::vector<int> lines(unit.items.size(), kNone);
    for (int index : flow.instrs) lines[static_cast<std::size_t>(index)] = unit.items[static_cast<std::size_t>(index)].loc.line;
    auto source_line = [&](const Edge& e) {
        if (e.kind == EdgeKind::Handler) {
            for (int source : flow.protected_for(e))
                if (lines[static_cast<std::size_t>(source)] != kNone) return lines[static_cast<std::size_t>(source)];
            return kNone;
        }
        return e.source == kNone ? kNone : lines[static_cast<std::size_t>(e.source)];
    };
    // Two sweeps: the second settles the few taken from later code (backward jumps).
    for (int sweep = 0; sweep < 2; ++sweep) {
        for (int index : flow.instrs) {
            if (unit.items[static_cast<std::size_t>(index)].loc.line != kNone) continue;
            for (const Edge& e : flow.into(index)) {
                const int line = source_line(e);
                if (line != kNone) {
                    lines[static_cast<std::size_t>(index)] = line;
                    break;
                }
            }
        }
    }
    return lines;
}

}  // namespace splice

namespace splice {

namespace {

bool protects_line(const CodeUnit& unit, const Flow& flow, const Edge& e, int line) {
    for (int source : flow.protected_for(e))
        if (unit.items[static_cast<std::size_t>(source)].loc.line == line) return true;
    return false;
}

}  // namespace

std::vector<char> lnotab_range_starts(const CodeUnit& unit) {
    std::vector<char> starts(unit.items.size(), 0);
    int line = unit.first_line;
    bool pending = true;  // offset 0
    for (std::size_t i = 0; i < unit.items.size(); ++i) {
        const Item& item = unit.items[i];
        if (item.kind == ItemKind::LineMark) {
            if (item.arg == 0 && item.mark_line() != line) pending = true;
            line = item.mark_line();
        } else if (item.is_instr()) {
            starts[i] = pending;
            pending = false;
        }
    }
    return starts;
}

std::vector<char> line_run_starts(const CodeUnit& unit, const Flow& flow) {
    const bool lnotab = kBehavior.line_table == LineTableFormat::Lnotab;
    std::vector<char> starts = lnotab ? lnotab_range_starts(unit) : std::vector<char>(unit.items.size(), 0);
    int previous_line = kNone;
    bool falls_in = false;
    for (int index : flow.instrs) {
        const Item& item = unit.items[static_cast<std::size_t>(index)];
        const bool line_changes = lnotab ? starts[static_cast<std::size_t>(index)] != 0 : item.loc.line != previous_line;
        // The exceptional copy of a `finally` body may keep the line the
        // code before it ended on; unlike cleanup code the compiler adds (an
        // `except ... as name` clause's), its line is not one of the code it protects.
        bool handler_copy = false;
        if (!falls_in && !line_changes && !op_is(item.op, kHandlerGlue))
            for (const Edge& e : flow.into(index))
                handler_copy = handler_copy || (e.kind == EdgeKind::Handler && !protects_line(unit, flow, e, item.loc.line));
        starts[static_cast<std::size_t>(index)] = item.loc.line != kNone && (line_changes || handler_copy);
        previous_line = item.loc.line;
        falls_in = !op_is(item.op, kTerminator);
    }
    return starts;
}

}  // namespace splice
