"""The `splice` command (also `python -m splice`).

    splice [-c FILE] [-v] COMMAND [ARGS...]   run a command with the probes of FILE
    splice check [-c FILE]                    validate a probe file without running anything
    splice lines PATH_OR_MODULE               the lines where probes can go
"""

import os
import sys

from splice import environment

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
    from splice import probe_file

    path = args.config or default_probe_file()
    problems, probes = probe_file.check(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("splice: %s: %d probe%s, all valid" % (path, len(probes), "" if len(probes) == 1 else "s"))
    return 0


def lines(args):
    import json

    from splice import probe_file
    from splice.locations import LocationError, resolve

    try:
        path = resolve(args.place, os.getcwd(), [os.getcwd()] + sys.path)
        found = probe_file.probe_lines(path)
    except (LocationError, OSError, SyntaxError, ValueError) as error:
        print("splice: %s" % error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"path": path, "lines": found}))
    else:
        print("%s: %s" % (path, ranges(found)))
    return 0


USAGE = """usage: splice [-c FILE] [-v] COMMAND [ARGS...]
       splice check [-c FILE]
       splice lines [--json] PATH_OR_MODULE

Runs COMMAND (python app.py, python -m pkg, pytest, any console script) with
the probes of FILE (default: splice.toml, else wilma.toml, in the current
folder) spliced into every Python process it starts."""


def run_command(argv):
    """splice [-c FILE] [-v] COMMAND [ARGS...]: exec COMMAND with the bootstrap
    first on PYTHONPATH, so its Python processes start splice."""
    config, verbose = None, False
    while argv and argv[0].startswith("-"):
        option = argv.pop(0)
        if option in ("-c", "--config") and argv:
            config = argv.pop(0)
        elif option in ("-v", "--verbose"):
            verbose = True
        elif option in ("-h", "--help"):
            print(USAGE)
            return 0
        else:
            print("splice: unknown option %s\n%s" % (option, USAGE), file=sys.stderr)
            return 2
    if not argv:
        print(USAGE, file=sys.stderr)
        return 2
    path = config or default_probe_file()
    if not os.path.isfile(path):
        print("splice: no probe file %s; the program runs without probes" % path, file=sys.stderr)
    env = dict(os.environ)
    env[environment.PROBE_FILE] = os.path.abspath(path)
    env.setdefault(environment.FOLDER, os.path.abspath(".splice"))
    if verbose:
        env[environment.VERBOSE] = "1"
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([environment.BOOTSTRAP] + paths)
    try:
        os.execvpe(argv[0], argv, env)
    except OSError as error:
        print("splice: cannot run %s: %s" % (argv[0], error.strerror or error), file=sys.stderr)
        return 127


def parser():
    import argparse

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
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("check", "lines"):
        return run_command(argv)
    args = parser().parse_args(argv)
    if not args.command:
        parser().print_help(sys.stderr)
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
