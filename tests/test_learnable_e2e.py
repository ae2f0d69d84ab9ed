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


async def test_a_custom_target_trains_and_its_buttons_read_the_formula_back(harness, tmp_path):
    """custom:… alone means task:custom; New seed and Show code get the formula from the
    embed's Formula field (a custom_id can't hold 200 characters)."""
    from tests.scripts import run_script

    reply = await harness.driver.invoke(
        "/learnable custom:x*sin(3*x) seeds:10 epochs:40", timeout=60
    )
    assert reply.embed["title"].endswith("prelu on f(x) = x*sin(3*x)")
    fields = {f["name"]: f["value"] for f in reply.embed["fields"]}
    assert fields["Formula"] == "`f(x) = x*sin(3*x)`"
    assert "median MSE" in fields["Learned vs frozen (same init, seeds, budget)"]
    code = await harness.driver.click(reply, "Show code", timeout=60)
    script = (
        code.files["reproduce.py"].decode()
        if "reproduce.py" in code.files
        else code.content.split("```py\n", 1)[1].rsplit("```", 1)[0]
    )
    printed = dict(run_script(script, tmp_path))
    assert (
        f"learned in {printed['learned better']}, frozen in {printed['frozen better']}"
        in (fields["Learned vs frozen (same init, seeds, budget)"])
    )
    again = await harness.driver.click(reply, "New seed", timeout=60)
    assert again.embed["footer"]["text"].startswith("seeds 10–19 ")
    assert again.embed["title"].endswith("prelu on f(x) = x*sin(3*x)")


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/learnable task:custom", "task:custom needs a formula in x"),
        ("/learnable task:sin custom:x", "use it with task:custom"),
        ("/learnable task:xor custom:x", "use it with task:custom"),  # explicit, not the default
        ("/learnable custom:log(x)", "log(x) is undefined or infinite at x = -2"),
        ("/learnable custom:exp(10*x)", "keep the target within ±100"),
        ("/learnable custom:__import__('os')", "Allowed: numbers, x, pi"),
    ],
)
async def test_a_bad_custom_target_is_refused_privately(harness, command, says):
    reply = await harness.driver.invoke(command, timeout=60)
    assert reply.ephemeral and reply.embed is None
    assert says in reply.content
