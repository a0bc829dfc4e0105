"""What a probe's code can call: `splice.locals()`, `splice.stack()`,
`splice.watch()`, `splice.capture()`, `splice.breakpoint()`, and the same
tools under Wilma's names (`wilma.locals()`, `wilma.framestack()`, ...).

Each acts on the frame the running probe was spliced into."""

import contextlib
import os
import sys
import types

from splice import _engine

_watches = {}


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _program_stack(frame, limit=None):
    """traceback.extract_stack from `frame`, without splice's own frames (the
    runner a main script with probes is started under sits at the bottom)."""
    import traceback

    frames = traceback.extract_stack(frame, limit=limit)
    ours = [i for i, f in enumerate(frames) if os.path.abspath(f.filename).startswith(_PACKAGE)]
    if ours:
        frames = frames[ours[-1] + 1:]
    return traceback.StackSummary.from_list(frames)


def _frame(tool):
    frame = _engine.probe_frame()
    if frame is None:
        raise RuntimeError("splice.%s() works only inside a probe" % tool)
    return frame


@contextlib.contextmanager
def frame_locals():
    """`with splice.locals() as ls: ls["x"] = 2` changes the probed frame's
    local variable x."""
    frame = _frame("locals")
    mapping = _engine.frame_locals(frame)
    yield mapping
    _engine.write_back_locals(frame)


def stack(message=None, file=None):
    """Prints the program's call stack at the probe, most recent call last."""
    frame = _frame("stack")
    out = file or sys.stderr
    code = frame.f_code
    out.write("Stack at %s, line %d, in %s (most recent call last):\n" % (code.co_filename, frame.f_lineno, code.co_name))
    out.write("".join(_program_stack(frame).format()))
    if message is not None:
        out.write("%s\n" % (message,))


def watch(name, value):
    """Adds `value` to every later snapshot, under `name`."""
    _watches[name] = value


def _captures_path():
    from splice.dependencies import splice_folder

    folder = splice_folder()
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, "captures.jsonl")


def _shallow(value):
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not break the probe
        text = "<repr raised %s>" % type(error).__name__
    return {"type": type(value).__name__, "repr": text[:255] + ("..." if len(text) > 255 else "")}


def capture():
    """Appends a snapshot of the probed frame (its locals, the watches and the
    stack) to .splice/captures.jsonl, one JSON object per line."""
    import threading
    import time

    frame = _frame("capture")
    snapshot = {
        "type": "snapshot",
        "time": time.time(),
        "pid": os.getpid(),
        "thread": threading.get_ident(),
        "file": frame.f_code.co_filename,
        "line": frame.f_lineno,
        "function": frame.f_code.co_name,
        "locals": {name: _shallow(value) for name, value in dict(_engine.frame_locals(frame)).items()},
        "watches": {name: _shallow(value) for name, value in _watches.items()},
        "stack": [{"file": f.filename, "line": f.lineno, "function": f.name}
                  for f in reversed(_program_stack(frame))][:100],
    }
    import json  # not at start-up: splice imports as little as it can before the program does

    line = json.dumps(snapshot) + "\n"
    with open(_captures_path(), "a", encoding="utf-8") as out:  # one write of one line: appends do not interleave
        out.write(line)


def breakpoint():
    """Opens pdb at the probed frame."""
    import pdb
    pdb.Pdb().set_trace(_frame("breakpoint"))


class _Tools(types.SimpleNamespace):
    """`splice` (or `wilma`) inside a probe. Compared and hashed by identity,
    so that a probe's code spliced into the probed code can hold it as a
    constant (code objects hash their constants)."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__


def namespace():
    return _Tools(locals=frame_locals, stack=stack, watch=watch, capture=capture, breakpoint=breakpoint)


def _framestack(msg=None):
    """Wilma's framestack(): the stack on stdout, then the message."""
    frame = _frame("framestack")
    code = frame.f_code
    print("Frame stack from %s, line %d, in %s (top-most frame last):" % (code.co_filename, frame.f_lineno, code.co_name))
    if frame.f_back is not None:
        sys.stdout.write("".join(_program_stack(frame.f_back).format()))
    if msg is not None:
        print(msg)


def wilma_namespace():
    return _Tools(locals=frame_locals, framestack=_framestack, watch=watch, capture=capture)
