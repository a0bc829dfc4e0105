"""Loops of every shape: for/while with else, break/continue, nesting, one-liners, while True."""
import sys


def primes_below(limit):
    found, composites = [], []
    for candidate in range(2, limit):
        for p in found:
            if p * p > candidate:
                found.append(candidate)
                break
            if candidate % p == 0:
                break
        else:
            found.append(candidate)
            continue
        if found[-1] != candidate: composites.append(candidate)
    return found, len(composites)


def first_duplicate(items):
    seen = set()
    for index, item in enumerate(items):
        if item in seen: break
        seen.add(item)
    else:
        return None
    return index, item


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def one_liners(data):
    acc = 0
    for x in data: acc += x
    while acc > 100: acc -= 7
    total = 0; count = 0
    for i in range(len(data)):
        total += data[i]; count += 1
    return acc, total, count


def search_grid(grid, target):
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value == target:
                break
        else:
            continue
        return r, c
    return None


def poll(events):
    handled = []
    position = 0
    while True:
        if position >= len(events):
            break
        event = events[position]
        position += 1
        if event is None:
            continue
        if event == "stop": break
        handled.append(event)
    else:
        handled.append("never")
    return handled, position


def countdown(n):
    log = []
    while n:
        n -= 1
        if n == 3:
            continue
        log.append(n)
    else:
        log.append("liftoff")
    return log


def unpacking(records):
    out = []
    for name, (x, y), *extra in records:
        first, *middle, last = name
        out.append((first, len(middle), last, x + y, extra))
    head, *tail = [r[0] for r in records]
    return out, head, tail


def main():
    matrix = [[i * 4 + j for j in range(4)] for i in range(4)]
    result = {
        "primes": primes_below(60),
        "dup": first_duplicate([3, 1, 4, 1, 5]),
        "nodup": first_duplicate("abc"),
        "collatz": [collatz_steps(n) for n in (1, 6, 7, 27)],
        "one_liners": one_liners([10, 20, 30, 40, 50]),
        "grid": (search_grid(matrix, 9), search_grid(matrix, 99)),
        "poll": (poll(["a", None, "b", "stop", "c"]), poll(["x", None])),
        "countdown": countdown(6),
        "unpacking": unpacking([("alpha", (1, 2)), ("beta", (3, 4), "extra", 5)]),
    }
    lines = []
    for i in range(3):
        lines.append(sys._getframe().f_lineno + i)
    result["lines"] = lines
    return result


if __name__ == "__main__":
    print(main())
