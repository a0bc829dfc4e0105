#include "inject/hook_call.hpp"

#include <array>
#include <span>

#include "version/behavior.hpp"

namespace splice {

namespace {

enum class Operand : std::uint8_t { None, Hook, Arg, One };

struct Step {
    int op;  // a generated opcode constant
    Operand operand;
};

// One row per calling convention (see HookCallShape).
constexpr Step kCallFunction[] = {
    {op::LOAD_CONST, Operand::Hook}, {op::LOAD_CONST, Operand::Arg},
    {op::CALL_FUNCTION, Operand::One}, {op::POP_TOP, Operand::None}};
constexpr Step kNullPrecallCall[] = {
    {op::PUSH_NULL, Operand::None}, {op::LOAD_CONST, Operand::Hook}, {op::LOAD_CONST, Operand::Arg},
    {op::PRECALL, Operand::One}, {op::CALL, Operand::One}, {op::POP_TOP, Operand::None}};
constexpr Step kNullCall[] = {
    {op::PUSH_NULL, Operand::None}, {op::LOAD_CONST, Operand::Hook}, {op::LOAD_CONST, Operand::Arg},
    {op::CALL, Operand::One}, {op::POP_TOP, Operand::None}};
constexpr Step kCallableNullCall[] = {
    {op::LOAD_CONST, Operand::Hook}, {op::PUSH_NULL, Operand::None}, {op::LOAD_CONST, Operand::Arg},
    {op::CALL, Operand::One}, {op::POP_TOP, Operand::None}};

std::span<const Step> steps() {
    switch (kBehavior.hook_call) {
        case HookCallShape::CallFunction: return kCallFunction;
        case HookCallShape::NullPrecallCall: return kNullPrecallCall;
        case HookCallShape::NullCall: return kNullCall;
        case HookCallShape::CallableNullCall: return kCallableNullCall;
    }
    return {};
}

}  // namespace

int hook_call_length() { return static_cast<int>(steps().size()); }

void emit_hook_call(std::vector<Item>& out, const HookCall& call, const Location& loc, int handler) {
    const int operands[] = {0, call.hook_const, call.arg_const, 1};  // by Operand
    Item item = Item::instr(0, 0, loc);
    item.handler = handler;
    for (const Step& step : steps()) {
        item.op = static_cast<std::uint16_t>(step.op);
        item.arg = operands[static_cast<int>(step.operand)];
        out.push_back(item);
    }
}

}  // namespace splice
