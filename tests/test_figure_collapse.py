"""The /collapse figure: cell numbers stay inside their cells, axes carry no offset text."""

from __future__ import annotations

import pytest

from bot.figures.cells import CellNumbers
from bot.figures.collapse import draw
from bot.lab.collapse import collapse

CASES = {
    "default": dict(),
    "64x16 bottleneck 12": dict(layers=64, width=16, bottleneck=12),
    "width 1 dead relu": dict(layers=10, width=1, between="relu"),
    "width 1 tanh constant": dict(layers=64, width=1, between="tanh", seed=2),
    "tanh": dict(layers=4, width=3, between="tanh"),
    "relu no bias": dict(layers=3, width=4, bias=False, between="relu"),
    "one layer": dict(layers=1, width=5, between="tanh"),
    "bottleneck 2": dict(layers=5, width=4, bottleneck=2),
    "squash 1e-189": dict(layers=64, width=2, bias=False, between="squash"),
}


@pytest.mark.parametrize("case", CASES)
def test_cell_numbers_fit_their_cells_and_axes_have_no_offset(case):
    fig = draw(collapse(**CASES[case]))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    annotated = 0
    for ax in fig.axes:
        if not ax.get_images():
            for axis in (ax.xaxis, ax.yaxis):
                assert axis.get_offset_text().get_text() == "", (case, "offset notation")
            continue
        texts = [
            box
            for cells in ax.artists
            if isinstance(cells, CellNumbers)
            for box in cells.extents(renderer)
        ]
        if not texts:
            continue
        annotated += 1
        rows, cols = ax.get_images()[0].get_array().shape
        box = ax.get_window_extent(renderer)
        cw, ch = box.width / cols, box.height / rows
        assert len(texts) == rows * cols
        for s, bb in texts:
            assert bb.width < cw and bb.height < ch, (case, s, bb.width, cw)
            assert box.x0 <= bb.x0 and bb.x1 <= box.x1 and box.y0 <= bb.y0 and bb.y1 <= box.y1
    if case in ("default", "width 1 dead relu", "one layer", "bottleneck 2"):
        assert annotated > 0  # small matrices do get their numbers
