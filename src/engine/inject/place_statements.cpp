#include "inject/place_statements.hpp"

#include <algorithm>

#include "util/scratch.hpp"
#include "version/behavior.hpp"
#include <unordered_map>

namespace splice {

namespace {

struct Range {
    int first = 0;
    int last = 0;
    bool contains(int line) const { return line != kNone && line >= first && line <= last; }
};

class StatementPlacer {
public:
    StatementPlacer(const CodeUnit& unit, const Flow& flow)
        : unit_(unit), flow_(flow), lines_(effective_lines(unit, flow)), run_start_(line_run_starts(unit, flow)) {}

    HookPlan place(std::span<const StatementHooks> statements) {
        // Outer statements first: where several begin at one instruction, the
        // outer statement's hooks run before the inner one's.
        Scratch<const StatementHooks*> order;
        order.reserve(statements.size());
        std::size_t call_count = 0;
        for (const StatementHooks& s : statements) {
            order.push_back(&s);
            call_count += s.calls.size();
        }
        auto outer_first = [](const StatementHooks* a, const StatementHooks* b) {
            return a->first_line != b->first_line ? a->first_line < b->first_line : a->last_line > b->last_line;
        };
        if (!std::is_sorted(order.begin(), order.end(), outer_first)) std::stable_sort(order.begin(), order.end(), outer_first);
        index_by_line(order);

        HookPlan plan;
        plan.sites.reserve(order.size());
        plan.calls.reserve(call_count);
        plan.routes.reserve(order.size() * 2);
        Scratch<int> here;  // indices into `order`
        for (int index : flow_.instrs) {
            const int line = unit_.items[static_cast<std::size_t>(index)].loc.line;
            if (line == kNone || line < base_line_ || line >= base_line_ + static_cast<int>(innermost_.size())) continue;
            here.clear();
            const bool may_enter = flow_.insertable[static_cast<std::size_t>(index)] && run_start_[static_cast<std::size_t>(index)];
            for (int s = innermost_[static_cast<std::size_t>(line - base_line_)]; s != kNone; s = nesting_[static_cast<std::size_t>(s)].parent) {
                Nesting& n = nesting_[static_cast<std::size_t>(s)];
                if (n.first_index == kNone) {
                    n.first_index = index;
                } else if (!may_enter) {
                    break;  // seen before, and so were the statements around it: nothing to record
                }
                if (may_enter && is_entry(index, *order[static_cast<std::size_t>(s)], n.first_index == index)) {
                    here.push_back(s);
                    n.placed = true;
                }
            }
            if (here.empty()) continue;
            std::reverse(here.begin(), here.end());  // outermost first
            add_site(plan, index, here, order);
        }
        plan.placed_lines.reserve(order.size());
        for (std::size_t s = 0; s < order.size(); ++s)
            if (nesting_[s].placed) plan.placed_lines.push_back(order[s]->first_line);
        return plan;
    }

private:
    // For each line, the innermost requested statement that spans it, and for
    // each statement the one around it: statements nest, so these form chains.
    void index_by_line(const std::vector<const StatementHooks*>& order) {
        if (order.empty()) return;
        int last = 0;
        base_line_ = order.front()->first_line;
        for (const StatementHooks* s : order) last = std::max(last, s->last_line);
        innermost_.assign(static_cast<std::size_t>(last - base_line_ + 1), kNone);
        nesting_.assign(order.size(), {});
        for (std::size_t s = 0; s < order.size(); ++s) {
            const std::size_t first = static_cast<std::size_t>(order[s]->first_line - base_line_);
            nesting_[s].parent = innermost_[first];
            for (int line = order[s]->first_line; line <= order[s]->last_line; ++line)
                innermost_[static_cast<std::size_t>(line - base_line_)] = static_cast<int>(s);
        }
    }

    // `begins`: `index` is the statement's first instruction in code order.
    bool edge_from_outside(const Edge& e, const StatementHooks& s, int index, bool begins) const {
        const Range range{s.first_line, s.last_line};
        if (e.kind == EdgeKind::Start) return true;
        if (e.kind == EdgeKind::Handler) {
            // Exceptions come from the user's code, the instructions with a line;
            // compiler glue without one (PUSH_EXC_INFO) counts only when alone.
            bool any_real = false;
            for (int source : flow_.protected_for(e)) {
                if (unit_.items[static_cast<std::size_t>(source)].loc.line == kNone) continue;
                any_real = true;
                if (!range.contains(lines_[static_cast<std::size_t>(source)])) return true;
            }
            if (any_real) return false;
            for (int source : flow_.protected_for(e))
                if (!range.contains(lines_[static_cast<std::size_t>(source)])) return true;
            return false;
        }
        const int source_line = lines_[static_cast<std::size_t>(e.source)];
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

    // The statement begins here when control can arrive from outside it.
    bool is_entry(int index, const StatementHooks& s, bool begins) {
        // A statement's code starts a run of its line; what continues a run
        // with the same line (3.8's implicit `return None`, a loop's closing
        // jump) is compiler glue that only borrowed the line.
        if (!flow_.insertable[static_cast<std::size_t>(index)] || !run_start_[static_cast<std::size_t>(index)]) return false;
        if (s.first_instruction_only && index != first_instruction_of(s.first_line)) return false;
        // A lone jump further on with the statement's line is the end of the
        // block the statement closed (3.10 gives it the last line compiled).
        const Item& item = unit_.items[static_cast<std::size_t>(index)];
        if (!begins && op_is_jump(item.op) && op_is(item.op, kTerminator)) return false;
        if (s.shares_line_with != kNone && still_in_earlier_statement(index, s)) return false;
        for (const Edge& e : flow_.into(index))
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
    // statements nest, so those are the outermost one it leaves and all inside it.
    void add_site(HookPlan& plan, int index, const std::vector<int>& statements, const std::vector<const StatementHooks*>& order) const {
        plan.open_site(index);
        int total = 0;
        for (int s : statements) {
            plan.add_calls(order[static_cast<std::size_t>(s)]->calls);
            total += static_cast<int>(order[static_cast<std::size_t>(s)]->calls.size());
        }
        for (const Edge& e : flow_.into(index)) {
            Route route{e, total, total};
            int group_start = 0;
            for (int s : statements) {
                const auto& statement = *order[static_cast<std::size_t>(s)];
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
    std::vector<int> lines_;
    std::vector<char> run_start_;
    int base_line_ = 0;
    Scratch<int> innermost_;  // per line from base_line_: index into the sorted statements
    struct Nesting {
        int parent = kNone;       // the sorted statement around it
        int first_index = kNone;  // its first instruction in code order
        bool placed = false;      // hooks went before it somewhere
    };
    Scratch<Nesting> nesting_;  // per sorted statement
    std::unordered_map<int, int> first_of_line_;  // line -> its first insertable instruction
};

}  // namespace

HookPlan place_statement_hooks(const CodeUnit& unit, const Flow& flow, std::span<const StatementHooks> statements) {
    return StatementPlacer(unit, flow).place(statements);
}

}  // namespace splice
