"""Run a Show-code script as a user would: a clean `python -I` with only NumPy installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_script(code: str, folder: Path) -> list[tuple[str, str]]:
    """Run `code` as reproduce.py in `folder`; its "key: text" lines as pairs."""
    assert "import bot" not in code and "from bot" not in code, "a script must not import the bot"
    path = folder / "reproduce.py"
    path.write_text(code)
    out = subprocess.run(
        [sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=120, cwd=folder
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return [tuple(line.split(": ", 1)) for line in out.stdout.strip().splitlines()]  # type: ignore[misc]
