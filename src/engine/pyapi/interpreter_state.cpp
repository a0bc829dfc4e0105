#include "pyapi/interpreter_state.hpp"

#include <Python.h>

namespace splice {

bool interpreter_is_finalizing() {
    // The one version difference of this file: the function became public in 3.13.
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing();
#else
    return _Py_IsFinalizing();
#endif
}

}  // namespace splice
