#include "analysis/flow.hpp"

#include <algorithm>

#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

// The prologue (3.10 GEN_START; 3.11+ MAKE_CELL, COPY_FREE_VARS,
// RETURN_GENERATOR, POP_TOP, RESUME) must stay first and untouched. It ends
// with the first RESUME/GEN_START after RETURN_GENERATOR, if there is one:
// 3.15 generator expressions run code between an entry RESUME and it.
// `search_from` is the ordinal just past the first RETURN_GENERATOR, or 0.
int find_body_start(const CodeUnit& unit, const std::vector<int>& instrs, std::size_t search_from) {
    for (std::size_t k = search_from; k < instrs.size(); ++k) {
        if (op_is(unit.items[static_cast<std::size_t>(instrs[k])].op, kPrologueEnd))
            return k + 1 < instrs.size() ? instrs[k + 1] : kNone;
    }
    return instrs.empty() ? kNone : instrs.front();
}

// The ordinal of the instruction at item index `index` (instrs.size() for the
// end of the unit, kNone for kNone): only asked for FOR_ITER targets, which are few.
int ordinal_of(const std::vector<int>& instrs, int index) {
    if (index == kNone) return kNone;
    return static_cast<int>(std::lower_bound(instrs.begin(), instrs.end(), index) - instrs.begin());
}

