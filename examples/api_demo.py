"""What splice's engine does, through its Python API.

    python examples/api_demo.py

A print statement is spliced into a function that was never edited, a loop
header is watched per iteration, a nested function created later carries its
hook too, everything is taken out again, and a whole module is instrumented
before it runs.
"""

import sys
import textwrap

import splice


def checkout(cart, discount):
    subtotal = 0
    for name, price, quantity in cart:
        subtotal += price * quantity
    total = round(
        subtotal * (1 - discount),
        2,
    )
    return total


def make_pricer(rate):
    def price(amount):
        taxed = amount * (1 + rate)
        return round(taxed, 2)

    return price


def line_of(function, text):
    """The line number of the first line of `function` that contains `text`."""
    code = function.__code__
    with open(code.co_filename) as source:
        for number, line in enumerate(source, start=1):
            if number >= code.co_firstlineno and text in line:
                return number
    raise LookupError(text)


def show_locals(label):
    """A print statement, as a hook: it reads the probed frame."""
    frame = sys._getframe(1)
    values = ", ".join(f"{k}={v!r}" for k, v in frame.f_locals.items() if not k.startswith("__"))
    print(f"    [{label}] {frame.f_code.co_name}:{frame.f_lineno}  {values}")


def main():
    cart = [("pen", 1.5, 4), ("book", 12.0, 1)]
    original_code = checkout.__code__
    print("checkout() as written:", checkout(cart, 0.1))

    print("\n1. A print statement before `total = round(...)`, a statement over three lines:")
    total_line = line_of(checkout, "total = round(")
    splice.inject_hook(checkout, show_locals, total_line, "before total")
    print("   result:", checkout(cart, 0.1))

    print("\n2. The `for` header: once in statement mode, every test in line mode (like a breakpoint):")
    loop_line = line_of(checkout, "for name, price")
    splice.inject_hook(checkout, show_locals, loop_line, "statement")
    splice.inject_hook(checkout, show_locals, loop_line, "line", mode="line")
    print("   result:", checkout(cart, 0.1))

    print("\n3. Taking every hook out gives back the original code object:")
    for arg, mode in (("before total", "statement"), ("statement", "statement"), ("line", "line")):
        line = total_line if arg == "before total" else loop_line
        splice.eject_hook(checkout, show_locals, line, arg, mode=mode)
    print("   checkout.__code__ is the original:", checkout.__code__ is original_code,
          "| result:", checkout(cart, 0.1))

    print("\n4. A hook on a line of a nested function reaches closures made afterwards:")
    splice.inject_hook(make_pricer, show_locals, line_of(make_pricer, "return round(taxed"), "nested")
    pricer = make_pricer(0.2)
    print("   result:", pricer(10))

    print("\n5. Lines where hooks can go, per mode:")
    print("   statement:", sorted(splice.injectable_lines(checkout)))
    print("   line:     ", sorted(splice.injectable_lines(checkout, "line")))

    print("\n6. A module instrumented before it runs (what an import hook does):")
    source = textwrap.dedent(
        """\
        def fib(n):
            a, b = 0, 1
            for _ in range(n):
                a, b = b, a + b
            return a

        answer = [fib(i) for i in range(6)]
        """
    )
    code = compile(source, "<demo module>", "exec")
    hits = {}
    new_code, placed = splice.instrument(code, lambda line: hits.__setitem__(line, hits.get(line, 0) + 1),
                                         {line: line for line in range(1, 8)}, mode="line")
    namespace = {}
    exec(new_code, namespace)
    print("   answer =", namespace["answer"])
    print("   hooks placed on lines", sorted(placed), "| hits per line:", dict(sorted(hits.items())))


if __name__ == "__main__":
    main()
