#include "inject/place_statements.hpp"

#include <algorithm>
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
    StatementPlacer(const CodeUnit& unit, const Flow& flow) : unit_(unit), flow_(flow), lines_(effective_lines(unit, flow)) {}

    HookPlan place(std::span<const StatementHooks> statements) {
        // Outer statements first: where several begin at one instruction, the
        // outer statement's hooks run before the inner one's.
        std::vector<const StatementHooks*> order;
        for (const StatementHooks& s : statements) order.push_back(&s);
        std::stable_sort(order.begin(), order.end(), [](const StatementHooks* a, const StatementHooks* b) {
            return a->first_line != b->first_line ? a->first_line < b->first_line : a->last_line > b->last_line;
        });
        index_by_line(order);

        std::vector<char> placed(order.size(), 0);
        HookPlan plan;
        std::vector<const StatementHooks*> here;
        for (int index : flow_.instrs) {
            const int line = unit_.items[static_cast<std::size_t>(index)].loc.line;
            if (line == kNone || line < base_line_ || line >= base_line_ + static_cast<int>(innermost_.size())) continue;
            here.clear();
            for (int s = innermost_[static_cast<std::size_t>(line - base_line_)]; s != kNone; s = parent_[static_cast<std::size_t>(s)]) {
                if (is_entry(index, *order[static_cast<std::size_t>(s)])) {
                    here.push_back(order[static_cast<std::size_t>(s)]);
                    placed[static_cast<std::size_t>(s)] = 1;
                }
            }
            if (here.empty()) continue;
            std::reverse(here.begin(), here.end());  // outermost first
            plan.sites.push_back(make_site(index, here));
        }
        for (std::size_t s = 0; s < order.size(); ++s)
            if (placed[s]) plan.placed_lines.push_back(order[s]->first_line);
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
        parent_.assign(order.size(), kNone);
        for (std::size_t s = 0; s < order.size(); ++s) {
            const std::size_t first = static_cast<std::size_t>(order[s]->first_line - base_line_);
            parent_[s] = innermost_[first];
            for (int line = order[s]->first_line; line <= order[s]->last_line; ++line)
                innermost_[static_cast<std::size_t>(line - base_line_)] = static_cast<int>(s);
        }
    }

    bool edge_from_outside(const Edge& e, Range range) const {
        if (e.kind == EdgeKind::Start) return true;
        if (e.kind == EdgeKind::Handler) {
            for (int source : flow_.protected_for(e))
                if (!range.contains(lines_[static_cast<std::size_t>(source)])) return true;
            return false;
        }
        return !range.contains(lines_[static_cast<std::size_t>(e.source)]);
    }

    // The statement begins here when control can arrive from outside it.
    bool is_entry(int index, const StatementHooks& s) {
        if (!flow_.insertable[static_cast<std::size_t>(index)]) return false;
        if (s.first_instruction_only && index != first_instruction_of(s.first_line)) return false;
        for (const Edge& e : flow_.into[static_cast<std::size_t>(index)])
            if (edge_from_outside(e, {s.first_line, s.last_line})) return true;
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
    Site make_site(int index, const std::vector<const StatementHooks*>& statements) const {
        Site site;
        site.item = index;
        std::vector<int> group_start;
        for (const StatementHooks* s : statements) {
            group_start.push_back(static_cast<int>(site.calls.size()));
            site.calls.insert(site.calls.end(), s->calls.begin(), s->calls.end());
        }
        for (const Edge& e : flow_.into[static_cast<std::size_t>(index)]) {
            Route route{e, {}};
            for (std::size_t g = 0; g < statements.size(); ++g) {
                if (!edge_from_outside(e, {statements[g]->first_line, statements[g]->last_line})) continue;
                for (int call = group_start[g]; call < static_cast<int>(site.calls.size()); ++call) route.calls.push_back(call);
                break;
            }
            site.routes.push_back(std::move(route));
        }
        return site;
    }

    const CodeUnit& unit_;
    const Flow& flow_;
    std::vector<int> lines_;
    int base_line_ = 0;
    std::vector<int> innermost_;  // per line from base_line_: index into the sorted statements
    std::vector<int> parent_;
    std::unordered_map<int, int> first_of_line_;  // line -> its first insertable instruction
};

}  // namespace

HookPlan place_statement_hooks(const CodeUnit& unit, const Flow& flow, std::span<const StatementHooks> statements) {
    return StatementPlacer(unit, flow).place(statements);
}

}  // namespace splice
