"""Collapse pictures: the layer matrices and their product as heat maps, and
sequential versus single-map outputs (a diagonal line means they agree)."""

from __future__ import annotations

import numpy as np

from bot.figures import theme
from bot.lab.collapse import Collapse

MAX_SHOWN = 4


def _matrix(ax, M: np.ndarray, title: str, annotate: bool) -> None:
    theme.style(ax, title)
    ax.grid(False)
    lim = float(np.max(np.abs(M))) or 1.0
    ax.imshow(M, cmap=theme.CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if annotate:
        for (i, j), v in np.ndenumerate(M):
            ax.text(j, i, f"{v:.2g}", ha="center", va="center", fontsize=6.5, color="#111111")


def collapse_figure(c: Collapse) -> bytes:
    fig = theme.new_figure((9.0, 4.8))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.25])
    top.set_facecolor(theme.BG)
    bottom.set_facecolor(theme.BG)
    shown = list(range(min(c.layers, MAX_SHOWN)))
    if c.layers > MAX_SHOWN:
        shown[-1] = c.layers - 1
    axes = top.subplots(1, len(shown) + 1)
    annotate = c.width <= 5
    for k, (ax, i) in enumerate(zip(axes[:-1], shown, strict=True)):
        gap = " … " if c.layers > MAX_SHOWN and k == len(shown) - 1 else ""
        _matrix(ax, c.matrices[i], f"{gap}M{i + 1}", annotate)
    prod_title = "product M" if c.exact else f"M{c.layers}⋯M1, ignoring {c.between}"
    _matrix(axes[-1], c.product, prod_title, annotate)
    top.suptitle(
        "layers as [[W, b], [0, 1]] (first row of panels), multiplied right to left",
        color=theme.MUTED,
        fontsize=9,
    )
    ax = bottom.subplots(1, 1)
    seq, one = c.samples[:, 0], c.samples[:, 1]
    if c.exact:
        theme.style(
            ax,
            f"{c.layers} layers one by one vs the single matrix: max |diff| {c.max_abs_diff:.1e}",
        )
        ax.set_ylabel("single matrix")
    else:
        theme.style(
            ax, f"{c.between} between layers: best single affine map misses by {c.residual:.0%}"
        )
        ax.set_ylabel("best affine fit")
    lo, hi = float(np.min(c.samples)), float(np.max(c.samples))
    ax.plot([lo, hi], [lo, hi], color=theme.MUTED, linewidth=1, linestyle="--")
    ax.scatter(seq, one, s=10, color=theme.ORANGE if not c.exact else theme.GREEN)
    ax.set_xlabel("network output (coordinate 1), layer by layer")
    return theme.png_bytes(fig)
