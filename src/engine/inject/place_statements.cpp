#include "inject/place_statements.hpp"

#include <algorithm>
#include <unordered_map>

#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

struct Range {
    int first = 0;
    int last = 0;
    bool contains(int line) const { return line != kNone && line >= first && line <= last; }
};

class StatementPlacer {
public:
    StatementPlacer(const CodeUnit& unit, const Flow& flow) : unit_(unit), flow_(flow) {}

    HookPlan place(std::span<const StatementHooks> statements) {
        HookPlan plan;
        // Outer statements first: where several begin at one instruction, the
        // outer statement's hooks run before the inner one's. The caller
        // gives them by first line, one per line: sorted already.
        auto outer_first = [](const StatementHooks& a, const StatementHooks& b) {
            return a.first_line != b.first_line ? a.first_line < b.first_line : a.last_line > b.last_line;
        };
        order_ = statements;
        std::vector<StatementHooks> sorted;
        if (!std::is_sorted(statements.begin(), statements.end(), outer_first)) {
            sorted.assign(statements.begin(), statements.end());
            std::stable_sort(sorted.begin(), sorted.end(), outer_first);
            order_ = sorted;
        }
        index_by_line();

        plan.sites.reserve(order_.size());
        plan.routes.reserve(order_.size() * 2);
        // One walk over the code finds where lines start their runs and which
        // statements begin there. A run starts where the line changes (with
        // co_lnotab: where a table entry changes it); code going on with the
        // line before it is compiler glue that borrowed the line (3.8's implicit
        // `return None`, a loop's closing jump), except a duplicated `finally`
        // body entered by a handler.
        std::vector<char> lnotab_starts;
        if (kLnotab) lnotab_starts = lnotab_range_starts(unit_);
        const Item* const items = unit_.items.data();
        int previous_line = kNone;
        bool falls_in = false;  // the previous instruction may go on to this one
        for (int index : flow_.instrs) {
            const Item& item = items[index];
            const int line = item.loc.line;
            const bool line_changes = kLnotab ? lnotab_starts[static_cast<std::size_t>(index)] != 0 : line != previous_line;
            const bool came_in = falls_in;
            const bool same_line = line == previous_line;
            previous_line = line;
            falls_in = !op_is(item.op, kTerminator);
            // Straight on within a line: no run starts here, and the previous
            // instruction already met the statements around this one.
            if (came_in && same_line && !line_changes) continue;
            if (line != kNone) meet_statements(plan, index, item, line_changes, came_in);
        }
        plan.placed_lines.reserve(order_.size());
        for (std::size_t s = 0; s < order_.size(); ++s)
            if (nesting_[s].placed) plan.placed_lines.push_back(order_[s].first_line);
        return plan;
    }

private:
    // The statements around the instruction: the first instruction of each
    // is noted, and those it enters get their hooks before it. Kept out of
    // the walk above, which goes through every instruction with its state in
    // registers.
    [[gnu::noinline]] void meet_statements(HookPlan& plan, int index, const Item& item, bool line_changes, bool came_in) {
        const int line = item.loc.line;
        if (line < base_line_ || line >= base_line_ + static_cast<int>(innermost_.size())) return;
        const bool may_enter = flow_.insertable[static_cast<std::size_t>(index)] && starts_run(index, item, line_changes, came_in);
        const std::span<const Edge> edges = flow_.into(index);
        int entering = kNone;  // the outermost statement entered here
        for (int s = innermost_[static_cast<std::size_t>(line - base_line_)]; s != kNone; s = nesting_[static_cast<std::size_t>(s)].parent) {
            Nesting& n = nesting_[static_cast<std::size_t>(s)];
            if (n.first_index == kNone) {
                n.first_index = index;
            } else if (!may_enter) {
                break;  // seen before, and so were the statements around it: nothing to record
            }
            if (may_enter && is_entry(index, item, edges, order_[static_cast<std::size_t>(s)], n.first_index == index)) {
                n.next_inner = entering;
                entering = s;
                n.placed = true;
            }
        }
        if (entering != kNone) add_site(plan, index, edges, entering);
    }

    static constexpr bool kLnotab = kBehavior.line_table == LineTableFormat::Lnotab;

