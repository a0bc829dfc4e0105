"""The `splice` command (also `python -m splice`).

    splice check [-c FILE]          validate a probe file without running anything
    splice lines PATH_OR_MODULE     the lines where probes can go
"""

import argparse
import json
import os
import sys

from splice import probe_file
from splice.locations import LocationError, resolve

DEFAULT_FILES = ("splice.toml", "wilma.toml")


def default_probe_file():
    for name in DEFAULT_FILES:
        if os.path.isfile(name):
            return name
    return DEFAULT_FILES[0]


def ranges(lines):
    """[1, 2, 3, 5] -> '1-3, 5'"""
    out, start = [], None
    for i, line in enumerate(lines):
        if start is None:
            start = line
        if i + 1 == len(lines) or lines[i + 1] != line + 1:
            out.append(str(start) if start == line else "%d-%d" % (start, line))
            start = None
    return ", ".join(out)


def check(args):
    path = args.config or default_probe_file()
    problems, probes = probe_file.check(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("splice: %s: %d probe%s, all valid" % (path, len(probes), "" if len(probes) == 1 else "s"))
    return 0


def lines(args):
    try:
        path = resolve(args.place, os.getcwd())
        found = probe_file.probe_lines(path)
    except (LocationError, OSError, SyntaxError, ValueError) as error:
        print("splice: %s" % error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"path": path, "lines": found}))
    else:
        print("%s: %s" % (path, ranges(found)))
    return 0


def parser():
    p = argparse.ArgumentParser(
        prog="splice",
        description="Print statements, snapshots and breakpoints from a TOML file, spliced into Python programs.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("check", help="validate a probe file without running anything")
    c.add_argument("-c", "--config", metavar="FILE",
                   help="the probe file (default: splice.toml, else wilma.toml, in the current folder)")
    c.set_defaults(run=check)
    ln = sub.add_parser("lines", help="print the lines of a file or module where probes can go")
    ln.add_argument("place", metavar="PATH_OR_MODULE")
    ln.add_argument("--json", action="store_true", help="one JSON object, for editors")
    ln.set_defaults(run=lines)
    return p


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] not in ("check", "lines", "-h", "--help"):
        print("splice: running a program under a probe file is not available yet; "
              "`splice check` and `splice lines` are", file=sys.stderr)
        return 2
    args = parser().parse_args(argv)
    if not args.command:
        parser().print_help(sys.stderr)
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
