"""Package dependency resolution: topological order, cycle detection and version constraints."""
import sys
from collections import deque


class CycleError(Exception):
    def __init__(self, cycle):
        super().__init__(" -> ".join(cycle))
        self.cycle = cycle


class Graph:
    def __init__(self):
        self.edges = {}

    def add(self, node, *deps):
        self.edges.setdefault(node, set()).update(deps)
        for dep in deps:
            self.edges.setdefault(dep, set())
        return self

    def topological(self):
        """Kahn's algorithm with a deterministic (sorted) queue."""
        indegree = {node: 0 for node in self.edges}
        for node, deps in self.edges.items():
            for dep in deps:
                indegree[node] += 1
        dependents = {node: [] for node in self.edges}
        for node, deps in sorted(self.edges.items()):
            for dep in sorted(deps):
                dependents[dep].append(node)
        queue = deque(sorted(n for n, d in indegree.items() if d == 0))
        order = []
        while queue:
            node = queue.popleft()
            order.append(node)
            for nxt in dependents[node]:
                indegree[nxt] -= 1
                if indegree[nxt] == 0:
                    queue.append(nxt)
        if len(order) != len(self.edges):
            raise CycleError(self.find_cycle())
        return order

    def find_cycle(self):
        visiting, done = [], set()

        def visit(node):
            if node in done:
                return None
            if node in visiting:
                return visiting[visiting.index(node):] + [node]
            visiting.append(node)
            for dep in sorted(self.edges[node]):
                found = visit(dep)
                if found:
                    return found
            visiting.pop()
            done.add(node)
            return None

        for start in sorted(self.edges):
            cycle = visit(start)
            if cycle: return cycle
        return []

    def layers(self):
        depth = {}

        def depth_of(node):
            if node not in depth:
                depth[node] = 1 + max((depth_of(d) for d in self.edges[node]), default=-1)
            return depth[node]

        for node in self.edges:
            depth_of(node)
        result = {}
        for node, d in sorted(depth.items()):
            result.setdefault(d, []).append(node)
        return result


def parse_constraint(text):
    name, _, spec = text.partition(">=")
    version = tuple(int(p) for p in spec.split(".")) if spec else (0,)
    return name.strip(), version


def resolve(requirements, available):
    chosen = {}
    for req in requirements:
        name, minimum = parse_constraint(req)
        candidates = [v for v in available.get(name, []) if v >= minimum]
        if not candidates:
            raise LookupError(f"no version of {name} satisfies >= {'.'.join(map(str, minimum))}")
        chosen[name] = max(candidates)
    return chosen


def main():
    g = Graph().add("app", "web", "db").add("web", "http", "templates").add("db", "driver") \
        .add("templates", "markup").add("http").add("driver", "sockets")
    order = g.topological()
    cyclic = Graph().add("a", "b").add("b", "c").add("c", "a").add("d")
    try:
        cyclic.topological()
    except CycleError as exc:
        cycle = (exc.cycle, str(exc), exc.__traceback__.tb_lineno)
    available = {"web": [(1, 0), (2, 1), (2, 3)], "db": [(0, 9)], "http": [(3, 0, 1)]}
    chosen = resolve(["web>=2.0", "http", "db>=0.5"], available)
    try:
        resolve(["db>=1.0"], available)
    except LookupError as exc:
        missing = (str(exc), sys._getframe().f_lineno)
    return {"order": order, "layers": g.layers(), "cycle": cycle, "chosen": chosen, "missing": missing}


if __name__ == "__main__":
    print(main())
