// A probe's own code spliced into the probed code in place of the hook call
// that would run it (3.13+, see Behavior::inline_probes). A hook call costs
// a C call and a Python function call per hit, which on 3.14 is a third of a
// print; the code spliced in costs two C calls, the guard around it:
//
//     enter(probe) or skip          (False: a probe of this thread is running, or this one is off)
//     <the probe's code>            its exceptions go to `failed`
//     leave(); skip
//   failed: failed(probe, exc); skip  (reports an Exception, raises anything else on)
//   skip:
//
// The probe side (probes/probe_inline.cpp) says which hook calls can become
// this; the engine stays free of what a probe is.
#pragma once

#include <nanobind/nanobind.h>

#include <optional>
#include <variant>
#include <vector>

#include "model/code_unit.hpp"

namespace splice {

namespace nb = nanobind;

// What the probe side gives for one hook call in one code object.
struct InlineTemplate {
    nb::object code;  // a function's code: its parameters are bound below, every other name is a global
    // Per parameter: the probed code's fast local slot holding it (an
    // argument, always bound there), or the object it stands for.
    std::vector<std::variant<int, nb::object>> parameters;
    nb::object enter;   // enter(probe) -> bool
    nb::object leave;   // leave() -> None
    nb::object failed;  // failed(probe, exception) -> None, or raises
    nb::object probe;
};

// (hook, arg, code) -> the template, or nothing to keep the hook call.
using InlineSource = std::optional<InlineTemplate> (*)(PyObject* hook, PyObject* arg, PyCodeObject* code);
void set_inline_source(InlineSource source);
InlineSource inline_source();

// Indices into the rewritten code object's constants and names, handing out
// new ones as needed.
class OperandTable {
public:
    virtual ~OperandTable() = default;
    virtual int constant(nb::handle value) = 0;  // kNone: it cannot be a constant (code objects hash theirs)
    virtual int name(nb::handle value) = 0;
};

// The template's code, ready to be spliced: operands renumbered for the
// probed code, labels its own ([0, label_count)), returns turned into jumps
// to `done` (label_count), no positions or handlers yet.
struct InlineBody {
    std::vector<Item> items;
    int label_count = 0;
    int enter_const = 0;
    int leave_const = 0;
    int failed_const = 0;
    int probe_const = 0;
    int done() const { return label_count; }
};

// Nothing when the template's code does what only its own frame can
// (cells, stores to locals, yields, exception handling of its own).
std::optional<InlineBody> translate_inline(const InlineTemplate& source, OperandTable& operands);

// The slots an instruction of `unit` deletes (DELETE_FAST): a parameter
// bound to one of them may be unbound when the probe runs.
std::vector<int> deleted_slots(const CodeUnit& unit);

}  // namespace splice
