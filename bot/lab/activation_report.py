"""What an activation does: its card's numbers, the verdicts they imply, the curves to draw.

The numbers come from one kernel, `activation_numbers` (bot/lab/activation_numbers.py),
which a Show-code script carries by source. This module turns them into verdicts as
data (is f linear, affine, nonlinear, or undefined everywhere; is it zero-centred) and
samples f and f' for the figure, with the places where a curve must not be drawn
through: where f is undefined, has a pole, or jumps (tan, 1/x, floor).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.errors import UserError
from bot.lab.activation_numbers import (
    PLOT_HI,
    PLOT_LO,
    PLOT_N,
    ZERO_MEAN_SHARE,
    activation_numbers,
    as_array,
    central_df,
    lost_mask,
)
from bot.lab.activations import REGISTRY, Activation, lookup
from bot.lab.expr import Expression, parse

Fn = Callable[[np.ndarray], np.ndarray]


class Linearity(enum.Enum):
    """What f does to a network, from Jensen's midpoint test (see activation_numbers)."""

    LINEAR = "linear"  # f(x) = c·x: layers around it collapse to one matrix
    AFFINE = "affine"  # f(x) = c·x + d: they collapse to one affine map
    NONLINEAR = "nonlinear"  # a pair with f finite at a, b, (a+b)/2 breaks the midpoint rule
    UNDEFINED = "undefined"  # no such pair: f is nowhere (or almost nowhere) defined
    OVERFLOW = "overflow"  # no such pair, and float64 overflowed at some points tried


@dataclass(frozen=True)
class Saturation:
    """Where f(x) becomes exactly 1.0 in a float type, NumPy's and correctly rounded."""

    dtype: str
    x: float  # NumPy's: the first x where NumPy's f(x) == 1.0
    rounded: float  # the first x where the float nearest to the true f(x) is 1.0
    value_before: float  # NumPy's f at the float just below x: still below 1


@dataclass(frozen=True)
class ActivationReport:
    name: str  # registry name, or "custom"
    label: str
    formula: str
    numbers: dict[str, Any]  # the kernel's raw values: what the card and its script print
    kernel_args: dict[str, Any]  # how the card called the kernel (f, df, ends, …)
    linearity: Linearity
    zero_centred: bool | None  # None: E f(Z) or its RMS is not a number (see numbers)
    x: np.ndarray  # (PLOT_N,)
    f: np.ndarray  # (PLOT_N,) nan where undefined or beyond float64
    f_overflow: np.ndarray  # (PLOT_N,) True where f is nan only because float64 overflowed
    df: np.ndarray  # (PLOT_N,)
    f_breaks: np.ndarray  # (PLOT_N − 1,) True: f jumps or has a pole between x[i] and x[i+1]
    df_breaks: np.ndarray  # (PLOT_N − 1,) the same for f' (f's breaks included)
    derivative: str  # "exact" | "numeric: central differences"
    entry: Activation | None
    expression: Expression | None = None

    @property
    def saturation(self) -> tuple[Saturation, ...]:
        """The float saturation points of a registry entry with a closed-form tail."""
        if self.entry is None or not self.entry.tail:
            return ()
        out = []
        for dt in ("float32", "float64"):
            x = np.array([self.numbers[f"{dt}_numpy"]], dtype=dt)
            before = self.entry.f(np.nextafter(x, np.zeros(1, dtype=dt)))[0]
            out.append(
                Saturation(dt, float(x[0]), float(self.numbers[f"{dt}_rounded"]), float(before))
            )
        return tuple(out)

    @property
    def undefined(self) -> int:
        """Plot points where f is undefined (nan or ±inf, and not from a float64 overflow)."""
        return int(np.sum(~np.isfinite(self.f) & ~self.f_overflow))


