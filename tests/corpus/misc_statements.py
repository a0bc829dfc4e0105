"""Assorted statements: assert, del, augmented assignment, star-unpacking, walrus, f-strings."""
import sys


class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.history = {"deposits": 0, "withdrawals": 0}

    def deposit(self, amount):
        assert amount > 0, f"deposit must be positive, got {amount}"
        self.balance += amount
        self.history["deposits"] += 1
        return self

    def withdraw(self, amount):
        assert amount <= self.balance, (
            f"insufficient funds: {self.balance} < {amount}"
        )
        self.balance -= amount
        self.history["withdrawals"] += 1
        return self


def assertions():
    results = []
    acct = Account("ada", 10)
    for op, amount in (("deposit", 5), ("deposit", -1), ("withdraw", 100), ("withdraw", 3)):
        try:
            getattr(acct, op)(amount)
        except AssertionError as exc:
            results.append((op, str(exc), exc.__traceback__.tb_next.tb_lineno))
        else:
            results.append((op, acct.balance))
    return results, acct.history


def deletions():
    data = {"a": 1, "b": 2, "c": 3}
    items = list(range(8))
    obj = Account("bob")
    obj.extra = "temporary"
    del data["b"], items[::3]
    del obj.extra
    temp = "x"
    del temp
    try:
        temp
    except UnboundLocalError as exc:
        unbound = type(exc).__name__
    return data, items, hasattr(obj, "extra"), unbound


def augmented():
    counts = {"x": 1}
    grid = [[0] * 3 for _ in range(2)]
    acct = Account("cy", 1)
    counts["x"] += 4
    counts["x"] *= 3
    counts["x"] //= 2
    counts["x"] **= 2
    counts["x"] %= 50
    grid[1][2] += 7
    grid[0][0] -= 1
    acct.balance <<= 3
    acct.balance |= 5
    acct.balance ^= 1
    text = "ab"
    text *= 2
    text += "!"
    return counts, grid, acct.balance, text


def unpacking():
    first, *rest = range(5)
    *init, last = "hello"
    (a, b), [c, *d] = (1, 2), [3, 4, 5]
    merged = [*rest, *"xy", *(i * i for i in range(3))]
    mapping = {**{"k": 1}, "j": 2, **dict(z=26)}
    def f(*args, **kwargs): return len(args), sorted(kwargs)
    called = f(*merged[:3], 99, *init, **mapping, extra=True)
    x = y = z = [0]
    x.append(1)
    return first, rest, init, last, (a, b, c, d), merged, mapping, called, (y, z is x)


def walrus_and_conditionals(values):
    out = []
    it = iter(values)
    while (value := next(it, None)) is not None:
        label = "neg" if value < 0 else "zero" if value == 0 else "small" if value < 10 else "big"
        if (doubled := value * 2) > 10 and (half := value / 2):
            out.append((label, doubled, half))
        else:
            out.append((label, doubled))
    return out, value


def formatting(width=10):
    name, ratio, count = "splice", 0.4567, 1234567
    nested = f"{name!r:>{width}}|{ratio:.1%}|{count:,}|{count:#x}"
    debug = f"{ratio=:.2f} {name.upper()=}"
    braces = f"{{literal}} {'quoted'} {3 + 4}"
    multi = (f"{name}"
             f"-{count}"
             "-plain")
    return nested, debug, braces, multi, sys._getframe().f_lineno


def main():
    return {
        "assertions": assertions(),
        "deletions": deletions(),
        "augmented": augmented(),
        "unpacking": unpacking(),
        "walrus": walrus_and_conditionals([3, -2, 0, 12, 7]),
        "formatting": formatting(),
    }


if __name__ == "__main__":
    print(main())
