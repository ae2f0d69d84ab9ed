"""An activation's f and f' over [−6, 6]: range ends as lines, gaps where f is undefined.

A curve is never drawn across a pole or a jump (tan, 1/x, floor): the lab marks those
intervals and we lift the pen there. Undefined stretches are shaded and say so, apart
from the stretches where float64 overflows (x**1000 for |x| > 2.03); a lone undefined
point (1/x at 0) is too narrow to shade, so it gets a dotted line and its x in the legend.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.ticker import FuncFormatter

from bot.figures import theme
from bot.lab.activation_numbers import end_text
from bot.lab.activation_report import ActivationReport
from bot.script import show


def _broken(x: np.ndarray, y: np.ndarray, breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y with a nan inserted inside every broken interval, so the line stops there."""
    cut = np.flatnonzero(breaks) + 1  # insert before x[i + 1]
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def _robust(c: np.ndarray) -> tuple[float, float] | None:
    """The range of c without the spikes next to a pole (5–95% quantiles, widened)."""
    v = c[np.isfinite(c)]
    if v.size == 0:
        return None
    q05, q95 = np.quantile(v, [0.05, 0.95])
    spread = q95 - q05
    return float(max(v.min(), q05 - 1.5 * spread)), float(min(v.max(), q95 + 1.5 * spread))


SCALE = 0.125  # limits are worked out on f/8 (exact), so no spread or pad overflows
CAP = 1e306  # |y-limits| at most: matplotlib subtracts them, and must not overflow either
ISOLATED = 2  # a run of at most this many points without a value is a line, not a span


def _limits(f: np.ndarray, df: np.ndarray) -> tuple[float, float]:
    """y-limits for f, widened for f' unless that would flatten f (f' then leaves the plot)."""
    lo, hi = _scaled_limits(f * SCALE, df * SCALE)
    cap = CAP * SCALE
    return max(lo, -cap) / SCALE, min(hi, cap) / SCALE


def _scaled_limits(f: np.ndarray, df: np.ndarray) -> tuple[float, float]:
    rf, rd = _robust(f), _robust(df)
    lo, hi = rf or rd or (-1.0, 1.0)
    if rf and rd:
        wider = (min(lo, rd[0]), max(hi, rd[1]))
        if wider[1] - wider[0] <= 4 * max(hi - lo, 1e-12):
            lo, hi = wider
    pad = 0.08 * (hi - lo) if hi > lo else max(1.0, abs(hi)) * 0.5
    return lo - pad, hi + pad


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the runs of True in mask."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _at(points: list[float]) -> str:
    shown = ", ".join(_text(p) for p in points[:3])
    return f"x = {shown}" + (f" and {len(points) - 3} more" if len(points) > 3 else "")


def _gaps(ax, r: ActivationReport) -> None:
    """Shade where f has no value (undefined, or beyond float64); lone points get a line."""
    x = r.x
    step = x[1] - x[0]
    bad = ~np.isfinite(r.f)
    for mask, color, alpha, name in (
        (bad & ~r.f_overflow, theme.GRID, 0.55, "f undefined"),
        (r.f_overflow, theme.RED, 0.16, "float64 overflows"),
    ):
        spans = runs(mask)
        wide = [(i, j) for i, j in spans if j - i > ISOLATED]
        for k, (i, j) in enumerate(wide):
            ax.axvspan(
                x[i] - step / 2,
                x[j - 1] + step / 2,
                color=color,
                alpha=alpha,
                linewidth=0,
                label=name if k == 0 else None,
            )
        lone = [float(v) for i, j in spans if j - i <= ISOLATED for v in x[i:j]]
        for k, v in enumerate(lone):
            ax.axvline(
                v,
                color=theme.MUTED if color == theme.GRID else color,
                linestyle=":",
                linewidth=1.4,
                zorder=2,
                label=f"{name} at {_at(lone)}" if k == 0 else None,
            )


def _text(v: float) -> str:
    return show(v, ".5g").replace("-", "−")


def _tick(v: float, _pos: int) -> str:
    return f"{v + 0.0:.4g}".replace("-", "−")


def _title(formula: str) -> str:
    wrapped = textwrap.wrap(formula, 64)  # fits over the axes at 11 pt
    return "\n".join(wrapped[:2]) + (" …" if len(wrapped) > 2 else "")


def _range_lines(ax, r: ActivationReport) -> None:
    """The range's finite ends as lines under the curves: solid if attained, dashed if not."""
    a = r.entry
    assert a is not None
    if a.range.values:
        return
    for v, closed, at, up in (
        (a.range.lo, a.range.lo_closed, a.lo_at, False),
        (a.range.hi, a.range.hi_closed, a.hi_at, True),
    ):
        if not np.isfinite(v):
            continue
        label = f"{end_text(v, up)} ({'attained at ' + at if closed else 'never reached'})"
        if closed and not up and "argmin" in r.numbers:
            x_min = r.numbers["argmin"]
            label = f"minimum {_text(v)} at x = {_text(x_min)}"
            ax.plot([x_min], [v], "o", color=theme.GREEN, markersize=5, zorder=5)
        ax.axhline(
            v,
            color=theme.GREEN,
            linestyle="-" if closed else "--",
            linewidth=1.0,
            alpha=0.8,
            zorder=2,
            label=label,
        )


def activation_figure(r: ActivationReport) -> bytes:
    fig = theme.new_figure()
    ax = fig.subplots(1, 1)
    ax.set_autoscale_on(False)  # limits are set below; autoscaling 1e308s would overflow
    theme.style(ax, _title(r.formula))
    ax.axhline(0, color=theme.GRID, linewidth=1)
    ax.axvline(0, color=theme.GRID, linewidth=1)
    _gaps(ax, r)
    if np.isfinite(r.f).any():
        x, f = _broken(r.x, r.f, r.f_breaks)
        ax.plot(x, f, color=theme.BLUE, linewidth=2.4, label="f(x)", zorder=3)
        x, df = _broken(r.x, r.df, r.df_breaks)
        ax.plot(x, df, color=theme.ORANGE, linewidth=1.6, label=f"f'(x), {r.derivative}", zorder=4)
    else:
        ax.text(
            0.5,
            0.5,
            "f has no float64 value\nat any plotted x"
            if r.f_overflow.any()
            else "f is undefined (nan or ±inf)\nat every plotted x",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=theme.FG,
            fontsize=12,
        )
    if r.entry is not None:
        _range_lines(ax, r)
    ax.set_ylim(*_limits(r.f, r.df))
    ax.set_xlim(r.x[0], r.x[-1])
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))  # never offset notation, never clipped
    ax.set_xlabel("x")
    if ax.get_legend_handles_labels()[0]:
        theme.legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return theme.png_bytes(fig)
