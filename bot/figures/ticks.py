"""Each axis' ticks worked out once per layout or draw, not a dozen times.

Matplotlib recomputes an axis' ticks (locator, formatter, every tick's position and
label) on each request: the axis draws them, its label and the title ask where they
are, the spines and tight boxes ask again; constrained layout asks in both passes. In
one draw nothing they depend on changes between those requests, so inside `steady`
an axis answers from its last computation while its inputs are the same: the view
interval, the axes' box in pixels, the dpi, and which locator, formatter, scale and
tick list it has. Outside `steady` (where user code may change a formatter in place)
every request computes afresh, as matplotlib does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib.axis import Axis
from matplotlib.figure import Figure


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


@contextmanager
def steady(fig: Figure) -> Iterator[None]:
    """Within: every axis of `fig` computes its ticks only when their inputs change."""
    axes = [axis for ax in fig.axes for axis in ax._axis_map.values()]
    for axis in axes:
        axis._update_ticks = _Remembered(axis)
    try:
        yield
    finally:
        for axis in axes:
            axis.__dict__.pop("_update_ticks", None)
