// The instructions that call `hook(arg)` and discard the result.
#pragma once

#include <vector>

#include "model/code_unit.hpp"

namespace splice {

struct InlineBody;

// `hook` and `arg` are indices into the code object's constants. A call
// with `inline_body` set splices that in instead, where it can (it outlives
// the splicing).
struct HookCall {
    int hook_const = 0;
    int arg_const = 0;
    const InlineBody* inline_body = nullptr;
};

// How many instructions one call takes.
int hook_call_length();

// Appends the call to `out`; every instruction gets `loc` and `handler`.
void emit_hook_call(std::vector<Item>& out, const HookCall& call, const Location& loc, int handler);

}  // namespace splice
