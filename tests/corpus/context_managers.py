"""Context managers: class-based, generator-based, suppressing, nested, ExitStack."""
import contextlib
import sys


class Transaction:
    def __init__(self, store, log):
        self.store = store
        self.log = log
        self.pending = None

    def __enter__(self):
        self.pending = dict(self.store)
        self.log.append("begin")
        return self.pending

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.store.clear()
            self.store.update(self.pending)
            self.log.append("commit")
        else:
            self.log.append(("rollback", exc_type.__name__, tb.tb_lineno))
        return exc_type is not None and issubclass(exc_type, LookupError)


@contextlib.contextmanager
def tag(name, log):
    log.append(f"<{name}>")
    try:
        yield name.upper()
    except ZeroDivisionError as exc:
        log.append(f"<!{name}: {exc}>")
        raise
    finally:
        log.append(f"</{name}>")


@contextlib.contextmanager
def ignoring(*kinds):
    try:
        yield
    except kinds as exc:
        ignored.append(type(exc).__name__)


ignored = []


def transfer(store, log, amount, fail=None):
    with Transaction(store, log) as tx:
        tx["a"] -= amount
        if fail == "lookup":
            tx["missing"]
        if fail == "type":
            tx["b"] += "x"
        tx["b"] += amount
    return store


def nested(log):
    with tag("outer", log) as outer, tag("inner", log) as inner:
        log.append(outer + inner)
    with tag("a", log):
        with tag("b", log):
            log.append(sys._getframe().f_lineno)
    try:
        with tag("div", log):
            1 / 0
    except ZeroDivisionError:
        log.append("handled")
    return log


def stacked(names, log):
    with contextlib.ExitStack() as stack:
        opened = [stack.enter_context(tag(n, log)) for n in names]
        stack.callback(log.append, "callback ran")
        log.append(tuple(opened))
    return log


def main():
    store, log = {"a": 10, "b": 0}, []
    transfer(store, log, 3)
    transfer(store, log, 2, fail="lookup")
    try:
        transfer(store, log, 1, fail="type")
    except TypeError as exc:
        log.append(("escaped", str(exc)))
    with ignoring(KeyError, IndexError):
        {}["nope"]
    try:
        with ignoring(KeyError):
            [].pop()
    except IndexError as exc:
        log.append(("not ignored", exc.__traceback__.tb_lineno, exc.__traceback__.tb_frame.f_lineno))
    with contextlib.suppress(AttributeError): None.missing
    with ignoring(ValueError) as nothing, \
            contextlib.suppress(OSError):
        int("x")
    return {
        "store": store,
        "log": log,
        "nested": nested([]),
        "stacked": stacked(["x", "y", "z"], []),
        "ignored": ignored[:],
        "nothing": nothing,
    }


if __name__ == "__main__":
    print(main())
