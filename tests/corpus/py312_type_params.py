"""PEP 695 generics and type aliases, PEP 701 f-strings: a typed event bus."""
import sys
from collections.abc import Callable, Iterable

type Handler[E] = Callable[[E], str | None]
type Pair[K, V] = tuple[K, V]
type Lazy = dict[str, "Event"]


class Event:
    def __init__(self, name: str, payload: dict[str, int]) -> None:
        self.name = name
        self.payload = payload


class Bus[E: Event]:
    def __init__(self) -> None:
        self.handlers: dict[str, list[Handler[E]]] = {}

    def subscribe[F: Callable[..., object]](self, name: str) -> Callable[[F], F]:
        def register(fn: F) -> F:
            self.handlers.setdefault(name, []).append(fn)
            return fn
        return register

    def publish(self, event: E) -> list[str]:
        out = []
        for handler in self.handlers.get(event.name, []):
            if (text := handler(event)) is not None:
                out.append(text)
        return out


def first[T](items: Iterable[T], default: T | None = None) -> T | None:
    for item in items:
        return item
    return default


def pairs[K, V](mapping: dict[K, V]) -> list[Pair[K, V]]:
    return sorted(mapping.items())


class Stack[T]:
    def __init__(self) -> None:
        self._items: list[T] = []

    def push(self, item: T) -> "Stack[T]":
        self._items.append(item)
        return self

    def pop(self) -> T:
        if not self._items:
            raise IndexError("pop from empty Stack")
        return self._items.pop()


def main():
    bus: Bus[Event] = Bus()

    @bus.subscribe("order")
    def describe(event: Event) -> str:
        items = event.payload
        return f"{event.name}: {", ".join(f"{k}={v}" for k, v in items.items())}"

    @bus.subscribe("order")
    def big(event: Event) -> str | None:
        return f"big {event.payload["qty"]}" if event.payload["qty"] > 5 else None

    outputs = [bus.publish(Event("order", {"qty": q, "sku": 7})) for q in (3, 9)]
    stack = Stack[int]().push(1).push(2)
    popped = [stack.pop(), stack.pop()]
    try:
        stack.pop()
    except IndexError as exc:
        error = (str(exc), exc.__traceback__.tb_next.tb_lineno)
    multi = f"{
        sum(
            x * x
            for x in range(4)
        )
    } squares"
    return {
        "outputs": outputs,
        "popped": popped,
        "error": error,
        "first": (first([]), first("xyz"), first([], default=0)),
        "pairs": pairs({"b": 2, "a": 1}),
        "alias": (Handler.__name__, [p.__name__ for p in Pair.__type_params__], Pair.__value__.__name__),
        "lazy": str(Lazy.__value__),
        "params": ([p.__name__ for p in Bus.__type_params__], str(Bus.__type_params__[0].__bound__.__name__)),
        "multi": multi,
        "line": sys._getframe().f_lineno,
    }


if __name__ == "__main__":
    print(main())
