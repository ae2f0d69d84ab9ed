"""Universal approximation, made concrete: one hidden ReLU layer fitting sin on [−π, π].

With N evenly spaced kinks, the piecewise-linear interpolant of f is exactly a ReLU
network: f(x0) + s0·(x − x0) + Σ_i (s_i − s_{i−1})·relu(x − k_i). Its max error is
about h²/8·max|f''| for spacing h, so it falls like N⁻². Linear hidden units give only
lines (the error stays at the best line's); a step cannot be matched in the max norm
by any continuous function (the error stays ≥ ½ near the jump).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID = np.linspace(-np.pi, np.pi, 20001)  # dense evaluation grid


@dataclass(frozen=True)
class Approximation:
    kinks: tuple[int, ...]  # N values tried
    max_errors: tuple[float, ...]  # max |net − sin| on the grid, for each N
    slope: float  # slope of log(error) against log(N) over the larger N: about −2
    best_line_error: float  # max error of the best line (linear hidden units)
    step_error: float  # max error of the same construction on a unit step (does not shrink)
    x: np.ndarray  # (n,) for plotting
    fit: np.ndarray  # (n,) the N = 8 network
    target: np.ndarray  # (n,)


def relu_interpolant(f, n: int, x: np.ndarray, lo: float = -np.pi, hi: float = np.pi) -> np.ndarray:
    """The ReLU network with n evenly spaced kinks that interpolates f on [lo, hi]."""
    knots = np.linspace(lo, hi, n + 2)  # (n + 2,) ends plus n interior kinks
    y = f(knots)
    slopes = np.diff(y) / np.diff(knots)  # (n + 1,)
    out = y[0] + slopes[0] * (x - knots[0])
    for k, ds in zip(knots[1:-1], np.diff(slopes), strict=True):
        out = out + ds * np.maximum(x - k, 0.0)  # one hidden ReLU unit per kink
    return out


def approximate_sine(ns: tuple[int, ...] = (2, 4, 8, 16, 32, 64, 128)) -> Approximation:
    errors = [float(np.max(np.abs(relu_interpolant(np.sin, n, GRID) - np.sin(GRID)))) for n in ns]
    tail = slice(len(ns) // 2, None)  # the asymptotic regime: the larger N
    slope = float(np.polyfit(np.log(ns[tail]), np.log(errors[tail]), 1)[0])
    A = np.column_stack([GRID, np.ones_like(GRID)])  # best line in least squares
    coef, *_ = np.linalg.lstsq(A, np.sin(GRID), rcond=None)
    line_err = float(np.max(np.abs(A @ coef - np.sin(GRID))))
    step = lambda x: (x > 0.1).astype(float)  # noqa: E731  (jump between grid knots)
    step_err = float(np.max(np.abs(relu_interpolant(step, 128, GRID) - step(GRID))))
    x = np.linspace(-np.pi, np.pi, 801)
    return Approximation(
        kinks=tuple(ns),
        max_errors=tuple(errors),
        slope=slope,
        best_line_error=line_err,
        step_error=step_err,
        x=x,
        fit=relu_interpolant(np.sin, 8, x),
        target=np.sin(x),
    )