    // A statement's code starts a run of its line (of `item`'s, which has
    // one); what continues a run with the same line (3.8's implicit `return
    // None`, a loop's closing jump) is compiler glue that only borrowed the
    // line. But the exceptional copy of a `finally` body may keep the line
    // the code before it ended on; unlike cleanup code the compiler adds (an
    // `except ... as name` clause's), its line is not one of the code it protects.
    bool starts_run(int index, const Item& item, bool line_changes, bool came_in) const {
        if (line_changes) return true;
        if (came_in || op_is(item.op, kHandlerGlue)) return false;
        for (const Edge& e : flow_.into(index))
            if (e.kind == EdgeKind::Handler && !protects_line(e, item.loc.line)) return true;
        return false;
    }

    bool protects_line(const Edge& e, int line) const {
        for (int source : flow_.protected_for(e))
            if (unit_.items[static_cast<std::size_t>(source)].loc.line == line) return true;
        return false;
    }

    // For each line, the innermost requested statement that spans it, and for
    // each statement the one around it: statements nest, so these form chains.
    void index_by_line() {
        int last = 0;
        base_line_ = order_.front().first_line;
        for (const StatementHooks& s : order_) last = std::max(last, s.last_line);
        innermost_.assign(static_cast<std::size_t>(last - base_line_ + 1), kNone);
        nesting_.assign(order_.size(), {});
        for (std::size_t s = 0; s < order_.size(); ++s) {
            const auto first = innermost_.begin() + (order_[s].first_line - base_line_);
            nesting_[s].parent = *first;
            std::fill(first, first + (order_[s].last_line - order_[s].first_line + 1), static_cast<int>(s));
        }
    }

    // The instruction's own line, or for code without one (a loop's closing
    // jump, handler set-up) the line control comes from, so that it counts
    // as part of that statement.
    int line_of(int index) {
        const int line = unit_.items[static_cast<std::size_t>(index)].loc.line;
        if (line != kNone) return line;
        if (!unlined_known_) settle_unlined();
        return unlined_line(index);
    }

    // Few instructions lack a line: two sweeps in code order
    // run over those alone, once an edge comes from one of them (in one code
    // object of eight; out of line, to leave the placing its registers).
    [[gnu::noinline]] void settle_unlined() {
        unlined_known_ = true;
        for (int index : flow_.instrs)
            if (unit_.items[static_cast<std::size_t>(index)].loc.line == kNone) unlined_.push_back({index, kNone});
        auto source_line = [this](const Edge& e) {
            if (e.kind == EdgeKind::Handler) {
                for (int source : flow_.protected_for(e))
                    if (const int line = line_so_far(source); line != kNone) return line;
                return kNone;
            }
            return e.source == kNone ? kNone : line_so_far(e.source);
        };
        // The second sweep settles the few taken from later code (backward jumps).
        for (int sweep = 0; sweep < 2; ++sweep) {
            for (auto& [index, line] : unlined_) {
                for (const Edge& e : flow_.into(index)) {
                    if (const int from = source_line(e); from != kNone) {
                        line = from;
                        break;
                    }
                }
            }
        }
    }

    int line_so_far(int index) const {
        const int line = unit_.items[static_cast<std::size_t>(index)].loc.line;
        return line != kNone ? line : unlined_line(index);
    }

    int unlined_line(int index) const {
        const auto it = std::lower_bound(unlined_.begin(), unlined_.end(), index,
                                         [](const std::pair<int, int>& entry, int i) { return entry.first < i; });
        return it->second;
    }

    // `begins`: `index` is the statement's first instruction in code order.
    bool edge_from_outside(const Edge& e, const StatementHooks& s, int index, bool begins) {
        const Range range{s.first_line, s.last_line};
        if (e.kind == EdgeKind::Start) return true;
        if (e.kind == EdgeKind::Handler) {
            // Exceptions come from the user's code, the instructions with a line;
            // compiler glue without one (PUSH_EXC_INFO) counts only when alone.
            bool any_real = false;
            for (int source : flow_.protected_for(e)) {
                const int line = unit_.items[static_cast<std::size_t>(source)].loc.line;
                if (line == kNone) continue;
                any_real = true;
                if (!range.contains(line)) return true;
            }
            if (any_real) return false;
            for (int source : flow_.protected_for(e))
                if (!range.contains(line_of(source))) return true;
            return false;
        }
        const int source_line = line_of(e.source);
        // Falling into a statement from code that comes after it in the source
        // is the statement going on after code the compiler inlined into it
        // (a `finally` body before a `return`), not the statement beginning.
        if (e.kind == EdgeKind::FallThrough && source_line != kNone && source_line > s.last_line && !s.first_instruction_only)
            return false;
        if (!range.contains(source_line)) return true;
        // A jump back to where a statement that is not a loop begins comes from
        // an enclosing loop (`continue`, the loop's end), whatever line it carries.
        return begins && e.kind == EdgeKind::Jump && !s.loops && e.source > index;
    }