// An edge on its way to being filed by the instruction it leads to.
struct EdgeTo {
    int target;
    Edge edge;
};

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
    const std::size_t n_handlers = unit.handlers.size();

    // One pass over the items: the instructions, the ordinal each label binds
    // (in `bound` for now), and how many instructions each handler record
    // protects (in protected_start[h + 1] for now).
    flow.instrs.reserve(n_items);
    flow.bound.assign(static_cast<std::size_t>(unit.label_count), kNone);
    flow.protected_start.assign(n_handlers + 1, 0);
    std::size_t prologue_search_from = 0;  // past the first RETURN_GENERATOR
    bool has_for_iter = false;
    for (std::size_t i = 0; i < n_items; ++i) {
        const Item& item = unit.items[i];
        if (item.is_instr()) {
            if (item.op == op::RETURN_GENERATOR && prologue_search_from == 0) prologue_search_from = flow.instrs.size() + 1;
            if (kBehavior.for_iter_exit_skip > 0 && item.op == op::FOR_ITER) has_for_iter = true;
            if (item.handler != kNone) ++flow.protected_start[static_cast<std::size_t>(item.handler) + 1];
            flow.instrs.push_back(static_cast<int>(i));
        } else if (item.kind == ItemKind::Label) {
            flow.bound[static_cast<std::size_t>(item.label)] = static_cast<int>(flow.instrs.size());
        }
    }
    const std::size_t n_instrs = flow.instrs.size();
    for (int& bound : flow.bound)
        if (bound != kNone) bound = bound < static_cast<int>(n_instrs) ? flow.instrs[static_cast<std::size_t>(bound)] : static_cast<int>(n_items);
    const std::vector<int>& bound = flow.bound;

    flow.insertable.assign(n_items, 0);
    flow.edge_start.assign(n_items + 1, 0);
    flow.body_start = find_body_start(unit, flow.instrs, prologue_search_from);
    if (flow.body_start == kNone) {
        flow.protected_start.clear();
        return flow;
    }

    // 3.12+: an exhausted FOR_ITER continues past END_FOR (and 3.13's POP_TOP),
    // which therefore never run: nothing goes before them, nothing flows out of
    // them. They are marked in `insertable` until the walk below reaches them.
    constexpr char kSkipped = 2;
    if (has_for_iter) {
        for (int index : flow.instrs) {
            const Item& item = unit.items[static_cast<std::size_t>(index)];
            if (item.op != op::FOR_ITER) continue;
            const std::size_t first = static_cast<std::size_t>(ordinal_of(flow.instrs, bound[static_cast<std::size_t>(item.label)]));
            for (std::size_t s = first; s < first + static_cast<std::size_t>(kBehavior.for_iter_exit_skip) && s < n_instrs; ++s)
                flow.insertable[static_cast<std::size_t>(flow.instrs[s])] = kSkipped;
        }
    }

    // Each record's instructions start where the ones before end; during the
    // walk below protected_start[h + 1] is record h's cursor, which ends where
    // record h + 1's instructions start.
    for (std::size_t h = 1; h <= n_handlers; ++h) flow.protected_start[h] += flow.protected_start[h - 1];
    flow.protected_items.resize(static_cast<std::size_t>(flow.protected_start.back()));
    for (std::size_t h = n_handlers; h > 0; --h) flow.protected_start[h] = flow.protected_start[h - 1];

    // One walk over the instructions, in code order: the edges as they come
    // (counted by the instruction they lead to), the instructions code may
    // go before, and the instructions each handler record protects.
    Scratch<EdgeTo> found;
    found.reserve(2 * n_instrs + n_handlers + 1);
    auto add_edge = [&](int target, Edge edge) {
        ++flow.edge_start[static_cast<std::size_t>(target)];
        found.push_back({target, edge});
    };
    bool in_body = false;
    for (std::size_t k = 0; k < n_instrs; ++k) {
        const int index = flow.instrs[k];
        const Item& item = unit.items[static_cast<std::size_t>(index)];
        char& insertable = flow.insertable[static_cast<std::size_t>(index)];
        const bool skipped = insertable == kSkipped;
        in_body = in_body || index == flow.body_start;
        insertable = in_body && !op_is(item.op, kGlued) && !skipped;
        if (item.handler != kNone)
            flow.protected_items[static_cast<std::size_t>(flow.protected_start[static_cast<std::size_t>(item.handler) + 1]++)] = index;

        // The prologue runs into the body once, as the frame starts (the Start edge).
        const int next = k + 1 < n_instrs ? flow.instrs[k + 1] : kNone;
        if (next != kNone && !op_is(item.op, kTerminator) && !skipped && next != flow.body_start)
            add_edge(next, Edge{item.op == op::CALL_FINALLY ? EdgeKind::FinallyReturn : EdgeKind::FallThrough, index});
        if (!op_is_jump(item.op) || op_is(item.op, kRelocateOnly)) continue;
        if (item.op == op::FOR_ITER && kBehavior.for_iter_exit_skip > 0) {
            const std::size_t exit = static_cast<std::size_t>(ordinal_of(flow.instrs, bound[static_cast<std::size_t>(item.label)]) + kBehavior.for_iter_exit_skip);
            if (exit < n_instrs) add_edge(flow.instrs[exit], Edge{EdgeKind::LoopExit, index});
            continue;
        }
        add_edge(bound[static_cast<std::size_t>(item.label)], Edge{op_is(item.op, kBlockSetup) ? EdgeKind::Handler : EdgeKind::Jump, index});
    }
    add_edge(flow.body_start, Edge{EdgeKind::Start});
    for (std::size_t h = 0; h < n_handlers; ++h)
        add_edge(bound[static_cast<std::size_t>(unit.handlers[h].label)], Edge{EdgeKind::Handler, kNone, static_cast<int>(h)});

    // File the edges by the instruction they lead to, keeping their order:
    // edge_start[t] counts up to where t's edges end, and filing them last
    // to first moves it back to where they start.
    for (std::size_t t = 1; t <= n_items; ++t) flow.edge_start[t] += flow.edge_start[t - 1];
    flow.edges.resize(found.size());
    for (auto it = found.rbegin(); it != found.rend(); ++it)
        flow.edges[static_cast<std::size_t>(--flow.edge_start[static_cast<std::size_t>(it->target)])] = it->edge;

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
    return flow;
}

}  // namespace splice

namespace splice {

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

}  // namespace splice
