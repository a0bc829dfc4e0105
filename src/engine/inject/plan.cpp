#include "inject/plan.hpp"

namespace splice {

namespace {

bool same_edge(const Edge& a, const Edge& b) {
    return a.kind == b.kind && a.source == b.source && a.handler == b.handler;
}

}  // namespace

void HookPlan::merge(const HookPlan& other) {
    placed_lines.insert(placed_lines.end(), other.placed_lines.begin(), other.placed_lines.end());
    if (other.sites.empty()) return;
    HookPlan joined;
    joined.placed_lines = std::move(placed_lines);
    // Calls in a plan's own storage are copied: the joined plan outlives it.
    auto add_calls_of = [&joined](const HookPlan& from, const Site& site) {
        if (site.borrowed_calls.empty()) {
            joined.copy_calls(from.calls_of(site));
        } else {
            joined.add_calls(site.borrowed_calls);
        }
    };
    auto copy_site = [&joined, &add_calls_of](const HookPlan& from, const Site& site) {
        joined.open_site(site.item);
        add_calls_of(from, site);
        for (const Route& route : from.routes_of(site)) joined.add_route(route);
    };
    std::size_t a = 0;
    std::size_t b = 0;
    while (a < sites.size() || b < other.sites.size()) {
        if (b == other.sites.size() || (a < sites.size() && sites[a].item < other.sites[b].item)) {
            copy_site(*this, sites[a++]);
        } else if (a == sites.size() || other.sites[b].item < sites[a].item) {
            copy_site(other, other.sites[b++]);
        } else {
            // One instruction, both plans: this plan's calls, then the other's;
            // each edge runs its calls of both.
            const Site& mine = sites[a++];
            const Site& theirs = other.sites[b++];
            const int offset = static_cast<int>(calls_of(mine).size());
            copy_site(*this, mine);
            add_calls_of(other, theirs);
            const Site& site = joined.sites.back();
            for (const Route& extra : other.routes_of(theirs)) {
                if (extra.empty()) continue;
                for (int r = site.routes_begin; r < site.routes_end; ++r) {
                    Route& route = joined.routes[static_cast<std::size_t>(r)];
                    if (!same_edge(route.edge, extra.edge)) continue;
                    if (route.empty()) route.first = offset + extra.first;
                    route.last = offset + extra.last;
                }
            }
        }
    }
    *this = std::move(joined);
}

}  // namespace splice
