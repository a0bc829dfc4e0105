"""Closures, cells, nonlocal and global: counters, event emitters and late binding."""
import sys

global registry_size
registry_size = 0
REGISTRY = {}


def register(name):
    global registry_size
    def deco(func):
        global registry_size
        REGISTRY[name] = func
        registry_size = len(REGISTRY)
        return func
    return deco


def make_counter(start=0, step=1):
    count = start

    def increment():
        nonlocal count
        count += step
        return count

    def reset(value=start):
        nonlocal count
        previous, count = count, value
        return previous

    def peek():
        return count

    return increment, reset, peek


def make_emitter():
    handlers = {}
    fired = []

    def on(event):
        def attach(handler):
            handlers.setdefault(event, []).append(handler)
            return handler
        return attach

    def emit(event, *args):
        for handler in handlers.get(event, ()):
            fired.append((event, handler(*args)))
        return len(handlers.get(event, ()))

    return on, emit, fired


def late_binding():
    late = [lambda: i for i in range(3)]
    early = [lambda i=i: i for i in range(3)]
    return [f() for f in late], [f() for f in early]


def accumulate_with_closure(values):
    total = 0
    history = []

    def add(x):
        nonlocal total
        total += x
        history.append(total)

    for v in values:
        add(v)
    return total, history


def outer_scope_class(factor):
    class Scaled:
        scale = factor
        values = [factor * k for k in range(3)]

        def apply(self, x):
            return x * factor + self.scale

    return Scaled().apply(2), Scaled.values


@register("square")
def square(x):
    return x * x


@register("cube")
def cube(x):
    return x ** 3


def deep_nonlocal():
    level = 0

    def one():
        nonlocal level
        level += 1

        def two():
            nonlocal level
            level += 10
            return sys._getframe().f_lineno

        return two()

    line = one()
    return level, line


def main():
    inc, reset, peek = make_counter(10, 5)
    counts = [inc(), inc(), peek(), reset(), inc(), reset(0), peek()]
    on, emit, fired = make_emitter()

    @on("greet")
    def hello(name):
        return f"hello {name}"

    on("greet")(lambda name: name[::-1])
    on("bye")(str.upper)
    emitted = [emit("greet", "ada"), emit("bye", "x"), emit("none")]
    return {
        "counts": counts,
        "cells": [c.cell_contents for c in inc.__closure__],
        "emitted": emitted,
        "fired": fired,
        "late": late_binding(),
        "accumulate": accumulate_with_closure([1, 2, 3, 4]),
        "class_scope": outer_scope_class(7),
        "registry": sorted((k, f(3)) for k, f in REGISTRY.items()),
        "registry_size": registry_size,
        "deep": deep_nonlocal(),
    }


if __name__ == "__main__":
    print(main())
