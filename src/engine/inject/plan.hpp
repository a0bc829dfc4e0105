// Where hooks go: before which instruction, in what order, and which of them
// each incoming edge runs. Placement passes (statement and line mode) make a
// plan; splice_hooks carries it out.
#pragma once

#include <span>
#include <vector>

#include "analysis/flow.hpp"
#include "inject/hook_call.hpp"

namespace splice {

// A request to place hooks at one line, in injection order. The calls live
// in storage of the caller's that outlives the plan.
struct LineHooks {
    int line = 0;
    std::span<const HookCall> calls;
};

// The calls that control arriving through `edge` makes before the
// instruction: the site's calls [first, last). Always a contiguous run:
// statement mode runs a tail of the statements' calls, line mode all of its
// calls or none, and line-mode calls come after statement-mode ones.
struct Route {
    Edge edge;
    int first = 0;
    int last = 0;
    bool empty() const { return first == last; }
};

// One instruction that gets hooks. Its routes (one per edge into the
// instruction) are a range of the plan's shared vector, and so are its calls
// when several requests' meet there; the calls of one request (most sites)
// are borrowed from the caller's storage. A plan of any size is a handful of
// allocations.
struct Site {
    int item = kNone;  // the instruction the hooks go before
    std::span<const HookCall> borrowed_calls;
    int calls_begin = 0;
    int calls_end = 0;
    int routes_begin = 0;
    int routes_end = 0;
};

struct HookPlan {
    std::vector<Site> sites;        // sorted by item, at most one per instruction
    std::vector<HookCall> calls;    // the calls of sites where several requests meet, site after site
    std::vector<Route> routes;
    std::vector<int> placed_lines;  // requested lines that got at least one site

    // In the order they run.
    std::span<const HookCall> calls_of(const Site& site) const {
        if (!site.borrowed_calls.empty()) return site.borrowed_calls;
        return {calls.data() + site.calls_begin, calls.data() + site.calls_end};
    }
    std::span<const Route> routes_of(const Site& site) const {
        return {routes.data() + site.routes_begin, routes.data() + site.routes_end};
    }

    // Building, site by site in item order: open a site, add its calls and
    // routes. Defined here: a placement calls them for every site.
    void open_site(int item) {
        const int c = static_cast<int>(calls.size());
        const int r = static_cast<int>(routes.size());
        sites.push_back({item, {}, c, c, r, r});
    }
    // `more` must outlive the plan: the site's first calls are borrowed.
    void add_calls(std::span<const HookCall> more) {
        const Site& site = sites.back();
        if (site.borrowed_calls.empty() && site.calls_begin == site.calls_end) {
            sites.back().borrowed_calls = more;
        } else {
            copy_calls(more);
        }
    }
    // The site's calls so far and `more` go to the plan's own storage.
    void copy_calls(std::span<const HookCall> more) {
        Site& site = sites.back();
        calls.insert(calls.end(), site.borrowed_calls.begin(), site.borrowed_calls.end());
        site.borrowed_calls = {};
        calls.insert(calls.end(), more.begin(), more.end());
        site.calls_end = static_cast<int>(calls.size());
    }
    void add_route(const Route& route) {
        routes.push_back(route);
        sites.back().routes_end = static_cast<int>(routes.size());
    }
    // The open site turned out to have no route through its calls.
    void drop_open_site() {
        calls.resize(static_cast<std::size_t>(sites.back().calls_begin));
        routes.resize(static_cast<std::size_t>(sites.back().routes_begin));
        sites.pop_back();
    }

    // Joins another plan's sites; at a shared instruction this plan's calls run first.
    void merge(const HookPlan& other);
};

}  // namespace splice
