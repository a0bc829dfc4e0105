"""Most of the work of this module happens in its body, at import time (a settings loader)."""
import sys
import contextlib

DEFAULTS = {"debug": "false", "workers": "4", "name": "svc", "timeout": "2.5"}
ENVIRONMENT = [("WORKERS", "8"), ("DEBUG", "yes"), ("BOGUS", "1"), ("TIMEOUT", "abc")]
settings = {}
warnings_seen = []
LINES = [sys._getframe().f_lineno]

for key, value in DEFAULTS.items():
    settings[key] = value

for env_key, env_value in ENVIRONMENT:
    key = env_key.lower()
    if key not in settings:
        warnings_seen.append(f"unknown setting {env_key}")
        continue
    settings[key] = env_value
else:
    LINES.append(sys._getframe().f_lineno)

CONVERTERS = {}
for type_name, converter in (("int", int), ("float", float), ("bool", lambda v: v in ("1", "true", "yes"))):
    def make(conv=converter, tn=type_name):
        def convert(raw):
            try:
                return conv(raw)
            except ValueError:
                warnings_seen.append(f"bad {tn}: {raw!r}")
                return None
        return convert
    CONVERTERS[type_name] = make()

SCHEMA = {"debug": "bool", "workers": "int", "timeout": "float", "name": None}
typed = {}
for key, kind in SCHEMA.items():
    raw = settings[key]
    typed[key] = CONVERTERS[kind](raw) if kind else raw

if typed["timeout"] is None:
    typed["timeout"] = float(DEFAULTS["timeout"])
elif typed["timeout"] > 60:
    typed["timeout"] = 60.0
else:
    pass

attempt = 0
while True:
    attempt += 1
    if attempt * typed["workers"] >= 20: break

try:
    PORT = int(settings["port"])
except KeyError as missing:
    PORT = 8000
    LINES.append((str(missing), missing.__traceback__.tb_lineno))
else:
    LINES.append("port set")
finally:
    LINES.append(sys._getframe().f_lineno)

with contextlib.suppress(ZeroDivisionError):
    ratio = typed["workers"] / 0
    LINES.append("unreachable")

counter = 0


def bump(n=1):
    global counter
    counter += n
    return counter


for _ in range(3): bump()
if typed["debug"]: bump(10)

del key, value, raw, kind, env_key, env_value, type_name, converter
leftovers = sorted(name for name in ("key", "raw", "kind", "attempt") if name in vars(sys.modules[__name__]))

if __name__ != "__main__":
    LINES.append("imported")
else:
    LINES.append("script")


def main():
    return {
        "settings": settings,
        "typed": typed,
        "warnings": warnings_seen,
        "attempt": attempt,
        "port": PORT,
        "counter": (counter, bump(0)),
        "lines": LINES,
        "leftovers": leftovers,
    }


if __name__ == "__main__":
    print(main())
