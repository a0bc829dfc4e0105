#include "inject/splice_hooks.hpp"

#include <algorithm>
#include <span>

#include "inject/inline_body.hpp"
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
    int shift = 0;  // once written: how far the original items from the site's on moved
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
    Splicer(const CodeUnit& unit, const StackDepths* depths) : unit_(unit), depths_(depths) {
        result_.handlers = unit.handlers;
        result_.label_count = unit.label_count;
        result_.first_line = unit.first_line;
    }

    Spliced run(const HookPlan& plan) {
        // Each site's labels, and the edges sent to them, before anything is written.
        Scratch<SiteLayout> layouts;
        layouts.reserve(plan.sites.size());
        std::size_t call_count = 0;
        bool any_inline = false;
        for (const Site& site : plan.sites) {
            layouts.push_back(lay_out(plan.routes_of(site)));
            for (const HookCall& call : plan.calls_of(site)) any_inline = any_inline || call.inline_body;
            call_count += plan.calls_of(site).size();
        }
        if (any_inline) reserve_inline_labels(plan, layouts);
        std::vector<Item> out;
        out.reserve(unit_.items.size() + call_count * static_cast<std::size_t>(hook_call_length()) + plan.sites.size() * 3);
        // The original items go over in runs between the sites.
        const Item* const items = unit_.items.data();
        std::size_t copied = 0;
        for (std::size_t s = 0; s < plan.sites.size(); ++s) {
            const std::size_t at = static_cast<std::size_t>(plan.sites[s].item);
            out.insert(out.end(), items + copied, items + at);
            emit_site(out, plan.calls_of(plan.sites[s]), layouts[s], static_cast<int>(at));
            layouts[s].shift = static_cast<int>(out.size() - at);
            copied = at;
        }
        out.insert(out.end(), items + copied, items + unit_.items.size());
        // Retargeted jumps, in the order they were retargeted: the last one for an instruction holds.
        for (const auto& [source, label] : retargets_) out[static_cast<std::size_t>(source + shift_at(plan, layouts, source))].label = label;
        result_.items = std::move(out);
        InstrIndex index = index_items(result_.items, result_.label_count);
        return {std::move(result_), std::move(index), std::move(handled_calls_)};
    }

