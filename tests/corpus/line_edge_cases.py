"""Awkward but legal layouts: one-line bodies, semicolons, comments between decorators, odd continuations."""
import sys

class Empty(Exception): pass
class WithDoc:
    """Only a docstring."""
def stub(): ...
def one_liner(x): return x * 2
def docstring_only():
    """Nothing else here."""
def pass_only():
    pass

def tag(label):
    def apply(fn):
        fn.labels = getattr(fn, "labels", ()) + (label,)
        return fn
    return apply

@tag("outer")
# a comment between decorators
@tag(
    "inner"  # trailing comment inside the call
)

def decorated(): return sys._getframe().f_lineno


def semicolons(n):
    a = n; b = a + 1; c = (a,
                           b); d = sum(c)
    if a: e = 1; f = 2
    else: e = 0; f = 0
    return a, b, c, d, e, f


def one_line_suites(values):
    out = []
    for v in values: out.append(v)
    while out and out[-1] > 2: out.pop()
    try: out.append(1 // values[0])
    except ZeroDivisionError: out.append("zero")
    else: out.append("else")
    finally: out.append("finally")
    with Guard(out): out.append("in guard")
    if len(out) > 100: out.clear()
    elif len(out) > 3: out.append("long")
    else: out.append("short")
    return out


class Guard:
    def __init__(self, log): self.log = log
    def __enter__(self): self.log.append("enter"); return self
    def __exit__(self, *exc): self.log.append("exit")


def continued(x):
    total = x \
        + 1 \
        + 2
    if total > 3 \
            and total < 100:
        kind = "mid"
    else:
        kind = "other"
    squares = [
        i * i

        for i in range(x)
    ]
    fn = (lambda
          y:
          y + total)
    value = (
        # a comment inside parentheses
        fn(1)
    )
    return total, kind, squares, value


def bare_except(values):
    caught = []
    for v in values:
        try:
            caught.append(10 // v)
        except:
            caught.append(sys.exc_info()[0].__name__)
    try: {}["k"]
    except: caught.append("bare one-line")
    return caught


def nested_defs():
    def a(): return "a"
    class B:
        def m(self): return "m"
        x = [a() for _ in range(2)]
    return a(), B().m(), B.x


def loops_with_pass():
    for _ in range(3): pass
    i = 0
    while i < 3: i += 1
    for j in range(2):
        pass
    else:
        i += 10
    return i, j


def main():
    return {
        "empty": (Empty.__mro__[1].__name__, WithDoc.__doc__, stub(), one_liner(4),
                  docstring_only(), pass_only()),
        "decorated": (decorated(), decorated.labels),
        "semicolons": (semicolons(2), semicolons(0)),
        "suites": (one_line_suites([2, 5, 1]), one_line_suites([0, 1])),
        "continued": continued(4),
        "bare": bare_except([2, 0, "x"]),
        "nested": nested_defs(),
        "loops": loops_with_pass(),
    }


if __name__ == "__main__": print(main())
