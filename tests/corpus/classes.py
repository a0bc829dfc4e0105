"""Class machinery: inheritance with super(), properties, metaclasses, dataclasses, nested classes."""
import dataclasses
import sys
from typing import List


class PluginMeta(type):
    plugins = []

    def __new__(mcls, name, bases, namespace, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace)
        if bases:
            mcls.plugins.append((name, kwargs.get("priority", 0)))
        return cls


class Plugin(metaclass=PluginMeta):
    """Base class of all plugins."""

    def describe(self):
        return f"{type(self).__name__}"


class Compressor(Plugin, priority=5):
    level = 3

    def describe(self):
        return super().describe() + f"(level={self.level})"


class FastCompressor(Compressor, priority=9):
    level = 1

    def describe(self):
        base = super().describe()
        return f"fast {base}"


class Shape:
    registry = {}

    def __init_subclass__(cls, /, sides=0, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.sides = sides
        Shape.registry[cls.__name__] = sides

    def __init__(self, size):
        self._size = size

    @property
    def size(self):
        return self._size

    @size.setter
    def size(self, value):
        if value <= 0:
            raise ValueError("size must be positive")
        self._size = value

    @classmethod
    def unit(cls):
        return cls(1)

    @staticmethod
    def describe_sides(n):
        return {3: "triangle", 4: "quad"}.get(n, f"{n}-gon")

    def __eq__(self, other):
        return type(self) is type(other) and self._size == other._size

    def __lt__(self, other):
        return (self.sides, self._size) < (other.sides, other._size)

    def __repr__(self):
        return f"{type(self).__name__}({self._size})"

    __hash__ = None


class Triangle(Shape, sides=3):
    def area(self):
        return round(3 ** 0.5 / 4 * self.size ** 2, 3)


class Square(Shape, sides=4):
    def area(self):
        return self.size ** 2

    class Meta:
        ordering = ["size"]
        labels = {name: name.title() for name in ordering}

        class Inner:
            depth = 2
            path = [c for c in "meta.inner" if c != "."]


@dataclasses.dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0
    tags: List[str] = dataclasses.field(default_factory=list, compare=False)

    @classmethod
    def parse(cls, text):
        core, _, tag = text.partition("-")
        parts = [int(p) for p in core.split(".")]
        return cls(*parts, tags=[tag] if tag else [])

    def bump(self, part):
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields[part] += 1
        return dataclasses.replace(self, **{part: fields[part]})


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y


def main():
    shapes = sorted([Square(3), Triangle(2), Square.unit(), Triangle(5)])
    errors = []
    try:
        shapes[0].size = -1
    except ValueError as exc:
        errors.append((str(exc), exc.__traceback__.tb_next.tb_lineno))
    try:
        Slotted(1, 2).z = 3
    except AttributeError as exc:
        errors.append(type(exc).__name__)
    versions = sorted(Version.parse(t) for t in ("1.2.3", "1.10.0-rc1", "0.9", "1.2"))
    return {
        "plugins": PluginMeta.plugins[:],
        "describe": [c().describe() for c in (Compressor, FastCompressor)],
        "shapes": [(repr(s), s.area()) for s in shapes],
        "registry": Shape.registry,
        "sides": [Shape.describe_sides(n) for n in (3, 4, 5)],
        "meta": (Square.Meta.labels, Square.Meta.Inner.path, Square.Meta.Inner.__qualname__),
        "versions": [(v.major, v.minor, v.patch, v.tags) for v in versions],
        "bumped": repr(versions[0].bump("minor")),
        "eq": (Square(2) == Square(2), Square(2) == Triangle(2)),
        "errors": errors,
        "docs": (Plugin.__doc__, Version.__doc__ is not None, __doc__.split()[0]),
        "line": sys._getframe().f_lineno,
    }


if __name__ == "__main__":
    print(main())
