"""An activation's f and f' over [−6, 6]: range ends as lines, gaps where f is undefined.

A curve is never drawn across a pole or a jump (tan, 1/x, floor): the lab marks those
intervals and we lift the pen there. Undefined stretches are shaded and say so.
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


def _limits(f: np.ndarray, df: np.ndarray) -> tuple[float, float]:
    """y-limits for f, widened for f' unless that would flatten f (f' then leaves the plot)."""
    rf, rd = _robust(f), _robust(df)
    lo, hi = rf or rd or (-1.0, 1.0)
    if rf and rd:
        wider = (min(lo, rd[0]), max(hi, rd[1]))
        if wider[1] - wider[0] <= 4 * max(hi - lo, 1e-12):
            lo, hi = wider
    pad = 0.08 * (hi - lo) if hi > lo else max(1.0, abs(hi)) * 0.5
    return lo - pad, hi + pad


def _undefined_spans(ax, x: np.ndarray, f: np.ndarray) -> None:
    bad = ~np.isfinite(f)
    step = x[1] - x[0]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], bad.astype(int), [0]])))
    for k, (i, j) in enumerate(zip(edges[::2], edges[1::2], strict=True)):
        ax.axvspan(
            x[i] - step / 2,
            x[j - 1] + step / 2,
            color=theme.GRID,
            alpha=0.55,
            linewidth=0,
            label="f undefined" if k == 0 else None,
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
    theme.style(ax, _title(r.formula))
    ax.axhline(0, color=theme.GRID, linewidth=1)
    ax.axvline(0, color=theme.GRID, linewidth=1)
    _undefined_spans(ax, r.x, r.f)
    if np.isfinite(r.f).any():
        x, f = _broken(r.x, r.f, r.f_breaks)
        ax.plot(x, f, color=theme.BLUE, linewidth=2.4, label="f(x)", zorder=3)
        x, df = _broken(r.x, r.df, r.df_breaks)
        ax.plot(x, df, color=theme.ORANGE, linewidth=1.6, label=f"f'(x), {r.derivative}", zorder=4)
    else:
        ax.text(
            0.5,
            0.5,
            "f is undefined (nan or ±inf)\nat every plotted x",
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
