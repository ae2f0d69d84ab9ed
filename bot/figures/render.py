"""Rendering a Figure to PNG bytes fast, pixel for pixel what `savefig` draws.

`savefig` on a constrained-layout Figure lays it out (text extents of every label),
draws it once without pixels so the layout holds, then draws it again for real. Here:

- the layout is computed once per *layout key* and its result (every axes' position,
  every subfigure's box, the suptitle's place) is reused for any later Figure with the
  same key; the key holds everything the layout reads: sizes, grid geometry, every
  text that can stick out of an axes (titles, axis labels, tick labels with their
  positions, legends, unclipped texts), so equal keys give the same positions;
- the Figure is drawn once, with no layout engine (no dry-run draw);
- one Agg renderer per pixel size is shared by every Figure of a worker process, so
  its caches stay warm: text extents, shaped strings, glyph bitmaps and text layouts
  (bot.figures.glyphs);
- each axis works out its ticks once per layout pass or draw, and new ticks are copies
  of the first rather than built from scratch (bot.figures.ticks);
- the buffer goes straight to Pillow, as RGB when opaque, at a faster zlib level
  (lossless: the same pixels as `savefig`'s PNG, a few more bytes).

tests/test_render.py and `make bench` (benchmarks/figures.py) compare the pixels with
`savefig`'s for every figure kind.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox
from PIL import Image

from bot.figures import ticks
from bot.figures.glyphs import TextCachingRenderer

COMPRESS = 1  # zlib level: lossless either way; 1 encodes ~2.2× faster than 6 (~1.6× than 3), files ~8 % larger
MAX_LAYOUTS = 256  # layouts remembered per worker (each a few hundred bytes)
_LAYOUTS: OrderedDict[tuple, list] = OrderedDict()
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
    image = Image.frombuffer("RGBA", (w, h), rgba, "raw", "RGBA", 0, 1)
    if rgba[..., 3].min() == 255:  # opaque (every theme figure): the same pixels as RGB
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", dpi=(fig.dpi, fig.dpi), compress_level=COMPRESS)
    return buf.getvalue()


def lay_out(fig: Figure) -> None:
    """Apply the layout engine's result (remembered by key), then switch the engine off."""
    with ticks.steady(fig):
        key = layout_key(fig)
        saved = _LAYOUTS.get(key)
        if saved is None:
            fig.get_layout_engine().execute(fig)
    if saved is None:
        _LAYOUTS[key] = snapshot(fig)
        if len(_LAYOUTS) > MAX_LAYOUTS:
            _LAYOUTS.popitem(last=False)
    else:
        _LAYOUTS.move_to_end(key)
        restore(fig, saved)
    fig.set_layout_engine(None)  # positions are final: drawing must not lay out again


# ---- what the layout changes: positions of axes and subfigures, the suptitle's place


def _figures(fig: Figure | SubFigure) -> list[Figure | SubFigure]:
    out = [fig]
    for sub in fig.subfigs:
        out += _figures(sub)
    return out


def snapshot(fig: Figure) -> list:
    state: list[Any] = []
    for f in _figures(fig):
        state.append(f.bbox_relative.frozen() if isinstance(f, SubFigure) else None)
        t = f._suptitle
        state.append((t.get_position(), t.get_verticalalignment()) if t is not None else None)
        for ax in f._localaxes:
            state.append(
                (
                    ax.get_position(original=True).frozen(),
                    ax.get_position(original=False).frozen(),
                    ax.get_anchor(),
                    ax.get_box_aspect(),
                    ax.get_aspect(),
                    ax.get_transform() is f.transSubfigure,
                )
            )
    return state


def restore(fig: Figure, state: list) -> None:
    items = iter(state)
    for f in _figures(fig):
        box = next(items)
        if box is not None:
            f._redo_transform_rel_fig(bbox=Bbox(box.get_points()))
        title = next(items)
        if title is not None:
            f._suptitle.set_position(title[0])
            f._suptitle.set_verticalalignment(title[1])
        for ax in f._localaxes:
            original, active, anchor, box_aspect, aspect, sub = next(items)
            ax._set_position(Bbox(original.get_points()), which="original")
            ax._set_position(Bbox(active.get_points()), which="active")
            ax.set_anchor(anchor)
            ax.set_box_aspect(box_aspect)
            ax.set_aspect(aspect)
            if sub:
                ax.set_transform(f.transSubfigure)


# ---- the key: everything the constrained layout reads


