#include "inject/line_events.hpp"

#include <algorithm>

#include "version/behavior.hpp"

// The rules below were read from each version's ceval.c / instrumentation.c /
// legacy_tracing.c and checked against the interpreters (docs/line-events.md).

namespace splice {

LineEventContext::LineEventContext(const CodeUnit& unit, const Flow& flow) : unit_(unit), flow_(flow) {
    position_.assign(unit.items.size(), kNone);
    for (std::size_t k = 0; k < flow.instrs.size(); ++k) position_[static_cast<std::size_t>(flow.instrs[k])] = static_cast<int>(k);
    if (kBehavior.line_events == LineEvents::RangeStart) mark_range_starts();
    if (kBehavior.line_events == LineEvents::Monitoring) mark_line_set();
}

// co_lnotab: a range starts at offset 0 and wherever an entry changes the line.
void LineEventContext::mark_range_starts() {
    starts_range_ = lnotab_range_starts(unit_);
    for (std::size_t k = 1; k < flow_.instrs.size() && first_range_end_ == kNone; ++k)
        if (starts_range_[static_cast<std::size_t>(flow_.instrs[k])]) first_range_end_ = static_cast<int>(k);
    if (first_range_end_ == kNone) first_range_end_ = static_cast<int>(flow_.instrs.size());
}

// sys.monitoring's LINE set: where lines start in code order (RESUME, END_FOR
// and the like neither count nor interrupt), every jump target with a line
// (one past FOR_ITER's and SEND's), and every handler with a line.
void LineEventContext::mark_line_set() {
    line_set_.assign(unit_.items.size(), 0);
    auto mark_unless = [&](int index, int excluded) {
        const Item& item = unit_.items[static_cast<std::size_t>(index)];
        if (item.loc.line != kNone && item.op != excluded) line_set_[static_cast<std::size_t>(index)] = 1;
    };
    int current = kNone;
    bool in_body = false;
    for (int index : flow_.instrs) {
        in_body = in_body || index == flow_.body_start;
        const Item& item = unit_.items[static_cast<std::size_t>(index)];
        if (!in_body || op_is(item.op, kNoLineEvent)) continue;
        if (item.loc.line != kNone && item.loc.line != current) line_set_[static_cast<std::size_t>(index)] = 1;
        current = item.loc.line;
    }
    const std::vector<int>& bound = flow_.bound;
    for (int index : flow_.instrs) {
        const Item& item = unit_.items[static_cast<std::size_t>(index)];
        if (!op_is_jump(item.op) || op_is(item.op, kRelocateOnly)) continue;
        int target = bound[static_cast<std::size_t>(item.label)];
        if (item.op == op::FOR_ITER || item.op == op::SEND) {
            const std::size_t k = static_cast<std::size_t>(position_[static_cast<std::size_t>(target)]) + 1;
            if (k >= flow_.instrs.size()) continue;
            target = flow_.instrs[k];
        }
        mark_unless(target, op::POP_ITER);
    }
    for (const Handler& h : unit_.handlers) mark_unless(bound[static_cast<std::size_t>(h.label)], op::END_ASYNC_FOR);
}

int LineEventContext::line(int index) const {
    return index == kNone ? kNone : unit_.items[static_cast<std::size_t>(index)].loc.line;
}

bool LineEventContext::backward(const Edge& e, int index) const {
    return e.kind == EdgeKind::Jump && position_[static_cast<std::size_t>(e.source)] > position_[static_cast<std::size_t>(index)];
}

// An exception arrives with the raising instruction as the previous one; any
// instruction of the protected range may raise, so the edge reports an event
// when any of them would.
bool LineEventContext::handler_fires(const Edge& e, int index) const {
    const int target_line = line(index);
    for (int source : flow_.protected_for(e)) {
        const Item& raiser = unit_.items[static_cast<std::size_t>(source)];
        // RERAISE n (3.10+) restores the original raiser as the previous
        // instruction, which lies in the body the inner handler protected.
        if (raiser.op == op::RERAISE && raiser.arg != 0 && kBehavior.line_events != LineEvents::RangeStart) return true;
        if (raiser.op == op::YIELD_VALUE && kBehavior.throw_reports_line) return true;
        // Compiler glue without a line (PUSH_EXC_INFO) does not raise.
        if (raiser.loc.line != kNone && raiser.loc.line != target_line) return true;
    }
    return false;
}

bool LineEventContext::fires_range_start(const Edge& e, int index) const {
    // END_FINALLY/POP_FINALLY jump back to after the CALL_FINALLY: a backward move.
    if (e.kind == EdgeKind::Start || e.kind == EdgeKind::FinallyReturn || starts_range_[static_cast<std::size_t>(index)] ||
        backward(e, index))
        return true;
    if (e.kind == EdgeKind::Handler && kBehavior.handler_entry_reports_line) {
        // 3.9 reports the handler's line when the raiser was not at the start
        // of a range (nor in the first one). Which instruction raised is known
        // only at run time: `raise` statements are taken as the raisers when
        // the protected code has some, then the compiler's re-raises, then any instruction.
        const auto& sources = flow_.protected_for(e);
        auto has = [&](int op) {
            return std::any_of(sources.begin(), sources.end(),
                               [&](int source) { return unit_.items[static_cast<std::size_t>(source)].op == op; });
        };
        const int raiser = has(op::RAISE_VARARGS) ? op::RAISE_VARARGS : has(op::RERAISE) ? op::RERAISE : kNoOp;
        for (int source : sources) {
            if (raiser != kNoOp && unit_.items[static_cast<std::size_t>(source)].op != raiser) continue;
            if (position_[static_cast<std::size_t>(source)] >= first_range_end_ && !starts_range_[static_cast<std::size_t>(source)]) return true;
        }
    }
    return false;
}

bool LineEventContext::fires_line_change(const Edge& e, int index) const {
    switch (e.kind) {
        case EdgeKind::Start: return true;
        case EdgeKind::Handler: return handler_fires(e, index);
        case EdgeKind::Jump:
            // 3.11 keeps the `yield from`/`await` loop back to SEND silent.
            if (backward(e, index) && unit_.items[static_cast<std::size_t>(index)].op != op::SEND) return true;
            return line(e.source) != line(index);
        case EdgeKind::FallThrough:
        case EdgeKind::FinallyReturn:
        case EdgeKind::LoopExit: return line(e.source) != line(index);
    }
    return false;
}

bool LineEventContext::fires_monitoring(const Edge& e, int index) const {
    // A backward JUMP_BACKWARD reports the line even mid-line (legacy tracing's JUMP callback).
    if (e.kind == EdgeKind::Jump && backward(e, index) && unit_.items[static_cast<std::size_t>(e.source)].op == op::JUMP_BACKWARD)
        return true;
    if (!line_set_[static_cast<std::size_t>(index)]) return false;
    switch (e.kind) {
        case EdgeKind::Start: return true;  // after RESUME
        case EdgeKind::Handler: return handler_fires(e, index);
        case EdgeKind::Jump:
        case EdgeKind::FallThrough:
        case EdgeKind::FinallyReturn:
        case EdgeKind::LoopExit:
            return unit_.items[static_cast<std::size_t>(e.source)].op == op::RESUME || line(e.source) != line(index);
    }
    return false;
}

bool LineEventContext::fires(const Edge& edge, int index) const {
    if (line(index) == kNone) return false;
    switch (kBehavior.line_events) {
        case LineEvents::RangeStart: return fires_range_start(edge, index);
        case LineEvents::LineChange: return fires_line_change(edge, index);
        case LineEvents::Monitoring: return fires_monitoring(edge, index);
    }
    return false;
}

}  // namespace splice
