#include "pyapi/frame_locals.hpp"

#include <frameobject.h>

namespace splice {

nb::object frame_locals(nb::handle frame) { return frame.attr("f_locals"); }

void write_back_locals(nb::handle frame) {
    // The one version difference of this file: PyFrame_LocalsToFast is a
    // soft-deprecated no-op from 3.13 (PEP 667) and may go away.
#if PY_VERSION_HEX < 0x030D0000
    PyFrame_LocalsToFast(reinterpret_cast<PyFrameObject*>(frame.ptr()), 0);
#else
    (void)frame;
#endif
}

}  // namespace splice
