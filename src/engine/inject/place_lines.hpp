// Line mode: the hook fires exactly when sys.settrace reports a 'line' event
// for the line. Each edge into an instruction of the line either reports one
// (and passes through the hooks) or not (and is sent past them).
#pragma once

#include <span>

#include "inject/plan.hpp"

namespace splice {

HookPlan place_line_hooks(const CodeUnit& unit, const Flow& flow, std::span<const LineHooks> lines);

}  // namespace splice
