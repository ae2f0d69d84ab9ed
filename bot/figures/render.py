"""Rendering a Figure to PNG bytes fast, pixel for pixel what `savefig` draws.

`savefig` on a constrained-layout Figure lays it out (text extents of every label),
draws it once without pixels so the layout holds, then draws it again for real. Here:

- the layout is computed once per *layout key* and its result (every axes' position,
  every subfigure's box, the suptitle's place) is reused for any later Figure with the
  same keys: the key holds what the layout reads, the boxes it measures (layout boxes
  of texts, not their strings; tick labels as the union of their boxes; unclipped
  artists where they stick out; see bot.figures.layout_inputs), once where the figure
  starts and once where the layout's first pass leaves it, so equal keys give the same
  positions, and a new seed whose labels have the same boxes reuses the layout;
- the Figure is drawn once, with no layout engine (no dry-run draw);
- one Agg renderer per pixel size is shared by every Figure of a worker process, so
  its caches stay warm: text extents, shaped strings, glyph bitmaps and text layouts
  (bot.figures.glyphs);
- each axis works out its ticks once per layout pass or draw, and new ticks are copies
  of the first rather than built from scratch (bot.figures.ticks);
- an opaque buffer is written as RGB rows without PNG filters at a fast zlib level
  (bot.figures.png), a translucent one by Pillow (lossless either way: the same
  pixels as `savefig`'s PNG, a few more bytes).

tests/test_render.py and `make bench` (benchmarks/figures.py) compare the pixels with
`savefig`'s for every figure kind.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import _constrained_layout
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.transforms import Bbox
from PIL import Image

from bot.figures import layout_inputs, ticks
from bot.figures.glyphs import TextCachingRenderer
from bot.figures.png import opaque, rgb_of, rgb_png

COMPRESS = 1  # zlib level: lossless either way; 1 encodes ~2.2× faster than 6 (~1.6× than 3), files ~8 % larger
MAX_LAYOUTS = 256  # first-pass keys remembered per worker (each a few hundred bytes)
MAX_SECOND = 16  # second-pass keys, and so layouts, remembered per first-pass key
_LAYOUTS: OrderedDict[tuple, _Entry] = OrderedDict()
_RENDERERS: dict[tuple, RendererAgg] = {}


class SharedCanvas(FigureCanvasAgg):
    """An Agg canvas that draws with the worker's one renderer for its pixel size.

    Its figure's axes make new ticks as copies of their first (see bot.figures.ticks).
    """

    def __init__(self, figure: Figure | None = None) -> None:
        super().__init__(figure)
        ticks.copy_new_ticks(self.figure)

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        renderer = _RENDERERS.get(key)
        if renderer is None:
            renderer = _RENDERERS[key] = TextCachingRenderer(w, h, self.figure.dpi)
        self.renderer, self._lastKey = renderer, key
        return renderer


def png(fig: Figure) -> bytes:
    """The PNG `fig.savefig(format="png", metadata={"Software": None})` would write."""
    if not isinstance(fig.canvas, SharedCanvas):
        SharedCanvas(fig)
    if fig.get_layout_engine() is not None:
        lay_out(fig)
    with ticks.steady(fig):
        fig.canvas.draw()
    w, h = fig.canvas.get_width_height(physical=True)
    rgba = np.asarray(fig.canvas.buffer_rgba())  # (h, w, 4)
    if opaque(rgba):  # every theme figure: the same pixels as RGB
        return rgb_png(rgb_of(rgba), fig.dpi, COMPRESS)
    image = Image.frombuffer("RGBA", (w, h), rgba, "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", dpi=(fig.dpi, fig.dpi), compress_level=COMPRESS)
    return buf.getvalue()


def lay_out(fig: Figure) -> None:
    """Apply the layout engine's result (remembered by key), then switch the engine off.

    Constrained layout runs two passes, each measuring the figure where the previous one
    left it. The first pass' key is taken where the figure starts; a figure with that key
    is then moved to where the first pass put the figure it was remembered from, and
    keyed again: both keys equal, both passes read the same boxes, so the result is the
    same. (The second key is needed: where the labels fall and how many ticks an axis
    gets depend on its length, which the first pass changes.)
    """
    with ticks.steady(fig):
        drawn: dict = {}  # the ticks each axis drew for the first key, for the second
        first = (layout_inputs.structure(fig), layout_inputs.geometry(fig, drawn))
        entry = _LAYOUTS.get(first)
        if entry is not None:
            _LAYOUTS.move_to_end(first)
            start = snapshot(fig)
            restore(fig, entry.between)
            second = layout_inputs.geometry(fig, drawn)
            saved = entry.results.get(second)
            if saved is not None:
                restore(fig, saved)
                fig.set_layout_engine(None)
                return
            restore(fig, start)
        between, second = _execute(fig)
    if entry is None or entry.between != between:  # (the same first key: the same pass)
        entry = _LAYOUTS[first] = _Entry(between, {})
        if len(_LAYOUTS) > MAX_LAYOUTS:
            _LAYOUTS.popitem(last=False)
    entry.results[second] = snapshot(fig)
    if len(entry.results) > MAX_SECOND:
        del entry.results[next(iter(entry.results))]
    fig.set_layout_engine(None)  # positions are final: drawing must not lay out again


@dataclass
class _Entry:
    between: list  # the state after the first pass
    results: dict  # second key → the state after the second pass


def _execute(fig: Figure) -> tuple[list, tuple]:
    """Run the layout engine; the state after its first pass and the key there."""
    passes: list[list] = []
    reset = _constrained_layout.reset_margins

    def reset_and_look(layoutgrids, f):  # called at the end of each pass
        reset(layoutgrids, f)
        if f is fig:
            passes.append(snapshot(fig))

    _constrained_layout.reset_margins = reset_and_look
    try:
        fig.get_layout_engine().execute(fig)
    finally:
        _constrained_layout.reset_margins = reset
    done = snapshot(fig)
    between = passes[0] if passes else done
    restore(fig, between)
    second = layout_inputs.geometry(fig)
    restore(fig, done)
    return between, second


# ---- what the layout changes: positions of axes and subfigures, the suptitle's place


def _points(bbox: Bbox) -> tuple:
    return tuple(bbox.get_points().ravel())  # exact, and comparable with ==


def _bbox(points: tuple) -> Bbox:
    return Bbox(np.reshape(points, (2, 2)))


def snapshot(fig: Figure) -> list:
    """Everything the layout sets, as plain values (two snapshots compare with ==)."""
    state: list[Any] = []
    for f in layout_inputs.figures(fig):
        state.append(_points(f.bbox_relative) if isinstance(f, SubFigure) else None)
        t = f._suptitle
        state.append((t.get_position(), t.get_verticalalignment()) if t is not None else None)
        for ax in f._localaxes:
            state.append(
                (
                    _points(ax.get_position(original=True)),
                    _points(ax.get_position(original=False)),
                    ax.get_anchor(),
                    ax.get_box_aspect(),
                    ax.get_aspect(),
                    ax.get_transform() is f.transSubfigure,
                )
            )
    return state


def restore(fig: Figure, state: list) -> None:
    items = iter(state)
    for f in layout_inputs.figures(fig):
        box = next(items)
        if box is not None:
            f._redo_transform_rel_fig(bbox=_bbox(box))
        title = next(items)
        if title is not None:
            f._suptitle.set_position(title[0])
            f._suptitle.set_verticalalignment(title[1])
        for ax in f._localaxes:
            original, active, anchor, box_aspect, aspect, sub = next(items)
            ax._set_position(_bbox(original), which="original")
            ax._set_position(_bbox(active), which="active")
            ax.set_anchor(anchor)
            ax.set_box_aspect(box_aspect)
            ax.set_aspect(aspect)
            if sub:
                ax.set_transform(f.transSubfigure)


# ---- the key


def layout_key(fig: Figure) -> tuple:
    """What the layout's first pass reads, where the figure is now (bot.figures.layout_inputs)."""
    return (layout_inputs.structure(fig), layout_inputs.geometry(fig))
