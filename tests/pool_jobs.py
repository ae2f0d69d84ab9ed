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


def blas_threads() -> int:
    """How many threads NumPy's bundled OpenBLAS will use in this process."""
    import ctypes

    import numpy  # noqa: F401  (loads OpenBLAS)

    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    assert libs, "NumPy's OpenBLAS is not loaded"
    lib = ctypes.CDLL(libs[0])
    for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
        if hasattr(lib, name):
            return getattr(lib, name)()
    raise AssertionError(f"no get_num_threads in {libs[0]}")
