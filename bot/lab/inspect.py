"""What an activation does: samples of f and f', floating-point saturation, linearity.

Saturation in floating point: tanh(x) < 1 for every real x, but the nearest float to
tanh(x) is exactly 1.0 once 1 − tanh(x) ≈ 2e^−2x drops below half a unit in the last
place. We *measure* the first such x by bisection over the float's bit patterns, since
it depends on the math library, not on the formula.

Linearity: f is affine iff f(x + y) = f(x) + f(y) − f(0) for all x, y (and then linear
iff f(0) = 0). We test that identity on a spread of pairs and keep the worst pair as a
concrete counterexample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab.activations import Activation, lookup
from bot.lab.expr import Expression, parse

PLOT_LO, PLOT_HI, PLOT_N = -6.0, 6.0, 601


@dataclass(frozen=True)
class Saturation:
    """The smallest positive x of `dtype` where f(x) rounds to exactly `bound`."""

    dtype: str
    x: float
    value_before: float  # f at the previous representable x: still below the bound


@dataclass(frozen=True)
class Linearity:
    kind: str  # "linear" | "affine" | "nonlinear"
    worst_gap: float  # max |f(x + y) − f(x) − f(y) + f(0)| over the test pairs
    witness: tuple[float, float] | None  # (x, y) attaining it, for nonlinear
    offset: float  # f(0)
    gap: float  # signed f(x + y) − f(x) − f(y) + f(0) at the witness, or at (1, 1) if none


def identity_gap(f: Callable[[np.ndarray], np.ndarray], x: float, y: float) -> float:
    """f(x + y) − f(x) − f(y) + f(0), one point per call, exactly as the snippet computes it."""
    at = lambda v: float(f(np.array([v]))[0])  # noqa: E731
    with np.errstate(all="ignore"):
        return at(x + y) - at(x) - at(y) + at(0.0)


@dataclass(frozen=True)
class ActivationReport:
    name: str  # registry name, or "custom"
    label: str
    formula: str
    x: np.ndarray  # (PLOT_N,)
    f: np.ndarray  # (PLOT_N,)
    df: np.ndarray  # (PLOT_N,)
    derivative: str  # "exact" | "numeric (central differences)"
    linearity: Linearity
    entry: Activation | None
    saturation: tuple[Saturation, ...]  # for ranges with an open end at ±1
    observed: tuple[float, float]  # min and max of f on the plot range (finite values)
    undefined: int  # how many plot points are nan/inf
    expression: Expression | None = None  # the parsed custom formula, if any


def float_saturation(
    f: Callable[[np.ndarray], np.ndarray], dtype: type, bound: float = 1.0, hi: float = 100.0
) -> Saturation | None:
    """Bisection over the bit patterns of positive floats in (0, hi] for f(x) == bound."""
    itype = np.int32 if np.dtype(dtype).itemsize == 4 else np.int64
    as_float = lambda i: np.array(i, dtype=itype).view(dtype)  # noqa: E731
    fx = lambda i: f(np.array([as_float(i)], dtype=dtype))[0]  # noqa: E731
    lo_i = int(np.array(0.5, dtype=dtype).view(itype))
    hi_i = int(np.array(hi, dtype=dtype).view(itype))
    if fx(hi_i) != bound or fx(lo_i) == bound:
        return None
    while hi_i - lo_i > 1:  # invariant: f(lo) != bound == f(hi); f is monotone here
        mid = (lo_i + hi_i) // 2
        if fx(mid) == bound:
            hi_i = mid
        else:
            lo_i = mid
    return Saturation(np.dtype(dtype).name, float(as_float(hi_i)), float(fx(lo_i)))


def linearity(f: Callable[[np.ndarray], np.ndarray]) -> Linearity:
    """Test f(x + y) = f(x) + f(y) − f(0) on pairs at several scales."""
    rng = np.random.default_rng(12345)
    scales = np.repeat([1e-3, 1.0, 30.0], 64)
    simple = np.array([[1.0, -1.0], [1.0, 1.0], [2.0, -3.0], [0.5, 0.5], [3.0, 4.0]])
    xs = np.concatenate([simple[:, 0], rng.normal(size=192) * scales])
    ys = np.concatenate([simple[:, 1], rng.normal(size=192) * scales])
    f0 = float(f(np.zeros(1))[0])
    with np.errstate(all="ignore"):
        lhs = f(xs + ys)
        rhs = f(xs) + f(ys) - f0
        scale = np.maximum(1.0, np.maximum.reduce([np.abs(lhs), np.abs(f(xs)), np.abs(f(ys))]))
        gap = np.abs(lhs - rhs) / scale
    ok = np.isfinite(gap)
    if not ok.any() or not np.isfinite(f0):
        return Linearity("nonlinear", float("inf"), None, f0, identity_gap(f, 1.0, 1.0))
    if not ok.all():  # undefined somewhere: an affine function is defined everywhere
        i = int(np.argmin(ok))
    else:
        worst = float(gap.max())
        if worst <= 1e-9:
            kind = "linear" if abs(f0) <= 1e-12 else "affine"
            return Linearity(kind, worst, None, f0, identity_gap(f, 1.0, 1.0))
        big = np.flatnonzero(gap > 1e-6)  # prefer a readable pair as the counterexample
        i = int(big[0]) if big.size and big[0] < len(simple) else int(np.argmax(gap))
    x, y = float(xs[i]), float(ys[i])
    worst = float(gap[ok].max()) if ok.all() else float("inf")
    return Linearity("nonlinear", worst, (x, y), f0, identity_gap(f, x, y))


def numeric_derivative(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Central differences with a step scaled to |x| (error O(h²))."""
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    with np.errstate(all="ignore"):
        return (f(x + h) - f(x - h)) / (2 * h)


def _report(name, label, formula, f, df, derivative, entry, expression=None) -> ActivationReport:
    x = np.linspace(PLOT_LO, PLOT_HI, PLOT_N)
    with np.errstate(all="ignore"):
        fx = np.asarray(f(x), dtype=float)
        dfx = np.asarray(df(x), dtype=float)
    finite = np.isfinite(fx)
    observed = (float(fx[finite].min()), float(fx[finite].max())) if finite.any() else (np.nan,) * 2
    sats: list[Saturation] = []
    if entry is not None and entry.range.hi == 1 and not entry.range.hi_closed:
        for dt in (np.float32, np.float64):
            s = float_saturation(entry.f, dt)
            if s is not None:
                sats.append(s)
    return ActivationReport(
        name=name,
        label=label,
        formula=formula,
        x=x,
        f=fx,
        df=dfx,
        derivative=derivative,
        linearity=linearity(f),
        entry=entry,
        saturation=tuple(sats),
        observed=observed,
        undefined=int((~finite).sum()),
        expression=expression,
    )


def describe(name: str) -> ActivationReport:
    """Report on a registry activation (or alias); UserError lists the names if unknown."""
    entry = lookup(name)
    if entry is None:
        from bot.lab.activations import REGISTRY

        raise UserError(
            f"unknown activation {name[:40]!r}. Choose one of: {', '.join(REGISTRY)}, "
            "or pass a formula in x as `custom`."
        )
    return _report(entry.name, entry.label, entry.formula, entry.f, entry.df, "exact", entry)


def describe_custom(text: str) -> ActivationReport:
    """Report on a user formula in x, parsed by the safe parser; f' is numeric."""
    expr = parse(text)
    return _report(
        "custom",
        "custom",
        f"f(x) = {expr.text}",
        expr,
        lambda x: numeric_derivative(expr, x),
        "numeric (central differences)",
        None,
        expr,
    )
