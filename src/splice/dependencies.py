"""The probe file's [dependencies]: installed with pip into splice's own
folder when missing, and put on sys.path only while the probes' imports run,
so the program's environment stays its own."""

import os
import sys

from splice import environment


def splice_folder():
    """Where splice keeps its files (captures, dependencies): $SPLICE_FOLDER,
    which `splice COMMAND` sets, else .splice in the current folder."""
    return os.environ.get(environment.FOLDER) or os.path.abspath(".splice")


def requirement(name, spec):
    return name + spec if spec else name


def ensure(dependencies, warn):
    """The folder holding `dependencies` [(name, spec, line)], installing
    what is missing; None when there are none. `warn(line, message)` tells
    what could not be installed."""
    if not dependencies:
        return None
    import fcntl  # here, not at start-up: splice imports as little as it can before the program does
    import json
    import subprocess

    folder = os.path.join(splice_folder(), "deps", "python%d.%d" % sys.version_info[:2])
    os.makedirs(folder, exist_ok=True)
    record_path = os.path.join(folder, "installed.json")
    with open(os.path.join(folder, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the program's other processes install the same
        try:
            with open(record_path) as f:
                installed = json.load(f)
        except (OSError, ValueError):
            installed = {}
        for name, spec, line in dependencies:
            wanted = requirement(name, spec)
            if installed.get(name) == wanted:
                continue
            done = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input",
                 "--upgrade", "--target", folder, wanted],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment.without_splice(os.environ))
            if done.returncode != 0:
                lines = [text for text in done.stderr.decode(errors="replace").splitlines() if text.strip()]
                warn(line, "cannot install %s: %s" % (wanted, lines[-1].strip() if lines else "pip failed"))
                continue
            installed[name] = wanted
            with open(record_path, "w") as f:
                json.dump(installed, f)
    return folder
