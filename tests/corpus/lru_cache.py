"""An LRU cache built on a doubly linked list, plus a memoizing decorator."""
import functools
import sys


class _Node:
    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key=None, value=None):
        self.key = key
        self.value = value
        self.prev = self.next = self


class LRUCache:
    """Mapping with a fixed capacity that evicts the least recently used key."""

    default_capacity = 4
    _sentinel_names = [name.upper() for name in ("hit", "miss", "evict")]
    _index = {name: i for i, name in enumerate(_sentinel_names)}

    def __init__(self, capacity=None, on_evict=None):
        if capacity is None:
            capacity = self.default_capacity
        elif capacity <= 0:
            raise ValueError(f"capacity must be positive, not {capacity}")
        self.capacity = capacity
        self.on_evict = on_evict
        self._root = _Node()
        self._map = {}
        self.stats = [0] * len(self._sentinel_names)

    def _unlink(self, node):
        node.prev.next = node.next
        node.next.prev = node.prev

    def _push_front(self, node):
        root = self._root
        node.next, node.prev = root.next, root
        root.next.prev = node
        root.next = node

    def __len__(self):
        return len(self._map)

    def __contains__(self, key):
        return key in self._map

    def __getitem__(self, key):
        try:
            node = self._map[key]
        except KeyError:
            self.stats[self._index["MISS"]] += 1
            raise
        self.stats[self._index["HIT"]] += 1
        self._unlink(node)
        self._push_front(node)
        return node.value

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __setitem__(self, key, value):
        node = self._map.get(key)
        if node is not None:
            node.value = value
            self._unlink(node)
            self._push_front(node)
            return
        if len(self._map) >= self.capacity:
            oldest = self._root.prev
            self._unlink(oldest)
            del self._map[oldest.key]
            self.stats[self._index["EVICT"]] += 1
            if self.on_evict: self.on_evict(oldest.key, oldest.value)
        node = _Node(key, value)
        self._map[key] = node
        self._push_front(node)

    def keys(self):
        node = self._root.next
        while node is not self._root:
            yield node.key
            node = node.next

    def __repr__(self):
        items = ", ".join(f"{k!r}: {self._map[k].value!r}" for k in self.keys())
        return f"{type(self).__name__}({{{items}}})"


class CountingCache(LRUCache):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writes = 0

    def __setitem__(self, key, value):
        self.writes += 1
        super().__setitem__(key, value)


def memoize(
    capacity=8,
    *,
    key=lambda args, kwargs: (args, tuple(sorted(kwargs.items()))),
):
    def decorator(func):
        cache = LRUCache(capacity)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            k = key(args, kwargs)
            if k in cache:
                return cache[k]
            result = cache[k] = func(*args, **kwargs)
            return result

        wrapper.cache = cache
        return wrapper

    return decorator


@memoize(
    capacity=16,
)
def binomial(n, k):
    """Pascal's rule, memoized."""
    if k == 0 or k == n:
        return 1
    return binomial(n - 1, k - 1) + binomial(n - 1, k)


evicted = []


def main():
    cache = CountingCache(3, on_evict=lambda k, v: evicted.append((k, v)))
    for word in "the quick brown fox jumps over the lazy dog the end".split():
        cache[word] = cache.get(word, 0) + 1
    order = list(cache.keys())
    try:
        cache["quick"]
    except KeyError as exc:
        missing = (repr(exc), sys._getframe().f_lineno)
    try:
        LRUCache(0)
    except ValueError as exc:
        bad = str(exc)
    values = [binomial(10, k) for k in range(11)]
    return {
        "order": order,
        "repr": repr(cache),
        "stats": cache.stats,
        "writes": cache.writes,
        "evicted": evicted[:],
        "missing": missing,
        "bad": bad,
        "binomial": values,
        "binomial_cache": (len(binomial.cache), binomial.cache.stats, binomial.__doc__, binomial.__name__),
        "class_attrs": (LRUCache._sentinel_names, LRUCache._index),
    }


if __name__ == "__main__":
    print(main())
