"""New seed at the largest seed wraps to 0 and says so; below it, it just counts up."""

from __future__ import annotations

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
