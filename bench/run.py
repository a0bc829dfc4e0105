"""Run every benchmark on this interpreter; write bench/results/<major.minor>.json.

    python bench/run.py            (make bench runs it on every supported version)
"""

import json
import os
import platform
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_hit  # noqa: E402
import bench_inject  # noqa: E402
import bench_run  # noqa: E402


def main():
    version = "%d.%d" % sys.version_info[:2]
    result = {
        "python": platform.python_version(),
        "inject": bench_inject.run(),
        "hit": bench_hit.run(),
        "run": bench_run.run_benchmark(),
    }
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", version + ".json")
    with open(path, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
