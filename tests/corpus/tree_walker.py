"""A tree of nodes walked with recursion and generators (yield from, send, throw, close)."""
import sys
import traceback


class Node:
    def __init__(self, name, *children, weight=1):
        self.name = name
        self.children = list(children)
        self.weight = weight

    def __iter__(self):
        return iter(self.children)


def build():
    return Node(
        "root",
        Node("a", Node("a1", weight=3), Node("a2", Node("a2x", weight=5))),
        Node("b"),
        Node("c", Node("c1"), Node("c2", weight=2), Node("c3", Node("c3x"), Node("c3y", weight=7))),
    )


def preorder(node, depth=0):
    yield depth, node.name
    for child in node:
        yield from preorder(child, depth + 1)


def postorder(node):
    for child in node:
        yield from postorder(child)
    yield node.name


def total_weight(node):
    return node.weight + sum(total_weight(child) for child in node)


def leaves(node):
    if not node.children:
        return [node.name]
    found = []
    for child in node.children:
        found.extend(leaves(child))
    return found


def path_to(node, target, trail=()):
    trail = trail + (node.name,)
    if node.name == target:
        return trail
    for child in node:
        found = path_to(child, target, trail)
        if found: return found
    return None


def depth_counter():
    """A coroutine-style generator: send it depths, it reports the running maximum."""
    deepest = 0
    seen = 0
    try:
        while True:
            depth = yield deepest
            if depth is None:
                continue
            seen += 1
            if depth > deepest:
                deepest = depth
    except GeneratorExit:
        log.append(("closed after", seen))
        raise
    finally:
        log.append(("finally", deepest))


def guarded_walk(node):
    """Walk the tree; a thrown KeyError skips the current subtree."""
    stack = [node]
    while stack:
        current = stack.pop()
        try:
            yield current.name
        except KeyError as exc:
            log.append(("skipped", current.name, str(exc)))
            continue
        stack.extend(reversed(current.children))


def delegate(node):
    result = yield from summarize(node)
    yield ("summary", result)


def summarize(node):
    count = 0
    for _, name in preorder(node):
        count += 1
        if name.endswith("x"):
            yield name
    return count


log = []


def main():
    del log[:]
    tree = build()
    order = list(preorder(tree))
    post = list(postorder(tree))

    counter = depth_counter()
    next(counter)
    maxima = [counter.send(depth) for depth, _ in order]
    counter.send(None)
    counter.close()

    walker = guarded_walk(tree)
    visited = [next(walker)]
    for name in walker:
        visited.append(name)
        if name == "a":
            visited.append(walker.throw(KeyError(name)))

    def failing():
        yield 1
        raise RuntimeError("walker failed")

    try:
        list(failing())
    except RuntimeError as exc:
        failure = [(f.name, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]

    return {
        "preorder": order,
        "postorder": post,
        "weight": total_weight(tree),
        "leaves": leaves(tree),
        "path": path_to(tree, "c3y"),
        "missing": path_to(tree, "zzz"),
        "maxima": maxima,
        "visited": visited,
        "delegate": list(delegate(tree)),
        "log": log[:],
        "failure": failure,
        "line": sys._getframe().f_lineno,
    }


if __name__ == "__main__":
    print(main())
