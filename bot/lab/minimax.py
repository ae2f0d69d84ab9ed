"""The best line in the max norm (Chebyshev), found by Remez exchange.

Among all lines p(x) = a + b·x, the one minimising max |f(x) − p(x)| over a set of
points is characterised by equioscillation (Chebyshev's theorem): its error reaches
±E with alternating signs at 3 points at least (degree + 2). Remez exchange finds it:
solve f(r_i) − p(r_i) = (−1)^i·h on a 3-point reference r, move one reference point to
where |error| is largest (keeping the signs alternating), repeat until max |error| = |h|.
|h| never decreases and never exceeds E (de la Vallée Poussin), so when they meet, p is
optimal. This is not the least-squares line: that one minimises the mean squared error,
and its max error is usually larger (for sin on [−π, π]: 3/π ≈ 0.955 against ≈ 0.683).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MinimaxLine:
    intercept: float  # a
    slope: float  # b
    max_error: float  # E = max |f(x) − (a + b·x)| over the points
    reference: tuple[float, ...]  # 3 points where the error is ±E with alternating signs
    steps: int  # exchanges until max |error| and |h| agreed


def best_line_max_norm(x: np.ndarray, y: np.ndarray, tol: float = 1e-12) -> MinimaxLine:
    """The line minimising max |y − (a + b·x)| over the points (x, y); x sorted ascending."""
    n = len(x)
    if n < 3:
        raise ValueError("a line through 2 points or fewer fits exactly: nothing to minimise")
    ref = np.array([0, n // 2, n - 1])  # (3,) indices into x
    for step in range(1, 100):
        # y_r − a − b·x_r = (−1)^i·h at the 3 reference points
        A = np.column_stack([np.ones(3), x[ref], [1.0, -1.0, 1.0]])  # (3, 3)
        a, b, h = np.linalg.solve(A, y[ref])
        err = y - (a + b * x)  # (n,)
        j = int(np.argmax(np.abs(err)))
        if np.abs(err[j]) - abs(h) <= tol * max(1.0, np.abs(err[j])):
            return MinimaxLine(
                intercept=float(a),
                slope=float(b),
                max_error=float(np.abs(err[j])),
                reference=tuple(float(v) for v in x[ref]),
                steps=step,
            )
        ref = _exchange(ref, j, err)
    raise ArithmeticError("Remez exchange did not converge in 99 steps")  # never seen


def _exchange(ref: np.ndarray, j: int, err: np.ndarray) -> np.ndarray:
    """Put point j into the reference, dropping one point so the signs still alternate."""
    s = np.sign(err[j])
    if j < ref[0]:
        return (
            np.array([j, ref[0], ref[1]]) if np.sign(err[ref[0]]) != s else np.array([j, *ref[1:]])
        )
    if j > ref[-1]:
        return (
            np.array([ref[1], ref[2], j]) if np.sign(err[ref[-1]]) != s else np.array([*ref[:2], j])
        )
    k = int(np.searchsorted(ref, j)) - 1  # ref[k] < j < ref[k + 1]
    out = ref.copy()
    out[k if np.sign(err[ref[k]]) == s else k + 1] = j
    return out
