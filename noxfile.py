"""The test suite on every supported CPython, one session per version.

3.8-3.13 are pyenv's interpreters; 3.14 and 3.15 are Debian's builds inside
the root that ../shared/tools/forky-python makes (FORKY_PYTHON overrides the
path), where each session makes its own virtual environment.
"""

import glob
import os
import shutil

import nox

PYENV_VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
FORKY_VERSIONS = ["3.14", "3.15"]
HERE = os.path.dirname(os.path.abspath(__file__))

nox.options.sessions = ["tests", "tests_forky"]
nox.options.error_on_missing_interpreters = True
nox.options.reuse_existing_virtualenvs = True
# virtualenv no longer seeds environments for 3.8; the standard venv does.
nox.options.default_venv_backend = "venv"


def _add_pyenv_to_path():
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    dirs = []
    for version in PYENV_VERSIONS:
        found = sorted(glob.glob(os.path.join(root, "versions", version + ".*", "bin")))
        dirs.extend(found[-1:])
    os.environ["PATH"] = os.pathsep.join(dirs + [os.environ.get("PATH", "")])


_add_pyenv_to_path()


def forky_python():
    candidates = [
        os.environ.get("FORKY_PYTHON", ""),
        os.path.join(HERE, "..", "shared", "tools", "forky-python"),
        "/work/shared/tools/forky-python",
        shutil.which("forky-python") or "",
    ]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return os.path.abspath(path)
    raise RuntimeError("forky-python not found: set FORKY_PYTHON to its path")


@nox.session(python=PYENV_VERSIONS)
def tests(session):
    session.install("--upgrade", "pip")
    session.install(".[test]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)


def forky_venv(session, version, extra):
    """A virtual environment inside the forky root with splice[extra] installed;
    returns the command prefix that runs its python there."""
    forky = forky_python()
    session.run(forky, "setup", external=True)
    session.run(forky, "run", "sh", "tools/install-system-deps.sh", external=True)
    venv = os.path.join(".nox", "forky-" + version)
    inside = [forky, "run"]
    if not os.path.exists(os.path.join(venv, "bin", "python")):
        session.run(*inside, "python" + version, "-m", "venv", venv, external=True)
    python = [*inside, os.path.join(venv, "bin", "python")]
    session.run(*python, "-m", "pip", "install", "-q", ".[%s]" % extra, external=True)
    return python


@nox.session(python=False)
@nox.parametrize("version", FORKY_VERSIONS)
def tests_forky(session, version):
    python = forky_venv(session, version, "test")
    session.run(*python, "-m", "pytest", "-q", *session.posargs, external=True)

@nox.session(python=PYENV_VERSIONS)
def bench(session):
    """Benchmarks on one version: bench/results/<version>.json (make bench)."""
    session.install("--upgrade", "pip")
    session.install(".[bench]")
    session.run("python", "bench/run.py")


@nox.session(python=False)
@nox.parametrize("version", FORKY_VERSIONS)
def bench_forky(session, version):
    python = forky_venv(session, version, "bench")
    session.run(*python, "bench/run.py", external=True)
