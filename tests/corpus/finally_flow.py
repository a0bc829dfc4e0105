"""Control flow through try/finally: return, break and continue in try and in finally."""
import sys


class Resource:
    opened = 0

    def __init__(self, name, events):
        self.name = name
        self.events = events
        Resource.opened += 1
        events.append(("open", name))

    def close(self):
        self.events.append(("close", self.name))


def return_in_try(events):
    r = Resource("a", events)
    try:
        return "from try"
    finally:
        r.close()


def return_overridden(events):
    try:
        events.append("body")
        return "body"
    finally:
        events.append("finally")
        return "finally wins"


def swallow_in_finally(events):
    for attempt in range(3):
        try:
            events.append(("attempt", attempt))
            raise ValueError(attempt)
        finally:
            if attempt < 2:
                continue
            events.append("giving up")
            break
    return "swallowed"


def break_in_try(events):
    found = None
    for i in range(10):
        try:
            if i * i > 20:
                found = i
                break
            if i % 2:
                continue
            events.append(("even", i))
        finally:
            events.append(("checked", i))
    else:
        found = -1
    return found


def nested_finally(events, fail_at):
    total = 0
    try:
        for outer in range(3):
            try:
                for inner in range(3):
                    try:
                        if (outer, inner) == fail_at:
                            raise LookupError(fail_at)
                        total += outer * 3 + inner
                    finally:
                        events.append(("inner", outer, inner))
                    if inner == outer: break
            finally:
                events.append(("outer", outer))
    except LookupError as exc:
        events.append(("caught", exc.args[0], sys._getframe().f_lineno,
                       exc.__traceback__.tb_lineno))
        return -total
    else:
        events.append(("no error", total))
    finally:
        events.append("done")
    return total


def while_with_finally(events):
    n = 0
    while True:
        n += 1
        try:
            if n == 2:
                continue
            if n > 4:
                return n
        finally:
            events.append(("tick", n))


def generator_with_finally(events):
    try:
        for i in range(5):
            try:
                yield i
            finally:
                events.append(("after yield", i))
    finally:
        events.append("generator cleanup")


def main():
    results = {}
    for func in (return_in_try, return_overridden, swallow_in_finally, break_in_try, while_with_finally):
        events = []
        results[func.__name__] = (func(events), events)
    for fail_at in ((1, 1), None):
        events = []
        results[("nested", fail_at)] = (nested_finally(events, fail_at), events)
    events = []
    gen = generator_with_finally(events)
    first_two = [next(gen), next(gen)]
    gen.close()
    results["generator"] = (first_two, events)
    results["opened"] = Resource.opened
    return results


if __name__ == "__main__":
    print(main())
