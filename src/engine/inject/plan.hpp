// Where hooks go: before which instruction, in what order, and which of them
// each incoming edge runs. Placement passes (statement and line mode) make a
// plan; splice_hooks carries it out.
#pragma once

#include <vector>

#include "analysis/flow.hpp"
#include "inject/hook_call.hpp"

namespace splice {

// A request to place hooks at one line, in injection order.
struct LineHooks {
    int line = 0;
    std::vector<HookCall> calls;
};

// The calls that control arriving through `edge` makes before the
// instruction: Site::calls[first, last). Always a contiguous run: statement
// mode runs a tail of the statements' calls, line mode all of its calls or
// none, and line-mode calls come after statement-mode ones.
struct Route {
    Edge edge;
    int first = 0;
    int last = 0;
    bool empty() const { return first == last; }
};

struct Site {
    int item = kNone;             // the instruction the hooks go before
    std::vector<HookCall> calls;  // in the order they run
    std::vector<Route> routes;    // one per edge into the instruction
};

struct HookPlan {
    std::vector<Site> sites;        // sorted by item, at most one per instruction
    std::vector<int> placed_lines;  // requested lines that got at least one site

    // Joins another plan's sites; at a shared instruction this plan's calls run first.
    void merge(HookPlan other);
};

}  // namespace splice
