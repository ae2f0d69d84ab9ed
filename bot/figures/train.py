"""Figures for /train: the decision boundary and the loss while a network trains, as a GIF.

One Figure is laid out once (on the last frame, whose labels are the widest) and drawn
once without its moving parts; that picture (axes, ticks, labels, the faint full loss
curves) is kept. Each frame restores it and draws only what moves (the σ image, the p = ½
contour, the points on top, the loss curve so far, the titles): blitting, several times
faster than a full draw. Pillow turns each frame into a palette image; every frame shares
the last frame's palette, so colours never flicker between frames.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullFormatter
from PIL import Image

from bot.figures import theme
from bot.lab.train import GRID, LIMIT, Training

MAX_GIF_BYTES = 4_000_000  # under 4 MB: quick to load on a phone (Discord allows 10 MiB)
FRAME_MS = 120  # each frame's time on screen
LAST_MS = 2000  # the final frame stays a while before the loop starts again
COLORS = 64  # palette size: the σ bands, the two classes and the text need no more
BANDS = 10  # σ in ten flat bands: the boundary is where blue turns orange; small GIFs
CMAP = LinearSegmentedColormap.from_list(
    "classes", ["#1d5f86", "#2c3e4c", theme.PANEL, "#5a4420", "#8a5d00"]
)  # class 0 (blue) … undecided (panel grey) … class 1 (orange), dark enough for the points
LUT = (CMAP((np.arange(BANDS) + 0.5) / BANDS)[:, :3] * 255).astype(np.uint8)  # (BANDS, 3)
LOSS_SHOWN_MAX = 1e3  # a loss above this (a run on its way to diverging) is drawn at the top
LOSS_TICKS = [
    m * 10.0**e for e in range(-8, 3) for m in (1, 2, 5)
]  # a label or two even in a narrow range
NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear", "sin": "sin"}


def _colours(grid: np.ndarray) -> np.ndarray:
    """σ on the square (G, G) → RGB (G, G, 3) uint8: ten flat bands, undecided grey in the
    middle; NaN (a diverged network) shows as the panel colour."""
    band = np.clip((np.nan_to_num(grid, nan=0.5) * BANDS).astype(int), 0, BANDS - 1)
    return LUT[band]


class _Panel:
    """One decision panel: σ on the square (ten bands, the boundary where they change colour
    from blue to orange), written straight into the canvas's pixels (no image artist to
    resample), and the points drawn on top."""

    def __init__(self, ax, r: Training, k: int) -> None:
        self.ax, self.r, self.k = ax, r, k
        theme.style(ax)
        ax.grid(False)
        self.points = [  # Line2D markers: redrawn every frame, far cheaper than a scatter
            ax.plot(*r.X[r.y == label].T, "o", markersize=2.8, color=color, markeredgecolor="white",
                    markeredgewidth=0.3)[0]
            for label, color in ((0, theme.BLUE), (1, theme.ORANGE))
        ]  # fmt: skip
        ax.set_xlim(-LIMIT, LIMIT)
        ax.set_ylim(-LIMIT, LIMIT)
        ax.set_aspect("equal")
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])

    def place(self) -> None:
        """After a draw (the aspect is applied then): which pixels the square covers, and which
        grid cell each shows (nearest, rows from the top of the canvas). The outermost pixel
        ring is left to the spines."""
        box, height = self.ax.get_window_extent(), self.ax.figure.canvas.get_width_height()[1]
        c0, c1 = round(box.x0) + 1, round(box.x1) - 1
        r0, r1 = round(height - box.y1) + 1, round(height - box.y0) - 1
        cols = ((np.arange(c0, c1) + 0.5 - box.x0) / box.width * GRID).astype(int)
        rows = ((height - np.arange(r0, r1) - 0.5 - box.y0) / box.height * GRID).astype(int)
        self.where = (slice(r0, r1), slice(c0, c1))
        self.cells = (np.clip(rows, 0, GRID - 1)[:, None], np.clip(cols, 0, GRID - 1)[None, :])

    def paint(self, pixels: np.ndarray, i: int) -> None:
        """σ at frame i into the canvas (H, W, 4), under the points."""
        pixels[(*self.where, slice(0, 3))] = _colours(self.r.grids[self.k][i])[self.cells]

    def title(self, title: str) -> None:
        many = len(self.r.activations) > 1
        color = theme.SERIES[self.k % len(theme.SERIES)] if many else theme.FG  # as its loss curve
        self.ax.set_title(title, color=color, fontsize=9 if many else 11)


def _loss_panel(ax, r: Training):
    """Each run's whole loss curve, faint (it stays in the kept picture), and a bright line per
    run that each frame extends to its epoch. Log scale, limits fixed before any data."""
    theme.style(ax, f"loss: {r.dataset}, {r.hidden} hidden units")
    curves = [_shown(c) for c in r.curves]
    finite = np.concatenate([c[np.isfinite(c) & (c > 0)] for c in curves])
    ax.set_yscale("log")
    ax.set_ylim(*((finite.min() / 1.5, finite.max() * 1.5) if finite.size else (0.1, 1)))
    ax.set_autoscale_on(False)
    ax.yaxis.set_major_locator(FixedLocator(LOSS_TICKS))  # plain 0.5, not 5×10⁻¹
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(0, r.epochs)
    ax.set_xlabel("epoch")  # comparisons: each curve has its panel title's colour
    lines = []
    for k, name in enumerate(r.activations):
        color = theme.SERIES[k % len(theme.SERIES)] if len(r.activations) > 1 else theme.ORANGE
        c = curves[k]
        ax.plot(np.arange(len(c)), c, color=color, alpha=0.25, linewidth=1)  # the whole run, faint
        (line,) = ax.plot([], [], color=color, linewidth=1.6, label=NAMES[name], animated=True)
        lines.append(line)
        if r.diverged_at[k] >= 0:  # where the lab's rule says it diverged (bot.lab.train)
            ax.axvline(r.diverged_at[k], color=color, linestyle="--", linewidth=1.2)
    with np.errstate(invalid="ignore"):
        capped = any(np.any(np.isfinite(c) & (c > LOSS_SHOWN_MAX)) for c in r.curves)
    if len(r.activations) == 1 and (r.diverged_at[0] >= 0 or capped):  # a comparison: no room
        note = "dashed: diverged" if r.diverged_at[0] >= 0 else ""
        note += (" · " if note and capped else "") + (
            f"losses over {LOSS_SHOWN_MAX:g} drawn at {LOSS_SHOWN_MAX:g}" if capped else ""
        )
        ax.text(0.98, 0.03, note, transform=ax.transAxes, ha="right", va="bottom",
                color=theme.MUTED, fontsize=8)  # fmt: skip
    return lines


def _shown(c: np.ndarray) -> np.ndarray:
    """A loss curve as drawn: NaN (a gap) where the run diverged, capped at LOSS_SHOWN_MAX."""
    return np.where(np.isfinite(c), np.minimum(c, LOSS_SHOWN_MAX), np.nan)


def _diverged(r: Training, k: int, epoch: int) -> bool:
    """Network k has diverged by this epoch (the lab's rule: blown up from there to the end)."""
    return not np.isfinite(r.curves[k][epoch]) or 0 <= r.diverged_at[k] <= epoch


def _caption(r: Training, i: int, last: bool) -> str:
    """The one text that changes: the epoch and the score (a comparison's scores: last frame)."""
    n, epoch = len(r.y), r.frame_epochs[i]
    if len(r.activations) == 1:
        name = NAMES[r.activations[0]]
        if _diverged(r, 0, epoch):
            return f"{name}, epoch {epoch}: diverged"
        return f"{name}, epoch {epoch}: {int(r.scores[0][i])}/{n} right"
    if not last:
        return f"epoch {epoch}"
    scores = [
        f"{NAMES[a]} {'diverged' if _diverged(r, k, epoch) else int(r.scores[k][i])}"
        for k, a in enumerate(r.activations)
    ]
    return f"epoch {epoch}, right of {n}: " + ", ".join(scores)


def _rgb(fig) -> Image.Image:
    w, h = fig.canvas.get_width_height()
    return Image.frombuffer("RGBA", (w, h), bytes(fig.canvas.buffer_rgba()), "raw", "RGBA", 0, 1)


def train_animation(r: Training) -> tuple[bytes, bytes]:
    """(the GIF of every frame, looped forever; the last frame as a PNG)."""
    many = len(r.activations) > 1
    fig = theme.new_figure((8.0, 5.2) if many else theme.SIZE)
    fig.set_layout_engine(None)  # fixed margins, set by eye: no layout pass at all
    if many:
        grid = fig.add_gridspec(2, 3, left=0.06, right=0.98, bottom=0.1, top=0.88, hspace=0.32)
        axes = [fig.add_subplot(grid[k // 3, k % 3]) for k in range(len(r.activations))]
        loss_ax = fig.add_subplot(grid[1, 2])
    else:
        grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.15), left=0.06, right=0.98, bottom=0.12,
                                top=0.9, wspace=0.15)  # fmt: skip
        axes, loss_ax = [fig.add_subplot(grid[0])], fig.add_subplot(grid[1])
    panels = [_Panel(ax, r, k) for k, ax in enumerate(axes)]
    lines = _loss_panel(loss_ax, r)
    frames = r.grids[0].shape[0]
    epochs = r.frame_epochs[:frames]
    text = fig.suptitle(" ", color=theme.FG, fontsize=11) if many else panels[0].ax.title
    for k, p in enumerate(panels):
        p.title(NAMES[r.activations[k]])  # comparisons: just the names, kept in the background
    moving = [a for p in panels for a in p.points] + lines + [text]
    for a in moving:
        a.set_animated(True)
    theme.no_offsets(fig)
    fig.canvas.draw()
    still = fig.canvas.copy_from_bbox(fig.bbox)  # everything that does not move
    for p in panels:
        p.place()

    def picture(i: int) -> Image.Image:
        for k in range(len(panels)):
            c = _shown(r.curves[k][: epochs[i] + 1])
            lines[k].set_data(np.arange(len(c)), c)
        text.set_text(_caption(r, i, last=i == frames - 1))
        fig.canvas.restore_region(still)
        pixels = np.asarray(fig.canvas.buffer_rgba())  # (H, W, 4), the canvas itself
        for p in panels:
            p.paint(pixels, i)
        for a in moving:
            fig.draw_artist(a)
        return _rgb(fig).convert("RGB")

    last = picture(frames - 1).quantize(COLORS, method=Image.Quantize.FASTOCTREE)
    images = [
        picture(i).quantize(palette=last, dither=Image.Dither.NONE) for i in range(frames - 1)
    ] + [last]
    gif = _gif(images)
    while len(gif) > MAX_GIF_BYTES and len(images) > 2:  # never seen: every other frame goes
        images = images[-1::-2][::-1]
        gif = _gif(images)
    png = io.BytesIO()
    last.save(png, format="PNG")
    return gif, png.getvalue()


def _gif(images: list[Image.Image]) -> bytes:
    """The frames as one GIF, looped forever, the last one held longer."""
    out = io.BytesIO()
    images[0].save(
        out, format="GIF", save_all=True, append_images=images[1:], loop=0,
        duration=[FRAME_MS] * (len(images) - 1) + [LAST_MS],
    )  # fmt: skip
    return out.getvalue()
