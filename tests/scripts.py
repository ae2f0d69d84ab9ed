"""Run a Show-code script as a user would: a clean `python -I` with only NumPy installed.

Scripts run in one long-lived `python -I` child (tests/script_runner.py), each in a fresh
`__main__` namespace with its folder as the working directory: the same isolation a new
process gives the script's own code, without paying interpreter and NumPy start-up for
every hypothesis example. `run_script_fresh` starts a new process, for the tests that
check a script stands entirely on its own.
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import threading
from pathlib import Path

RUNNER = Path(__file__).with_name("script_runner.py")
_lock = threading.Lock()
_child: subprocess.Popen | None = None


def _pairs(stdout: str) -> list[tuple[str, str]]:
    return [tuple(line.split(": ", 1)) for line in stdout.strip().splitlines()]  # type: ignore[misc]


def _runner() -> subprocess.Popen:
    global _child
    if _child is None or _child.poll() is not None:
        _child = subprocess.Popen(
            [sys.executable, "-I", str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        atexit.register(_child.kill)
    return _child


def _check(code: str) -> None:
    assert "import bot" not in code and "from bot" not in code, "a script must not import the bot"


def run_script(code: str, folder: Path) -> list[tuple[str, str]]:
    """Run `code` as reproduce.py in `folder`; its "key: text" lines as pairs."""
    _check(code)
    path = folder / "reproduce.py"
    path.write_text(code)
    with _lock:
        child = _runner()
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(json.dumps({"code": code, "path": str(path.resolve())}) + "\n")
        child.stdin.flush()
        answer = child.stdout.readline()
    assert answer, "the script runner died"
    result = json.loads(answer)
    assert result["rc"] == 0, result["stderr"][-2000:]
    return _pairs(result["stdout"])


def run_script_fresh(code: str, folder: Path) -> list[tuple[str, str]]:
    """Run `code` as reproduce.py in `folder` in a new `python -I` process."""
    _check(code)
    path = folder / "reproduce.py"
    path.write_text(code)
    out = subprocess.run(
        [sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=120, cwd=folder
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return _pairs(out.stdout)
