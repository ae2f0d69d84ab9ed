"""/train's pictures: the GIF decodes with the stated frames, size and loop; the PNG is its end."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from bot.figures.train import MAX_GIF_BYTES, train_animation
from bot.lab.train import FRAMES, train


def frames_of(gif: bytes) -> list[np.ndarray]:
    im = Image.open(io.BytesIO(gif))
    out = []
    for i in range(im.n_frames):
        im.seek(i)
        out.append(np.asarray(im.convert("RGB")))
    return out


def test_a_single_run_is_forty_looped_frames_ending_on_the_png():
    r = train("moons", "sin", 6, 200, 1.0, 3)
    gif, png = train_animation(r)
    im = Image.open(io.BytesIO(gif))
    assert gif.startswith(b"GIF89a") and len(gif) < MAX_GIF_BYTES
    assert im.n_frames == FRAMES == len(r.frame_epochs) and im.size == (800, 450)
    assert im.info["loop"] == 0  # forever
    frames = frames_of(gif)
    last = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    assert last.shape == (450, 800, 3) and np.array_equal(frames[-1], last)
    assert not np.array_equal(frames[0], frames[-1])  # it moves


def test_a_comparison_has_one_frame_per_epoch_when_short():
    r = train("xor", compare=True, hidden=3, epochs=12, lr=1.0, seed=1)
    gif, png = train_animation(r)
    im = Image.open(io.BytesIO(gif))
    assert im.n_frames == 13 and im.size == (800, 520) and im.info["loop"] == 0
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_gif_over_the_size_bound_drops_every_other_frame(monkeypatch):
    r = train("xor", "relu", 3, 12, 1.0, 0)
    gif, _ = train_animation(r)
    monkeypatch.setattr("bot.figures.train.MAX_GIF_BYTES", int(len(gif) * 0.75))
    smaller, png = train_animation(r)
    im = Image.open(io.BytesIO(smaller))
    assert len(smaller) <= len(gif) * 0.75 and im.n_frames in (7, 4) and im.info["loop"] == 0
    last = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    assert np.array_equal(frames_of(smaller)[-1], last)  # the end is always kept


def test_frames_say_diverged_from_the_lab_s_epoch_on_even_while_the_loss_is_finite():
    from bot.figures.train import _caption

    r = train("xor", "linear", 16, 10, 10.0, 0, frames=False)
    assert r.diverged_at == (4,) and np.all(np.isfinite(r.curves[0]))  # blown up, not NaN
    said = [_caption(r, i, last=i == 10).endswith("diverged") for i in range(11)]
    assert said == [False] * 4 + [True] * 7
