"""Runs a main script the way `python script.py` does, with its probes
spliced in first (see runtime.rerun_main_script)."""

import os
import sys
from importlib.machinery import SourceFileLoader

from splice import runtime

# 3.9 made a main script's __file__ (and its code's file name) absolute.
MAIN_FILE_IS_ABSOLUTE = sys.version_info >= (3, 9)


def _without_runner_frames(hook, filename):
    """An excepthook that leaves out the frames of this runner, so the
    traceback is the one Python would print."""

    def excepthook(kind, value, tb):
        while tb is not None and tb.tb_frame.f_code.co_filename != filename:
            tb = tb.tb_next
        if isinstance(value, BaseException):
            value.__traceback__ = tb  # what the interpreter's own display prints
        hook(kind, value, tb)

    return excepthook


def run():
    import __main__

    main = __main__.__dict__
    main.pop("run", None)  # put there by the -c command that started us
    script = sys.argv[1]
    del sys.argv[0]
    filename = os.path.abspath(script) if MAIN_FILE_IS_ABSOLUTE else script
    if sys.path and sys.path[0] == "":  # -c put the current folder first; a script puts its own folder
        sys.path[0] = os.path.dirname(os.path.realpath(script))
    main["__file__"] = filename
    main["__cached__"] = None
    main["__loader__"] = SourceFileLoader("__main__", filename)
    sys.excepthook = _without_runner_frames(sys.excepthook, filename)
    with open(script, "rb") as f:
        source = f.read()
    code = runtime.instrument(compile(source, filename, "exec", dont_inherit=True))
    exec(code, main)
