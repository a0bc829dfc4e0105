#include "analysis/validate.hpp"

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
        const char* differs = nullptr;
        if (a.op != b.op) {
            differs = "opcode";
        } else if (op_is_jump(a.op) ? want_targets[static_cast<std::size_t>(a.label)] != got_targets[static_cast<std::size_t>(b.label)]
                                    : a.arg != b.arg) {
            differs = op_is_jump(a.op) ? "jump target" : "argument";
        } else if (kBehavior.line_table != LineTableFormat::Lnotab && !(a.loc == b.loc)) {
            differs = "position";
        } else if ((a.handler != kNone) != (b.handler != kNone)) {
            differs = "exception handling";
        } else if (a.handler != kNone) {
            const Handler& ha = planned.handlers[static_cast<std::size_t>(a.handler)];
            const Handler& hb = decoded.handlers[static_cast<std::size_t>(b.handler)];
            if (ha.depth != hb.depth || ha.lasti != hb.lasti ||
                want_targets[static_cast<std::size_t>(ha.label)] != got_targets[static_cast<std::size_t>(hb.label)])
                differs = "exception handler";
        }
        if (differs) return std::string(differs) + " differs at instruction " + std::to_string(k);
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
    // The planned unit's stack was checked when its size was computed; these
    // bytes are proven to be that unit.
    return compare_instructions(planned, decoded);
}

}  // namespace splice
