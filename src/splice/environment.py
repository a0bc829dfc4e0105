"""What `splice COMMAND` hands to the Python processes it starts: environment
variables, and the folder put first on PYTHONPATH."""

import os

PROBE_FILE = "SPLICE_PROBE_FILE"  # the probe file, absolute (the bootstrap reads it by this name too)
FOLDER = "SPLICE_FOLDER"          # splice's own files: captures, dependencies
VERBOSE = "SPLICE_VERBOSE"        # "1": say where probes were spliced
BOOTSTRAP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bootstrap")


def without_splice(env):
    """A copy of `env` in which a Python process does not start splice."""
    env = dict(env)
    env.pop(PROBE_FILE, None)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.abspath(p) != BOOTSTRAP]
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    else:
        env.pop("PYTHONPATH", None)
    return env
