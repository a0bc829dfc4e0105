// How control reaches each instruction: the edges a hook placement must
// route through, or around, the hook.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/code_unit.hpp"

namespace splice {

enum class EdgeKind : std::uint8_t {
    // Positional edges arrive at whatever sits just before the instruction.
    FallThrough,  // from the instruction before it (after a yield: the resumption)
    LoopExit,     // 3.12+: an exhausted FOR_ITER lands past the units it skips
    Start,        // the frame starts here, right after the prologue
    FinallyReturn,  // 3.8: back from the `finally` block a CALL_FINALLY entered
    // Retargetable edges arrive through a label.
    Jump,         // a jump instruction's target
    Handler,      // an exception handler's entry
};

inline bool is_positional(EdgeKind kind) {
    return kind == EdgeKind::FallThrough || kind == EdgeKind::LoopExit || kind == EdgeKind::Start ||
           kind == EdgeKind::FinallyReturn;
}

struct Edge {
    EdgeKind kind = EdgeKind::FallThrough;
    int source = kNone;   // item index of the instruction control comes from
                          // (for a 3.11+ handler: kNone, see `handler`)
    int handler = kNone;  // 3.11+ Handler edges: index in CodeUnit::handlers
};

struct Flow {
    std::vector<int> instrs;              // item indices of the instructions, in order
    std::vector<int> bound;               // label -> item index of the instruction it binds
    std::vector<char> insertable;         // per item index: may code be put right before it?
    int body_start = kNone;               // item index of the first instruction after the prologue

    // The edges into an instruction (item index).
    std::span<const Edge> into(int item) const {
        return {edges.data() + edge_start[static_cast<std::size_t>(item)],
                edges.data() + edge_start[static_cast<std::size_t>(item) + 1]};
    }
    std::vector<Edge> edges;       // grouped by the instruction they lead to
    std::vector<int> edge_start;   // per item index, and one past the last
    // The item indices of the instructions whose exceptions a Handler edge
    // brings: per 3.11+ handler record, and per 3.8-3.10 SETUP_* instruction.
    std::vector<int> protected_items;   // 3.11+: grouped by handler record, in code order
    std::vector<int> protected_start;   // per handler record, and one past the last
    std::vector<std::vector<int>> protected_by_setup;  // per item index

    std::span<const int> protected_for(const Edge& e) const {
        if (e.handler == kNone) return protected_by_setup[static_cast<std::size_t>(e.source)];
        return {protected_items.data() + protected_start[static_cast<std::size_t>(e.handler)],
                protected_items.data() + protected_start[static_cast<std::size_t>(e.handler) + 1]};
    }
};

Flow analyze_flow(const CodeUnit& unit);

}  // namespace splice

namespace splice {

// Per item index, with co_lnotab: does a table entry that changes the line
// land on this instruction (the first instruction counts too)? Marks inside an
// instruction, after EXTENDED_ARG, are never where tracing looks.
std::vector<char> lnotab_range_starts(const CodeUnit& unit);

}  // namespace splice
