"""Many short texts drawn by one artist: the numbers in a heat map's cells.

A matplotlib Text is a heavy object (font properties, transforms, callbacks): creating
sixty of them for a 4 × 4 … 8 × 8 matrix took longer than drawing the rest of the figure.
`CellNumbers` keeps one Text for the font and alignment and draws every cell's string
where and how `Text.draw` would, so the pixels are exactly those of one `ax.text` per cell
(tests/test_cells.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.transforms import Bbox


class CellNumbers(Artist):
    """Centred texts at data points, each (x, y, text, colour), with one font size."""

    def __init__(self, ax: Axes, cells: Sequence[tuple[float, float, str, str]], size: float):
        super().__init__()
        self._cells = list(cells)
        # as ax.text(x, y, s, ha="center", va="center", fontsize=size) makes it
        self._text = Text(
            0, 0, "", ha="center", va="center", fontsize=size, transform=ax.transData, clip_on=False
        )
        self._text.set_clip_path(ax.patch)
        self.set_zorder(self._text.get_zorder())
        self.set_in_layout(False)  # inside the cells: nothing for a layout to make room for

    def set_figure(self, fig) -> None:
        super().set_figure(fig)
        self._text.set_figure(fig)

    def extents(self, renderer) -> list[tuple[str, Bbox]]:
        """Each cell's text with the box it covers on the canvas (pixels)."""
        text = self._text
        text.axes = self.axes
        boxes = []
        for x, y, s, _ in self._cells:
            text.set_position((x, y))
            text.set_text(s)
            boxes.append((s, text.get_window_extent(renderer).frozen()))
        return boxes

    def draw(self, renderer) -> None:
        """What `Text.draw` does for each cell (no box, path effects or TeX here), with the
        graphics context and the positions' transform done once for all of them."""
        if not self.get_visible() or not self._cells:
            return
        text = self._text
        text.axes = self.axes
        xy = text.get_transform().transform(np.array([c[:2] for c in self._cells], dtype=float))
        height = renderer.get_canvas_width_height()[1]
        gc = renderer.new_gc()
        gc.set_alpha(text.get_alpha())
        gc.set_url(text._url)
        gc.set_antialiased(text._antialiased)
        gc.set_snap(text.get_snap())
        text._set_gc_clip(gc)
        for (x0, y0), (_, _, s, color) in zip(xy, self._cells, strict=True):  # (n, 2) pixels
            text.set_text(s)
            _, lines, _ = text._get_layout(renderer)  # cached per string (bot.figures.glyphs)
            gc.set_foreground(mcolors.to_rgba(color), isRGBA=True)
            for line, _, (dx, dy) in lines:
                x, y = x0 + dx, y0 + dy
                if renderer.flipy():
                    y = height - y
                clean, ismath = text._preprocess_math(line)
                mtext = text if len(lines) == 1 else None
                renderer.draw_text(gc, x, y, clean, text._fontproperties, 0, ismath, mtext)
        gc.restore()
        self.stale = False
