"""splice: hook calls spliced into CPython bytecode at run time.

    inject_hook(function, hook, line, arg, mode="statement")
    eject_hook(function, hook, line, arg, mode="statement")
    injectable_lines(function_or_code, mode="statement")
    instrument(code, hook, lines, mode="statement") -> (new_code, placed_lines)

Modes: "statement" runs hook(arg) as if it were a statement written just before
the line; "line" runs it whenever sys.settrace would report a 'line' event for
the line.
"""

import sys

__all__ = ["RewriteError", "eject_hook", "inject_hook", "injectable_lines", "instrument"]

try:
    from splice._engine import RewriteError, eject_hook, inject_hook, injectable_lines, instrument
except ImportError as _error:  # no engine built for this interpreter
    _REASON = "splice: no engine for Python %d.%d (%s); nothing is instrumented" % (
        sys.version_info[0], sys.version_info[1], _error)
    import os as _os

    from splice.environment import PROBE_FILE as _PROBE_FILE
    if not _os.environ.get(_PROBE_FILE):  # under `splice COMMAND` the bootstrap says it
        print(_REASON, file=sys.stderr)

    class RewriteError(RuntimeError):
        pass

    def _unsupported(*args, **kwargs):
        raise RuntimeError(_REASON)

    inject_hook = eject_hook = injectable_lines = instrument = _unsupported
