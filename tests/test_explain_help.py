"""/explain topics and /help, through the sandbox and as cards."""

from __future__ import annotations

import pytest

from bot import limits
from bot.cards.explain import MAX_TEXT, TOPICS, explain_card
from bot.replies import card_embed
from cogs.help import HELP, command_names


def test_at_least_eight_topics():
    assert len(TOPICS) >= 8


@pytest.mark.parametrize("key", list(TOPICS))
def test_topic_card_fits_and_teaches(key):
    card = explain_card(key)
    assert len(card.body) <= MAX_TEXT
    embed, files = card_embed(card)
    data = {f.filename: f.fp.read() for f in files}
    assert limits.message_problems({"embeds": [embed.to_dict()]}, data) == []
    assert card.image.data.startswith(b"\x89PNG\r\n\x1a\n")
    tries = next(f for f in card.fields if f.name == "Try it yourself").value
    assert tries.count("`/") >= 2
    refs = next(f for f in card.fields if f.name == "References").value
    assert all(any(str(y) in line for y in range(1950, 2030)) for line in refs.splitlines())


@pytest.mark.parametrize("key", list(TOPICS))
async def test_every_topic_through_the_sandbox(harness, key):
    reply = await harness.driver.invoke(f"/explain topic:{key}")
    assert reply.embed["title"] == TOPICS[key].title
    name = reply.embed["image"]["url"].removeprefix("attachment://")
    assert reply.files[name].startswith(b"\x89PNG")


async def test_every_try_it_command_parses(harness):
    for topic in TOPICS.values():
        for command in topic.tries:
            harness.driver.parse(command)


async def test_unknown_topic_is_explained(harness):
    reply = await harness.driver.invoke("/explain topic:magic")
    assert reply.ephemeral and "Topics:" in reply.content


async def test_topic_autocomplete(harness):
    choices = await harness.driver.autocomplete("/explain topic:grad", "topic")
    assert {c["value"] for c in choices} == {"vanishing"}


async def test_help_lists_every_registered_command(harness):
    reply = await harness.driver.invoke("/help")
    assert reply.ephemeral
    listed = [f["name"].removeprefix("/") for f in reply.embed["fields"]]
    assert listed == command_names(harness.bot.tree)
    assert "Start here" in reply.embed["description"]


async def test_every_command_has_a_help_line(harness):
    missing = [n for n in command_names(harness.bot.tree) if n not in HELP]
    assert not missing, f"add a HELP line for: {missing}"
    for _purpose, example in HELP.values():
        harness.driver.parse(example)
