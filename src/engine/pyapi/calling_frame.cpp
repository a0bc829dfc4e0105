#include "pyapi/calling_frame.hpp"

// One unit per frame layout:
//   3.8-3.10  the frame object holds the fast locals (public struct)
//   3.11+     the interpreter's frame holds them (internal struct); what
//             differs between versions is in the three accessors below
#if PY_VERSION_HEX >= 0x030B0000
#define Py_BUILD_CORE 1
#include <internal/pycore_frame.h>
#if PY_VERSION_HEX >= 0x030E0000
#include <internal/pycore_interpframe.h>
#include <internal/pycore_stackref.h>
#endif
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

namespace {
PyFrameObject* as_object(void* frame) { return static_cast<PyFrameObject*>(frame); }
}  // namespace

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

namespace {

_PyInterpreterFrame* as_frame(void* frame) { return static_cast<_PyInterpreterFrame*>(frame); }

// 3.11-3.12 name the code object, 3.13 holds it as f_executable, and 3.14
// makes that and the fast locals tagged stack references.
#if PY_VERSION_HEX < 0x030D0000
_PyInterpreterFrame* innermost_frame() { return PyThreadState_Get()->cframe->current_frame; }
PyObject* executable(const _PyInterpreterFrame* frame) { return reinterpret_cast<PyObject*>(frame->f_code); }
PyObject* local(const _PyInterpreterFrame* frame, int index) { return frame->localsplus[index]; }
#elif PY_VERSION_HEX < 0x030E0000
_PyInterpreterFrame* innermost_frame() { return PyThreadState_Get()->current_frame; }
PyObject* executable(const _PyInterpreterFrame* frame) { return frame->f_executable; }
PyObject* local(const _PyInterpreterFrame* frame, int index) { return frame->localsplus[index]; }
#else
_PyInterpreterFrame* innermost_frame() { return PyThreadState_Get()->current_frame; }
PyObject* executable(const _PyInterpreterFrame* frame) { return PyStackRef_AsPyObjectBorrow(frame->f_executable); }
PyObject* local(const _PyInterpreterFrame* frame, int index) { return PyStackRef_AsPyObjectBorrow(frame->localsplus[index]); }
#endif

}  // namespace

CallingFrame CallingFrame::current() { return CallingFrame(innermost_frame()); }

PyCodeObject* CallingFrame::code() const { return reinterpret_cast<PyCodeObject*>(executable(as_frame(frame_))); }

PyObject* CallingFrame::globals() const { return as_frame(frame_)->f_globals; }
PyObject* CallingFrame::read(const VariableSlot& slot) const {
    return slot_value(local(as_frame(frame_), slot.index), slot.cell);
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

#endif

}  // namespace splice
