"""/xor stats end to end: the real discord.py client against the sandbox."""

from __future__ import annotations

import pytest

from tests.scripts import run_script


def _image(reply) -> bytes:
    name = reply.embed["image"]["url"].removeprefix("attachment://")
    return reply.files[name]


@pytest.mark.parametrize(
    "command",
    [
        "/xor stats seeds:40 epochs:200",
        "/xor stats hidden:1,16 activation:sin,step,identity seeds:10 epochs:5 lr:10 init:he",
        "/xor stats hidden:2 activation:relu seeds:20 epochs:100 init:glorot private:true",
    ],
)
async def test_stats_replies_with_a_chart_tables_and_setup(harness, command):
    reply = await harness.driver.invoke(command, timeout=60)
    assert not reply.timed_out
    assert reply.ephemeral == ("private:true" in command)
    assert _image(reply).startswith(b"\x89PNG\r\n\x1a\n")
    embed = reply.embed
    assert "seeds" in embed["description"] or "seed" in embed["description"]
    names = [f["name"] for f in embed["fields"]]
    assert names[0].startswith("Solved XOR")
    footer = embed["footer"]["text"]
    for part in ("init ", "lr ", "epochs", "loss BCE", "Hamey 1998"):
        assert part in footer


async def test_show_code_on_stats_prints_the_numbers(harness, tmp_path):
    reply = await harness.driver.invoke("/xor stats activation:tanh,relu seeds:10 epochs:30")
    code = await harness.driver.click(reply, "Show code")
    assert code.ephemeral
    text = code.content
    if "```py" in text:
        script = text.split("```py\n", 1)[1].rsplit("```", 1)[0]
    else:
        script = code.files["reproduce.py"].decode()
    pairs = run_script(script, tmp_path)
    fields = {f["name"]: f["value"] for f in reply.embed["fields"]}
    table = fields[next(n for n in fields if n.startswith("Solved XOR"))]
    assert dict(pairs)["tanh H=2 @30 rate"] in table
    assert dict(pairs)["relu H=8 @30 rate"] in table


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/xor stats hidden:0,99", "1 to 16"),
        ("/xor stats activation:tanh,nonsense", "unknown activation"),
        ("/xor stats hidden:16,15,14 activation:tanh,relu seeds:2000 epochs:5000", "at most"),
    ],
)
async def test_bad_stats_options_get_a_short_ephemeral_message(harness, command, says):
    reply = await harness.driver.invoke(command)
    assert reply.ephemeral
    assert reply.embed is None
    assert says in reply.content
    assert len(reply.content) < 600


async def test_new_seed_on_stats_trains_the_next_batch_and_the_footer_says_which(harness):
    """seed is the first seed of the batch; New seed moves to the next, disjoint batch, whose
    numbers are the lab's for those seeds (an independent call, not the card)."""
    from bot.cards.stats import stats_card

    reply = await harness.driver.invoke(
        "/xor stats hidden:2 activation:tanh seeds:20 epochs:60 seed:5", timeout=60
    )
    assert reply.embed["footer"]["text"].startswith("seeds 5–24 ")
    again = await harness.driver.click(reply, "New seed")
    assert again.message.id != reply.message.id
    assert again.embed["footer"]["text"].startswith("seeds 25–44 ")
    table = next(f["value"] for f in again.embed["fields"] if f["name"].startswith("Solved XOR"))
    expected = stats_card("2", "tanh", 20, 60, 1.0, "normal", figure=False, seed=25)
    assert table == next(f.value for f in expected.fields if f.name.startswith("Solved XOR"))
    code = await harness.driver.click(again, "Show code")
    assert "seed:25" in code.content
