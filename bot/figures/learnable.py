"""Figure for /learnable: learned vs frozen over the seeds, and the learned shapes."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from bot.figures import theme
from bot.lab.learnable_compare import Comparison


def learnable_figure(c: Comparison) -> bytes:
    """Left: success rate ± 1 SE (XOR) or median final MSE (regression), learned vs frozen.
    Right: f(z; θ) learned by a few seeds (first hidden unit) over the initial shape."""
    fig = theme.new_figure()
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.6))
    v = c.values
    names = ("frozen", "learned")
    colours = (theme.MUTED, theme.ORANGE)
    if c.task == "xor":
        rates = [v[f"{n} rate"] for n in names]
        errs = [v[f"{n} se"] for n in names]
        left.bar(names, rates, 0.6, yerr=errs, color=colours, ecolor=theme.FG, capsize=4)
        left.set_ylim(0, 1.05)
        left.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        theme.style(left, f"Solved XOR, {c.seeds} seeds, ± 1 SE")
    else:
        meds = [v[f"{n} median mse"] for n in names]
        shown = [m if isinstance(m, float) else 0.0 for m in meds]
        left.bar(names, shown, 0.6, color=colours)
        top = max(shown) * 1.15 or 1.0
        left.set_ylim(0, top)
        if not max(shown):
            left.set_yticks([])
        for i, m in enumerate(meds):
            if not isinstance(m, float):  # no error to draw: say so instead of a zero bar
                left.text(i, top / 2, m, ha="center", color=theme.FG, fontsize=9)
        theme.style(left, f"Median final MSE\n(finite runs of {c.seeds} seeds)")
        left.ticklabel_format(axis="y", style="plain", useOffset=False)
    left.set_axisbelow(True)
    z, start, learned = c.shapes
    for i, row in enumerate(learned):
        right.plot(
            z, row, color=theme.ORANGE, lw=1.3, alpha=0.85, label="learned" if i == 0 else None
        )
    right.plot(z, start, color=theme.FG, lw=2.0, ls="--", label="initial (= frozen)")
    finite = np.concatenate([start, learned.ravel()])
    finite = finite[np.isfinite(finite)]
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.08 * (hi - lo or 1.0)
    right.set_ylim(lo - pad, hi + 2.5 * pad)
    right.set_xlabel("z")
    which = "seeds " + ", ".join(map(str, c.shown)) if c.shown else "no seed stayed finite"
    theme.style(right, f"{c.kind}: f(z; θ) of unit 1, {which}")
    theme.legend(right, loc="upper left")
    return theme.png_bytes(fig)
