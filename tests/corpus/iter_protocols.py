"""Iteration protocols: custom iterators, sequence protocol, itertools/functools pipelines."""
import functools
import itertools
import operator
import sys


class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        return CountdownIterator(self.start)

    def __reversed__(self):
        return iter(range(1, self.start + 1))


class CountdownIterator:
    def __init__(self, current):
        self.current = current

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


class Ring:
    """Old-style sequence protocol: iteration via __getitem__ until IndexError."""

    def __init__(self, items, laps):
        self.items = items
        self.laps = laps

    def __getitem__(self, index):
        if index >= len(self.items) * self.laps:
            raise IndexError(index)
        return self.items[index % len(self.items)]

    def __len__(self):
        return len(self.items) * self.laps

    def __contains__(self, item):
        return item in self.items


class Matrix:
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]

    def __iter__(self):
        for row in self.rows:
            yield from row

    def __matmul__(self, other):
        cols = list(zip(*other.rows))
        return Matrix([[sum(map(operator.mul, row, col)) for col in cols] for row in self.rows])

    def __eq__(self, other):
        return isinstance(other, Matrix) and self.rows == other.rows


def pipelines(words):
    by_length = {
        length: sorted(group)
        for length, group in itertools.groupby(sorted(words, key=len), key=len)
    }
    running = list(itertools.accumulate(map(len, words)))
    product = functools.reduce(operator.mul, (len(w) for w in words), 1)
    pairs = list(itertools.combinations(sorted(set(words))[:4], 2))
    zipped = list(itertools.zip_longest(words[:3], range(2), fillvalue="-"))
    chained = list(itertools.chain.from_iterable(w[:2] for w in words[:3]))
    ranked = sorted(words, key=lambda w: (-len(w), w))
    return by_length, running, product, pairs, zipped, chained, ranked[:3]


def main():
    ring = Ring("abc", 2)
    a = Matrix([[1, 2], [3, 4]])
    b = Matrix([[0, 1], [1, 0]])
    stop_line = None
    it = iter(Countdown(2))
    try:
        while True:
            next(it)
    except StopIteration:
        stop_line = sys._getframe().f_lineno
    return {
        "countdown": (list(Countdown(4)), list(reversed(Countdown(3)))),
        "ring": (list(ring), "b" in ring, "z" in ring, len(ring), list(enumerate(ring, 1))[-1]),
        "matrix": (list(a @ b), a @ b == Matrix([[2, 1], [4, 3]])),
        "pipelines": pipelines("the quick brown fox jumps over the lazy dog".split()),
        "builtins": (sum(Countdown(4)), max(ring), min(Matrix([[5, 2], [7, 1]])), any(x > 3 for x in Countdown(4))),
        "stop_line": stop_line,
    }


if __name__ == "__main__":
    print(main())
