"""splice's main job on a bundled example (make demo).

Runs examples/shop/app.py under `splice` with a probe file of print
statements, and saves a new version of that file while the program runs:
probes change, appear and vanish without a restart. The shop's sources are
never edited.
"""

import inspect
import json.decoder
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def decode_body_line():
    """A line inside json.decoder.JSONDecoder.decode, for this Python."""
    lines, first = inspect.getsourcelines(json.decoder.JSONDecoder.decode)
    return first + next(i for i, text in enumerate(lines) if "raw_decode" in text)


FIRST = '''\
# Wilma's form: "file:line" = "statements"
[probes]
"app.py:19" = "print('  order', order['id'], 'costs', amount)"

# splice's own form
[[probe]]
at = "pricing.py:7"                 # total = round(...)
run = "print(f'  discount on {{subtotal=:.2f}}: {{discount}}')"
when = "discount > 0"

[[probe]]
at = "json.decoder:{decode}"        # the standard library, by module name
run = "print('json.decoder reads', len(s), 'characters')"
'''

SECOND = '''\
[probes]
"app.py:19" = "print('  order', order['id'], '->', amount, '(saved while running)')"

[[probe]]
at = "pricing.py:7"
run = "with splice.locals() as ls: ls['discount'] = 0.5"   # changes a local of the program
when = "order['id'] == 3"

[[probe]]                                                  # raises for orders 2-4: reported once, counted at exit
at = "pricing.py:8"
run = "ratio = total / subtotal; print(f'  pays {ratio:.0%}') if order['id'] == 1 else 1 / 0"
'''


def main():
    workdir = tempfile.mkdtemp(prefix="splice-demo-")
    try:
        for name in ("app.py", "pricing.py"):
            shutil.copy(os.path.join(HERE, "shop", name), workdir)
        probe_file = os.path.join(workdir, "splice.toml")
        with open(probe_file, "w") as f:
            f.write(FIRST.format(decode=decode_body_line()))
        print("$ splice python app.py       # probe file:\n")
        print(open(probe_file).read())
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        program = subprocess.Popen([sys.executable, "-m", "splice", sys.executable, "app.py"], cwd=workdir, env=env)

        def save_second_version():
            time.sleep(0.5)
            with open(probe_file, "w") as f:
                f.write(SECOND)
            print("\n--- probe file saved while the program runs:\n" + SECOND, flush=True)

        threading.Thread(target=save_second_version).start()
        code = program.wait()
        print("\nexit code", code, "- the shop's sources were never edited")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
