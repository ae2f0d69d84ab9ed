"""The fast render path (bot.figures.render) draws exactly what `savefig` draws.

Each figure is rendered three ways: the classic savefig path, the fast path laying it
out (a layout-cache miss), and the fast path again reusing that layout (a hit); the
decoded pixels must be equal. A layout key that missed something that moves margins
would show here as a shifted picture. Layouts are also reused across seeds (new data,
new titles and tick labels with the same boxes): each seed's picture against its own
savefig.
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
from bot.lab.activation_report import describe, describe_custom
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
    # the diverged panel's caption wraps: its box depends on where it sits in the figure
    "xor-mlp diverged": lambda: mlp_figure(
        train_mlp(REGISTRY["identity"], 8, 0, 2000, 10.0), REGISTRY["identity"].f
    ),
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


# new seeds of every seeded kind; the first is laid out, later ones may reuse its layout
ACROSS = {
    **SEEDED,
    "xor-mlp": lambda seed: (lambda run: lambda: mlp_figure(run, REGISTRY["tanh"].f))(
        train_mlp(REGISTRY["tanh"], 2, seed, 300)
    ),
    "collapse": lambda seed: (lambda c: lambda: collapse_figure(c))(
        collapse(layers=3, width=3, between="tanh", seed=seed)
    ),
    "activation": lambda seed: (lambda r: lambda: activation_figure(r))(
        describe_custom(f"tanh(x)+x*{seed}/1000")
    ),
}
REUSED = {"xor-neuron", "collapse", "activation"}  # kinds whose seeds 2, 3 reuse seed 1's layout


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


def _count_layouts(monkeypatch) -> list:
    """A fresh layout cache; the list grows by one each time the layout engine runs."""
    monkeypatch.setattr(render, "_LAYOUTS", type(render._LAYOUTS)())
    runs: list = []
    execute = render._execute

    def counted(fig):
        runs.append(fig)
        return execute(fig)

    monkeypatch.setattr(render, "_execute", counted)
    return runs


@pytest.mark.parametrize("kind", ACROSS)
def test_a_layout_reused_across_seeds_draws_what_savefig_draws(kind, monkeypatch):
    """Seed 1 is laid out; seeds 2 and 3 (other data, titles, tick labels) may reuse it."""
    runs = _count_layouts(monkeypatch)
    for seed in (1, 2, 3):
        draw = ACROSS[kind](seed)
        monkeypatch.setattr(theme, "CLASSIC", True)
        classic = pixels(draw())
        monkeypatch.setattr(theme, "CLASSIC", False)
        assert np.array_equal(classic, pixels(draw())), f"seed {seed}"
    assert 1 <= len(runs) <= 3
    if kind in REUSED:
        assert len(runs) < 3  # at least one new seed drew with a remembered layout


def _panel(ylim: tuple[float, float], title: str = "a title", text=None):
    fig = theme.new_figure((4.0, 3.0))
    ax = fig.subplots()
    theme.style(ax, title)
    ax.set_xlim(0, 10)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if text is not None:
        ax.text(*text, "a note", clip_on=False)
    return fig


def test_keys_hold_boxes_not_strings_or_data():
    """Equal boxes, equal keys; a box that moves a margin, another key."""
    key = render.layout_key
    # a title counts by its height and middle (the layout takes it as 1 px wide)
    assert key(_panel((0, 1), "seed 12")) == key(_panel((0, 1), "seed 47"))
    assert key(_panel((0, 1), "seed 1")) == key(_panel((0, 1), "seed 12345"))
    assert key(_panel((0, 1), "seed 1")) != key(_panel((0, 1), "seed 1\nand a second line"))
    # tick labels of equal widths at other values, inside what the labels reach anyway
    assert key(_panel((0, 1))) == key(_panel((0.5, 1.5)))
    assert key(_panel((0, 1))) != key(_panel((0, 100)))  # wider labels: a wider margin
    # a text at data coordinates counts only where it sticks out of the axes
    assert key(_panel((0, 1), text=(2, 0.5))) == key(_panel((0, 1), text=(3, 0.25)))
    assert key(_panel((0, 1), text=(2, 0.5))) != key(_panel((0, 1), text=(2, 1.5)))


def test_the_second_pass_is_checked(monkeypatch):
    """A first-pass hit whose figure reads other boxes after the first pass is laid out."""
    runs = _count_layouts(monkeypatch)
    render.png(_panel((0, 1)))
    render.png(_panel((0.5, 1.5)))  # the same boxes in both passes: reused
    assert len(runs) == 1
    (entry,) = render._LAYOUTS.values()
    entry.results.clear()  # as if the second pass had read other boxes
    monkeypatch.setattr(theme, "CLASSIC", True)
    classic = pixels(theme.png_bytes(_panel((0.5, 1.5))))
    monkeypatch.setattr(theme, "CLASSIC", False)
    assert np.array_equal(classic, pixels(theme.png_bytes(_panel((0.5, 1.5)))))
    assert len(runs) == 2 and len(render._LAYOUTS) == 1  # laid out, under the same first key


def test_a_reused_layout_with_another_title_and_ticks_draws_what_savefig_draws(monkeypatch):
    """Another title width and other tick values inside the union: the same layout, exactly."""
    runs = _count_layouts(monkeypatch)
    render.png(_panel((0, 1), "seed 1", text=(2, 0.5)))
    monkeypatch.setattr(theme, "CLASSIC", True)
    classic = pixels(theme.png_bytes(_panel((0.5, 1.5), "seed 12345", text=(3, 0.9))))
    monkeypatch.setattr(theme, "CLASSIC", False)
    assert np.array_equal(
        classic, pixels(theme.png_bytes(_panel((0.5, 1.5), "seed 12345", text=(3, 0.9))))
    )
    assert len(runs) == 1  # the second figure reused the first one's layout
