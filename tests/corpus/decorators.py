"""Decorators: factories with multi-line calls, stacking, class decorators, wrapped metadata."""
import functools
import sys

CALLS = []
ROUTES = {}


def trace(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        CALLS.append(("enter", func.__name__, args))
        try:
            result = func(*args, **kwargs)
        except Exception as exc:
            CALLS.append(("raise", func.__name__, type(exc).__name__))
            raise
        CALLS.append(("exit", func.__name__, result))
        return result
    return wrapper


def retry(times, *, on=(Exception,), record=None):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except on as exc:
                    if record is not None:
                        record.append((func.__name__, attempt, str(exc)))
                    if attempt == times:
                        raise
        return wrapper
    return decorator


def route(path, methods=("GET",), **options):
    def register(handler):
        for method in methods:
            ROUTES[(method, path)] = (handler.__name__, options)
        return handler
    return register


def singleton(cls):
    instances = {}

    @functools.wraps(cls, updated=())
    def get(*args):
        if cls not in instances:
            instances[cls] = cls(*args)
        return instances[cls]
    return get


attempts = []
flaky_state = {"n": 0}


@route(
    "/items",
    methods=("GET", "POST"),
    auth=True,
)
@trace
@retry(
    3,
    on=(ConnectionError, TimeoutError),
    record=attempts,
)
def fetch_items(limit):
    """Return the first `limit` items, failing twice first."""
    flaky_state["n"] += 1
    if flaky_state["n"] % 3:
        raise ConnectionError(f"attempt {flaky_state['n']}")
    return list(range(limit))


@route("/health")
@trace
def health():
    return "ok"


@trace
@retry(2, record=attempts)
def always_fails(x):
    raise KeyError(x)


@singleton
class Config:
    def __init__(self, name="default"):
        self.name = name
        self.created_at = sys._getframe().f_lineno


def main():
    del CALLS[:]
    del attempts[:]
    flaky_state["n"] = 0
    items = fetch_items(4)
    status = health()
    try:
        always_fails("k")
    except KeyError as exc:
        failure = repr(exc)
    a, b = Config("first"), Config("second")
    return {
        "items": items,
        "status": status,
        "failure": failure,
        "calls": CALLS[:],
        "attempts": attempts[:],
        "routes": sorted(ROUTES.items()),
        "meta": (fetch_items.__name__, fetch_items.__doc__, fetch_items.__wrapped__.__name__),
        "singleton": (a is b, a.name, a.created_at, Config.__name__),
    }


def crash():
    flaky_state["n"] = 0
    fetch_items(3)
    return always_fails(
        "boom"
    )


if __name__ == "__main__":
    print(main())
