"""What constrained layout reads from a Figure, as a key: equal keys, the same layout.

The layout moves axes so their *tight boxes* fit: per axes the union (min/max) of its
own box, its tick labels, axis labels, offset texts, titles and the artists that are
not clipped to it; and the boxes of colour bars, figure legends and suptitles. It
works in two passes, each reading those boxes at the positions the previous one left.
So a key is taken at the positions a pass starts from (bot.figures.render keeps one
for each pass), and holds, in pixels at those positions:

- every text the layout places or measures as its *layout box* (`Text._get_layout`:
  size, lines and alignment around its anchor), never its string: "0.25" and "0.75"
  have the same box; with its anchor, or only the anchor's coordinate along which
  matplotlib does not move it (axis labels, titles, offset texts are moved by what
  they sit next to, which the key holds). Titles and axis labels count as the layout
  measures them, 1 px wide along their axis at their middle: their length is free;
- each axis' tick labels as one group: the union of their boxes across the axis
  (what decides the margin and where the axis label goes) exactly, and along the
  axis only how far it sticks out past the axes' box, or past a side the union is
  known to reach anyway (the other axis' labels, a title): labels at new data values
  that stay inside give the same key;
- any other unclipped artist (annotations, data texts, a legend placed "best") by its
  tight box, or nothing when it lies inside that known part of the union.

A union is min/max: replacing a part by its clamp to a box that the union contains
anyway leaves it unchanged, bit for bit. Boxes are computed as matplotlib computes
them (the same transforms and additions), so equal keys give equal margins exactly,
but for one rounding: the 1 px middle of a title or axis label is keyed to 1e-9 px
(boxes of other lengths around one anchor put it a few ulps apart).
Axes this does not model (insets, twins, aligned labels, other projections) are
keyed by their full tight box, as the layout computes it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import artist as martist
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis, XAxis, YAxis
from matplotlib.figure import Figure, SubFigure
from matplotlib.legend import Legend
from matplotlib.offsetbox import AnnotationBbox, OffsetBox
from matplotlib.spines import Spine
from matplotlib.text import Annotation, Text

from bot.figures.glyphs import font_key

INSIDE = "inside"  # an artist whose box adds nothing to the union


def figures(fig: Figure | SubFigure) -> list[Figure | SubFigure]:
    out = [fig]
    for sub in fig.subfigs:
        out += figures(sub)
    return out


# ---- what does not depend on where the axes are


def structure(fig: Figure) -> tuple:
    """Sizes, grids, engine settings and every axes' configuration (no data, no text)."""
    parts: list[Any] = [tuple(fig.get_size_inches()), fig.dpi, _engine(fig)]
    for f in figures(fig):
        parts.append(("figure", _spec(f), f.get_visible(), len(f._localaxes), len(f.legends)))
        for ax in f._localaxes:
            parts.append(_axes_structure(ax))
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


def _axes_structure(ax: Axes) -> tuple:
    parts: list[Any] = [
        type(ax).__name__,
        _spec(ax),
        ax.get_visible(),
        ax.get_in_layout(),
        ax.axison,
        ax.get_frame_on(),
        ax.patch.get_visible(),
        ax.patch.get_in_layout(),
        ax.get_adjustable(),
        repr(ax.get_anchor()),
        tuple(ax.get_position(original=True).bounds) if ax.get_subplotspec() is None else None,
        len(ax._colorbars),
    ]
    info = getattr(ax, "_colorbar_info", None)
    if info is not None:
        parts.append(tuple(sorted((k, repr(v)) for k, v in info.items() if k != "parents")))
    for name, axis in ax._axis_map.items():
        parts.append(
            (
                name,
                type(axis).__name__,
                axis.get_visible(),
                axis.get_in_layout(),
                axis.get_scale(),
                axis.get_label_position(),
                axis._autolabelpos,
                axis.labelpad,
                getattr(axis, "_tick_position", None),
                repr(sorted(axis._major_tick_kw.items())),
                repr(sorted(axis._minor_tick_kw.items())),
            )
        )
    for spine in ax.spines.values():
        parts.append(
            (
                spine.spine_type,
                spine.get_visible(),
                spine.get_in_layout(),
                repr(spine._position),
                None if spine._bounds is None else tuple(spine._bounds),
            )
        )
    return tuple(parts)


# ---- what the layout measures at the current positions


