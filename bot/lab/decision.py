"""Which activations let one unit f(w·x + b) solve XOR: a question about decision sets.

Project the four corners onto u = w·x + b: with m = b + (w1 + w2)/2, d0 = (w1 + w2)/2
and d1 = (w1 − w2)/2 the label-0 corners land on m ± d0 and the label-1 corners on
m ± d1, and every (m, d0, d1) comes from some (w, b). The unit answers 1 where u lies
in S = {u : f(u) > t}. So XOR is solved iff S holds a pair symmetric about some m
whose complement holds another pair about the same m. A half-line S (or an empty or
full one) never does: if m ± d1 lie in (c, ∞) so does m, and then so does one of
m ± d0. Any other open S does: a bounded piece (a, b) gives m = (a + b)/2, d1 = 0,
d0 = (b − a)/2; two outer pieces (−∞, a) ∪ (b, ∞) give d0 = 0, d1 large.

At the fixed threshold t = ½ (`/xor neuron`) GELU, SiLU, Mish, softplus, ELU and every
monotone f give a half-line. With a learned threshold (a 2-1-1 network, output
σ(v·f(u) + c)) every level set {f > t} or {f < t} is available, and one is not a
half-line iff f is not monotone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from bot.lab import activation_fns as F

HALF = 0.5
INF = math.inf
Interval = tuple[float, float]  # an open interval (lo, hi), ends may be ±inf


class Shape(Enum):
    """What S = {u : f(u) > t} looks like; only the last two let one unit solve XOR."""

    EMPTY = "empty"
    ALL = "everything"
    HALF_LINE = "a half-line"
    BOUNDED = "bounded pieces"
    TWO_ENDS = "two outer half-lines"


@dataclass(frozen=True)
class DecisionSet:
    """S = {u : f(u) > threshold} as disjoint open intervals (one period for sin)."""

    intervals: tuple[Interval, ...]
    threshold: float = HALF
    period: float | None = None  # S repeats with this period (sin)
    how: str = "closed form"  # or "grid + bisection"

    @property
    def shape(self) -> Shape:
        return shape_of(self.intervals)

    @property
    def reachable(self) -> bool:
        """True iff some (w, b) classifies all four XOR corners right."""
        return self.shape in (Shape.BOUNDED, Shape.TWO_ENDS)


def shape_of(intervals: tuple[Interval, ...]) -> Shape:
    if not intervals:
        return Shape.EMPTY
    if intervals == ((-INF, INF),):
        return Shape.ALL
    bounded = [i for i in intervals if math.isfinite(i[0]) and math.isfinite(i[1])]
    if bounded:
        return Shape.BOUNDED
    return Shape.HALF_LINE if len(intervals) == 1 else Shape.TWO_ENDS


def _crossing(f: Callable, lo: float, hi: float, t: float = HALF) -> float:
    """The boundary of {f > t} between lo (outside) and hi (inside), by float bisection."""
    inside = bool(f(np.array(hi)) > t)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if bool(f(np.array(mid)) > t) == inside:
            hi = mid
        else:
            lo = mid
    return hi if inside else lo


def _above_root(f: Callable) -> tuple[Interval, ...]:
    """f < 0 for u < 0 and f increasing on u > 0 (GELU, SiLU, Mish): S = (c, ∞), c in (0, 4)."""
    return ((_crossing(f, 0.0, 4.0), INF),)


# S = {u : f(u) > ½} for each registry activation, from the reasoning in the comment.
CLOSED_FORM: dict[str, Callable[[], DecisionSet]] = {
    "identity": lambda: DecisionSet(((0.5, INF),)),  # u > ½
    "linear_squash": lambda: DecisionSet(((500.0, INF),)),  # u/1000 > ½
    "step": lambda: DecisionSet(((0.0, INF),)),  # f ∈ {0, 1}: f > ½ iff u > 0
    "sign": lambda: DecisionSet(((0.0, INF),)),  # f ∈ {−1, 0, 1}: f > ½ iff u > 0
    "sigmoid": lambda: DecisionSet(((0.0, INF),)),  # σ(u) > ½ iff u > 0
    "tanh": lambda: DecisionSet(((math.atanh(0.5), INF),)),  # increasing
    "hardtanh": lambda: DecisionSet(((0.5, INF),)),  # = u on [−1, 1]
    "relu": lambda: DecisionSet(((0.5, INF),)),  # 0 for u ≤ 0, u above
    "leaky_relu": lambda: DecisionSet(((0.5, INF),)),  # negative for u < 0, u above
    "elu": lambda: DecisionSet(((0.5, INF),)),  # negative for u < 0, u above
    "selu": lambda: DecisionSet(((0.5 / F.SELU_LAMBDA, INF),)),  # negative below 0, λu above
    "gelu": lambda: DecisionSet(_above_root(F.gelu), how="f < 0 below 0, increasing above"),
    "gelu_tanh": lambda: DecisionSet(
        _above_root(F.gelu_tanh), how="f < 0 below 0, increasing above"
    ),
    "silu": lambda: DecisionSet(_above_root(F.silu), how="f < 0 below 0, increasing above"),
    "mish": lambda: DecisionSet(_above_root(F.mish), how="f < 0 below 0, increasing above"),
    "softplus": lambda: DecisionSet(((math.log(math.expm1(0.5)), INF),)),  # log(1 + e^u) > ½
    "softsign": lambda: DecisionSet(((1.0, INF),)),  # u/(1 + |u|) > ½ iff u > 1
    "sin": lambda: DecisionSet(((math.pi / 6, 5 * math.pi / 6),), period=2 * math.pi),
    "gaussian": lambda: DecisionSet(
        ((-math.sqrt(math.log(2)), math.sqrt(math.log(2))),)
    ),  # e^(−u²) > ½ iff u² < ln 2
    "abs": lambda: DecisionSet(((-INF, -0.5), (0.5, INF))),  # |u| > ½
}


def decision_set(name: str, f: Callable, t: float = HALF) -> DecisionSet:
    """S for a registry activation in closed form at t = ½; any other f or t numerically."""
    if t == HALF and name in CLOSED_FORM:
        return CLOSED_FORM[name]()
    return numeric_decision_set(f, t)


def grid(n: int = 120_001) -> np.ndarray:
    """Step 0.001 on [−60, 60], then geometric steps out to ±10⁶ (x/1000 > ½ at 500)."""
    outer = np.geomspace(60.0, 1e6, 2_001)[1:]  # (2000,)
    return np.concatenate([-outer[::-1], np.linspace(-60.0, 60.0, n), outer])


def numeric_decision_set(f: Callable, t: float = HALF) -> DecisionSet:
    """S from a fine grid (see `grid`), each boundary refined by bisection.

    Pieces that touch the ends of the grid are taken to run on to ±∞ (the grid can
    see no further); NaN counts as "not above t".
    """
    u = grid()  # (n,)
    with np.errstate(all="ignore"):
        inside = np.asarray(f(u), dtype=float) > t  # (n,)
    flips = np.flatnonzero(inside[1:] != inside[:-1])  # boundary between u[k] and u[k + 1]
    starts, ends = ([-INF] if inside[0] else []), []
    for k in flips:
        if inside[k + 1]:  # S starts between u[k] and u[k + 1]
            starts.append(_crossing(f, float(u[k]), float(u[k + 1]), t))
        else:  # S ends there
            ends.append(_crossing(f, float(u[k + 1]), float(u[k]), t))
    ends += [INF] if inside[-1] else []
    return DecisionSet(tuple(zip(starts, ends, strict=True)), t, how="grid + bisection")


def is_monotone(f: Callable) -> bool:
    """Non-decreasing or non-increasing on the fine grid (NaN-free points only)."""
    with np.errstate(all="ignore"):
        y = np.asarray(f(grid()), dtype=float)
    d = np.diff(y[np.isfinite(y)])
    return bool(np.all(d >= 0) or np.all(d <= 0))
