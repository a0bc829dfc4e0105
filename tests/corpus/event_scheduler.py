"""A discrete-event simulation: generator processes scheduled on a heap with a virtual clock."""
import heapq
import sys


class Timeout:
    def __init__(self, delay):
        self.delay = delay


class Request:
    def __init__(self, resource):
        self.resource = resource


class Resource:
    def __init__(self, capacity):
        self.capacity = capacity
        self.users = 0
        self.queue = []


class Simulation:
    def __init__(self):
        self.now = 0
        self._heap = []
        self._seq = 0
        self.log = []

    def schedule(self, delay, process, value=None):
        self._seq += 1
        heapq.heappush(self._heap, (self.now + delay, self._seq, process, value))

    def start(self, process):
        self.schedule(0, process)

    def release(self, resource):
        resource.users -= 1
        if resource.queue:
            resource.users += 1
            self.schedule(0, resource.queue.pop(0), "granted")

    def run(self, until):
        while self._heap:
            time, _, process, value = heapq.heappop(self._heap)
            if time > until:
                heapq.heappush(self._heap, (time, 0, process, value))
                break
            self.now = time
            try:
                command = process.send(value)
            except StopIteration as stop:
                self.log.append((self.now, "exit", stop.value))
                continue
            if isinstance(command, Timeout):
                self.schedule(command.delay, process)
            elif isinstance(command, Request):
                res = command.resource
                if res.users < res.capacity:
                    res.users += 1
                    self.schedule(0, process, "granted")
                else:
                    res.queue.append(process)
            else:
                raise TypeError(f"unknown command {command!r}")
        return self.now


def customer(sim, name, counter, arrive, service):
    yield Timeout(arrive)
    sim.log.append((sim.now, name, "arrives"))
    status = yield Request(counter)
    start = sim.now
    sim.log.append((start, name, status))
    try:
        yield Timeout(service)
    finally:
        sim.release(counter)
    sim.log.append((sim.now, name, "leaves"))
    return name, start - arrive


def clock(sim, period):
    ticks = 0
    while True:
        yield Timeout(period)
        ticks += 1
        if ticks % 2 == 0: sim.log.append((sim.now, "tick", ticks))


def main():
    sim = Simulation()
    counter = Resource(capacity=2)
    plan = [("ann", 0, 5), ("bob", 1, 3), ("cid", 2, 4), ("dee", 2, 1), ("eve", 9, 2)]
    for name, arrive, service in plan:
        sim.start(customer(sim, name, counter, arrive, service))
    sim.start(clock(sim, 4))
    end = sim.run(until=20)
    waits = sorted(entry[2] for entry in sim.log if entry[1] == "exit")
    pending = len(sim._heap)
    try:
        bad = Simulation()
        bad.start(iter([object]))
        bad._heap[0] = (0, 1, (x for x in [42]), None)
        bad.run(5)
    except TypeError as exc:
        error = (str(exc), exc.__traceback__.tb_next.tb_lineno)
    return {"end": end, "log": sim.log, "waits": waits, "pending": pending, "error": error,
            "line": sys._getframe().f_lineno}


if __name__ == "__main__":
    print(main())