def geometry(fig: Figure, drawn: dict | None = None) -> tuple:
    """Every box the layout reads, at the figure's current positions (see module doc).

    `drawn` (axis → its tick locations and drawn ticks) carries ticks from one call to
    the next on the same figure: an axis whose locators give the same locations at the
    new size keeps its ticks (the same objects, labels and formatter state that
    `_update_ticks` would make again) instead of working them out afresh.
    """
    drawn = {} if drawn is None else drawn
    renderer = fig.canvas.get_renderer()
    parts: list[Any] = []
    for f in figures(fig):
        sup = (f._suptitle, f._supxlabel, f._supylabel)
        for t, moved in zip(sup, (1, 1, 0), strict=True):  # y, y, x: placed by the layout
            if t is not None:
                parts.append(_text(t, renderer, moved if getattr(t, "_autopos", False) else None))
        parts += [_text(t, renderer) for t in f.texts]
        parts += [_legend(leg, renderer) for leg in f.legends]
        for ax in f._localaxes:
            parts.append(_axes(ax, renderer, drawn))
    return tuple(parts)


def _box(t: Text, renderer) -> tuple | None:
    """A text's layout box around its anchor: its extent once moved there (None: empty)."""
    if t.get_text() == "":
        return None
    t._renderer = renderer  # as get_window_extent sets it: a wrapped text measures with it
    bbox, lines, _ = t._get_layout(renderer)
    return (tuple(bbox.bounds), tuple(wad for _, wad, _ in lines))


def _anchor(t: Text) -> np.ndarray:
    """Where the text's anchor lands on the canvas (pixels), as `get_window_extent` has it."""
    return t.get_transform().transform(t.get_unitless_position())


def _text(t: Text, renderer, moved: int | None = None) -> tuple:
    """A text by its box and anchor; `moved`: the anchor coordinate matplotlib sets itself."""
    if not t.get_visible():
        return ("hidden",)
    xy = _anchor(t)
    where = tuple(xy) if moved is None else float(xy[1 - moved])
    return (_box(t, renderer), where, t.get_in_layout(), t.get_clip_on())


def _narrowed(t: Text, renderer, along: int, moved: bool) -> tuple:
    """A title or axis label as the layout measures it: 1 px wide along `along`.

    (`get_tightbbox(for_layout_only=True)`: the box's extent along the axis is replaced
    by 1 px at its middle, the same arithmetic here, rounded to 1e-9 px.) `moved`:
    matplotlib sets the other coordinate of the anchor itself.
    """
    if not t.get_visible() or t.get_text() == "":
        return _text(t, renderer, 1 - along if moved else None)
    xy = _anchor(t)
    box = t._get_layout(renderer)[0].get_points()  # (2, 2) around the anchor
    lo, hi = box[0, along] + xy[along], box[1, along] + xy[along]
    if hi - lo > 0:
        lo = (lo + hi) / 2 - 0.5
        hi = lo + 1.0
    across = 1 - along
    if moved:  # the box across, around an anchor the key's other parts decide
        where = (box[0, across], box[1, across])
    else:
        where = (box[0, across] + xy[across], box[1, across] + xy[across])
    # the middle of boxes of other widths around one anchor differs in the last bits:
    # equal to within a billionth of a pixel counts as equal (the one rounding here)
    return ("narrowed", round(lo, 9), round(hi, 9), where, t.get_in_layout(), t.get_clip_on())


def _legend(leg: Legend, renderer) -> tuple:
    if leg._loc == 0:  # "best": placed where the data is not
        return ("legend", _clamped(leg.get_tightbbox(renderer), None))
    anchor = leg._bbox_to_anchor
    return (
        "legend",
        tuple((_box(t, renderer), font_key(t.get_fontproperties())) for t in leg.get_texts()),
        (_box(leg.get_title(), renderer), font_key(leg.get_title().get_fontproperties())),
        tuple(t.get_visible() for t in leg.get_texts()),
        leg.get_title().get_visible(),
        repr(leg._loc),
        leg._outside_loc,
        tuple(anchor.bounds) if anchor is not None else None,
        leg._ncols,
        leg.get_visible(),
        leg.get_in_layout(),
        font_key(leg.prop),
        tuple(type(h).__name__ for h in leg.legend_handles),
    )


def _modelled(ax: Axes) -> bool:
    """Axes whose tight box this module builds from its parts; others are measured whole."""
    fig = ax.get_figure(root=False)
    groups = fig._align_label_groups
    return (
        ax.name == "rectilinear"
        and not ax.child_axes
        and len(ax._twinned_axes.get_siblings(ax)) == 1
        and all(len(groups[k].get_siblings(ax)) == 1 for k in ("x", "y", "title"))
        and all(type(axis) in (XAxis, YAxis) for axis in ax._axis_map.values())
        and set(ax._axis_map) == {"x", "y"}
    )


