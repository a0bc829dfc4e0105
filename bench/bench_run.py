"""`splice COMMAND` from the user's side, each figure a ratio to the same
program without splice, both run side by side.

  startup   `splice python -c pass` against `python -c pass` (wall time of
            the whole process, best of several runs)
  print     a `print` probe against the same `print` written in the source,
            per hit, timed inside the program
  import    importing a large standard module with a probe (`pass`) at
            every line of it, against a plain import, timed inside the
            program (fresh process each, best of several)
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import splice

IMPORTED = "argparse"
HITS = 200_000
RUNS = 7


def run_in(folder, command, probes=True):
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)
    prefix = [sys.executable, "-m", "splice", "-c", os.path.join(folder, "splice.toml")] if probes else []
    done = subprocess.run(prefix + command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=True)
    if done.stderr:  # a probe that did not land would make the figure meaningless
        raise RuntimeError("%s said: %s" % (" ".join(command), done.stderr.decode()[:500]))
    return done.stdout.decode()


def best_wall(folder, command, probes):
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        run_in(folder, command, probes)
        best = min(best, time.perf_counter() - start)
    return best


def best_reported(folder, command, probes):
    return min(float(run_in(folder, command, probes).split()[-1]) for _ in range(RUNS))


LOOP = '''\
import sys, time
sink = open("/dev/null", "w")
def body(i):
    {line}x = i
    return x
start = time.perf_counter()
for i in range({hits}):
    body(i)
print((time.perf_counter() - start) / {hits})
'''

IMPORT = '''\
import time
start = time.perf_counter()
import {module}
print(time.perf_counter() - start)
'''


def module_lines(name):
    import importlib.util
    path = importlib.util.find_spec(name).origin
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec", dont_inherit=True)
    return sorted(splice.injectable_lines(code))


def run_benchmark():
    folder = tempfile.mkdtemp(prefix="splice-bench-")
    try:
        with open(os.path.join(folder, "hand.py"), "w") as f:
            f.write(LOOP.format(line="print(i, file=sink)\n    ", hits=HITS))
        with open(os.path.join(folder, "probed.py"), "w") as f:
            f.write(LOOP.format(line="", hits=HITS))  # the probe goes before `x = i`, line 4
        with open(os.path.join(folder, "importer.py"), "w") as f:
            f.write(IMPORT.format(module=IMPORTED))
        lines = module_lines(IMPORTED)
        with open(os.path.join(folder, "splice.toml"), "w") as f:
            f.write('[probes]\n"probed.py:4" = "print(i, file=sink)"\n')
            f.write("".join('"%s:%d" = "pass"\n' % (IMPORTED, line) for line in lines))
        python = [sys.executable]
        startup_plain = best_wall(folder, python + ["-c", "pass"], probes=False)
        startup_splice = best_wall(folder, python + ["-c", "pass"], probes=True)
        hand = best_reported(folder, python + ["hand.py"], probes=False)
        probed = best_reported(folder, python + ["probed.py"], probes=True)
        import_plain = best_reported(folder, python + ["importer.py"], probes=False)
        import_probed = best_reported(folder, python + ["importer.py"], probes=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "startup_plain_ms": startup_plain * 1e3,
        "startup_splice_ms": startup_splice * 1e3,
        "startup_ratio": startup_splice / startup_plain,
        "print_hand_written_ns": hand * 1e9,
        "print_probe_ns": probed * 1e9,
        "print_ratio": probed / hand,
        "import_module": IMPORTED,
        "import_probes": len(lines),
        "import_plain_ms": import_plain * 1e3,
        "import_probed_ms": import_probed * 1e3,
        "import_ratio": import_probed / import_plain,
    }


if __name__ == "__main__":
    import json
    print(json.dumps(run_benchmark(), indent=2))
