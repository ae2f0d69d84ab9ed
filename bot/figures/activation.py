"""An activation's f and f' over [−6, 6]: range ends as lines, gaps where f is undefined.

A curve is never drawn across a pole or a jump (tan, 1/x, floor): the lab marks those
intervals and we lift the pen there. Undefined stretches are shaded and say so.
"""

from __future__ import annotations

import textwrap

import numpy as np

from bot.figures import theme
from bot.lab.activation_numbers import end_text
from bot.lab.activation_report import ActivationReport


def _broken(x: np.ndarray, y: np.ndarray, breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y with a nan inserted inside every broken interval, so the line stops there."""
    cut = np.flatnonzero(breaks) + 1  # insert before x[i + 1]
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def _limits(*curves: np.ndarray) -> tuple[float, float] | None:
    """y-limits that show the curves but not the spikes next to a pole."""
    v = np.concatenate([c[np.isfinite(c)] for c in curves])
    if v.size == 0:
        return None
    q05, q95 = np.quantile(v, [0.05, 0.95])
    spread = q95 - q05
    lo, hi = max(v.min(), q05 - 1.5 * spread), min(v.max(), q95 + 1.5 * spread)
    pad = 0.08 * (hi - lo) if hi > lo else max(1.0, abs(hi)) * 0.5
    return float(lo - pad), float(hi + pad)


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


def _title(formula: str) -> str:
    wrapped = textwrap.wrap(formula, 90)
    return "\n".join(wrapped[:2]) + (" …" if len(wrapped) > 2 else "")


def activation_figure(r: ActivationReport) -> bytes:
    fig = theme.new_figure()
    ax = fig.subplots(1, 1)
    theme.style(ax, _title(r.formula))
    ax.axhline(0, color=theme.GRID, linewidth=1)
    ax.axvline(0, color=theme.GRID, linewidth=1)
    _undefined_spans(ax, r.x, r.f)
    if np.isfinite(r.f).any():
        ax.plot(*_broken(r.x, r.f, r.f_breaks), color=theme.BLUE, linewidth=2.4, label="f(x)")
        ax.plot(
            *_broken(r.x, r.df, r.df_breaks),
            color=theme.ORANGE,
            linewidth=1.6,
            label=f"f'(x) ({r.derivative})",
        )
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
    if r.entry is not None and not r.entry.range.values:
        rng = r.entry.range
        for v, closed, up in ((rng.lo, rng.lo_closed, False), (rng.hi, rng.hi_closed, True)):
            if np.isfinite(v):
                word = "attained" if closed else "never reached"
                ax.axhline(
                    v,
                    color=theme.GREEN,
                    linestyle="-" if closed else "--",
                    linewidth=1.2,
                    label=f"{end_text(v, up)} ({word})",
                )
    limits = _limits(r.f, r.df)
    ax.set_ylim(*(limits or (-1.0, 1.0)))
    ax.set_xlim(r.x[0], r.x[-1])
    ax.ticklabel_format(axis="both", style="plain", useOffset=False)
    ax.set_xlabel("x")
    if ax.get_legend_handles_labels()[0]:
        theme.legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return theme.png_bytes(fig)
