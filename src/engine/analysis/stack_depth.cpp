#include "analysis/stack_depth.hpp"

#include <algorithm>

#include "util/scratch.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

constexpr int kDepthLimit = 1 << 16;

class DepthWalk {
public:
    DepthWalk(const CodeUnit& unit, const std::vector<int>* bound)
        : unit_(unit), owned_(bound ? std::vector<int>() : index_instructions(unit).bound), bound_(bound ? *bound : owned_) {
        result_.before.assign(unit.items.size(), kNone);
    }

    StackDepths run() {
        push(next_instr(0), 0, "the start");
        while (!work_.empty() && result_.error.empty()) {
            const int index = work_.back();
            work_.pop_back();
            walk_from(index);
        }
        if (!kBehavior.stack_depths_agree) check_settled();
        return std::move(result_);
    }

private:
    int next_instr(int index) const {
        const int n = static_cast<int>(unit_.items.size());
        while (index < n && !unit_.items[static_cast<std::size_t>(index)].is_instr()) ++index;
        return index;
    }

    // Control arrives at `index` with `depth`: true when the instruction must
    // be walked (again) from there.
    bool arrive(int index, int depth, const char* from) {
        result_.max_depth = std::max(result_.max_depth, depth);
        if (index >= static_cast<int>(unit_.items.size())) {
            fail(std::string("control runs past the last instruction from ") + from);
            return false;
        }
        int& known = result_.before[static_cast<std::size_t>(index)];
        if (known == kNone || (!kBehavior.stack_depths_agree && depth > known)) {
            if (depth > kDepthLimit) {
                fail("the stack grows without bound");
                return false;
            }
            known = depth;
            return true;
        }
        if (known != depth && kBehavior.stack_depths_agree)
            fail("instruction " + std::to_string(index) + " is reached with stack depths " + std::to_string(known) + " and " +
                 std::to_string(depth));
        return false;
    }

    void push(int index, int depth, const char* from) {
        if (arrive(index, depth, from)) work_.push_back(index);
    }

    void check_settled() {
        for (std::size_t i = 0; i < unit_.items.size() && result_.error.empty(); ++i) {
            const int depth = result_.before[i];
            if (depth != kNone && depth + op_stack_effect(unit_.items[i].op, unit_.items[i].arg, false) < 0)
                fail(std::string(op_name(unit_.items[i].op)) + " pops more than the stack holds");
        }
    }

    void fail(std::string message) {
        if (result_.error.empty()) result_.error = std::move(message);
    }

    // Walks straight-line code from `index`, leaving jumps and handlers to the work list.
    void walk_from(int index) {
        const Item* const items = unit_.items.data();
        const int count = static_cast<int>(unit_.items.size());
        int* const before = result_.before.data();
        for (;;) {
            const Item& item = items[index];
            const int depth = before[index];
            // A handler's depth can exceed the depth of instructions in its range
            // that cannot raise (3.15 generator expressions), so it is not checked here.
            // It is the same from every instruction of its range: once is enough.
            if (item.handler != kNone && item.handler != last_handler_) {
                last_handler_ = item.handler;
                const Handler& h = unit_.handlers[static_cast<std::size_t>(item.handler)];
                push(bound_[static_cast<std::size_t>(h.label)], h.depth + 1 + (h.lasti ? 1 : 0), "a handler");
            }
            const OpFacts facts = op_facts(item.op);
            if (facts.jump != static_cast<std::uint8_t>(JumpKind::None) && !(facts.flags & kRelocateOnly)) {
                push(bound_[static_cast<std::size_t>(item.label)], depth + op_stack_effect(item.op, item.arg, true), "a jump");
            }
            const int after = depth + op_stack_effect(item.op, item.arg, false);
            // Before 3.11 paths may first arrive shallower than the deepest one
            // (CALL_FINALLY's), so underflow is judged once depths have settled.
            if (after < 0 && kBehavior.stack_depths_agree) fail(std::string(op_name(item.op)) + " pops more than the stack holds");
            result_.max_depth = std::max(result_.max_depth, after);
            if ((facts.flags & kTerminator) || !result_.error.empty()) return;
            int next = index + 1;
            while (next < count && !items[next].is_instr()) ++next;
            // Most instructions are reached first by falling into them: settled here, without a work-list entry.
            if (next < count && before[next] == kNone && after <= kDepthLimit) {
                before[next] = after;
                index = next;
                continue;
            }
            if (!arrive(next, after, op_name(item.op))) return;
            index = next;
        }
    }

    const CodeUnit& unit_;
    std::vector<int> owned_;
    const std::vector<int>& bound_;
    Scratch<int> work_;
    int last_handler_ = kNone;  // the handler record control last went to
    StackDepths result_;
};

}  // namespace

StackDepths compute_stack_depths(const CodeUnit& unit, const std::vector<int>* bound) {
    return DepthWalk(unit, bound).run();
}

}  // namespace splice
