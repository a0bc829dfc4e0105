#include "inject/inline_body.hpp"

#include <string_view>

#include "bytecode/disassemble.hpp"
#include "pyapi/code_object.hpp"
#include "version/behavior.hpp"

namespace splice {

namespace {

InlineSource g_source = nullptr;

// What each instruction of the template needs when it moves to another
// frame; an opcode absent from this version is kNoOp and matches nothing.
enum class Move : std::uint8_t { Keep, Drop, Local, LocalPair, Constant, Name, ShiftedName, ReturnValue, ReturnConstant, Refuse };

// The instructions that reach the frame itself (its locals, cells,
// generator state), by name: none of them may move, whatever the version calls them.
bool reaches_frame(std::string_view name) {
    for (std::string_view part : {"FAST", "DEREF", "CLOSURE", "CELL", "FREE", "LOCALS", "NAME", "YIELD", "SEND", "AWAIT",
                                  "AITER", "ANEXT", "GENERATOR", "INSTRUMENTED", "EXECUTOR", "SUPER", "KW_NAMES", "THROW"})
        if (name.find(part) != std::string_view::npos) return true;
    return false;
}

Move move_of(int op) {
    if (op == op::RESUME) return Move::Drop;
    if (op == op::LOAD_FAST || op == op::LOAD_FAST_BORROW || op == op::LOAD_FAST_CHECK) return Move::Local;
    if (op == op::LOAD_FAST_LOAD_FAST || op == op::LOAD_FAST_BORROW_LOAD_FAST_BORROW) return Move::LocalPair;
    if (op == op::LOAD_CONST) return Move::Constant;
    if (op == op::LOAD_GLOBAL || op == op::LOAD_ATTR) return Move::ShiftedName;
    if (op == op::STORE_ATTR || op == op::DELETE_ATTR || op == op::STORE_GLOBAL || op == op::DELETE_GLOBAL) return Move::Name;
    // An import binds a name (such probes keep the hook anyway), and 3.15 packs flags into its operand.
    if (op == op::IMPORT_NAME || op == op::IMPORT_FROM) return Move::Refuse;
    if (op == op::RETURN_VALUE) return Move::ReturnValue;
    if (op == op::RETURN_CONST) return Move::ReturnConstant;
    if (reaches_frame(op_name(op))) return Move::Refuse;
    return Move::Keep;
}

class Translator {
public:
    Translator(const InlineTemplate& source, OperandTable& operands) : source_(source), operands_(operands) {}

    std::optional<InlineBody> run() {
        const CodeFields fields = read_code_fields(source_.code);
        auto* code = reinterpret_cast<PyCodeObject*>(source_.code.ptr());
        if (code->co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)) return std::nullopt;
        if (!fields.exception_table_view().empty()) return std::nullopt;  // try, with, comprehensions of its own
        if (static_cast<std::size_t>(code->co_nlocals) != source_.parameters.size()) return std::nullopt;
        const nb::tuple names = nb::borrow<nb::tuple>(source_.code.attr("co_names"));
        CodeUnit unit;
        try {
            unit = disassemble(fields.raw());
        } catch (const DecodeError&) {
            return std::nullopt;
        }
        body_.label_count = unit.label_count;
        for (const Item& item : unit.items) {
            if (!item.is_instr()) {
                if (item.kind == ItemKind::Label) body_.items.push_back(Item::label_item(item.label));
                continue;
            }
            if (!move(item, fields.consts, names)) return std::nullopt;
        }
        // The last return falls into `done` without its jump.
        if (!body_.items.empty() && body_.items.back().is_instr() && body_.items.back().label == body_.done())
            body_.items.pop_back();
        body_.enter_const = operands_.constant(source_.enter);
        body_.leave_const = operands_.constant(source_.leave);
        body_.failed_const = operands_.constant(source_.failed);
        body_.probe_const = operands_.constant(source_.probe);
        for (int index : {body_.enter_const, body_.leave_const, body_.failed_const, body_.probe_const})
            if (index == kNone) return std::nullopt;
        return std::move(body_);
    }

private:
    void add(int op, int arg, int label = kNone) {
        Item item = Item::instr(op, arg, {});
        item.label = label;
        body_.items.push_back(item);
    }

    // LOAD_FAST_CHECK: a parameter's slot is an argument, bound on entry,
    // but a borrowed load would not survive the probe changing the frame's locals.
    bool load_parameter(int index) {
        if (index < 0 || static_cast<std::size_t>(index) >= source_.parameters.size()) return false;
        const auto& bound = source_.parameters[static_cast<std::size_t>(index)];
        if (const int* slot = std::get_if<int>(&bound)) {
            add(op::LOAD_FAST_CHECK, *slot);
            return true;
        }
        return load_constant(std::get<nb::object>(bound));
    }

    bool load_constant(nb::handle value) {
        const int constant = operands_.constant(value);
        if (constant == kNone) return false;
        add(op::LOAD_CONST, constant);
        return true;
    }

    bool move(const Item& item, const nb::tuple& consts, const nb::tuple& names) {
        const int arg = item.arg;
        auto name_at = [&names](int index) { return index >= 0 && static_cast<std::size_t>(index) < names.size(); };
        switch (move_of(item.op)) {
            case Move::Drop: return true;
            case Move::Keep: add(item.op, arg, item.label); return true;
            case Move::Local: return load_parameter(arg);
            case Move::LocalPair: return load_parameter(arg >> 4) && load_parameter(arg & 15);
            case Move::Constant:
                return static_cast<std::size_t>(arg) < consts.size() && load_constant(consts[static_cast<std::size_t>(arg)]);
            case Move::Name:
                if (!name_at(arg)) return false;
                add(item.op, operands_.name(names[static_cast<std::size_t>(arg)]));
                return true;
            case Move::ShiftedName:
                if (!name_at(arg >> 1)) return false;
                add(item.op, (operands_.name(names[static_cast<std::size_t>(arg >> 1)]) << 1) | (arg & 1));
                return true;
            case Move::ReturnValue:
                // `return None` just loaded its constant: nothing needs it now.
                if (!body_.items.empty() && body_.items.back().is_instr() && body_.items.back().op == op::LOAD_CONST) {
                    body_.items.pop_back();
                } else {
                    add(op::POP_TOP, 0);
                }
                add(op::JUMP_FORWARD, 0, body_.done());
                return true;
            case Move::ReturnConstant: add(op::JUMP_FORWARD, 0, body_.done()); return true;
            case Move::Refuse: return false;
        }
        return false;
    }

    const InlineTemplate& source_;
    OperandTable& operands_;
    InlineBody body_;
};

}  // namespace

void set_inline_source(InlineSource source) { g_source = source; }
InlineSource inline_source() { return kBehavior.inline_probes ? g_source : nullptr; }

std::optional<InlineBody> translate_inline(const InlineTemplate& source, OperandTable& operands) {
    return Translator(source, operands).run();
}

std::vector<int> deleted_slots(const CodeUnit& unit) {
    std::vector<int> slots;
    for (const Item& item : unit.items)
        if (item.is_instr() && item.op == op::DELETE_FAST) slots.push_back(item.arg);
    return slots;
}

}  // namespace splice
