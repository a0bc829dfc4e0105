// The Python frame that called into the engine (the probed frame, while the
// probe hook runs), read where each version keeps it. From 3.11 a frame
// lives outside any object until somebody asks for one; making the object
// costs 25-40 ns, a third of what a print probe adds, so there the frame is
// read in place.
#pragma once

#include <Python.h>
#include <frameobject.h>

#include <optional>

namespace splice {

// Where a code object keeps a variable: its slot among the fast locals, and
// whether that slot holds a cell (cell and free variables).
struct VariableSlot {
    PyObject* name;  // borrowed: the caller keeps it
    int index;
    bool cell;
};

// The slot of `name` in `code`, or nothing when it is not one of its locals,
// cell or free variables.
std::optional<VariableSlot> variable_slot(PyCodeObject* code, PyObject* name);

class CallingFrame {
public:
    CallingFrame() = default;

    // The innermost Python frame of this thread; empty when there is none.
    static CallingFrame current();

    explicit operator bool() const { return frame_ != nullptr; }

    // Borrowed: the frame holds them.
    PyCodeObject* code() const;
    PyObject* globals() const;

    // The variable's value (a new reference), or nullptr with no error set
    // when it is unbound.
    PyObject* read(const VariableSlot& slot) const;

    // The frame object (borrowed), made if need be; nullptr (error set) if it
    // cannot be found. The frame must still be running.
    PyFrameObject* object() const;

private:
    explicit CallingFrame(void* frame) : frame_(frame) {}
    void* frame_ = nullptr;  // the frame object, or from 3.11 the interpreter's frame
};

}  // namespace splice
