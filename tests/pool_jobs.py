"""Functions for the pool tests: importable by spawned workers (they live in a module)."""

from __future__ import annotations

import os
import time


def square(x: int) -> int:
    return x * x


def hang(seconds: float) -> str:
    time.sleep(seconds)
    return "woke up"


def crash(code: int) -> None:
    os._exit(code)


def pid() -> int:
    return os.getpid()
