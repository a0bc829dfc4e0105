#include "pyapi/calling_frame.hpp"

// One unit per frame layout:
//   3.8-3.10   the frame object holds the fast locals (public struct)
//   3.11-3.13  the interpreter's frame holds them (internal struct; every
//              field read here is the same across the three)
//   3.14+      public calls on the frame object (the fast locals became
//              tagged stack references)
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030E0000
#define SPLICE_INTERPRETER_FRAMES 1
#define Py_BUILD_CORE 1
#include <internal/pycore_frame.h>
#undef Py_BUILD_CORE
#endif

namespace splice {

namespace {

int index_in(PyObject* names, PyObject* name) {
    for (Py_ssize_t i = 0, n = PyTuple_GET_SIZE(names); i < n; ++i) {
        PyObject* each = PyTuple_GET_ITEM(names, i);
        if (each == name || PyUnicode_Compare(each, name) == 0) return static_cast<int>(i);
    }
    return -1;
}

// Slot kinds in co_localspluskinds (internal/pycore_code.h, the same 3.11-3.15).
constexpr unsigned char cell_slot = 0x40, free_slot = 0x80;

PyObject* slot_value(PyObject* value, bool cell) {
    if (value && cell && PyCell_Check(value)) value = PyCell_GET(value);
    Py_XINCREF(value);
    return value;
}

[[maybe_unused]] PyFrameObject* as_object(void* frame) { return static_cast<PyFrameObject*>(frame); }

}  // namespace

#if PY_VERSION_HEX < 0x030B0000

std::optional<VariableSlot> variable_slot(PyCodeObject* code, PyObject* name) {
    // Cells first: an argument that is a cell lives in its cell.
    const int nlocals = code->co_nlocals;
    const int ncells = static_cast<int>(PyTuple_GET_SIZE(code->co_cellvars));
    if (int i = index_in(code->co_cellvars, name); i >= 0) return VariableSlot{name, nlocals + i, true};
    if (int i = index_in(code->co_freevars, name); i >= 0) return VariableSlot{name, nlocals + ncells + i, true};
    if (int i = index_in(code->co_varnames, name); i >= 0) return VariableSlot{name, i, false};
    return std::nullopt;
}

CallingFrame CallingFrame::current() { return CallingFrame(PyEval_GetFrame()); }
PyCodeObject* CallingFrame::code() const { return as_object(frame_)->f_code; }
PyObject* CallingFrame::globals() const { return as_object(frame_)->f_globals; }
PyObject* CallingFrame::read(const VariableSlot& slot) const {
    return slot_value(as_object(frame_)->f_localsplus[slot.index], slot.cell);
}
PyFrameObject* CallingFrame::object() const { return as_object(frame_); }

#else

std::optional<VariableSlot> variable_slot(PyCodeObject* code, PyObject* name) {
    // co_localsplusnames holds every local, cell and free name once; its
    // kinds say which slots hold cells.
    const int i = index_in(code->co_localsplusnames, name);
    if (i < 0) return std::nullopt;
    const auto kind = static_cast<unsigned char>(PyBytes_AS_STRING(code->co_localspluskinds)[i]);
    return VariableSlot{name, i, (kind & (cell_slot | free_slot)) != 0};
}

#ifdef SPLICE_INTERPRETER_FRAMES

namespace {

_PyInterpreterFrame* as_frame(void* frame) { return static_cast<_PyInterpreterFrame*>(frame); }

_PyInterpreterFrame* innermost_frame() {
    PyThreadState* thread = PyThreadState_Get();
#if PY_VERSION_HEX >= 0x030D0000
    return thread->current_frame;
#else
    return thread->cframe->current_frame;
#endif
}

}  // namespace

CallingFrame CallingFrame::current() { return CallingFrame(innermost_frame()); }

PyCodeObject* CallingFrame::code() const {
#if PY_VERSION_HEX >= 0x030D0000
    return reinterpret_cast<PyCodeObject*>(as_frame(frame_)->f_executable);
#else
    return as_frame(frame_)->f_code;
#endif
}

PyObject* CallingFrame::globals() const { return as_frame(frame_)->f_globals; }
PyObject* CallingFrame::read(const VariableSlot& slot) const {
    return slot_value(as_frame(frame_)->localsplus[slot.index], slot.cell);
}

PyFrameObject* CallingFrame::object() const {
    // Walked to from the innermost frame: asking the interpreter to make the
    // object for a frame pointer is not exported.
    PyFrameObject* frame = PyEval_GetFrame();
    Py_XINCREF(frame);
    while (frame && reinterpret_cast<struct _frame*>(frame)->f_frame != frame_) {
        PyFrameObject* back = PyFrame_GetBack(frame);
        Py_DECREF(frame);
        frame = back;
    }
    if (!frame) {
        PyErr_SetString(PyExc_RuntimeError, "splice: the probed frame is no longer running");
        return nullptr;
    }
    Py_DECREF(frame);  // a running frame keeps its object
    return frame;
}

#else

CallingFrame CallingFrame::current() { return CallingFrame(PyEval_GetFrame()); }

PyCodeObject* CallingFrame::code() const {
    PyCodeObject* code = PyFrame_GetCode(as_object(frame_));
    Py_DECREF(code);  // the frame holds it
    return code;
}

PyObject* CallingFrame::globals() const {
    PyObject* globals = PyFrame_GetGlobals(as_object(frame_));
    Py_DECREF(globals);  // the frame holds them
    return globals;
}

PyObject* CallingFrame::read(const VariableSlot& slot) const {
    PyObject* value = PyFrame_GetVar(as_object(frame_), slot.name);
    if (!value) PyErr_Clear();
    return value;
}

PyFrameObject* CallingFrame::object() const { return as_object(frame_); }

#endif
#endif

}  // namespace splice
