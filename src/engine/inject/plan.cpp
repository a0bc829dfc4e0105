#include "inject/plan.hpp"

#include <algorithm>

namespace splice {

namespace {

void append_site(Site& into, const Site& from) {
    const int offset = static_cast<int>(into.calls.size());
    into.calls.insert(into.calls.end(), from.calls.begin(), from.calls.end());
    for (const Route& extra : from.routes) {
        for (Route& route : into.routes) {
            if (route.edge.kind != extra.edge.kind || route.edge.source != extra.edge.source ||
                route.edge.handler != extra.edge.handler)
                continue;
            if (extra.empty()) continue;
            if (route.empty()) route.first = offset + extra.first;
            route.last = offset + extra.last;
        }
    }
}

}  // namespace

void HookPlan::merge(HookPlan other) {
    placed_lines.insert(placed_lines.end(), other.placed_lines.begin(), other.placed_lines.end());
    for (Site& site : other.sites) {
        auto at = std::lower_bound(sites.begin(), sites.end(), site.item,
                                   [](const Site& s, int item) { return s.item < item; });
        if (at != sites.end() && at->item == site.item) {
            append_site(*at, site);
        } else {
            sites.insert(at, std::move(site));
        }
    }
}

}  // namespace splice
