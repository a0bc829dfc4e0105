"""Generator pipelines: send/throw/close, yield from with return values, generator expressions."""
import itertools
import sys


def numbers(start=0):
    n = start
    while True:
        received = yield n
        if received is not None:
            n = received
        else:
            n += 1


def take(iterable, count):
    return list(itertools.islice(iterable, count))


def running_average():
    total = count = 0
    average = None
    while True:
        try:
            value = yield average
        except ValueError as exc:
            average = ("reset", str(exc))
            total = count = 0
            continue
        if value is None:
            break
        total += value
        count += 1
        average = total / count
    return ("final", count, total)


def averager_driver(values):
    result = yield from running_average()
    yield result


def chunked(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)


def flatten(nested):
    for item in nested:
        if isinstance(item, (list, tuple)):
            yield from flatten(item)
        else:
            yield item


def closing_generator(log):
    try:
        yield "first"
        yield "second"
    except GeneratorExit:
        log.append(("exit at", sys._getframe().f_lineno))
        raise
    finally:
        log.append("cleanup")


def stubborn(log):
    try:
        yield 1
    except GeneratorExit:
        log.append("ignoring close")
        yield 2


def main():
    out = {}
    gen = numbers()
    out["numbers"] = [next(gen), next(gen), gen.send(10), next(gen)]
    gen.close()

    avg = averager_driver([])
    next(avg)
    out["averages"] = [avg.send(v) for v in (4, 8, 6)]
    out["reset"] = avg.throw(ValueError("bad sensor"))
    out["after_reset"] = avg.send(10)
    out["final"] = avg.send(None)
    try:
        next(avg)
    except StopIteration as stop:
        out["stop"] = (stop.value, type(stop).__name__)

    squares = (x * x for x in range(10) if x % 3)
    out["chunks"] = list(chunked(squares, 4))
    out["flat"] = list(flatten([1, [2, (3, [4, 5])], [[6]], 7]))
    out["pairs"] = dict(
        (k, sum(v for _, v in group))
        for k, group in itertools.groupby(sorted([("b", 2), ("a", 1), ("b", 5), ("a", 3)]), key=lambda kv: kv[0])
    )
    nested_gen = sum(x * y for x in range(4) for y in range(x) if (x + y) % 2)
    out["nested_gen"] = nested_gen

    log = []
    closer = closing_generator(log)
    next(closer)
    closer.close()
    out["close"] = log

    log = []
    bad = stubborn(log)
    next(bad)
    try:
        bad.close()
    except RuntimeError as exc:
        out["stubborn"] = (str(exc), log)
    out["stubborn_rest"] = list(bad)

    def producer():
        value = yield
        while value:
            value = yield value.upper()
    p = producer(); next(p)
    out["producer"] = [p.send(w) for w in ("alpha", "beta")]
    try:
        p.send("")
    except StopIteration:
        out["producer_done"] = True
    out["take"] = take(numbers(5), 3)
    return out


def crash():
    def source():
        yield 1
        yield 0
    def inverted():
        for value in source():
            yield 1 / value
    def relay():
        total = yield from inverted()
        return total
    return list(relay())


if __name__ == "__main__":
    print(main())
