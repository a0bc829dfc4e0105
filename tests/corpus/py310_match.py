"""Structural pattern matching: a text-adventure command interpreter and a shape classifier.

The statement-mode tests drive the functions below with hand-written expectations for
the ``case`` lines, so keep every ``case`` keyword on the line where its pattern starts.
"""
import contextlib
import sys
from dataclasses import dataclass

ALIASES = {"n": "go north", "s": "go south", "grab": "take"}


@dataclass
class Point:
    x: int
    y: int


match sys.version_info[:2]:
    case (3, minor) if minor >= 10:
        MATCH_MINOR = minor
    case _:
        MATCH_MINOR = None


def interpret(command):
    match command.split():
        case []:
            return ("empty",)
        case ["go", ("north" | "south" | "east" | "west") as direction]:
            return ("move", direction)
        case ["go", other]:
            return ("bad direction", other)
        case ["take" | "pick", *items] if items:
            return ("take", tuple(items))
        case [verb, *rest] if verb in ALIASES:
            return interpret(" ".join([ALIASES[verb], *rest]))
        case _:
            return ("unknown", command)


def where(obj):
    match obj:
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=y):
            return f"y-axis at {y}"
        case Point(x=x, y=0) if x > 0:
            return f"positive x-axis at {x}"
        case Point():
            return "somewhere"
        case {"x": x, "y": y, **rest}:
            return f"mapping {x},{y} +{sorted(rest)}"
        case (x, y) | [x, y, _]:
            return f"sequence {x},{y}"
        case int() | float() as n if n < 0:
            return f"negative {n}"
        case str(s) if (length := len(s)) > 3:
            return f"long string of {length}"
        case 1 | 2 | 3 | None:
            return "small or none"
        case _:
            return "other"


def tally(events):
    counts = {"click": 0, "key": 0, "other": 0}
    for event in events:
        match event:
            case {"type": "click", "pos": (x, y)} if x >= 0 and y >= 0: counts["click"] += 1
            case {
                "type": "key",
                "key": str(key),
            }:
                counts["key"] += 1
                if key == "q":
                    break
            case _:
                counts["other"] += 1
    return counts


@contextlib.contextmanager
def section(name, log):
    log.append(f"enter {name}")
    yield name
    log.append(f"exit {name}")


def main():
    log = []
    with (
        section("a", log) as a,
        section("b", log) as b,
    ):
        log.append(a + b)
    commands = ["", "go north", "go up", "take lamp key", "take", "n", "grab sword", "dance"]
    shapes = [Point(0, 0), Point(0, 5), Point(3, 0), Point(-3, 0), {"x": 1, "y": 2, "z": 3},
              (4, 5), [6, 7, 8], -2.5, "hello", "hi", 2, None]
    events = [{"type": "click", "pos": (1, 2)}, {"type": "click", "pos": (-1, 2)},
              {"type": "key", "key": "a"}, "noise", {"type": "key", "key": "q"}, {"type": "click", "pos": (0, 0)}]
    return {
        "minor": MATCH_MINOR is not None,
        "commands": [interpret(c) for c in commands],
        "shapes": [where(s) for s in shapes],
        "tally": tally(events),
        "log": log,
        "line": sys._getframe().f_lineno,
    }


if __name__ == "__main__":
    print(main())
