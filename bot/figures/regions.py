"""Figure for /regions: the square cut into linear regions, and depth against width at a budget."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection

from bot.figures import theme
from bot.lab.regions import SWEEP_BUDGET, SWEEP_DEPTHS, Regions, montufar_bound, plane_bound

PALETTE = np.array(
    [
        [0.34, 0.71, 0.91],
        [0.90, 0.62, 0.00],
        [0.18, 0.83, 0.63],
        [0.88, 0.50, 0.69],
        [0.94, 0.89, 0.26],
        [0.60, 0.55, 0.95],
        [0.95, 0.45, 0.40],
        [0.55, 0.80, 0.35],
    ]
)


def regions_figure(r: Regions, title: str) -> bytes:
    """Left: every activation region as a polygon. Right: region counts against depth."""
    fig = theme.new_figure()
    grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.05))
    ax, sx = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    theme.style(ax, title)
    rng = np.random.default_rng(0)  # colours only: neighbours rarely share one
    shade = PALETTE[rng.integers(len(PALETTE), size=len(r.counts))]
    shade = shade * rng.uniform(0.55, 1.0, size=(len(r.counts), 1))
    polys = [p[:k] for p, k in zip(r.polygons, r.counts, strict=True)]
    many = len(polys) > 3000
    ax.add_collection(
        PolyCollection(
            polys,
            facecolors=shade,
            edgecolors="face" if many else theme.BG,  # thousands of edges would hide the colours
            linewidths=0 if many else 0.5,
            antialiased=not many,
        )
    )
    if len(r.points):
        for label, color in ((0, theme.BLUE), (1, theme.ORANGE)):
            pts = r.points[r.labels == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=10, color=color, edgecolors="white", linewidths=0.5)
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.grid(False)
    _sweep_panel(sx, r)
    return theme.png_bytes(fig)


def _sweep_panel(sx, r: Regions) -> None:
    theme.style(sx, f"{SWEEP_BUDGET} neurons: deeper vs wider")
    d = np.array(SWEEP_DEPTHS)
    widths = SWEEP_BUDGET // d
    most = [montufar_bound(int(w), int(k)) for w, k in zip(widths, d, strict=True)]
    sx.semilogy(
        d,
        most,
        "^--",
        color=theme.RED,
        markersize=4,
        label="reached by some weights, whole plane (Montúfar)",
    )
    sx.semilogy(
        d, r.numbers["sweep"], "o-", color=theme.GREEN, markersize=4, label="at init (mean)"
    )
    sx.axhline(plane_bound(SWEEP_BUDGET), color=theme.MUTED, linestyle=":", linewidth=1)
    sx.text(
        d[-1], plane_bound(SWEEP_BUDGET) * 1.6, f"one layer's bound {plane_bound(SWEEP_BUDGET)}",
        color=theme.MUTED, fontsize=8, ha="right",
    )  # fmt: skip
    sx.set_xticks(d, [f"{k}×{w}" for k, w in zip(d, widths, strict=True)])
    sx.set_xlabel("depth × width")
    sx.set_ylabel("regions in the square")
    theme.legend(sx, loc="upper center", ncols=2, bbox_to_anchor=(0.5, -0.2))  # off the data
