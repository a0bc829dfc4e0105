#pragma once

namespace splice {

// True once the interpreter shuts down: no thread may take the GIL then.
bool interpreter_is_finalizing();

}  // namespace splice
