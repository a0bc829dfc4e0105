#include "inject/place_lines.hpp"

#include <algorithm>

#include "inject/line_events.hpp"

namespace splice {

HookPlan place_line_hooks(const CodeUnit& unit, const Flow& flow, std::span<const LineHooks> lines) {
    HookPlan plan;
    if (lines.empty()) return plan;
    const LineEventContext events(unit, flow);
    std::vector<char> placed(lines.size(), 0);
    const auto [lowest, highest] = std::minmax_element(lines.begin(), lines.end(),
                                                       [](const LineHooks& a, const LineHooks& b) { return a.line < b.line; });
    const int base = lowest->line;
    std::vector<int> request_at(static_cast<std::size_t>(highest->line - base + 1), kNone);
    for (std::size_t i = 0; i < lines.size(); ++i) request_at[static_cast<std::size_t>(lines[i].line - base)] = static_cast<int>(i);
    for (int index : flow.instrs) {
        const int line = unit.items[static_cast<std::size_t>(index)].loc.line;
        if (line == kNone || line < base || line > highest->line || !flow.insertable[static_cast<std::size_t>(index)]) continue;
        const int request = request_at[static_cast<std::size_t>(line - base)];
        if (request == kNone) continue;
        const std::span<const HookCall> calls = lines[static_cast<std::size_t>(request)].calls;
        plan.open_site(index);
        plan.add_calls(calls);
        bool any = false;
        for (const Edge& e : flow.into(index)) {
            Route route{e};
            if (events.fires(e, index)) {
                any = true;
                route.last = static_cast<int>(calls.size());
            }
            plan.add_route(route);
        }
        if (!any) {
            plan.drop_open_site();
            continue;
        }
        placed[static_cast<std::size_t>(request)] = 1;
    }
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (placed[i]) plan.placed_lines.push_back(lines[i].line);
    return plan;
}

}  // namespace splice
