"""/train end to end: the real client against the sandbox, a GIF beside the PNG, buttons included."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.scripts import run_script

PATIENCE = 120.0  # seconds: the machine is shared; speed is measured by `make bench`, not here


def _check(reply, frames):
    embed = reply.embed
    assert embed is not None, reply.content
    assert embed["image"]["url"] == "attachment://train.png"  # the final frame, in the embed
    assert reply.files["train.png"].startswith(b"\x89PNG\r\n\x1a\n")
    gif = reply.files["train.gif"]
    im = Image.open(io.BytesIO(gif))
    assert (im.n_frames, im.info["loop"]) == (frames, 0) and len(gif) < 4_000_000
    assert reply.record.ack_ms < 3000  # answered or deferred inside Discord's window


async def test_train_replies_with_a_gif_and_its_last_frame(harness):
    reply = await harness.driver.invoke("/train", timeout=PATIENCE)
    assert not reply.timed_out and not reply.ephemeral
    _check(reply, 40)
    assert {"Show code", "New seed", "Pin"} <= {b["label"] for b in reply.buttons()}
    assert "fit a circle" in reply.embed["description"]


async def test_compare_shows_that_linear_cannot(harness):
    reply = await harness.driver.invoke(
        "/train dataset:spiral compare:True epochs:60 noise:0.05 seed:2147483647", timeout=PATIENCE
    )
    _check(reply, 40)
    assert "Linear can't" in reply.embed["description"]
    names = [f["name"] for f in reply.embed["fields"]]
    assert names[:5] == ["ReLU", "tanh", "sigmoid", "linear", "sin"]


async def test_show_code_and_new_seed(harness, tmp_path):
    reply = await harness.driver.invoke(
        "/train dataset:moons activation:sin epochs:50 hidden:4", timeout=PATIENCE
    )
    code = await harness.driver.click(reply, "Show code", timeout=PATIENCE)
    assert code.ephemeral
    script = (
        code.files["reproduce.py"].decode()
        if "reproduce.py" in code.files
        else code.content.split("```py\n", 1)[1].rsplit("```", 1)[0]
    )
    printed = dict(run_script(script, tmp_path))
    shown = "".join(f["value"] for f in reply.embed["fields"])
    assert f"**{printed['sin_right']}/200**" in shown and printed["sin_loss"] in shown
    again = await harness.driver.click(reply, "New seed", timeout=PATIENCE)
    assert "seed 1" in again.embed["footer"]["text"]
    _check(again, 40)


async def test_private_answers_only_the_caller(harness):
    reply = await harness.driver.invoke(
        "/train dataset:xor activation:linear epochs:10 private:True", timeout=PATIENCE
    )
    assert reply.ephemeral
    _check(reply, 11)
    assert "Can't" in reply.embed["description"]


def test_the_schema_declares_the_bounds(harness):
    from bot.sandbox.driver import DriverError

    for bad, match in [
        ("/train epochs:5", "between 10 and 2000"),
        ("/train hidden:17", "between 1 and 16"),
        ("/train noise:0.9", "0.5"),
        ("/train dataset:mnist", "one of"),
        ("/train activation:gelu", "one of"),
    ]:
        with pytest.raises(DriverError, match=match):
            harness.driver.parse(bad)
