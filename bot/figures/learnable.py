"""Figure for /learnable: learned vs frozen over the seeds, and the learned shapes."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from bot.figures import theme
from bot.lab.learnable_compare import Comparison


def learnable_figure(c: Comparison) -> bytes:
    """Left: success rate ± 1 SE (XOR) or median final MSE (regression), learned vs frozen.
    Right: f(z; θ) learned by a few seeds (first hidden unit) over the initial shape; for
    kan also, in the middle, the input edge x₁ → unit 1 learned over its initial line."""
    fig = theme.new_figure()
    if c.input_edge is None:
        left, right = fig.subplots(1, 2, width_ratios=(1, 1.6))
    else:
        left, middle, right = fig.subplots(1, 3, width_ratios=(0.9, 1.1, 1.1))
        _input_edge(middle, c)
    v = c.values
    names = ("frozen", "learned")
    colours = (theme.MUTED, theme.ORANGE)
    if c.task == "xor":
        rates = [v[f"{n} rate"] for n in names]
        errs = [v[f"{n} se"] for n in names]
        left.bar(names, rates, 0.6, yerr=errs, color=colours, ecolor=theme.FG, capsize=4)
        left.set_ylim(0, 1.05)
        for i, n in enumerate(names):  # a 0 % that is no result: every run diverged
            if v[f"{n} diverged"] == c.seeds:
                left.text(i, 0.5, "all\ndiverged", ha="center", color=theme.FG, fontsize=9)
        left.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        theme.style(left, f"Solved XOR, {c.seeds} seeds, ± 1 SE")
    else:
        meds = [v[f"{n} median mse"] for n in names]
        shown = [m if isinstance(m, float) else 0.0 for m in meds]
        left.bar(names, shown, 0.6, color=colours)
        mean = v["best constant mse"] if c.verdict.outcome == "neither" else None
        top = max(shown + ([mean] if mean else [])) * 1.15 or 1.0
        if mean:  # the verdict weighs both medians against it: draw it
            left.axhline(mean, color=theme.FG, ls=":", lw=1.2,
                         label=f"predict the mean: {mean:.3g}")  # fmt: skip
            theme.legend(left, loc="upper left")
        left.set_ylim(0, top)
        if not max(shown):
            left.set_yticks([])
        for i, m in enumerate(meds):
            if not isinstance(m, float):  # no error to draw: say so instead of a zero bar
                left.text(i, top / 2, m, ha="center", color=theme.FG, fontsize=9)
            else:  # the value on its bar: a learned error 1000× smaller has no visible bar
                left.text(i, m + top * 0.01, f"{m:.3g}", ha="center", va="bottom",
                          color=theme.FG, fontsize=9)  # fmt: skip
        theme.style(left, f"Median final MSE\n(finite runs of {c.seeds} seeds)")
        left.ticklabel_format(axis="y", style="plain", useOffset=False)
    left.set_axisbelow(True)
    z, start, learned = c.shapes
    for i, row in enumerate(learned):
        right.plot(
            z, row, color=theme.ORANGE, lw=1.3, alpha=0.85, label="learned" if i == 0 else None
        )
    right.plot(z, start, color=theme.FG, lw=2.0, ls="--", label="initial (= frozen)")
    _limits(right, np.concatenate([start, learned.ravel()]))
    right.set_xlabel("z")
    which = (
        f"seed{'s' * (len(c.shown) > 1)} " + ", ".join(map(str, c.shown))
        if c.shown
        else "no seed stayed finite"
    )
    if c.input_edge is None:
        theme.style(right, f"{c.kind}: f(z; θ) of unit 1, {which}")
    else:
        theme.style(right, "edge unit 1 → output:\nz + g(z) (before × W2)")
        fig.suptitle(f"kan edge functions, {which}", color=theme.FG, fontsize=10)
    theme.legend(right, loc="upper left")
    return theme.png_bytes(fig)


def _limits(ax, values: np.ndarray) -> None:
    """y limits around the finite values, with room at the top for the legend."""
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    pad = 0.08 * (hi - lo or 1.0)
    ax.set_ylim(lo - pad, hi + 2.5 * pad)


def _input_edge(ax, c: Comparison) -> None:
    """kan's edge x₁ → unit 1, φ(x) = W1·x + g(x): each seed learned (solid) over its
    initial line W1·x (dashed, same colour), with the knots marked on the x axis."""
    x, start, learned = c.input_edge
    for i, (s0, s1) in enumerate(zip(start, learned, strict=True)):
        colour = theme.SERIES[i % len(theme.SERIES)]
        ax.plot(x, s1, color=colour, lw=1.4)
        ax.plot(x, s0, color=colour, lw=1.0, ls="--")
    ax.plot([], [], color=theme.FG, lw=1.4, label="learned")  # the styles, not one seed
    ax.plot([], [], color=theme.FG, lw=1.0, ls="--", label="initial: W1·x, g = 0")
    if not len(learned):
        ax.text(0.5, 0.5, "no seed stayed finite", transform=ax.transAxes, ha="center")
        ax.texts[-1].set_color(theme.FG)
    knots = np.linspace(x[0], x[-1], 7)
    ax.set_xticks(knots[::2])  # every other knot labelled, so the labels never touch
    ax.set_xticks(knots, minor=True)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.2g}".replace("-", "\u2212"))  # as other axes
    _limits(ax, np.concatenate([start.ravel(), learned.ravel()]))
    ax.set_xlabel("x₁ (ticks at the knots)")
    theme.style(ax, "edge x₁ → unit 1:\nW1·x + g(x)")
    theme.legend(ax, loc="upper left")
