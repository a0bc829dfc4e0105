"""splice: hook calls spliced into CPython bytecode at run time.

    inject_hook(function, hook, line, arg, mode="statement")
    eject_hook(function, hook, line, arg, mode="statement")
    injectable_lines(function_or_code, mode="statement")
    instrument(code, hook, lines, mode="statement") -> (new_code, placed_lines)

Modes: "statement" runs hook(arg) as if it were a statement written just
before the line; "line" runs it whenever sys.settrace would report a 'line'
event for the line.
"""

from splice._engine import (
    RewriteError,
    eject_hook,
    inject_hook,
    injectable_lines,
    instrument,
)

__all__ = ["RewriteError", "eject_hook", "inject_hook", "injectable_lines", "instrument"]
