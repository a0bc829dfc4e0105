"""Recursive algorithms: an expression evaluator, permutations, Hanoi, mutual recursion, memoization."""
import functools
import sys
import traceback


class EvalError(Exception):
    pass


def tokens(text):
    number = ""
    for ch in text + " ":
        if ch.isdigit():
            number += ch
            continue
        if number:
            yield int(number)
            number = ""
        if ch in "+-*/()":
            yield ch
        elif not ch.isspace():
            raise EvalError(f"bad character {ch!r}")


def evaluate(text):
    stream = list(tokens(text))
    pos = 0

    def peek():
        return stream[pos] if pos < len(stream) else None

    def take():
        nonlocal pos
        pos += 1
        return stream[pos - 1]

    def expr():
        value = term()
        while peek() in ("+", "-"):
            value = value + term() if take() == "+" else value - term()
        return value

    def term():
        value = factor()
        while peek() in ("*", "/"):
            op = take()
            rhs = factor()
            if op == "*":
                value *= rhs
            elif rhs == 0:
                raise EvalError("division by zero")
            else:
                value //= rhs
        return value

    def factor():
        tok = take() if peek() is not None else None
        if tok == "(":
            value = expr()
            if peek() != ")": raise EvalError("expected )")
            take()
            return value
        if tok == "-":
            return -factor()
        if isinstance(tok, int):
            return tok
        raise EvalError(f"unexpected {tok!r}")

    result = expr()
    if pos != len(stream):
        raise EvalError("trailing input")
    return result


def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i, head in enumerate(items):
        for rest in permutations(items[:i] + items[i + 1:]):
            yield [head] + rest


def hanoi(n, source="A", target="C", spare="B", moves=None):
    if moves is None:
        moves = []
    if n:
        hanoi(n - 1, source, spare, target, moves)
        moves.append((n, source, target))
        hanoi(n - 1, spare, target, source, moves)
    return moves


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


@functools.lru_cache(maxsize=None)
def partitions(n, largest=None):
    largest = n if largest is None else largest
    if n == 0:
        return 1
    return sum(partitions(n - k, k) for k in range(1, min(n, largest) + 1))


def flatten_depths(tree, depth=0):
    if isinstance(tree, list):
        return [d for sub in tree for d in flatten_depths(sub, depth + 1)]
    return [depth]


def main():
    expressions = ["1 + 2 * 3", "(1 + 2) * 3", "-(4 - 10) / 2", "2 * (3 + (4 - 1)) * 2", "1 / 0", "2 +", "3 $ 4", "(1"]
    values = []
    for text in expressions:
        try:
            values.append(evaluate(text))
        except EvalError as exc:
            frames = [f.name for f in traceback.extract_tb(exc.__traceback__)]
            values.append((str(exc), frames[-1], len(frames)))
    partitions.cache_clear()
    return {
        "values": values,
        "perms": ["".join(p) for p in permutations("abc")],
        "hanoi": (len(hanoi(5)), hanoi(2)),
        "parity": [(n, is_even(n)) for n in (0, 7, 10)],
        "partitions": [partitions(n) for n in (1, 5, 10, 20)],
        "depths": flatten_depths([1, [2, [3, [4]], 5]]),
        "line": sys._getframe().f_lineno,
    }


def crash():
    """Fails deep inside the recursive descent."""
    return evaluate("2 * (3 + (4 / 0))")


if __name__ == "__main__":
    print(main())
