"""Figure for /xor stats: success rate per setting at each checkpoint, and why runs failed."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from bot.figures import theme
from bot.lab.stats import CAUSES, Stats

CAUSE_COLOURS = {
    "dead": theme.RED,
    "plateau": theme.YELLOW,
    "diverged": theme.PINK,
    "bouncing": theme.ORANGE,
    "moving": theme.MUTED,
}
CAUSE_LABELS = {
    "dead": "dead unit",
    "plateau": "plateau",
    "diverged": "diverged",
    "bouncing": "loss bouncing",
    "moving": "still moving",
}


def _tick(s) -> str:
    return f"{s.activation}\nH={s.hidden}"


def stats_figure(stats: Stats) -> bytes:
    """Left: success rate ± 1 standard error per setting, one bar per checkpoint.
    Right: the failures at the end, split by cause, as a share of all seeds."""
    fig = theme.new_figure()
    left, right = fig.subplots(1, 2, width_ratios=(2.2, 1))
    settings = stats.settings
    n, k = len(settings), len(stats.checkpoints)
    pos = np.arange(n)
    width = 0.8 / k
    shades = np.linspace(0.35, 1.0, k)
    for j, t in enumerate(stats.checkpoints):
        rates = [s.rate[j] for s in settings]
        errs = [s.se[j] for s in settings]
        left.bar(
            pos + (j - (k - 1) / 2) * width,
            rates,
            width * 0.92,
            yerr=errs,
            color=theme.BLUE,
            alpha=float(shades[j]),
            ecolor=theme.FG,
            capsize=2,
            error_kw={"linewidth": 0.8},
            label=f"epoch {t}",
        )
    theme.style(left, f"Solved XOR (4/4) over {stats.seeds} seeds, ± 1 SE")
    left.set_ylim(0, 1.18)
    left.set_yticks(np.linspace(0, 1, 6))
    left.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    left.set_xticks(pos, [_tick(s) for s in settings])
    theme.legend(left, loc="upper center", ncols=k)  # the headroom above 100 %
    left.tick_params(axis="x", labelsize=8 if n <= 6 else 6)
    rows = pos[::-1]  # the first setting on top, as in the table
    start = np.zeros(n)
    for i, cause in enumerate(CAUSES):
        share = np.array([s.causes[i] for s in settings]) / stats.seeds
        right.barh(
            rows, share, 0.7, left=start, color=CAUSE_COLOURS[cause], label=CAUSE_LABELS[cause]
        )
        start += share
    theme.style(right, "Failed at the end, by cause")
    right.set_xlim(0, 1)
    right.set_ylim(-0.6, n + 1.2)  # headroom above the bars for the legend
    right.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    right.set_xlabel("share of all seeds")
    right.set_yticks(rows, [f"{s.activation} H={s.hidden}" for s in settings])
    right.tick_params(axis="y", labelsize=8 if n <= 6 else 6)
    theme.legend(right, loc="upper center", ncols=2)
    return theme.png_bytes(fig)
