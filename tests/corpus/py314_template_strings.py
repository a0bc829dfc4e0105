"""Template strings (PEP 750), unparenthesized except lists (PEP 758) and deferred annotations (PEP 649)."""
import annotationlib
import sys
from string.templatelib import Interpolation, Template


def html_escape(text):
    return (str(text)
            .replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;"))


def render(template: Template) -> str:
    parts = []
    for item in template:
        match item:
            case str() as text:
                parts.append(text)
            case Interpolation(value, expression, conversion, spec):
                if conversion == "r":
                    value = repr(value)
                formatted = format(value, spec)
                parts.append(html_escape(formatted) if expression != "trusted" else formatted)
    return "".join(parts)


class Record:
    name: str
    owner: UndefinedYet
    size: int = 0


def parse_size(raw):
    try:
        return int(raw)
    except ValueError, TypeError:
        return -1


def main():
    user = "<admin>"
    trusted = "<b>ok</b>"
    count = 3.14159
    page = t"<p>{user}: {count:.2f} {trusted} {user!r}</p>"
    multi = t"""
        {user.upper()
        } done"""
    annotations = annotationlib.get_annotations(Record, format=annotationlib.Format.FORWARDREF)
    try:
        Record.__annotations__
    except NameError as exc:
        eager = (type(exc).__name__, sys._getframe().f_lineno)
    return {
        "page": render(page),
        "strings": page.strings,
        "exprs": [i.expression for i in page.interpolations],
        "multi": render(multi),
        "annotations": sorted((k, getattr(v, "__forward_arg__", getattr(v, "__name__", v))) for k, v in annotations.items()),
        "eager": eager,
        "sizes": [parse_size(v) for v in ("12", "x", None)],
    }


if __name__ == "__main__":
    print(main())
