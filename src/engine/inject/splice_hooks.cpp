#include "inject/splice_hooks.hpp"

#include <algorithm>
#include <map>

#include "version/behavior.hpp"

namespace splice {

namespace {

// A hook that raises must unwind like the instruction it precedes, unless
// that handler expects more on the stack than there is here: then the
// exception leaves the function rather than corrupt the stack.
int hook_handler(const CodeUnit& unit, const StackDepths& depths, const Item& before, int index) {
    if (before.handler == kNone) return kNone;
    const int depth = depths.before[static_cast<std::size_t>(index)];
    if (depth == kNone || unit.handlers[static_cast<std::size_t>(before.handler)].depth > depth) return kNone;
    return before.handler;
}

Location previous_location(const std::vector<Item>& out, const Location& fallback) {
    for (auto it = out.rbegin(); it != out.rend(); ++it)
        if (it->is_instr()) return it->loc;
    return fallback;
}


// How one site is laid out before its instruction:
//   [JUMP_FORWARD main]            when trampolines sit between the positional path and `main`
//   [trampoline: calls; JUMP_FORWARD end] ...   for edges whose calls are not a tail of the chain
//   main: [entry k: call k] ...    the chain, entered at k by edges that run calls k.. only
//   end:  the instruction
struct SiteLayout {
    int chain_first = 0;  // the main chain runs calls [chain_first, chain_last)
    int chain_last = 0;
    std::vector<int> entry;  // label per chain position, [chain length] = end
    std::map<std::pair<int, int>, int> trampolines;  // call range -> label
    bool lead_jump = false;
    int chain_size() const { return chain_last - chain_first; }
};

class Splicer {
public:
    Splicer(const CodeUnit& unit, const StackDepths& depths) : unit_(unit), depths_(depths) {
        result_.handlers = unit.handlers;
        result_.label_count = unit.label_count;
        result_.first_line = unit.first_line;
        new_target_.assign(unit.items.size(), kNone);
    }

    CodeUnit run(const HookPlan& plan) {
        std::vector<const Site*> site_at(unit_.items.size(), nullptr);
        std::vector<SiteLayout> layouts(plan.sites.size());
        for (std::size_t s = 0; s < plan.sites.size(); ++s) {
            site_at[static_cast<std::size_t>(plan.sites[s].item)] = &plan.sites[s];
            layouts[s] = lay_out(plan.sites[s]);
        }
        std::vector<Item> out;
        out.reserve(unit_.items.size() + plan.sites.size() * 8);
        std::size_t next_site = 0;
        for (std::size_t i = 0; i < unit_.items.size(); ++i) {
            if (site_at[i]) emit_site(out, *site_at[i], layouts[next_site++], static_cast<int>(i));
            out.push_back(unit_.items[i]);
            if (new_target_[i] != kNone) out.back().label = new_target_[i];
        }
        result_.items = std::move(out);
        return std::move(result_);
    }

private:
    SiteLayout lay_out(const Site& site) {
        SiteLayout layout;
        const Route* main = nullptr;
        for (const Route& r : site.routes)
            if (is_positional(r.edge.kind)) {
                main = &r;
                break;
            }
        if (!main)
            for (const Route& r : site.routes)
                if (!main || r.last - r.first > main->last - main->first) main = &r;
        if (main) {
            layout.chain_first = main->first;
            layout.chain_last = main->last;
        }
        for (int k = 0; k <= layout.chain_size(); ++k) layout.entry.push_back(result_.new_label());
        for (const Route& r : site.routes) {
            if (is_positional(r.edge.kind)) continue;
            int label;
            if (r.empty()) {
                label = layout.entry.back();
            } else if (r.last == layout.chain_last && r.first >= layout.chain_first) {
                label = layout.entry[static_cast<std::size_t>(r.first - layout.chain_first)];
            } else {
                auto [it, added] = layout.trampolines.try_emplace({r.first, r.last}, 0);
                if (added) it->second = result_.new_label();
                label = it->second;
            }
            retarget(r.edge, label);
        }
        layout.lead_jump = main && is_positional(main->edge.kind) && !layout.trampolines.empty();
        return layout;
    }

    void retarget(const Edge& e, int label) {
        if (e.kind == EdgeKind::Handler && e.handler != kNone) {
            result_.handlers[static_cast<std::size_t>(e.handler)].label = label;
        } else {
            new_target_[static_cast<std::size_t>(e.source)] = label;
        }
    }

    void emit_site(std::vector<Item>& out, const Site& site, const SiteLayout& layout, int index) {
        const Item& before = unit_.items[static_cast<std::size_t>(index)];
        const int handler = hook_handler(unit_, depths_, before, index);
        // 3.9 reports an extra 'line' event when a handler is entered from an
        // instruction that does not start its line range: a bare `raise` keeps
        // the range start, and its hook runs on the line before it.
        std::vector<Item> marks;
        if (kBehavior.handler_entry_reports_line && (before.op == op::RAISE_VARARGS || before.op == op::RERAISE))
            while (!out.empty() && out.back().kind == ItemKind::LineMark) {
                marks.insert(marks.begin(), out.back());
                out.pop_back();
            }
        const int end = layout.entry.back();
        if (layout.lead_jump) emit_jump(out, layout.entry.front(), previous_location(out, before.loc), before.handler);
        std::size_t remaining = layout.trampolines.size();
        for (const auto& [range, label] : layout.trampolines) {
            out.push_back(Item::label_item(label));
            for (int call = range.first; call < range.second; ++call)
                emit_hook_call(out, site.calls[static_cast<std::size_t>(call)], before.loc, handler);
            // The last trampoline falls into an empty chain.
            if (--remaining > 0 || layout.chain_size() > 0) emit_jump(out, end, before.loc, before.handler);
        }
        for (int k = 0; k < layout.chain_size(); ++k) {
            out.push_back(Item::label_item(layout.entry[static_cast<std::size_t>(k)]));
            emit_hook_call(out, site.calls[static_cast<std::size_t>(layout.chain_first + k)], before.loc, handler);
        }
        if (kBehavior.for_iter_stays_jump_target && before.op == op::FOR_ITER && layout.chain_size() > 0)
            emit_jump(out, end, before.loc, before.handler);
        out.push_back(Item::label_item(end));
        out.insert(out.end(), marks.begin(), marks.end());
    }

    static void emit_jump(std::vector<Item>& out, int label, const Location& loc, int handler) {
        Item jump = Item::instr(op::JUMP_FORWARD, 0, loc);
        jump.label = label;
        jump.handler = handler;
        out.push_back(jump);
    }

    const CodeUnit& unit_;
    const StackDepths& depths_;
    CodeUnit result_;               // handlers retargeted in place, items rebuilt
    std::vector<int> new_target_;   // per original item: the label a retargeted jump now goes to
};

}  // namespace

CodeUnit splice_hooks(const CodeUnit& unit, const StackDepths& depths, const HookPlan& plan) {
    return Splicer(unit, depths).run(plan);
}

}  // namespace splice
