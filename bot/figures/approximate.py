"""Figure for /approximate: the target, the fit, the gates that sum to it, and the error ladder."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection

from bot.figures import theme
from bot.lab.approximate import LADDER, SLOPE_FROM, Approximation, Kind

MAX_GATES_DRAWN = 64  # beyond this many, every k-th gate (the title says which)


def approximate_figure(r: Approximation, title: str) -> bytes:
    """Left: target, network and gates; the interval shaded. Right: max error against N, log-log."""
    fig = theme.new_figure()
    grid = fig.add_gridspec(1, 2, width_ratios=(1.75, 1))
    ax, ex = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    theme.style(ax, title)
    a = r.a
    for side in ((r.x[0], -a), (a, r.x[-1])):  # outside the interval: darker, no promise there
        ax.axvspan(*side, color="black", alpha=0.3, linewidth=0)
    finite = r.y[np.isfinite(r.y)]
    inside = np.abs(r.x) <= a
    span = np.concatenate([finite, r.fit[inside]]) if finite.size else r.fit[inside]
    lo, hi = float(np.min(span)), float(np.max(span))
    pad = 0.25 * (hi - lo) if hi > lo else 1.0
    step = max(1, -(-r.units // MAX_GATES_DRAWN))  # ceil: at most MAX_GATES_DRAWN lines
    segments = [np.column_stack([r.x, g]) for g in r.gates[::step]]
    colors = [theme.SERIES[i % 3 + 2] for i in range(len(segments))]
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=0.7, alpha=0.55))
    ax.plot(r.x, r.y, color=theme.BLUE, linewidth=2.6, label="target")
    if r.construction is not None:  # method:training: the construction it is measured against
        ax.plot(r.x, r.construction, color=theme.FG, linewidth=1, linestyle="--",
                label="construction, same N")  # fmt: skip
    trained = "trained " if r.method == "training" else ""
    ax.plot(r.x, r.fit, color=theme.ORANGE, linewidth=1.5, label=f"{trained}network, N = {r.units}")
    ax.plot([], [], color=theme.SERIES[2], linewidth=0.7, label="units' contributions")
    ax.set_xlim(r.x[0], r.x[-1])
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("x   (dark: outside the interval, where nothing is promised)")
    ax.ticklabel_format(useOffset=False, axis="both", style="plain")
    theme.legend(ax, loc="upper center", ncols=3, bbox_to_anchor=(0.5, -0.16))
    _error_panel(ex, r)
    return theme.png_bytes(fig)


def _error_panel(ex, r: Approximation) -> None:
    theme.style(ex, "max error against N")
    n = np.array(LADDER, dtype=float)
    err = np.array(r.numbers["ladder_max"])
    rms = np.array(r.numbers["ladder_rms"])
    floor = 1e-16
    ex.loglog(n, np.maximum(err, floor), "o-", color=theme.ORANGE, markersize=3.5, label="max")
    ex.loglog(
        n, np.maximum(rms, floor), "s:", color=theme.GREEN, markersize=3, label="root mean sq."
    )
    ex.axhline(
        r.numbers["best_line_error"],
        color=theme.RED,
        linestyle="--",
        linewidth=1,
        label="best line",
    )
    ex.loglog(
        [r.units], [max(r.numbers["max_error"], floor)], "*", color=theme.YELLOW, markersize=9,
        label=f"N = {r.units}",
    )  # fmt: skip
    trained = r.numbers.get("trained_max_error")
    if isinstance(trained, float):  # method:training, at N = units
        ex.loglog([r.units], [max(trained, floor)], "D", color=theme.PINK, markersize=6,
                  label="trained")  # fmt: skip
    if r.finding.half_jump:
        ex.axhline(r.finding.half_jump, color=theme.YELLOW, linestyle=":", label="half the jump")
    slope = r.finding.slope
    if slope is not None and r.finding.kind not in (Kind.LINE, Kind.JUMP, Kind.EXACT):
        tail = (n >= SLOPE_FROM) & (err > 0)
        ln, le = np.log(n[tail]), np.log(err[tail])
        fitted = np.exp(le.mean() + slope * (ln - ln.mean()))  # the fitted line, log-log
        ex.loglog(n[tail], fitted, color=theme.MUTED, linewidth=1, label=f"slope {slope:.2f}")
    ex.set_xlabel("hidden units N")
    theme.legend(ex, loc="upper center", ncols=2, bbox_to_anchor=(0.5, -0.16))
