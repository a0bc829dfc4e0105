#include "inject/splice_hooks.hpp"

#include <algorithm>
#include <span>

#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

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
    int first_entry = 0;  // label of chain position 0; position k is first_entry + k, the end is past the chain
    int trampolines_begin = 0;  // range of Splicer::trampolines_, sorted by call range
    int trampolines_end = 0;
    bool lead_jump = false;
    int chain_size() const { return chain_last - chain_first; }
    int entry(int k) const { return first_entry + k; }
    int end() const { return entry(chain_size()); }
};

// Calls [first, last) run on their own, then jump to the instruction.
struct Trampoline {
    int first = 0;
    int last = 0;
    int label = kNone;
};

class Splicer {
public:
    explicit Splicer(const CodeUnit& unit) : unit_(unit) {
        result_.handlers = unit.handlers;
        result_.label_count = unit.label_count;
        result_.first_line = unit.first_line;
        new_target_.assign(unit.items.size(), kNone);
    }

    Spliced run(const HookPlan& plan) {
        // Every edge is retargeted before any item is copied: jumps to a site may come before it.
        Scratch<SiteLayout> layouts;
        layouts.reserve(plan.sites.size());
        for (const Site& site : plan.sites) layouts.push_back(lay_out(plan.routes_of(site)));
        std::vector<Item> out;
        out.reserve(unit_.items.size() + plan.calls.size() * static_cast<std::size_t>(hook_call_length()) + plan.sites.size() * 3);
        // The new items are indexed as they are written, while they are at hand.
        InstrIndexer indexer(result_.label_count, out.capacity());
        std::size_t indexed = 0;
        auto index_new_items = [&] {
            for (; indexed < out.size(); ++indexed) indexer.add(out[indexed], static_cast<int>(indexed));
        };
        std::size_t next_site = 0;
        for (std::size_t i = 0; i < unit_.items.size(); ++i) {
            if (next_site < plan.sites.size() && plan.sites[next_site].item == static_cast<int>(i)) {
                const std::size_t written_from = emit_site(out, plan.calls_of(plan.sites[next_site]), layouts[next_site], static_cast<int>(i));
                indexed = std::min(indexed, written_from);
                ++next_site;
            }
            out.push_back(unit_.items[i]);
            if (new_target_[i] != kNone) out.back().label = new_target_[i];
            index_new_items();
        }
        result_.items = std::move(out);
        const int item_count = static_cast<int>(result_.items.size());
        return {std::move(result_), std::move(indexer).finish(item_count), std::move(handled_calls_)};
    }

private:
    SiteLayout lay_out(std::span<const Route> routes) {
        SiteLayout layout;
        const Route* main = nullptr;
        for (const Route& r : routes)
            if (is_positional(r.edge.kind)) {
                main = &r;
                break;
            }
        if (!main)
            for (const Route& r : routes)
                if (!main || r.last - r.first > main->last - main->first) main = &r;
        if (main) {
            layout.chain_first = main->first;
            layout.chain_last = main->last;
        }
        layout.first_entry = result_.label_count;
        result_.label_count += layout.chain_size() + 1;
        layout.trampolines_begin = layout.trampolines_end = static_cast<int>(trampolines_.size());
        for (const Route& r : routes) {
            if (is_positional(r.edge.kind)) continue;
            int label;
            if (r.empty()) {
                label = layout.end();
            } else if (r.last == layout.chain_last && r.first >= layout.chain_first) {
                label = layout.entry(r.first - layout.chain_first);
            } else {
                label = trampoline_for(layout, r);
            }
            retarget(r.edge, label);
        }
        std::sort(trampolines_.begin() + layout.trampolines_begin, trampolines_.end(),
                  [](const Trampoline& a, const Trampoline& b) { return a.first != b.first ? a.first < b.first : a.last < b.last; });
        layout.lead_jump = main && is_positional(main->edge.kind) && layout.trampolines_end > layout.trampolines_begin;
        return layout;
    }

    // One trampoline per distinct call range of a site.
    int trampoline_for(SiteLayout& layout, const Route& r) {
        for (int t = layout.trampolines_begin; t < layout.trampolines_end; ++t) {
            const Trampoline& known = trampolines_[static_cast<std::size_t>(t)];
            if (known.first == r.first && known.last == r.last) return known.label;
        }
        trampolines_.push_back({r.first, r.last, result_.new_label()});
        layout.trampolines_end = static_cast<int>(trampolines_.size());
        return trampolines_.back().label;
    }

