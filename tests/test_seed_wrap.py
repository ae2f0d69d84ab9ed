"""New seed at the largest seed wraps to 0 and says so; below it, it just counts up."""

from __future__ import annotations

import pytest

from bot.lab import SEED_MAX


async def test_new_seed_from_the_largest_seed_says_it_wraps(harness):
    reply = await harness.driver.invoke(f"/xor neuron seed:{SEED_MAX} epochs:10")
    assert reply.embed["footer"]["text"].startswith(f"seed {SEED_MAX} ")
    again = await harness.driver.click(reply, "New seed")
    assert again.embed["footer"]["text"].startswith("seed 0 ")
    assert again.content == f"Seed {SEED_MAX} is the largest, so New seed wrapped around to seed 0."
    assert len(again.messages) == 1  # the note rides on the card itself: no second message


async def test_new_seed_below_the_bound_counts_up_without_a_note(harness):
    reply = await harness.driver.invoke(f"/xor neuron seed:{SEED_MAX - 1} epochs:10")
    again = await harness.driver.click(reply, "New seed")
    assert again.embed["footer"]["text"].startswith(f"seed {SEED_MAX} ")
    assert again.content == ""


# -- batches: /xor stats and /learnable run seeds seed … seed + seeds − 1 ---------------


@pytest.mark.parametrize(
    ("command", "first", "seeds"),
    [
        ("/xor stats seed:2147483000", 2147483000, 1000),
        ("/learnable seed:2147483500", 2147483500, 200),
    ],
)
async def test_a_batch_past_the_largest_seed_is_refused_naming_the_largest_first_seed(
    harness, command, first, seeds
):
    """With the default seeds, first + seeds − 1 passes 2³¹ − 1: refused before any
    training, with the largest first seed that keeps the whole batch in range."""
    reply = await harness.driver.invoke(command)
    assert reply.ephemeral and reply.embed is None
    last = first + seeds - 1
    assert last > SEED_MAX
    assert f"seeds {first}–{last} go past the largest seed, {SEED_MAX}" in reply.content
    assert f"with {seeds} seeds the first seed can be at most {2**31 - seeds}." in reply.content
    assert len(reply.content) < 200


TOP = 2**31 - 1


@pytest.mark.parametrize(
    "command",
    [
        "/xor stats hidden:2 activation:tanh seeds:10 epochs:5",
        "/learnable kind:prelu task:xor hidden:2 seeds:10 epochs:5",
    ],
)
@pytest.mark.parametrize("start", [TOP - 19, TOP - 24])
async def test_new_seed_on_a_batch_never_passes_the_largest_seed_and_says_when_it_wraps(
    harness, command, start
):
    """Batches of 10 from TOP − 19: the next, TOP − 9 … TOP, ends exactly at the largest
    seed and is given. From TOP − 24: the next is TOP − 14 … TOP − 5, and the one after
    would start at TOP − 4 (a seed) but end past TOP, so New seed wraps to seeds 0–9."""
    reply = await harness.driver.invoke(f"{command} seed:{start}", timeout=60)
    assert reply.embed["footer"]["text"].startswith(f"seeds {start}–{start + 9} ")
    last = await harness.driver.click(reply, "New seed")
    assert last.embed["footer"]["text"].startswith(f"seeds {start + 10}–{start + 19} ")
    assert last.content == ""
    again = await harness.driver.click(last, "New seed")
    assert again.embed["footer"]["text"].startswith("seeds 0–9 ")
    assert again.content == (
        f"Seed {TOP} is the largest and the next 10 seeds would pass it, "
        "so New seed wrapped around to seeds 0–9."
    )
