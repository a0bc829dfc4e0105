// Grouping without sorting: a stable counting sort by a small integer key.
#pragma once

#include <cstddef>
#include <vector>

namespace splice {

// Files what `each` yields, (group, value) pairs with group in [0, groups),
// by group, each group's values in the order yielded: `start` gets where each
// group begins in `values`, and one past the last. `each(visit)` must call
// visit(group, value) for every pair, the same way each time: it runs twice,
// to count and then to file.
template <class Value, class Each>
void file_by_group(std::size_t groups, Each&& each, std::vector<int>& start, std::vector<Value>& values) {
    start.assign(groups + 1, 0);
    each([&start](int group, const Value&) { ++start[static_cast<std::size_t>(group) + 1]; });
    for (std::size_t g = 0; g < groups; ++g) start[g + 1] += start[g];
    values.resize(static_cast<std::size_t>(start[groups]));
    // start[g] serves as group g's cursor, ending where group g + 1 begins...
    each([&](int group, const Value& value) { values[static_cast<std::size_t>(start[static_cast<std::size_t>(group)]++)] = value; });
    // ...so shifting by one gives the starts back.
    for (std::size_t g = groups; g > 0; --g) start[g] = start[g - 1];
    start[0] = 0;
}

}  // namespace splice