private:
    // What InstrIndexer (model/code_unit.hpp) makes of `items`, in one pass
    // that writes each instruction's index without a capacity check.
    static InstrIndex index_items(const std::vector<Item>& items, int label_count) {
        InstrIndex index;
        index.ordinal.assign(static_cast<std::size_t>(label_count), kNone);
        index.instrs.resize(items.size());
        int* const first = index.instrs.data();
        int* next = first;
        int* const ordinal = index.ordinal.data();
        const int item_count = static_cast<int>(items.size());
        for (int i = 0; i < item_count; ++i) {
            const Item& item = items[static_cast<std::size_t>(i)];
            if (item.is_instr()) {
                *next++ = i;
            } else if (item.kind == ItemKind::Label) {
                ordinal[item.label] = static_cast<int>(next - first);
            }
        }
        const int instr_count = static_cast<int>(next - first);
        index.instrs.resize(static_cast<std::size_t>(instr_count));
        index.bound.resize(index.ordinal.size());
        for (std::size_t label = 0; label < index.ordinal.size(); ++label) {
            const int k = index.ordinal[label];
            index.bound[label] = k == kNone ? kNone : k < instr_count ? first[k] : item_count;
        }
        return index;
    }

    // How far original item `item` moved: by all the items written before it, at the sites up to it.
    static int shift_at(const HookPlan& plan, std::span<const SiteLayout> layouts, int item) {
        const auto after = std::upper_bound(plan.sites.begin(), plan.sites.end(), item,
                                            [](int i, const Site& site) { return i < site.item; });
        return after == plan.sites.begin() ? 0 : layouts[static_cast<std::size_t>(after - plan.sites.begin() - 1)].shift;
    }

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
        if (layout.trampolines_end - layout.trampolines_begin > 1)
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
            retargets_.push_back({e.source, label});
        }
    }

    // Inline bodies take their labels as they are written, after the
    // indexer (which wants every label up front) is made: set aside here,
    // for each time a call is written (trampolines repeat calls of the chain).
    void reserve_inline_labels(const HookPlan& plan, std::span<const SiteLayout> layouts) {
        next_inline_label_ = result_.label_count;
        auto reserve = [this](const HookCall& call) {
            if (call.inline_body) result_.label_count += call.inline_body->label_count + 4;
        };
        for (std::size_t s = 0; s < plan.sites.size(); ++s) {
            const std::span<const HookCall> calls = plan.calls_of(plan.sites[s]);
            const SiteLayout& layout = layouts[s];
            for (int t = layout.trampolines_begin; t < layout.trampolines_end; ++t)
                for (int c = trampolines_[static_cast<std::size_t>(t)].first; c < trampolines_[static_cast<std::size_t>(t)].last; ++c)
                    reserve(calls[static_cast<std::size_t>(c)]);
            for (int c = layout.chain_first; c < layout.chain_last; ++c) reserve(calls[static_cast<std::size_t>(c)]);
        }
    }

    void emit_site(std::vector<Item>& out, std::span<const HookCall> calls, const SiteLayout& layout, int index) {
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
        const int end = layout.end();
        if (layout.lead_jump) emit_jump(out, layout.entry(0), previous_location(out, before.loc), before.handler);
        for (int t = layout.trampolines_begin; t < layout.trampolines_end; ++t) {
            const Trampoline& trampoline = trampolines_[static_cast<std::size_t>(t)];
            out.push_back(Item::label_item(trampoline.label));
            for (int call = trampoline.first; call < trampoline.last; ++call)
                emit_call(out, calls[static_cast<std::size_t>(call)], before, index);
            // The last trampoline falls into an empty chain.
            if (t + 1 < layout.trampolines_end || layout.chain_size() > 0) emit_jump(out, end, before.loc, before.handler);
        }
        for (int k = 0; k < layout.chain_size(); ++k) {
            out.push_back(Item::label_item(layout.entry(k)));
            emit_call(out, calls[static_cast<std::size_t>(layout.chain_first + k)], before, index);
        }
        if (kBehavior.for_iter_stays_jump_target && before.op == op::FOR_ITER && layout.chain_size() > 0)
            emit_jump(out, end, before.loc, before.handler);
        out.push_back(Item::label_item(end));
        if (kBehavior.handler_entry_reports_line) out.insert(out.end(), marks.begin(), marks.end());
    }

    // Each call unwinds like the instruction it precedes, for now (see settle_hook_handlers).
    void emit_call(std::vector<Item>& out, const HookCall& call, const Item& before, int index) {
        const int depth = depths_ ? depths_->before[static_cast<std::size_t>(index)] : kNone;
        if (call.inline_body && depth != kNone) return emit_inline(out, *call.inline_body, before, depth);
        const std::size_t first = out.size();
        emit_hook_call(out, call, before.loc, before.handler);
        handled(first, out);
    }

    // Instructions [first, end of out) carry the handler of the instruction they precede.
    void handled(std::size_t first, const std::vector<Item>& out) {
        if (out[first].handler != kNone) handled_calls_.push_back({static_cast<int>(first), static_cast<int>(out.size() - first)});
    }

    void add(std::vector<Item>& out, int op, int arg, const Item& before, int handler, int label = kNone) {
        Item item = Item::instr(op, arg, before.loc);
        item.handler = handler;
        item.label = label;
        out.push_back(item);
    }

    // The layout inline_body.hpp describes; `depth` is the stack's at the site.
    void emit_inline(std::vector<Item>& out, const InlineBody& body, const Item& before, int depth) {
        const int base = next_inline_label_;
        next_inline_label_ += body.label_count + 4;
        const int done = base + body.done(), failed = done + 1, cleanup = done + 2, skip = done + 3;
        bool any_code = false;
        for (const Item& item : body.items) any_code = any_code || item.is_instr();
        const int body_handler = static_cast<int>(result_.handlers.size());
        const int failed_handler = body_handler + 1;
        if (any_code) {
            result_.handlers.push_back({failed, depth, false});
            result_.handlers.push_back({cleanup, depth + 1, true});
        }
        const int site = before.handler;
        std::size_t first = out.size();
        add(out, op::LOAD_CONST, body.enter_const, before, site);
        add(out, op::PUSH_NULL, 0, before, site);
        add(out, op::LOAD_CONST, body.probe_const, before, site);
        add(out, op::CALL, 1, before, site);
        add(out, op::POP_JUMP_IF_FALSE, 0, before, site, skip);
        if (op::NOT_TAKEN != kNoOp) add(out, op::NOT_TAKEN, 0, before, site);
        handled(first, out);
        for (Item item : body.items) {
            item.label = item.label == kNone ? kNone : base + item.label;
            if (item.is_instr()) {
                item.loc = before.loc;
                item.handler = body_handler;
            }
            out.push_back(item);
        }
        out.push_back(Item::label_item(done));
        first = out.size();
        add(out, op::LOAD_CONST, body.leave_const, before, site);
        add(out, op::PUSH_NULL, 0, before, site);
        add(out, op::CALL, 0, before, site);
        add(out, op::POP_TOP, 0, before, site);
        handled(first, out);
        if (!any_code) {  // `pass`, or a condition that never came: nothing can raise in between
            out.push_back(Item::label_item(skip));
            return;
        }
        add(out, op::JUMP_FORWARD, 0, before, kNone, skip);
        // The exception is on the stack, over what the site had.
        out.push_back(Item::label_item(failed));
        add(out, op::PUSH_EXC_INFO, 0, before, failed_handler);
        add(out, op::LOAD_CONST, body.failed_const, before, failed_handler);
        add(out, op::PUSH_NULL, 0, before, failed_handler);
        add(out, op::LOAD_CONST, body.probe_const, before, failed_handler);
        add(out, op::COPY, 4, before, failed_handler);
        add(out, op::CALL, 2, before, failed_handler);
        add(out, op::POP_TOP, 0, before, failed_handler);
        add(out, op::POP_TOP, 0, before, failed_handler);
        add(out, op::POP_EXCEPT, 0, before, kNone);
        add(out, op::JUMP_FORWARD, 0, before, kNone, skip);
        // failed() raised (KeyboardInterrupt, SystemExit): on to the site's handler.
        out.push_back(Item::label_item(cleanup));
        first = out.size();
        add(out, op::COPY, 3, before, site);
        add(out, op::POP_EXCEPT, 0, before, site);
        add(out, op::RERAISE, 1, before, site);
        handled(first, out);
        out.push_back(Item::label_item(skip));
    }

    static void emit_jump(std::vector<Item>& out, int label, const Location& loc, int handler) {
        Item jump = Item::instr(op::JUMP_FORWARD, 0, loc);
        jump.label = label;
        jump.handler = handler;
        out.push_back(jump);
    }

    const CodeUnit& unit_;
    CodeUnit result_;               // handlers retargeted in place, items rebuilt
    std::vector<Trampoline> trampolines_;  // every site's, site after site (seldom any)
    Scratch<std::pair<int, int>> retargets_;  // (original item, the label its jump now goes to)
    const StackDepths* depths_;
    int next_inline_label_ = 0;
    std::vector<std::pair<int, int>> handled_calls_;
};

}  // namespace

Spliced splice_hooks(const CodeUnit& unit, const HookPlan& plan, const StackDepths* depths) { return Splicer(unit, depths).run(plan); }

void settle_hook_handlers(Spliced& spliced, const StackDepths& depths) {
    for (const auto& [first, count] : spliced.handled_calls) {
        const int depth = depths.before[static_cast<std::size_t>(first)];
        Item* call = &spliced.unit.items[static_cast<std::size_t>(first)];
        if (depth != kNone && spliced.unit.handlers[static_cast<std::size_t>(call->handler)].depth <= depth) continue;
        for (int i = 0; i < count; ++i) call[i].handler = kNone;
    }
}

}  // namespace splice
