"""Calling splice the way the semantic tests do.

Only ``import_error()`` is safe without the engine: every other helper imports ``splice`` and
calls its public API directly, so a missing or misnamed function fails the test loudly.
"""
import importlib

STATEMENT = "statement"
LINE = "line"
MODES = (STATEMENT, LINE)


def import_error():
    """None when ``splice._engine`` imports, else a one-line reason."""
    try:
        importlib.import_module("splice._engine")
    except ImportError as exc:
        return f"splice._engine cannot be imported: {type(exc).__name__}: {exc}"
    return None


def make_recorder():
    """A hook that appends its argument to a list, and that list."""
    calls = []

    def recorder(arg):
        calls.append(arg)

    return recorder, calls


def injectable(code_or_function, mode):
    import splice

    lines = splice.injectable_lines(code_or_function, mode)
    if not isinstance(lines, (set, frozenset)) or not all(type(n) is int for n in lines):
        raise AssertionError(f"injectable_lines({mode!r}) returned {lines!r}, not a set of ints")
    return set(lines)


def instrument(code, hook, lines, mode):
    """``splice.instrument`` with a check of its return value's shape."""
    import splice

    result = splice.instrument(code, hook, lines, mode)
    new_code, placed = result
    if type(new_code) is not type(code):
        raise AssertionError(f"instrument returned {type(new_code).__name__}, not a code object")
    return new_code, set(placed)


def instrument_everywhere(code, mode, hook):
    """Instrument every injectable line with its own number as the argument.

    Returns (injectable lines, new code). Placing fewer lines than were asked for is a
    failure: every line ``injectable_lines`` names must be placeable.
    """
    lines = injectable(code, mode)
    new_code, placed = instrument(code, hook, {n: n for n in lines}, mode)
    if placed != lines:
        raise AssertionError(f"{mode} mode: asked for {len(lines)} lines, placed {len(placed)}; "
                             f"not placed {sorted(lines - placed)}, unexpected {sorted(placed - lines)}")
    return lines, new_code
