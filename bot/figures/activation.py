"""An activation's f and f' over [−6, 6], with its range bounds as dashed asymptotes."""

from __future__ import annotations

import numpy as np

from bot.figures import theme
from bot.lab.inspect import ActivationReport


def activation_figure(r: ActivationReport) -> bytes:
    fig = theme.new_figure()
    ax = fig.subplots(1, 1)
    theme.style(ax, r.formula)
    f = np.where(np.isfinite(r.f), r.f, np.nan)
    df = np.where(np.isfinite(r.df), r.df, np.nan)
    ax.plot(r.x, f, color=theme.BLUE, linewidth=2.4, label="f(x)")
    ax.plot(r.x, df, color=theme.ORANGE, linewidth=1.6, label=f"f'(x) ({r.derivative})")
    if r.entry is not None:
        rng = r.entry.range
        for v, closed in ((rng.lo, rng.lo_closed), (rng.hi, rng.hi_closed)):
            if np.isfinite(v) and rng.values is None:
                style = "-" if closed else "--"
                word = "attained" if closed else "never reached"
                ax.axhline(
                    v, color=theme.GREEN, linestyle=style, linewidth=1.2, label=f"{v:.4g} ({word})"
                )
    lo, hi = np.nanmin([np.nanmin(f), np.nanmin(df)]), np.nanmax([np.nanmax(f), np.nanmax(df)])
    if np.isfinite(lo) and np.isfinite(hi):
        pad = 0.08 * max(hi - lo, 1e-9)
        ax.set_ylim(max(lo - pad, -20), min(hi + pad, 20))
    ax.axhline(0, color=theme.GRID, linewidth=1)
    ax.axvline(0, color=theme.GRID, linewidth=1)
    ax.set_xlabel("x")
    theme.legend(ax, loc="upper left")
    return theme.png_bytes(fig)
