"""Lazy imports (PEP 810) and unpacking in comprehensions (PEP 798): a plugin table."""
lazy import json
lazy from collections import Counter, OrderedDict
import sys

SECTIONS = [["alpha", "beta"], [], ["gamma"], ["delta", "alpha"]]
FLAT = [*section for section in SECTIONS]
MERGED = {**{name: i} for i, name in enumerate(FLAT)}
KINDS = {*section[:1] for section in SECTIONS if section}


def encode(table):
    return json.dumps(table, sort_keys=True)


def histogram(words):
    counts = Counter(
        word[0]
        for word in words
    )
    ordered = OrderedDict(sorted(counts.items()))
    return [*ordered.items()]


def main():
    before = type(globals()["json"]).__name__
    text = encode(MERGED)
    after = type(globals()["json"]).__name__
    nested = [*(pair for pair in zip(FLAT, range(3))) for _ in range(2)]
    return {
        "flat": FLAT,
        "merged": text,
        "kinds": sorted(KINDS),
        "histogram": histogram(FLAT),
        "lazy": (before, after),
        "nested": nested,
        "line": sys._getframe().f_lineno,
    }


if __name__ == "__main__":
    print(main())
