"""/learnable end to end through the sandbox."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "command",
    [
        "/learnable seeds:20 epochs:200",
        "/learnable kind:sine_phase task:sin hidden:3 seeds:10 epochs:50 lr:0.05 init:he",
        "/learnable kind:rational task:step seeds:10 epochs:20 lr:10 private:true",
        "/learnable kind:kan task:abs hidden:3 seeds:10 epochs:50 lr:0.05",
    ],
)
async def test_learnable_replies_with_a_figure_and_numbers(harness, command):
    reply = await harness.driver.invoke(command, timeout=60)
    assert not reply.timed_out
    assert reply.ephemeral == ("private:true" in command)
    name = reply.embed["image"]["url"].removeprefix("attachment://")
    assert reply.files[name].startswith(b"\x89PNG\r\n\x1a\n")
    fields = [f["name"] for f in reply.embed["fields"]]
    assert fields[:2] == ["Learned vs frozen (same init, seeds, budget)", "Parameters"]
    assert "epochs" in reply.embed["footer"]["text"]


async def test_learnable_over_budget_is_refused_ephemerally(harness):
    reply = await harness.driver.invoke(
        "/learnable kind:fourier task:sin hidden:16 seeds:1000 epochs:5000"
    )
    assert reply.ephemeral and reply.embed is None
    assert "at most" in reply.content


async def test_new_seed_on_learnable_trains_the_next_batch_and_the_footer_says_which(harness):
    from bot.cards.learnable import learnable_card

    reply = await harness.driver.invoke("/learnable seeds:10 epochs:40", timeout=60)
    assert reply.embed["footer"]["text"].startswith("seeds 0–9 ")
    again = await harness.driver.click(reply, "New seed")
    assert again.embed["footer"]["text"].startswith("seeds 10–19 ")
    result = again.embed["fields"][0]["value"]
    expected = learnable_card("prelu", "xor", 2, 10, 40, 1.0, "normal", figure=False, seed=10)
    assert result == expected.fields[0].value
