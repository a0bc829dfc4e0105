// CPython's vectorcall, under the one name every supported version knows.
#pragma once

#include <Python.h>

#include <cstddef>

namespace splice {

// `callable(*arguments[:count])` without a tuple made for the call; a new
// reference, or null with the exception set.
inline PyObject* vectorcall(PyObject* callable, PyObject* const* arguments, std::size_t count) {
#if PY_VERSION_HEX < 0x03090000
    return _PyObject_Vectorcall(callable, arguments, count, nullptr);  // public from 3.9
#else
    return PyObject_Vectorcall(callable, arguments, count, nullptr);
#endif
}

}  // namespace splice
