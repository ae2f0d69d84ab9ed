"""The fast render path (bot.figures.render) draws exactly what `savefig` draws.

Each figure is rendered three ways: the classic savefig path, the fast path laying it
out (a layout-cache miss), and the fast path again reusing that layout (a hit); the
decoded pixels must be equal. A layout key that missed something that moves margins
would show here as a shifted picture.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from bot.figures import render, theme, ticks
from bot.figures.activation import activation_figure
from bot.figures.approximate import approximate_figure
from bot.figures.collapse import collapse_figure
from bot.figures.regions import regions_figure
from bot.figures.xor import mlp_figure, neuron_figure
from bot.lab.activation_report import describe
from bot.lab.activations import REGISTRY
from bot.lab.approximate import approximate
from bot.lab.collapse import collapse
from bot.lab.mlp import train_mlp
from bot.lab.neuron import train_neuron
from bot.lab.regions import regions

FIGURES = {
    "activation": lambda: activation_figure(describe("tanh")),
    "xor-mlp": lambda: mlp_figure(train_mlp(REGISTRY["relu"], 3, 1, 40), REGISTRY["relu"].f),
    "collapse": lambda: collapse_figure(collapse(layers=3, width=3, between="tanh")),
}
# log axes with many minor ticks, colorbars, equal aspect, legends under the axes
SEEDED = {
    "approximate": lambda seed: (lambda r: lambda: approximate_figure(r, f"seed {seed}"))(
        approximate(units=8, method="random", seed=seed)
    ),
    "xor-neuron": lambda seed: (lambda run: lambda: neuron_figure(run, REGISTRY["tanh"].f))(
        train_neuron(REGISTRY["tanh"], seed, 300)
    ),
    "regions": lambda seed: (lambda r: lambda: regions_figure(r, f"seed {seed}"))(
        regions(width=6, depth=2, seed=seed)
    ),
}


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("kind", FIGURES)
def test_fast_path_draws_the_same_pixels(kind, monkeypatch):
    draw = FIGURES[kind]
    monkeypatch.setattr(theme, "CLASSIC", True)
    classic = pixels(draw())
    monkeypatch.setattr(theme, "CLASSIC", False)
    monkeypatch.setattr(render, "_LAYOUTS", type(render._LAYOUTS)())
    miss = pixels(draw())
    assert len(render._LAYOUTS) == 1  # laid out once and remembered
    hit = pixels(draw())
    assert len(render._LAYOUTS) == 1  # the second figure reused that layout
    assert classic.shape == miss.shape == hit.shape
    assert np.array_equal(classic, miss)
    assert np.array_equal(classic, hit)


def test_a_longer_title_gets_its_own_layout(monkeypatch):
    """A different text that can move margins is a different key (no stale reuse)."""
    monkeypatch.setattr(render, "_LAYOUTS", type(render._LAYOUTS)())
    keys = []
    for title in ("short", "a much longer title that needs more room\nand a second line"):
        fig = theme.new_figure()
        ax = fig.subplots()
        theme.style(ax, title)
        keys.append(render.layout_key(fig))
    assert keys[0] != keys[1]
    assert "0x" not in repr(keys[0])  # no object addresses: equal figures give equal keys


@pytest.mark.parametrize("kind", SEEDED)
def test_new_seeds_draw_the_same_pixels(kind, monkeypatch):
    """Tick labels that move with the data: laid out afresh, new ticks made as copies."""
    monkeypatch.setattr(render, "_LAYOUTS", type(render._LAYOUTS)())
    draw = SEEDED[kind](1)
    monkeypatch.setattr(theme, "CLASSIC", True)
    classic = pixels(draw())
    monkeypatch.setattr(theme, "CLASSIC", False)
    fast = pixels(draw())
    assert len(render._LAYOUTS) == 1  # a layout-cache miss: the layout engine ran
    assert classic.shape == fast.shape
    assert np.array_equal(classic, fast)


def test_text_at_any_angle_and_sub_pixel_offset(monkeypatch):
    """Glyph bitmaps reused across sub-pixel phases and rotations land on the same pixels."""

    def draw() -> bytes:
        fig = theme.new_figure((4.0, 3.0))
        ax = fig.subplots()
        theme.style(ax, "glyphs: 0.123 −4e5 µ")
        for k in range(12):  # the same strings at many fractional positions and angles
            ax.text(0.03 + k * 0.0731, 0.1 + k * 0.0677, "Ag 0.5", rotation=k * 15, fontsize=8)
            ax.text(0.5 + k * 0.0123, 0.9 - k * 0.0701, "Ag 0.5", fontsize=7.3, color=theme.FG)
        ax.set_ylabel("a rotated label")
        return theme.png_bytes(fig)

    monkeypatch.setattr(theme, "CLASSIC", True)
    classic = pixels(draw())
    monkeypatch.setattr(theme, "CLASSIC", False)
    assert np.array_equal(classic, pixels(draw()))
    assert np.array_equal(classic, pixels(draw()))  # every glyph from the cache now


def test_ticks_are_remembered_only_while_steady():
    fig = theme.new_figure()
    ax = fig.subplots()
    ax.set_xlim(0, 10)
    with ticks.steady(fig):
        first = ax.xaxis._update_ticks()
        assert ax.xaxis._update_ticks() == first  # same inputs: the same ticks
        assert [t.label1.get_text() for t in first] == ["0", "2", "4", "6", "8", "10"]
        ax.set_xlim(0, 1000)  # inputs changed: computed afresh
        moved = ax.xaxis._update_ticks()
        assert [t.get_loc() for t in moved] == [0, 200, 400, 600, 800, 1000]
        assert moved[1].label1.get_text() == "200"
        assert moved[1].tick1line is not moved[2].tick1line  # a copy has its own artists
        assert moved[1].label1.get_fontproperties() is not moved[2].label1.get_fontproperties()
    assert "_update_ticks" not in vars(ax.xaxis)  # matplotlib's own method again
    assert "get_major_ticks" in vars(ax.xaxis)  # a SharedCanvas figure copies ticks for good
    plain = Figure()  # any other figure: only while steady
    other = plain.subplots()
    with ticks.steady(plain):
        assert "get_major_ticks" in vars(other.yaxis)
    assert "get_major_ticks" not in vars(other.yaxis)


def test_set_ticks_copies_tick_0_and_a_boxed_label_is_built(monkeypatch):
    """Ticks made while building (set_xticks) are copies too; pixels as savefig's."""

    def draw(boxed: bool) -> bytes:
        fig = theme.new_figure((4.0, 3.0))
        ax = fig.subplots()
        theme.style(ax, "set_xticks")
        ax.tick_params(axis="x", labelsize=7, labelrotation=30)
        if boxed:
            ax.xaxis.get_major_ticks()[0].label1.set_bbox({"facecolor": theme.BG})
        ax.set_xticks(range(7), [f"label {k}" for k in range(7)])
        ax.set_xlim(-0.5, 6.5)
        return theme.png_bytes(fig)

    for boxed in (False, True):
        monkeypatch.setattr(theme, "CLASSIC", True)
        classic = pixels(draw(boxed))
        monkeypatch.setattr(theme, "CLASSIC", False)
        assert np.array_equal(classic, pixels(draw(boxed))), f"boxed={boxed}"
