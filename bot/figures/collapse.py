"""Collapse pictures: the layer matrices and their product as heat maps, and
layer-by-layer versus single-map outputs (points on the diagonal mean they agree)."""

from __future__ import annotations

import math

import numpy as np

from bot.figures import theme
from bot.figures.cells import CellNumbers
from bot.lab.collapse import UNDEFINED, Collapse, Kind
from bot.script import show

MAX_SHOWN = 4
MIN_FONT = 5.0  # points: below this a cell's number is not drawn at all
CHAR_WIDTH = 0.62  # a digit's width as a share of the font size (DejaVu Sans)


def _label(v: float) -> str:
    return show(v, ".2g")


def _matrix(ax, M: np.ndarray, title: str) -> None:
    theme.style(ax, title)
    ax.title.set_fontsize(10)
    ax.grid(False)
    lim = float(np.max(np.abs(M))) or 1.0
    ax.imshow(M, cmap=theme.CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def _annotate(fig, panels: list[tuple[object, np.ndarray]]) -> None:
    """Numbers in the cells, sized to the cell after layout; none where they would collide.

    The layout is computed once here and then frozen (texts inside the axes don't move it),
    so saving does not lay the figure out a second time.
    """
    slot = fig.get_figwidth() * 72 / len(panels)  # points: no panel is wider than this
    todo = []
    for ax, M in panels:
        texts = [[_label(v) for v in row] for row in M]
        longest = max(len(t) for row in texts for t in row)
        if 0.9 * slot / M.shape[1] / (CHAR_WIDTH * longest) >= MIN_FONT:
            todo.append((ax, M, texts, longest))
    if not todo:
        return  # nothing can fit: skip the extra layout pass
    theme.freeze_layout(fig)
    for ax, M, texts, longest in todo:
        box = ax.get_window_extent()
        cell_pt = min(box.width / M.shape[1], box.height / M.shape[0]) * 72 / fig.dpi
        size = min(7.0, 0.9 * cell_pt / (CHAR_WIDTH * longest), 0.6 * cell_pt)
        if size < MIN_FONT:
            continue
        rgba = ax.get_images()[0].to_rgba(M)  # (rows, cols, 4): every cell's colour at once
        r, g, b = rgba[..., 0], rgba[..., 1], rgba[..., 2]
        dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45  # relative luminance of each cell
        cells = [
            (j, i, texts[i][j], "#ffffff" if is_dark else "#111111")
            for (i, j), is_dark in np.ndenumerate(dark)
        ]
        if theme.CLASSIC:  # `make bench`'s "before": one Text per cell, the same pixels
            for x, y, s, color in cells:
                ax.text(x, y, s, ha="center", va="center", fontsize=size, color=color)
        else:
            ax.add_artist(CellNumbers(ax, cells, size))


def _scale(samples: np.ndarray) -> tuple[float, str]:
    """A power of ten to divide by so tick labels stay short (no offset notation)."""
    top = float(np.max(np.abs(samples)))
    if top == 0 or 1e-3 <= top < 1e4:
        return 1.0, ""
    e = math.floor(math.log10(top))
    return 10.0**e, f" (×1e{e})"


def _shown(c: Collapse) -> list[int]:
    """Which layers get a panel: the first ones and the last, and both sides of a bottleneck."""
    if c.layers <= MAX_SHOWN:
        return list(range(c.layers))
    must = {0, c.layers - 1}
    if c.bottleneck is not None:
        m = c.layers // 2  # the hidden width dims[m] is the bottleneck: layers m−1 and m touch it
        must |= {m - 1, m}
    if c.verdict.dead_layer:
        must.add(c.verdict.dead_layer - 1)  # the all-dead layer that makes the output constant
    extra = (i for i in range(c.layers) if i not in must)
    while len(must) < MAX_SHOWN:
        must.add(next(extra))
    return sorted(must)


def collapse_figure(c: Collapse) -> bytes:
    return theme.png_bytes(draw(c))


def draw(c: Collapse):
    """The Figure: layer matrices and their product on top, outputs compared below."""
    fig = theme.new_figure((9.0, 5.4))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.15, 1])
    top.set_facecolor(theme.BG)
    bottom.set_facecolor(theme.BG)
    shown = _shown(c)
    axes = top.subplots(1, len(shown) + 1)
    panels = []
    for k, (ax, i) in enumerate(zip(axes[:-1], shown, strict=True)):
        gap = "… " if i - (shown[k - 1] if k else -1) > 1 else ""
        _matrix(ax, c.matrices[i], f"{gap}M{i + 1}")
        panels.append((ax, c.matrices[i]))
    if c.exact:
        prod_title = "product M" if c.layers > 1 else "M = M1"
        lin = float(np.max(np.abs(c.product[:-1, :-1])))
        if 0 < lin < 1e-3:
            prod_title += f" (W part ~1e{math.floor(math.log10(lin))})"
    else:
        prod_title = "product, no " + c.between
    _matrix(axes[-1], c.product, prod_title)
    panels.append((axes[-1], c.product))
    top.suptitle(
        "each layer as [[W, b], [0, 1]], multiplied right to left into one matrix",
        color=theme.MUTED,
        fontsize=9,
    )
    ax = bottom.subplots(1, 1)
    v = c.values
    if c.verdict.kind is Kind.ONE_LAYER:
        title = f"one layer, so no {c.between}: exactly one affine map"
        ylabel = "one matrix"
    elif c.exact:
        title = f"layer by layer vs one matrix: max |diff| {show(v['max_abs_diff'], '.3e')}"
        ylabel = "one matrix"
    elif v["residual"] == UNDEFINED:
        what = (
            f"layer {c.verdict.dead_layer} is dead, the output constant"
            if c.verdict.dead_layer
            else "the output is numerically constant"
        )
        title = f"{c.between} between layers: {what}, so affine"
        ylabel = "best affine fit"
    else:
        title = (
            f"{c.between} between layers: the best affine map misses "
            f"{show(v['residual'], '.3g')} of the spread"
        )
        if c.verdict.kind is Kind.AFFINE_HERE:
            title = f"{c.between} between layers, but affine on these inputs"
        ylabel = "best affine fit"
    theme.style(ax, title)
    div, unit = _scale(c.samples)
    seq, one = c.samples[:, 0] / div, c.samples[:, 1] / div
    lo, hi = float(min(seq.min(), one.min())), float(max(seq.max(), one.max()))
    size = max(abs(lo), abs(hi))
    pad = (hi - lo) * 0.05 if hi - lo > 1e-9 * size else (size * 0.05 or 1.0)  # constant: a band
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color=theme.MUTED, lw=1, ls="--")
    ax.scatter(seq, one, s=10, color=theme.GREEN if c.exact else theme.ORANGE, zorder=3)
    for axis in (ax.xaxis, ax.yaxis):
        axis.get_major_formatter().set_useOffset(False)
    ax.set_xlabel(f"network output, coordinate 1, layer by layer{unit}")
    ax.set_ylabel(ylabel + unit)
    _annotate(fig, panels)
    return fig
