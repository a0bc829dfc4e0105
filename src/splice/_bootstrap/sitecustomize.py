"""Loaded by every Python process that `splice COMMAND` starts (this folder is
put first on PYTHONPATH): starts splice's runtime, then hands on to the
sitecustomize this one hides, if any."""


def _start_splice():
    import os
    import sys

    path = os.environ.get("SPLICE_PROBE_FILE")  # environment.PROBE_FILE: splice may not be importable yet
    if not path:
        return
    try:
        from splice import runtime
    except ImportError:  # splice lives in another environment than the program's Python
        here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        sys.path.insert(0, here)
        try:
            from splice import runtime
        except ImportError as error:
            sys.stderr.write("splice: cannot load splice in Python %d.%d (%s); the program runs without probes\n"
                             % (sys.version_info[0], sys.version_info[1], error))
            return
        finally:
            sys.path.remove(here)
    try:
        runtime.start(path)
        runtime.rerun_main_script()
    except Exception as error:  # never stop the program
        sys.stderr.write("splice: cannot start: %s: %s; the program runs without probes\n" % (type(error).__name__, error))


def _chain_sitecustomize():
    import importlib.machinery
    import importlib.util
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


_start_splice()
_chain_sitecustomize()
