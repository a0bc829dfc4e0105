"""Exceptions crossing several frames: re-raise, raise from, implicit chaining, handlers."""
import sys
import traceback


class ConfigError(Exception):
    """Raised when a configuration value cannot be used."""


class ValidationError(ConfigError):
    def __init__(self, field, problem):
        super().__init__(f"{field}: {problem}")
        self.field = field


def frames(exc):
    return [(f.name, f.lineno) for f in traceback.extract_tb(exc.__traceback__) if f.filename == __file__]


def chain(exc):
    out = []
    while exc is not None:
        out.append((type(exc).__name__, str(exc), exc.__suppress_context__))
        exc = exc.__cause__ or exc.__context__
    return out


def parse_port(raw):
    port = int(raw)
    if not 0 < port < 65536:
        raise ValidationError("port", f"{port} out of range")
    return port


def parse_setting(key, raw):
    try:
        if key == "port":
            return parse_port(raw)
        if key == "ratio":
            return 1 / float(raw)
        return raw.strip()
    except ValueError as exc:
        raise ValidationError(key, "not a number") from exc
    except ZeroDivisionError:
        raise ConfigError(f"{key} may not be zero")


def load(settings):
    loaded, problems = {}, []
    for key, raw in settings:
        try:
            loaded[key] = parse_setting(key, raw)
        except ValidationError as exc:
            problems.append(("validation", exc.field, chain(exc), frames(exc)))
        except ConfigError as exc:
            problems.append(("config", chain(exc), frames(exc)))
        except AttributeError as exc:
            problems.append(("attribute", type(exc).__name__, frames(exc)))
        else:
            problems.append(("ok", key))
        finally:
            loaded.setdefault("_attempts", 0)
            loaded["_attempts"] += 1
    return loaded, problems


def reraiser(value):
    try:
        return {"a": 1}[value]
    except KeyError:
        if value == "silent":
            return None
        raise


def wrapper(value):
    try:
        return reraiser(value)
    except LookupError as exc:
        try:
            raise RuntimeError("while handling") from None
        except RuntimeError as inner:
            return ("wrapped", str(exc), inner.__suppress_context__, inner.__context__ is exc,
                    frames(exc), sys._getframe().f_lineno)


def nested_handlers():
    trail = []
    try:
        try:
            try:
                [].pop()
            except IndexError as exc:
                trail.append(("inner", str(exc)))
                raise TypeError("converted")
            finally:
                trail.append("inner-finally")
        except TypeError as exc:
            trail.append(("middle", type(exc.__context__).__name__))
            raise
        else:
            trail.append("not reached")
    except Exception as exc:
        trail.append(("outer", chain(exc), frames(exc)))
    else:
        trail.append("no error")
    return trail


def deep(n):
    if n == 0:
        raise KeyError("bottom")
    return deep(n - 1) + 1


def main():
    settings = [
        ("host", " example.org "),
        ("port", "8080"),
        ("port", "99999"),
        ("port", "eighty"),
        ("ratio", "0"),
        ("ratio", "4"),
        ("name", None),
    ]
    loaded, problems = load(settings)
    try:
        deep(4)
    except KeyError as exc:
        deep_frames = frames(exc)
    return {
        "loaded": loaded,
        "problems": problems,
        "wrapped": wrapper("b"),
        "silent": wrapper("silent"),
        "nested": nested_handlers(),
        "deep": deep_frames,
    }


def crash():
    load([("port", "1")])
    return parse_setting("ratio", "0")


if __name__ == "__main__":
    print(main())
