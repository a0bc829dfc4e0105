"""Comprehensions and generator expressions: nested, filtered, multi-line, with walrus and errors."""
import sys
import traceback

INVENTORY = [
    ("apple", "fruit", 3, 0.5),
    ("pear", "fruit", 0, 0.75),
    ("carrot", "vegetable", 12, 0.1),
    ("leek", "vegetable", 4, 0.8),
    ("salt", "spice", 1, 2.0),
]


class Catalog:
    categories = sorted({category for _, category, _, _ in INVENTORY})
    by_category = {
        c: [name for name, category, _, _ in INVENTORY if category == c]
        for c in categories
    }
    totals = dict((c, len(v)) for c, v in by_category.items())


def matrix_ops(n):
    identity = [[1 if i == j else 0 for j in range(n)] for i in range(n)]
    transposed = [list(row) for row in zip(*[[i * n + j for j in range(n)] for i in range(n)])]
    diagonal = [transposed[i][i] for i in range(n)]
    flattened = [x for row in transposed for x in row if x % 2 == 0]
    return identity[1], diagonal, flattened


def stock_report(threshold):
    in_stock = {
        name: round(qty * price, 2)
        for name, _, qty, price in INVENTORY
        if qty > 0
        and price < threshold
    }
    letters = {name[0] for name, *_ in INVENTORY}
    running = []
    total = 0
    flagged = [(name, total) for name, _, qty, _ in INVENTORY if (total := total + qty) > 10]
    running.append(total)
    return in_stock, sorted(letters), flagged, running


def lazy_pipeline(words):
    lowered = (w.lower() for w in words)
    stripped = (w.strip(".,!") for w in lowered)
    counted = {}
    for w in (s for s in stripped if s):
        counted[w] = counted.get(w, 0) + 1
    longest = max((len(w), w) for w in counted)
    return counted, longest


def failing_comprehension(values):
    try:
        return [10 // v for v in values]
    except ZeroDivisionError as exc:
        return ("error", [(f.name, f.lineno) for f in traceback.extract_tb(exc.__traceback__)])


def nested_scopes(k):
    scale = k
    make = lambda xs: [x * scale for x in xs if x]
    table = {i: {j: i * j for j in range(1, i + 1)} for i in range(1, 4)}
    gen_of_lists = list(list(range(i)) for i in range(4))
    return make([0, 1, 2]), table, gen_of_lists


def main():
    return {
        "catalog": (Catalog.categories, Catalog.by_category, Catalog.totals),
        "matrix": matrix_ops(4),
        "stock": stock_report(1.0),
        "pipeline": lazy_pipeline("The cat saw the other cat. The end!".split()),
        "failing": failing_comprehension([5, 2, 0, 1]),
        "nested": nested_scopes(3),
        "line": [sys._getframe().f_lineno for _ in range(2)],
    }


def crash():
    prices = {name: price for name, _, _, price in INVENTORY}
    return [
        round(prices[name] / qty, 2)
        for name, _, qty, _ in INVENTORY
    ]


if __name__ == "__main__":
    print(main())
