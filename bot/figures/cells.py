"""Many short texts drawn by one artist: the numbers in a heat map's cells.

A matplotlib Text is a heavy object (font properties, transforms, callbacks): creating
sixty of them for a 4 × 4 … 8 × 8 matrix took longer than drawing the rest of the figure.
`CellNumbers` keeps one Text and draws it once per cell, moved and recoloured in between,
so the pixels are exactly those of one `ax.text` per cell (tests/test_cells.py).
"""

from __future__ import annotations

from collections.abc import Sequence

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
        if not self.get_visible():
            return
        text = self._text
        text.axes = self.axes
        for x, y, s, color in self._cells:
            text.set_position((x, y))
            text.set_text(s)
            text.set_color(color)
            text.draw(renderer)
        self.stale = False
