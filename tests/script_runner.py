"""The child side of tests/scripts.py: run Show-code scripts one after another in one
clean `python -I` process, each in a fresh `__main__` namespace, so the suite pays
Python's and NumPy's start-up once instead of once per script.

Protocol: one JSON line in ({"code", "path"}), one JSON line out ({"rc", "stdout",
"stderr"}). NumPy's error state and warning filters are reset between scripts so one
script cannot change how the next one runs.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
import warnings


def run(code: str, path: str) -> dict:
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
    before = set(sys.modules)
    cwd = os.getcwd()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            os.chdir(os.path.dirname(path))
            exec(compile(code, path, "exec"), namespace)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            traceback.print_exc()
            rc = 1
        finally:
            os.chdir(cwd)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.seterr(all="warn", under="ignore")  # NumPy's defaults
    leaked = sorted(m for m in set(sys.modules) - before if m == "bot" or m.startswith("bot."))
    if leaked:
        err.write(f"the script imported the bot: {leaked}\n")
        rc = rc or 1
    return {"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.write(json.dumps(run(request["code"], request["path"])) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
