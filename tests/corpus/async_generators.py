"""Async generators driven without an event loop: asend/athrow/aclose stepped with send()."""
import sys


class Yield:
    """A bare awaitable that suspends once, like a tiny sleep(0)."""

    def __await__(self):
        yield "suspended"


def drive(awaitable):
    """Run an awaitable to completion by hand, counting its suspensions."""
    coro = awaitable.__await__()
    suspensions = 0
    try:
        while True:
            coro.send(None)
            suspensions += 1
    except StopIteration as stop:
        return stop.value, suspensions
    except StopAsyncIteration:
        return "exhausted", suspensions


async def readings(sensor, log):
    value = 0
    try:
        while True:
            await Yield()
            try:
                command = yield value
            except OverflowError as exc:
                log.append(("recalibrate", str(exc)))
                value = 0
                continue
            if command == "stop":
                return
            value += command or sensor
    finally:
        log.append(("sensor closed", sensor, sys._getframe().f_lineno))


async def window(source, size):
    buffer = []
    async for item in source:
        buffer.append(item)
        if len(buffer) == size:
            yield tuple(buffer)
            buffer.pop(0)


async def numbers(n):
    for i in range(n):
        if i % 2:
            await Yield()
        yield i


async def collect(agen):
    return [item async for item in agen]


def main():
    log = []
    gen = readings(5, log)
    steps = [drive(gen.asend(None)), drive(gen.asend(None)), drive(gen.asend(3))]
    steps.append(drive(gen.athrow(OverflowError("too hot"))))
    steps.append(drive(gen.asend(2)))
    steps.append(drive(gen.asend("stop")))
    closer = readings(1, log)
    drive(closer.asend(None))
    drive(closer.aclose())
    windows = drive(collect(window(numbers(6), 3)))
    return {"steps": steps, "log": log, "windows": windows}


if __name__ == "__main__":
    print(main())
