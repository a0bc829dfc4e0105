// When CPython's sys.settrace reports a 'line' event, per version.
#pragma once

#include "analysis/flow.hpp"

namespace splice {

// What the rules need to know about one code object, computed once.
class LineEventContext {
public:
    LineEventContext(const CodeUnit& unit, const Flow& flow);

    // Does arriving at instruction `index` through `edge` report a 'line' event?
    bool fires(const Edge& edge, int index) const;

private:
    void mark_range_starts();
    void mark_line_set();
    int line(int index) const;
    bool backward(const Edge& e, int index) const;
    bool handler_fires(const Edge& e, int index) const;
    bool fires_range_start(const Edge& e, int index) const;
    bool fires_line_change(const Edge& e, int index) const;
    bool fires_monitoring(const Edge& e, int index) const;

    const CodeUnit& unit_;
    const Flow& flow_;
    std::vector<int> position_;       // item index -> instruction ordinal
    std::vector<char> starts_range_;  // 3.8-3.9: a co_lnotab entry changing the line starts here
    int first_range_end_ = kNone;     // 3.8-3.9: ordinal where the second range starts
    std::vector<char> line_set_;      // 3.12+: sys.monitoring puts a LINE event here
};

}  // namespace splice
