"""Each axis' ticks worked out once per layout or draw, not a dozen times, and their
labels' boxes measured once.

Matplotlib recomputes an axis' ticks (locator, formatter, every tick's position and
label) on each request: the axis draws them, its label and the title ask where they
are, the spines and tight boxes ask again; constrained layout asks in both passes. In
one draw nothing they depend on changes between those requests, so inside `steady`
an axis answers from its last computation while its inputs are the same: the view
interval, the axes' box in pixels, the dpi, and which locator, formatter, scale and
tick list it has. Outside `steady` (where user code may change a formatter in place)
every request computes afresh, as matplotlib does.

New ticks are made the way matplotlib makes them after the first: a default tick with
every property then copied from tick 0 (`Axis._copy_tick_props`), dozens of artists and
marker deep copies each. Inside `steady`, and on figures given to `copy_new_ticks`, a new
tick is a copy of tick 0 instead: the same properties, with its own artists, callbacks,
font properties and sticky edges; its position and label are set by whatever asked for
it (a tick update, `set_ticks`), as for any tick. A label with a box keeps the old way.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib.artist import Artist
from matplotlib.axis import Axis, Tick, XAxis, YAxis
from matplotlib.cbook import CallbackRegistry
from matplotlib.figure import Figure
from matplotlib.text import Text

TICK_PARTS = ("tick1line", "tick2line", "gridline", "label1", "label2")


def _inputs(axis: Axis) -> tuple:
    """What an axis' ticks depend on. The objects themselves, not their ids: held here,
    a replaced locator cannot be mistaken for a new one that reuses its address."""
    ax = axis.axes
    return (
        tuple(axis.get_view_interval()),
        ax.bbox.bounds,
        ax.get_figure(root=True).dpi,
        axis.major.locator,  # compared by identity (tickers define no __eq__)
        axis.major.formatter,
        axis.minor.locator,
        axis.minor.formatter,
        axis._scale,
        axis.__dict__.get("majorTicks"),  # the tick lists (ticks compare by identity)
        axis.__dict__.get("minorTicks"),
    )


class _Remembered:
    """Stands in for `axis._update_ticks` while the figure is steady."""

    def __init__(self, axis: Axis) -> None:
        self.axis = axis
        self.inputs: tuple | None = None
        self.ticks: list = []

    def __call__(self) -> list:
        inputs = _inputs(self.axis)
        if inputs != self.inputs:
            self.ticks = type(self.axis)._update_ticks(self.axis)  # the class's own computation
            self.inputs = _inputs(self.axis)  # (it may have created the tick lists)
        return list(self.ticks)


class _RememberedBoxes:
    """Stands in for `axis._get_ticklabel_bboxes` while the figure is steady: the tick
    labels' boxes, measured again only when the ticks or what places them change (the
    axis' tight box, its label and the title each ask for them, in every layout pass)."""

    def __init__(self, axis: Axis) -> None:
        self.axis = axis
        self.key: tuple | None = None
        self.boxes: tuple[list, list] = ([], [])

    def __call__(self, ticks: list, renderer) -> tuple[list, list]:
        shown = tuple(
            (t.label1.get_visible(), t.label1.get_in_layout(), t.label2.get_visible(),
             t.label2.get_in_layout())
            for t in ticks
        )  # fmt: skip
        key = (_inputs(self.axis), renderer, tuple(ticks), shown)  # ticks and renderer by identity
        if key != self.key:
            self.boxes = type(self.axis)._get_ticklabel_bboxes(self.axis, ticks, renderer)
            self.key = key
        one, two = self.boxes
        return [b.frozen() for b in one], [b.frozen() for b in two]


def _own(artist: Artist) -> Artist:
    """A shallow copy of an artist with nothing mutable shared with the original."""
    new = copy.copy(artist)  # through __getstate__: no stale callback, no cached renderer
    new._callbacks = CallbackRegistry(signals=["pchanged"])
    new._sticky_edges = None
    if artist._sticky_edges is not None:
        new.sticky_edges.x[:] = artist._sticky_edges.x.copy()
        new.sticky_edges.y[:] = artist._sticky_edges.y.copy()
    if isinstance(new, Text):
        new._fontproperties = artist._fontproperties.copy()
    return new


def _clone(tick: Tick) -> Tick:
    new = _own(tick)
    for part in TICK_PARTS:
        setattr(new, part, _own(getattr(tick, part)))
    return new


def _tick_getter(axis: Axis, major: bool):
    """Stands in for `axis.get_major_ticks` / `get_minor_ticks`: new ticks cloned."""

    def get_ticks(numticks: int | None = None) -> list:
        if numticks is None:
            locs = axis.get_majorticklocs() if major else axis.get_minorticklocs()
            numticks = len(locs)
        ticks = axis.majorTicks if major else axis.minorTicks  # (tick 0 made as usual)
        if ticks[0].label1.get_bbox_patch() or ticks[0].label2.get_bbox_patch():
            own = Axis.get_major_ticks if major else Axis.get_minor_ticks
            return own(axis, numticks)  # a boxed label: a patch a copy must not share
        while len(ticks) < numticks:
            ticks.append(_clone(ticks[0]))
        return ticks[:numticks]

    return get_ticks


def _plain_axes(fig: Figure) -> list[Axis]:
    """The x and y axes of `fig` (projections with axis classes of their own left alone)."""
    return [
        axis for ax in fig.axes for axis in ax._axis_map.values() if type(axis) in (XAxis, YAxis)
    ]


def _copy_new_ticks(axis: Axis) -> bool:
    """Make `axis` create new ticks as copies of tick 0; False if it already does."""
    if "get_major_ticks" in vars(axis):
        return False
    axis.get_major_ticks = _tick_getter(axis, major=True)
    axis.get_minor_ticks = _tick_getter(axis, major=False)
    return True


def copy_new_ticks(fig: Figure) -> None:
    """From now on every axis of `fig`, and of axes added later, copies tick 0 for new ticks."""

    def install(_changed) -> None:
        for axis in _plain_axes(fig):
            _copy_new_ticks(axis)

    install(fig)
    fig.add_axobserver(install)  # called whenever an axes is added (subfigures' too)


@contextmanager
def steady(fig: Figure) -> Iterator[None]:
    """Within: every axis of `fig` computes its ticks only when their inputs change."""
    axes = _plain_axes(fig)
    copying = [axis for axis in axes if _copy_new_ticks(axis)]
    for axis in axes:
        axis._update_ticks = _Remembered(axis)
        axis._get_ticklabel_bboxes = _RememberedBoxes(axis)
    try:
        yield
    finally:
        for axis in axes:
            axis.__dict__.pop("_update_ticks", None)
            axis.__dict__.pop("_get_ticklabel_bboxes", None)
        for axis in copying:
            del axis.get_major_ticks, axis.get_minor_ticks
