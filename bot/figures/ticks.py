"""Each axis' ticks worked out once per layout or draw, not a dozen times.

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
marker deep copies each. Inside `steady` a new tick is a copy of tick 0 instead: the same
properties, with its own artists, callbacks, font properties and sticky edges; its
position and label are set by the tick update that asked for it, as for any tick.
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
    ax = axis.axes
    return (
        tuple(axis.get_view_interval()),
        ax.bbox.bounds,
        ax.get_figure(root=True).dpi,
        id(axis.major.locator),
        id(axis.major.formatter),
        id(axis.minor.locator),
        id(axis.minor.formatter),
        id(axis._scale),
        id(axis.__dict__.get("majorTicks")),
        id(axis.__dict__.get("minorTicks")),
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
            self.ticks = Axis._update_ticks(self.axis)  # the class's own computation
            self.inputs = _inputs(self.axis)  # (it may have created the tick lists)
        return list(self.ticks)


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
        while len(ticks) < numticks:
            ticks.append(_clone(ticks[0]))
        return ticks[:numticks]

    return get_ticks


@contextmanager
def steady(fig: Figure) -> Iterator[None]:
    """Within: every axis of `fig` computes its ticks only when their inputs change.

    Only plain x and y axes (projections with axes of their own are left alone).
    """
    axes = [
        axis for ax in fig.axes for axis in ax._axis_map.values() if type(axis) in (XAxis, YAxis)
    ]
    for axis in axes:
        axis._update_ticks = _Remembered(axis)
        axis.get_major_ticks = _tick_getter(axis, major=True)
        axis.get_minor_ticks = _tick_getter(axis, major=False)
    try:
        yield
    finally:
        for axis in axes:
            for name in ("_update_ticks", "get_major_ticks", "get_minor_ticks"):
                axis.__dict__.pop(name, None)
