#include "analysis/validate.hpp"

#include "analysis/stack_depth.hpp"
#include "bytecode/disassemble.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

struct Instrs {
    std::vector<const Item*> items;
    std::vector<int> ordinal_of_item;  // item index -> ordinal of the next instruction
};

Instrs instructions_of(const CodeUnit& unit) {
    Instrs out;
    out.ordinal_of_item.resize(unit.items.size() + 1);
    for (std::size_t i = 0; i < unit.items.size(); ++i) {
        out.ordinal_of_item[i] = static_cast<int>(out.items.size());
        if (unit.items[i].is_instr()) out.items.push_back(&unit.items[i]);
    }
    out.ordinal_of_item[unit.items.size()] = static_cast<int>(out.items.size());
    return out;
}

// Ordinal of the instruction each label binds.
std::vector<int> label_ordinals(const CodeUnit& unit, const Instrs& instrs) {
    std::vector<int> out(static_cast<std::size_t>(unit.label_count), kNone);
    const std::vector<int> bound = bind_labels(unit);
    for (std::size_t l = 0; l < bound.size(); ++l)
        if (bound[l] != kNone) out[l] = instrs.ordinal_of_item[static_cast<std::size_t>(bound[l])];
    return out;
}

std::string compare_instructions(const CodeUnit& planned, const CodeUnit& decoded) {
    const Instrs want = instructions_of(planned);
    const Instrs got = instructions_of(decoded);
    if (want.items.size() != got.items.size()) return "the encoded code has a different number of instructions";
    const std::vector<int> want_targets = label_ordinals(planned, want);
    const std::vector<int> got_targets = label_ordinals(decoded, got);
    for (std::size_t k = 0; k < want.items.size(); ++k) {
        const Item& a = *want.items[k];
        const Item& b = *got.items[k];
        const std::string where = " at instruction " + std::to_string(k);
        if (a.op != b.op) return "opcode differs" + where;
        if (op_is_jump(a.op)) {
            if (want_targets[static_cast<std::size_t>(a.label)] != got_targets[static_cast<std::size_t>(b.label)])
                return "jump target differs" + where;
        } else if (a.arg != b.arg) {
            return "argument differs" + where;
        }
        if (kBehavior.line_table != LineTableFormat::Lnotab && !(a.loc == b.loc)) return "position differs" + where;
        const bool a_handled = a.handler != kNone;
        if (a_handled != (b.handler != kNone)) return "exception handling differs" + where;
        if (a_handled) {
            const Handler& ha = planned.handlers[static_cast<std::size_t>(a.handler)];
            const Handler& hb = decoded.handlers[static_cast<std::size_t>(b.handler)];
            if (ha.depth != hb.depth || ha.lasti != hb.lasti ||
                want_targets[static_cast<std::size_t>(ha.label)] != got_targets[static_cast<std::size_t>(hb.label)])
                return "exception handler differs" + where;
        }
    }
    return {};
}

}  // namespace

std::string validate_assembled(const CodeUnit& planned, const AssembledCode& assembled) {
    CodeUnit decoded;
    try {
        decoded = disassemble({assembled.code, assembled.line_table, assembled.exception_table, planned.first_line,
                               assembled.stacksize});
    } catch (const DecodeError& e) {
        return std::string("the new code does not decode: ") + e.what();
    }
    if (std::string error = compare_instructions(planned, decoded); !error.empty()) return error;
    const StackDepths depths = compute_stack_depths(decoded);
    if (!depths.error.empty()) return depths.error;
    if (depths.max_depth > assembled.stacksize) return "the stack size is too small";
    return {};
}

}  // namespace splice
