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
from PIL import Image

from bot.figures import render, theme
from bot.figures.activation import activation_figure
from bot.figures.collapse import collapse_figure
from bot.figures.xor import mlp_figure
from bot.lab.activation_report import describe
from bot.lab.activations import REGISTRY
from bot.lab.collapse import collapse
from bot.lab.mlp import train_mlp

FIGURES = {
    "activation": lambda: activation_figure(describe("tanh")),
    "xor-mlp": lambda: mlp_figure(train_mlp(REGISTRY["relu"], 3, 1, 40), REGISTRY["relu"].f),
    "collapse": lambda: collapse_figure(collapse(layers=3, width=3, between="tanh")),
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