def _axes(ax: Axes, renderer, memo: dict) -> tuple:
    if not ax.get_visible():
        return ("hidden",)
    locator = ax.get_axes_locator()
    ax.apply_aspect(locator(ax, renderer) if locator else None)  # as get_tightbbox does
    if not _modelled(ax):
        return ("whole", _clamped(martist._get_tightbbox_for_layout_only(ax, renderer), None))
    box = np.array(ax.bbox.get_points())  # (2, 2): the axes' own box, in every union
    parts: list[Any] = [tuple(box.ravel())]  # with a fixed aspect it follows the data
    for spine in ax.spines.values():  # a spine's box follows the data only if placed by it
        if spine._bounds is not None or (spine._position or ("",))[0] == "data":
            parts.append(tuple(spine.get_window_extent().get_points().ravel()))
    known = box.copy()  # grows by parts certainly in the union, to clamp the others to
    groups = {}
    for name, axis in ax._axis_map.items():
        drawn = _drawn_ticks(axis, memo)
        on = ax.axison and axis.get_visible() and axis.get_in_layout()
        groups[name] = _tick_labels(axis, drawn, renderer)
        cross = 1 if name == "x" else 0  # tick labels' extent across the axis: exact
        for g in groups[name]:
            if on and g is not None and (g[1] - g[0]).any():  # (a point would be dropped)
                known[0, cross] = min(known[0, cross], g[0, cross])
                known[1, cross] = max(known[1, cross], g[1, cross])
        axis.offsetText.set_text(axis.major.formatter.get_offset())  # as get_tightbbox does
        parts.append(
            (
                on,
                _ticks_drawn(axis, drawn),
                _narrowed(axis.label, renderer, 1 - cross, axis._autolabelpos),
                _text(axis.offsetText, renderer, 1),  # placed next to the labels or the box
            )
        )
    titles = (ax.title, ax._left_title, ax._right_title)
    auto = ax._autotitlepos is None or ax._autotitlepos
    beside = ax.yaxis.offsetText.get_visible() and ax.yaxis.offsetText.get_text()
    for t in titles:  # (a title's width matters only where it may meet the offset text)
        parts.append(
            _text(t, renderer, 1 if auto else None) if beside else _narrowed(t, renderer, 0, auto)
        )
        if auto and t.get_visible() and t.get_text() and ax.titleOffsetTrans._t[1] >= 0:
            top = _box(t, renderer)[0]  # never below the axes' top: reaches above it by its box
            if top[1] + top[3] > 1.0:
                known[1, 1] = max(known[1, 1], box[1, 1] + top[1] + top[3] - 1.0)
    for name, along in (("x", 0), ("y", 1)):
        parts.append(tuple(_clamp_along(g, known, along) for g in groups[name]))
    parts.append(_others(ax, renderer, known, titles))
    return tuple(parts)


NOCLIP = (Axes, Axis, AnnotationBbox, OffsetBox)  # in the union even if set to clip
# tight boxes that are the window extent cut to the clip box (or empty)
CLIPPED_TIGHTBBOX = (Artist.get_tightbbox, Text.get_tightbbox, Annotation.get_tightbbox)


def _others(ax: Axes, renderer, known: np.ndarray, titles: tuple) -> tuple:
    """The axes' other children that reach past `known` (`get_default_bbox_extra_artists`).

    Legends and texts placed in axes fractions by their description; every other part by
    its tight box, all folded into one union clamped to `known`, so parts that stay
    inside (whatever they are and however many) add nothing to the key.
    """
    parts: list[Any] = []
    lo, hi = known[0].copy(), known[1].copy()
    for a in ax.get_children():
        if not (a.get_visible() and a.get_in_layout()):
            continue
        if isinstance(a, (Axis, Spine)) or a is ax.patch or a in titles:
            continue  # measured above, or a box that follows from the axes' box and settings
        if _clipped_inside(a, known, ax):
            continue  # nothing outside `known`, whether the layout counts it or not
        if not isinstance(a, NOCLIP) and a._fully_clipped_to_axes():
            continue  # not counted by the layout
        if isinstance(a, Legend):
            parts.append(_legend(a, renderer))
        elif isinstance(a, Text) and not isinstance(a, Annotation) and _fixed(a, ax):
            parts.append(_text(a, renderer))
        else:
            bbox = a.get_tightbbox(renderer)
            if bbox is not None and bbox._is_finite() and (bbox.width != 0 or bbox.height != 0):
                p = bbox.get_points()
                lo, hi = np.minimum(lo, p[0]), np.maximum(hi, p[1])
    parts.append((tuple(lo), tuple(hi)))
    return tuple(parts)


