"""One look for every figure: an opaque dark panel that reads on Discord's dark and light themes.

Colours are the Okabe-Ito palette (distinguishable with colour-blindness) brightened
for a dark background; text is near-white on #2b2d31 (Discord's dark embed colour).
"""

from __future__ import annotations

import io
import os

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from bot.figures import render

BG = "#2b2d31"
PANEL = "#313338"
FG = "#e3e5e8"
MUTED = "#a0a4ab"
GRID = "#45484f"
BLUE = "#56b4e9"
ORANGE = "#e69f00"
GREEN = "#2fd3a0"
PINK = "#e07fb0"
YELLOW = "#f0e442"
RED = "#ff6b5e"
SERIES = (BLUE, ORANGE, GREEN, PINK, YELLOW, RED)
CMAP = "coolwarm"
DPI = 100
SIZE = (8.0, 4.5)  # inches: 800 × 450 px, Discord shows it without scaling down much
# True: figures made as before issue 10's changes (`savefig` with constrained layout every
# time, one Text per /collapse cell number). Only `make bench` sets it (here or, for worker
# processes, by the environment variable), to show both paths side by side (same pixels).
CLASSIC = os.environ.get("NONLINEAR_CLASSIC_RENDER") == "1"


def new_figure(size: tuple[float, float] = SIZE) -> Figure:
    """A themed Figure with an Agg canvas attached (no global state but a shared renderer)."""
    fig = Figure(figsize=size, dpi=DPI, facecolor=BG, layout="constrained")
    (FigureCanvasAgg if CLASSIC else render.SharedCanvas)(fig)
    return fig


def style(ax, title: str = "") -> None:
    """Dark panel, light text, faint grid."""
    ax.set_facecolor(PANEL)
    for spine in ax.spines.values():
        spine.set_color(GRID)
    ax.tick_params(colors=MUTED, labelsize=9)
    ax.xaxis.label.set_color(FG)
    ax.yaxis.label.set_color(FG)
    ax.grid(True, color=GRID, linewidth=0.6, alpha=0.7)
    if title:
        ax.set_title(title, color=FG, fontsize=11)


def legend(ax, **kw) -> None:
    leg = ax.legend(facecolor=PANEL, edgecolor=GRID, fontsize=8, **kw)
    for text in leg.get_texts():
        text.set_color(FG)


def no_offsets(fig: Figure) -> None:
    """Full tick labels on every axis: never an offset like "1e−12 + 1.59e−2" in a corner."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, ScalarFormatter):
                fmt.set_useOffset(False)


def freeze_layout(fig: Figure) -> None:
    """Lay the figure out now and keep it there (axes extents are final afterwards)."""
    if CLASSIC:
        fig.draw_without_rendering()
        fig.set_layout_engine(None)
        return
    render.lay_out(fig)
    for ax in fig.axes:
        ax.apply_aspect()  # what a draw does first: the extents a drawn figure would have


def png_bytes(fig: Figure) -> bytes:
    """Render to PNG in memory (no offset notation); metadata stripped: reproducible bytes."""
    no_offsets(fig)
    if not CLASSIC:
        return render.png(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor=fig.get_facecolor(), metadata={"Software": None})
    return buf.getvalue()
