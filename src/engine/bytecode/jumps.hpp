// Jump arguments <-> absolute targets, in code units.
#pragma once

#include "version/behavior.hpp"

namespace splice {

// `end` is the offset just past the instruction and its caches.
inline int jump_target(int op, int arg, int end) {
    const int units = arg / kBehavior.jump_arg_bytes;
    switch (op_jump(op)) {
        case JumpKind::Absolute: return units;
        case JumpKind::Forward: return end + units;
        case JumpKind::Backward: return end - units;
        case JumpKind::None: break;
    }
    return -1;
}

inline int jump_arg(int op, int target, int end) {
    switch (op_jump(op)) {
        case JumpKind::Absolute: return target * kBehavior.jump_arg_bytes;
        case JumpKind::Forward: return (target - end) * kBehavior.jump_arg_bytes;
        case JumpKind::Backward: return (end - target) * kBehavior.jump_arg_bytes;
        case JumpKind::None: break;
    }
    return 0;
}

}  // namespace splice
