"""Coroutines driven by hand with send/throw: a tiny cooperative scheduler without asyncio."""
import sys
import types


class Sleep:
    """Awaitable that suspends the coroutine for a number of scheduler ticks."""

    def __init__(self, ticks):
        self.ticks = ticks

    def __await__(self):
        woken_at = yield ("sleep", self.ticks)
        return woken_at


@types.coroutine
def wait_for(channel):
    value = yield ("recv", channel)
    return value


class Channel:
    def __init__(self, name):
        self.name = name
        self.queue = []
        self.waiters = []


class Scheduler:
    def __init__(self):
        self.now = 0
        self.ready = []
        self.sleeping = []
        self.trace = []

    def spawn(self, coro, name):
        self.ready.append((coro, None, name))

    def send(self, channel, value):
        if channel.waiters:
            coro, name = channel.waiters.pop(0)
            self.ready.append((coro, value, name))
        else:
            channel.queue.append(value)

    def _step(self, coro, value, name):
        try:
            if isinstance(value, BaseException):
                request = coro.throw(value)
            else:
                request = coro.send(value)
        except StopIteration as stop:
            self.trace.append((self.now, name, "done", stop.value))
            return
        except Exception as exc:
            self.trace.append((self.now, name, "failed", repr(exc), exc.__traceback__.tb_next.tb_lineno))
            return
        kind, arg = request
        if kind == "sleep":
            self.sleeping.append((self.now + arg, name, coro))
        elif kind == "recv":
            if arg.queue:
                self.ready.append((coro, arg.queue.pop(0), name))
            else:
                arg.waiters.append((coro, name))

    def run(self, limit=50):
        while (self.ready or self.sleeping) and self.now < limit:
            if not self.ready:
                self.sleeping.sort(key=lambda item: (item[0], item[1]))
                wake, name, coro = self.sleeping.pop(0)
                self.now = max(self.now, wake)
                self.ready.append((coro, self.now, name))
            coro, value, name = self.ready.pop(0)
            self._step(coro, value, name)
        return self.now


async def producer(sched, channel, items):
    for item in items:
        await Sleep(2)
        sched.send(channel, item)
    sched.send(channel, None)
    return len(items)


async def consumer(channel):
    received = []
    while (item := await wait_for(channel)) is not None:
        received.append(item * 10)
    return received


async def faulty(channel):
    await Sleep(1)
    value = await wait_for(channel)
    return 100 // value


async def watchdog():
    try:
        while True:
            await Sleep(3)
    except TimeoutError as exc:
        return ("stopped", str(exc), sys._getframe().f_lineno)


def main():
    sched = Scheduler()
    data, zero = Channel("data"), Channel("zero")
    sched.spawn(producer(sched, data, [1, 2, 3]), "producer")
    sched.spawn(consumer(data), "consumer")
    sched.spawn(faulty(zero), "faulty")
    sched.send(zero, 0)
    dog = watchdog()
    sched.spawn(dog, "watchdog")
    end = sched.run(limit=10)
    for wake, name, coro in sched.sleeping:
        sched._step(coro, TimeoutError(f"tick {end}"), name)
    manual = wait_for(data)
    request = manual.send(None)
    try:
        manual.send("direct")
    except StopIteration as stop:
        manual_result = (request[0], stop.value)
    return {"end": end, "trace": sched.trace, "manual": manual_result}


if __name__ == "__main__":
    print(main())
