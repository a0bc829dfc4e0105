#include "probes/probe_scope.hpp"

namespace splice {

namespace {

PyObject* scope_get(PyObject* self, PyObject* key) {
    ProbeScope& scope = *nb::inst_ptr<ProbeScope>(self);
    if (PyObject* value = PyObject_GetItem(scope.locals.ptr(), key)) return value;
    if (!PyErr_ExceptionMatches(PyExc_KeyError)) return nullptr;
    PyErr_Clear();
    if (PyObject* value = PyDict_GetItemWithError(scope.names.ptr(), key)) return nb::borrow(value).release().ptr();
    if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, key);
    return nullptr;
}

int scope_set(PyObject* self, PyObject* key, PyObject* value) {
    ProbeScope& scope = *nb::inst_ptr<ProbeScope>(self);
    scope.stored = true;
    return value ? PyObject_SetItem(scope.locals.ptr(), key, value) : PyObject_DelItem(scope.locals.ptr(), key);
}

}  // namespace

PyType_Slot kProbeScopeSlots[] = {
    {Py_mp_subscript, reinterpret_cast<void*>(scope_get)},
    {Py_mp_ass_subscript, reinterpret_cast<void*>(scope_set)},
    {0, nullptr},
};

}  // namespace splice