    void retarget(const Edge& e, int label) {
        if (e.kind == EdgeKind::Handler && e.handler != kNone) {
            result_.handlers[static_cast<std::size_t>(e.handler)].label = label;
        } else {
            new_target_[static_cast<std::size_t>(e.source)] = label;
        }
    }

    // Returns where in `out` the site's items begin (line marks moved after them included).
    std::size_t emit_site(std::vector<Item>& out, std::span<const HookCall> calls, const SiteLayout& layout, int index) {
        const Item& before = unit_.items[static_cast<std::size_t>(index)];
        // 3.9 reports an extra 'line' event when a handler is entered from an
        // instruction that does not start its line range: a bare `raise` keeps
        // the range start, and its hook runs on the line before it.
        std::vector<Item> marks;
        if (kBehavior.handler_entry_reports_line && (before.op == op::RAISE_VARARGS || before.op == op::RERAISE))
            while (!out.empty() && out.back().kind == ItemKind::LineMark) {
                marks.insert(marks.begin(), out.back());
                out.pop_back();
            }
        const std::size_t written_from = out.size();
        const int end = layout.end();
        if (layout.lead_jump) emit_jump(out, layout.entry(0), previous_location(out, before.loc), before.handler);
        for (int t = layout.trampolines_begin; t < layout.trampolines_end; ++t) {
            const Trampoline& trampoline = trampolines_[static_cast<std::size_t>(t)];
            out.push_back(Item::label_item(trampoline.label));
            for (int call = trampoline.first; call < trampoline.last; ++call)
                emit_call(out, calls[static_cast<std::size_t>(call)], before);
            // The last trampoline falls into an empty chain.
            if (t + 1 < layout.trampolines_end || layout.chain_size() > 0) emit_jump(out, end, before.loc, before.handler);
        }
        for (int k = 0; k < layout.chain_size(); ++k) {
            out.push_back(Item::label_item(layout.entry(k)));
            emit_call(out, calls[static_cast<std::size_t>(layout.chain_first + k)], before);
        }
        if (kBehavior.for_iter_stays_jump_target && before.op == op::FOR_ITER && layout.chain_size() > 0)
            emit_jump(out, end, before.loc, before.handler);
        out.push_back(Item::label_item(end));
        out.insert(out.end(), marks.begin(), marks.end());
        return written_from;
    }

    // Each call unwinds like the instruction it precedes, for now (see settle_hook_handlers).
    void emit_call(std::vector<Item>& out, const HookCall& call, const Item& before) {
        if (before.handler != kNone) handled_calls_.push_back(static_cast<int>(out.size()));
        emit_hook_call(out, call, before.loc, before.handler);
    }

    static void emit_jump(std::vector<Item>& out, int label, const Location& loc, int handler) {
        Item jump = Item::instr(op::JUMP_FORWARD, 0, loc);
        jump.label = label;
        jump.handler = handler;
        out.push_back(jump);
    }

    const CodeUnit& unit_;
    CodeUnit result_;               // handlers retargeted in place, items rebuilt
    Scratch<Trampoline> trampolines_;  // every site's, site after site
    Scratch<int> new_target_;   // per original item: the label a retargeted jump now goes to
    std::vector<int> handled_calls_;
};

}  // namespace

Spliced splice_hooks(const CodeUnit& unit, const HookPlan& plan) { return Splicer(unit).run(plan); }

void settle_hook_handlers(Spliced& spliced, const StackDepths& depths) {
    const std::size_t length = static_cast<std::size_t>(hook_call_length());
    for (const int first : spliced.handled_calls) {
        const int depth = depths.before[static_cast<std::size_t>(first)];
        Item* call = &spliced.unit.items[static_cast<std::size_t>(first)];
        if (depth != kNone && spliced.unit.handlers[static_cast<std::size_t>(call->handler)].depth <= depth) continue;
        for (std::size_t i = 0; i < length; ++i) call[i].handler = kNone;
    }
}

}  // namespace splice
