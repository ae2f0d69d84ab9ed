"""Universal approximation, made concrete: one hidden ReLU layer fitting sin on [−π, π].

With N evenly spaced interior kinks, the piecewise-linear interpolant of f is exactly a
ReLU network: f(x0) + s0·relu(x − x0) + Σ_i (s_i − s_{i−1})·relu(x − k_i), N + 1 hidden
units (one kinks at the left end x0 = −π). Its max error is at most h²/8·max|f''| for
spacing h, so it falls like N⁻². Linear hidden units give only lines: the best of them
in the max norm (the Chebyshev line, bot.lab.minimax) misses sin by ≈ 0.683 whatever the
width. A jump cannot be matched in the max norm: a continuous g takes one value g(0) at
the jump, within reach of both sides, so max |g − step| ≥ ½ (half the jump). A ramp
through ½ at the jump attains exactly ½, and its root-mean-square error falls with the
ramp's width h as √(h/12)/√(2π): the mean improves while the max cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.lab.minimax import best_line_max_norm

GRID = np.linspace(-np.pi, np.pi, 20001)  # dense evaluation grid; contains 0 (the jump)
STEP_KINKS = (2, 8, 32, 128)  # even, so the jump at 0 falls midway between two knots


@dataclass(frozen=True)
class Approximation:
    kinks: tuple[int, ...]  # N values tried (interior kinks; N + 1 ReLU units)
    max_errors: tuple[float, ...]  # max |net − sin| on the grid, for each N
    slope: float  # fitted exponent of error against N over the larger N: about −2
    chebyshev_line: tuple[float, float]  # (intercept, slope) of the best line in the max norm
    chebyshev_error: float  # its max error: the best any linear-unit network can do
    lsq_line_error: float  # the least-squares line's max error (larger: a different line)
    step_kinks: tuple[int, ...]  # N values for the unit step at 0
    step_max_errors: tuple[float, ...]  # max |net − step| for each: ½, the theoretical floor
    step_rms_errors: tuple[float, ...]  # √(mean (net − step)²) over [−π, π]: falls like √h
    x: np.ndarray  # (n,) for plotting
    fit: np.ndarray  # (n,) the N = 8 network on sin
    target: np.ndarray  # (n,)
    step_fit: np.ndarray  # (n,) the N = 8 network on the step
    step_target: np.ndarray  # (n,)


def relu_interpolant(f, n: int, x: np.ndarray, lo: float = -np.pi, hi: float = np.pi) -> np.ndarray:
    """The ReLU network with n evenly spaced kinks that interpolates f on [lo, hi]."""
    knots = np.linspace(lo, hi, n + 2)  # (n + 2,) ends plus n interior kinks
    y = f(knots)
    slopes = np.diff(y) / np.diff(knots)  # (n + 1,)
    out = y[0] + slopes[0] * np.maximum(x - knots[0], 0.0)  # the unit kinked at the left end
    for k, ds in zip(knots[1:-1], np.diff(slopes), strict=True):
        out = out + ds * np.maximum(x - k, 0.0)  # one hidden ReLU unit per kink
    return out


def unit_step(x: np.ndarray) -> np.ndarray:
    """0 for x ≤ 0, 1 for x > 0: a jump of 1 at 0."""
    return (x > 0).astype(float)


def rms(e: np.ndarray, x: np.ndarray) -> float:
    """√(mean of e²) over [x[0], x[-1]] by the trapezoid rule on the points x."""
    sq = e * e
    return float(np.sqrt(np.sum((sq[1:] + sq[:-1]) / 2 * np.diff(x)) / (x[-1] - x[0])))


def approximate_sine(ns: tuple[int, ...] = (2, 4, 8, 16, 32, 64, 128)) -> Approximation:
    errors = [float(np.max(np.abs(relu_interpolant(np.sin, n, GRID) - np.sin(GRID)))) for n in ns]
    tail = slice(len(ns) // 2, None)  # the asymptotic regime: the larger N
    slope = float(np.polyfit(np.log(ns[tail]), np.log(errors[tail]), 1)[0])
    cheb = best_line_max_norm(GRID, np.sin(GRID))
    A = np.column_stack([GRID, np.ones_like(GRID)])  # (n, 2) the least-squares line, for contrast
    coef, *_ = np.linalg.lstsq(A, np.sin(GRID), rcond=None)
    step_errs = [relu_interpolant(unit_step, n, GRID) - unit_step(GRID) for n in STEP_KINKS]
    x = np.linspace(-np.pi, np.pi, 801)  # contains 0
    return Approximation(
        kinks=tuple(ns),
        max_errors=tuple(errors),
        slope=slope,
        chebyshev_line=(cheb.intercept, cheb.slope),
        chebyshev_error=cheb.max_error,
        lsq_line_error=float(np.max(np.abs(A @ coef - np.sin(GRID)))),
        step_kinks=STEP_KINKS,
        step_max_errors=tuple(float(np.max(np.abs(e))) for e in step_errs),
        step_rms_errors=tuple(rms(e, GRID) for e in step_errs),
        x=x,
        fit=relu_interpolant(np.sin, 8, x),
        target=np.sin(x),
        step_fit=relu_interpolant(unit_step, 8, x),
        step_target=unit_step(x),
    )