    // The statement begins at `item`, an insertable start of a run of its
    // line, when control can arrive from outside it.
    bool is_entry(int index, const Item& item, std::span<const Edge> edges, const StatementHooks& s, bool begins) {
        if (s.first_instruction_only && index != first_instruction_of(s.first_line)) return false;
        // A lone jump further on with the statement's line is the end of the
        // block the statement closed (3.10 gives it the last line compiled).
        if (!begins && op_is_jump(item.op) && op_is(item.op, kTerminator)) return false;
        if (s.shares_line_with != kNone && still_in_earlier_statement(index, s)) return false;
        for (const Edge& e : edges)
            if (edge_from_outside(e, s, index, begins)) return true;
        return false;
    }

    // Does straight-line code from `index` on return to the lines of the
    // statement whose continuation line `s` begins on?
    bool still_in_earlier_statement(int index, const StatementHooks& s) const {
        const Item* start = &unit_.items[static_cast<std::size_t>(index)];
        for (auto it = std::find(flow_.instrs.begin(), flow_.instrs.end(), index); it != flow_.instrs.end(); ++it) {
            const Item& item = unit_.items[static_cast<std::size_t>(*it)];
            if (&item != start && flow_.into(*it).size() != 1) break;  // another way in: a new block
            if (item.loc.line != kNone && item.loc.line >= s.shares_line_with && item.loc.line < s.first_line) return true;
            if (op_is_jump(item.op) || op_is(item.op, kTerminator)) break;
        }
        return false;
    }

    int first_instruction_of(int line) {
        if (first_of_line_.empty()) {
            for (int index : flow_.instrs) {
                const int l = unit_.items[static_cast<std::size_t>(index)].loc.line;
                if (l != kNone && flow_.insertable[static_cast<std::size_t>(index)]) first_of_line_.emplace(l, index);
            }
        }
        const auto it = first_of_line_.find(line);
        return it == first_of_line_.end() ? kNone : it->second;
    }

    // Each edge runs the hooks of every statement it comes from outside of:
    // statements nest, so those are the outermost one it leaves and all inside
    // it. `entering` is the outermost statement entered at `index`, through `edges`.
    void add_site(HookPlan& plan, int index, std::span<const Edge> edges, int entering) {
        plan.open_site(index);
        int total = 0;
        for (int s = entering; s != kNone; s = nesting_[static_cast<std::size_t>(s)].next_inner) {
            plan.add_calls(order_[static_cast<std::size_t>(s)].calls);
            total += static_cast<int>(order_[static_cast<std::size_t>(s)].calls.size());
        }
        for (const Edge& e : edges) {
            Route route{e, total, total};
            int group_start = 0;
            for (int s = entering; s != kNone; s = nesting_[static_cast<std::size_t>(s)].next_inner) {
                const StatementHooks& statement = order_[static_cast<std::size_t>(s)];
                if (edge_from_outside(e, statement, index, nesting_[static_cast<std::size_t>(s)].first_index == index)) {
                    route.first = group_start;
                    break;
                }
                group_start += static_cast<int>(statement.calls.size());
            }
            plan.add_route(route);
        }
    }

    const CodeUnit& unit_;
    const Flow& flow_;
    std::span<const StatementHooks> order_;  // the statements, outer first
    bool unlined_known_ = false;
    std::vector<std::pair<int, int>> unlined_;  // (instruction without a line, its effective line), in code order
    int base_line_ = 0;
    Scratch<int> innermost_;  // per line from base_line_: index into the sorted statements
    struct Nesting {
        int parent = kNone;       // the sorted statement around it
        int first_index = kNone;  // its first instruction in code order
        int next_inner = kNone;   // while placing at one instruction: the next statement entered there, inside this one
        bool placed = false;      // hooks went before it somewhere
    };
    Scratch<Nesting> nesting_;  // per sorted statement
    std::unordered_map<int, int> first_of_line_;  // line -> its first insertable instruction
};

}  // namespace

HookPlan place_statement_hooks(const CodeUnit& unit, const Flow& flow, std::span<const StatementHooks> statements) {
    if (statements.empty()) return {};  // lambdas, comprehensions, annotations: no statements of their own
    return StatementPlacer(unit, flow).place(statements);
}

}  // namespace splice