def layout_key(fig: Figure) -> tuple:
    parts: list[Any] = [tuple(fig.get_size_inches()), fig.dpi, _engine(fig)]
    for f in _figures(fig):
        parts.append(("figure", _spec(f), f.get_visible()))
        parts += [_text(t) for t in (f._suptitle, f._supxlabel, f._supylabel) if t is not None]
        parts += [_text(t) for t in f.texts]
        parts += [_legend(leg) for leg in f.legends]
        for ax in f._localaxes:
            parts.append(_axes(ax))
    return tuple(parts)


def _engine(fig: Figure) -> tuple:
    engine = fig.get_layout_engine()
    return (type(engine).__name__, tuple(sorted((k, repr(v)) for k, v in engine.get().items())))


def _spec(obj) -> tuple | None:
    ss = (
        obj.get_subplotspec()
        if hasattr(obj, "get_subplotspec")
        else getattr(obj, "_subplotspec", None)
    )
    if ss is None:
        return None
    gs = ss.get_gridspec()
    return (
        gs.nrows,
        gs.ncols,
        ss.rowspan,
        ss.colspan,
        tuple(gs.get_height_ratios() or ()),
        tuple(gs.get_width_ratios() or ()),
    )


def _where(t: Text) -> tuple:
    """A text's anchor point and what its coordinates mean (data: with the view limits)."""
    tr = t.get_transform()
    ax = t.axes
    if ax is not None and tr == ax.transAxes and not isinstance(t, Annotation):
        frame: Any = "axes"
    elif ax is not None:  # data (or offsets from data): where it lands moves with the limits
        frame = (type(tr).__name__, tuple(ax.viewLim.bounds))
    else:
        frame = type(tr).__name__
    where = (tuple(t.get_position()), frame)
    if isinstance(t, Annotation):
        where += (tuple(t.xy), repr(t.xycoords), repr(t.anncoords), t.arrow_patch is not None)
    return where


def _text(t: Text) -> tuple:
    box = t.get_bbox_patch()
    return (
        t.get_text(),
        t.get_visible(),
        t.get_in_layout(),
        t.get_fontsize(),
        tuple(t.get_fontfamily()),
        t.get_fontweight(),
        t.get_fontstyle(),
        t.get_rotation(),
        t.get_horizontalalignment(),
        t.get_verticalalignment(),
        t._multialignment,
        t._linespacing,
        t.get_wrap(),
        t.get_clip_on(),
        _boxstyle(box),
        _where(t),
    )


def _boxstyle(box) -> tuple | None:
    if box is None:
        return None
    style = box.get_boxstyle()
    return (type(style).__name__, tuple(sorted(vars(style).items())), box.get_mutation_scale())


def _legend(leg: Legend) -> tuple:
    anchor = leg._bbox_to_anchor
    return (
        "legend",
        tuple(_text(t) for t in leg.get_texts()),
        _text(leg.get_title()),
        repr(leg._loc),
        leg._outside_loc,
        tuple(anchor.bounds) if anchor is not None else None,
        leg._ncols,
        leg.get_visible(),
        tuple(type(h).__name__ for h in leg.legend_handles),
    )


def _axes(ax: Axes) -> tuple:
    parts: list[Any] = [
        "axes",
        _spec(ax),
        ax.get_visible(),
        ax.get_in_layout(),
        ax.axison,
        repr(ax.get_aspect()),
        ax.get_adjustable(),
        ax.get_box_aspect(),
        repr(ax.get_anchor()),
        tuple(ax.get_position(original=True).bounds) if ax.get_subplotspec() is None else None,
    ]
    info = getattr(ax, "_colorbar_info", None)
    if info is not None:
        parts.append(tuple(sorted((k, repr(v)) for k, v in info.items() if k != "parents")))
    parts += [_text(t) for t in (ax.title, ax._left_title, ax._right_title)]
    for name, axis in ax._axis_map.items():
        ticks = axis._update_ticks()
        parts.append(
            (
                name,
                axis.get_visible(),
                axis.get_scale(),
                tuple(axis.get_view_interval()),
                _text(axis.label),
                axis.get_label_position(),
                _text(axis.offsetText),
                repr(sorted(axis._major_tick_kw.items())),
                repr(sorted(axis._minor_tick_kw.items())),
                tuple(
                    (tick.get_loc(), _tick_label(tick.label1), _tick_label(tick.label2))
                    for tick in ticks
                ),
            )
        )
    for spine in ax.spines.values():
        parts.append((spine.get_visible(), repr(spine._position)))
    parts += [_text(t) for t in ax.texts]
    parts.append(len(ax.child_axes))  # inset axes are laid out with their parent
    legend = ax.get_legend()
    if legend is not None:
        parts.append(_legend(legend))
    return tuple(parts)


def _tick_label(t: Text) -> tuple:
    return (t.get_text(), t.get_visible(), t.get_fontsize(), t.get_rotation())