def jumps(fn: Fn, x: np.ndarray, levels: int) -> np.ndarray:
    """(N − 1,) True where fn jumps, has a pole or a hole between neighbouring x.

    Each interval is halved `levels` times, keeping the half where fn changes most. A
    continuous fn's change shrinks with the width; a jump's or a pole's does not.
    """
    a, b = x[:-1].copy(), x[1:].copy()  # (N−1,) each
    fa, fb = as_array(fn, a), as_array(fn, b)
    with np.errstate(all="ignore"):
        ref = np.abs(fb - fa)
        for k in range(levels):
            m = 0.5 * (a + b)
            fm = as_array(fn, m)
            left, right = np.abs(fm - fa), np.abs(fb - fm)
            if k == 0:
                ref = np.fmax(ref, np.fmax(left, right))
            go_left = ~(right > left)
            a, fa = np.where(go_left, a, m), np.where(go_left, fa, fm)
            b, fb = np.where(go_left, m, b), np.where(go_left, fm, fb)
        final = np.abs(fb - fa)
        values = as_array(fn, x)
    finite = values[np.isfinite(values)]
    scale = max(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
    ends_ok = np.isfinite(values[:-1]) & np.isfinite(values[1:])
    hole = ends_ok & ~np.isfinite(final)
    return hole | (ends_ok & (final >= 0.5 * ref) & (final > 1e-9 * scale))


def _report(
    *,
    name: str,
    label: str,
    formula: str,
    f: Fn,
    df: Fn,
    derivative: str,
    kernel_args: dict[str, Any],
    entry: Activation | None = None,
    expression: Expression | None = None,
) -> ActivationReport:
    numbers = activation_numbers(f, **{k: v for k, v in kernel_args.items() if k != "f"})
    x = np.linspace(PLOT_LO, PLOT_HI, PLOT_N)
    fx, dfx = as_array(f, x), as_array(df, x)
    overflows = kernel_args.get("overflows")
    f_breaks = jumps(f, x, 40)
    mean, rms = numbers["mean_output"], numbers["rms_output"]
    numeric = not isinstance(mean, str) and not isinstance(rms, str)
    centred = abs(mean) <= ZERO_MEAN_SHARE * rms if numeric else None
    return ActivationReport(
        name=name,
        label=label,
        formula=formula,
        numbers=numbers,
        kernel_args=kernel_args,
        linearity=Linearity(numbers["linearity"]),
        zero_centred=centred,
        x=x,
        f=np.where(np.isfinite(fx), fx, np.nan),
        f_overflow=lost_mask(overflows, x, fx),
        df=np.where(np.isfinite(dfx), dfx, np.nan),
        f_breaks=f_breaks,
        df_breaks=f_breaks | jumps(df, x, 40 if entry else 6),
        derivative=derivative,
        entry=entry,
        expression=expression,
    )


def registry_kernel_args(a: Activation) -> dict[str, Any]:
    """The kernel's arguments for a registry entry: its functions and its range by theory."""
    r = a.range
    return {
        "f": a.f,
        "df": a.df,
        "ends": (float(r.lo), float(r.hi), r.lo_closed, r.hi_closed),
        "values": tuple(float(v) for v in r.values),
        "bracket": a.min_bracket,
        "tail": a.tail,
    }


def describe(name: str) -> ActivationReport:
    """Report on a registry activation (or alias); UserError lists the names if unknown."""
    entry = lookup(name)
    if entry is None:
        raise UserError(
            f"unknown activation {name[:40]!r}. Choose one of: {', '.join(REGISTRY)}, "
            "or pass a formula in x as `custom`."
        )
    return _report(
        name=entry.name,
        label=entry.label,
        formula=entry.formula,
        f=entry.f,
        df=entry.df,
        derivative="exact",
        kernel_args=registry_kernel_args(entry),
        entry=entry,
    )


def _numeric_df(expr: Expression) -> Fn:
    return lambda x: central_df(expr, x)


def describe_custom(text: str) -> ActivationReport:
    """Report on a user formula in x, parsed by the safe parser; f' is numeric."""
    expr = parse(text)
    return _report(
        name="custom",
        label="custom",
        formula=f"f(x) = {expr.text}",
        f=expr,
        df=_numeric_df(expr),
        derivative="numeric: central differences",
        kernel_args={"f": expr, "overflows": expr.overflows},
        expression=expr,
    )