def _clipped_inside(a: Artist, known: np.ndarray, ax: Axes) -> bool:
    """An artist whose tight box is cut to a clip box inside `known` (no need to measure it).

    `Artist.get_tightbbox` is the window extent intersected with the clip box, so it lies
    in that box (a text's and an annotation's too, or they are empty). (Lines, collections and images count here when their clip box differs
    from the axes' box by rounding, as `_fully_clipped_to_axes` compares them exactly.)
    """
    if type(a).get_tightbbox not in CLIPPED_TIGHTBBOX or not a.get_clip_on():
        return False
    clip = a.get_clip_box()
    if clip is None:
        return False
    if clip is ax.bbox:  # (most: `known` holds the axes' box)
        return True
    p = clip.get_points()
    return bool((p[0] >= known[0]).all() and (p[1] <= known[1]).all())


def _drawn_ticks(axis: Axis, memo: dict) -> list:
    """`axis._update_ticks()`, or the ticks it made last if its locations are unchanged.

    Labels, tick positions and the formatter's state follow from the locations and the
    view interval, not from the axes' size; only the locators read the size.
    """
    minor = axis.minor.locator()  # (get_minorticklocs: without those on major ticks)
    locs = (tuple(axis.get_majorticklocs()), tuple(axis.get_minorticklocs() if len(minor) else ()))
    key = (locs, tuple(axis.get_view_interval()), axis.major.formatter, axis.minor.formatter)
    last = memo.get(axis)
    if last is not None and last[0] == key:
        return list(last[1])
    drawn = axis._update_ticks()
    memo[axis] = (key, drawn)
    return drawn


def _fixed(t: Text, ax: Axes) -> bool:
    """A text whose box is its layout box at its anchor, not moved by the data limits."""
    clipped = t.get_clip_on() and (t.get_clip_box() is not None or t.get_clip_path() is not None)
    return t.get_transform() == ax.transAxes and not clipped


def _tick_labels(axis: Axis, drawn: list, renderer) -> list[np.ndarray | None]:
    """The union of label1s' and of label2s' boxes over the drawn ticks: (2, 2) or None.

    Labels that share a transform object (new ticks are copies of tick 0) have their
    anchors transformed together: the same arithmetic point by point, one call.
    """
    out: list[np.ndarray | None] = []
    for which in ("label1", "label2"):
        by_transform: dict[int, tuple[Any, list, list]] = {}
        for tick in drawn:
            t = getattr(tick, which)
            if t.get_visible() and t.get_in_layout():
                tr = t.get_transform()
                _, xys, boxes = by_transform.setdefault(id(tr), (tr, [], []))
                xys.append(t.get_unitless_position())
                boxes.append(_box_points(t, renderer))
        if not by_transform:
            out.append(None)
            continue
        lo, hi = [], []
        for tr, xys, boxes in by_transform.values():
            xy = tr.transform(np.array(xys, dtype=float))  # (n, 2)
            e = np.array(boxes) + xy[:, None, :]  # (n, 2, 2), as Bbox.translated
            lo.append(e[:, 0].min(axis=0))
            hi.append(e[:, 1].max(axis=0))
        out.append(np.array([np.min(lo, axis=0), np.max(hi, axis=0)]))
    return out


def _box_points(t: Text, renderer) -> np.ndarray:
    """The layout box's corners around the anchor; an empty text is a point: (2, 2)."""
    if t.get_text() == "":
        return np.zeros((2, 2))
    return t._get_layout(renderer)[0].get_points()


def _ticks_drawn(axis: Axis, drawn: list) -> tuple:
    """What the spines' boxes read from the drawn ticks: length, direction, which lines."""
    major = set(axis.majorTicks)
    return tuple(
        sorted(
            {
                (
                    t in major,
                    t._size,
                    t._tickdir,
                    t.tick1line.get_visible(),
                    t.tick2line.get_visible(),
                )
                for t in drawn
            }
        )
    )


def _clamp_along(g: np.ndarray | None, known: np.ndarray, along: int) -> tuple | None:
    """A tick-label group exact across its axis, and along it clamped to `known`."""
    if g is None:
        return None
    g = g.copy()
    g[0, along] = min(g[0, along], known[0, along])
    g[1, along] = max(g[1, along], known[1, along])
    return tuple(g.ravel())


def _clamped(bbox, known: np.ndarray | None) -> tuple | str:
    """A part's tight box as the union sees it: nothing, or its extent outside `known`."""
    if bbox is None or not bbox._is_finite() or (bbox.width == 0 and bbox.height == 0):
        return INSIDE
    p = bbox.get_points()
    if known is None:
        return tuple(p.ravel())
    if (p[0] >= known[0]).all() and (p[1] <= known[1]).all():
        return INSIDE
    return tuple(np.concatenate([np.minimum(p[0], known[0]), np.maximum(p[1], known[1])]))
