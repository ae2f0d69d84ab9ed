"""Install to a user, use it anywhere: every command in the four places it can be typed.

resources/application "Installation Context" and interactions "Interaction Contexts":
the bot's own server (guild install), a server the bot is not in (user install), the DM
with the bot, and a group DM. Commands are synced globally here, as in production:
`integration_types` and `contexts` only apply to global commands.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.sandbox.driver import DriverError
from bot.sandbox.model import SEND_MESSAGES
from bot.sandbox.places import WHERE

# cheap options where a command has them: what is checked is the reply in each place
# (tests/test_e2e*.py answer the default and the largest options)
EVERY_COMMAND = [
    "/xor linear",
    "/xor squash",
    "/xor neuron epochs:50",
    "/xor mlp epochs:50",
    "/collapse",
    "/activation",
    "/explain",
    "/help",
    "/xor stats hidden:2 activation:tanh seeds:10 epochs:20",
    "/learnable seeds:10 epochs:10",
    "/claim claim:linear-squash",
    "/approximate units:4",
    "/regions",
    "/train epochs:10",
]


@pytest.fixture
def harness_options():
    return {"dev_guild": False}


def _labels(reply) -> list[str]:
    return [b["label"] for b in reply.buttons()]


async def test_the_list_holds_every_command(harness):
    def path(line: str) -> str:  # "/xor mlp [hidden:…] …  — description" → "/xor mlp"
        words = line.split("  — ")[0].split()
        return " ".join(w for w in words if not (w.startswith("[") or ":" in w))

    assert {path(line) for line in harness.driver.usage()} == {path(c) for c in EVERY_COMMAND}


async def test_every_command_works_in_every_context(harness):
    """One bot for all four places: each card is built once and served from the reply
    cache in the other places, so what is checked here is the reply in each place."""
    sb = harness.sandbox
    for where in WHERE:
        for command in EVERY_COMMAND:
            reply = await harness.driver.invoke(command, where=where)
            assert not reply.timed_out, (command, where)
            assert not sb.violations and not sb.unhandled, (command, where, sb.violations)
            assert reply.record.ack_ms < 3000
            assert reply.record.place.where == where
            if command == "/help":
                assert reply.ephemeral and reply.embed["title"] == "Nonlinear: commands"
                continue
            assert not reply.ephemeral, (command, where)
            image = next(e["image"] for e in reply.message.payload["embeds"] if "image" in e)
            name = image["url"].removeprefix("attachment://")  # /claim: the experiment's embed
            assert reply.files[name].startswith(b"\x89PNG\r\n\x1a\n")
            # the bot can pin only where it is a member: its own server
            assert ("Pin" in _labels(reply)) == (where == "guild"), (command, where)
            assert reply.message.payload["channel_id"] == str(reply.record.place.channel.id)
    assert harness.bot.cache.hits >= 3 * (len(EVERY_COMMAND) - 1)


@pytest.mark.parametrize("where", ["user-guild", "dm", "gdm"])
async def test_buttons_work_where_the_bot_is_not_a_member(harness, where):
    reply = await harness.driver.invoke("/collapse 4 seed:41", where=where)
    assert _labels(reply) == ["Show code", "New seed"]
    code = await harness.driver.click(reply, "Show code")
    assert code.ephemeral and "python" in code.content
    again = await harness.driver.click(reply, "New seed")
    assert again.embed["footer"]["text"].startswith("seed 42 ")
    assert again.record.place.where == where


async def test_the_interaction_payloads_per_context(harness):
    """What the bot receives: context, owners, member or user, app_permissions."""
    sb, d = harness.sandbox, harness.driver
    seen = {}
    for where in WHERE:
        reply = await d.invoke("/xor linear", where=where)
        rec = reply.record
        seen[where] = (rec.place.context, sorted(rec.owners), rec.place.guild is not None)
    assert seen == {
        "guild": (0, ["0"], True),
        "user-guild": (0, ["1"], True),
        "dm": (1, ["1"], False),
        "gdm": (2, ["1"], False),
    }
    assert not sb.violations


async def test_a_server_where_the_user_may_not_post_gets_private_replies(harness):
    """A user install answers with the user's rights: no Send Messages, only ephemeral."""
    sb = harness.sandbox
    sb.foreign.everyone.permissions &= ~SEND_MESSAGES
    reply = await harness.driver.invoke("/xor linear", where="user-guild")
    assert reply.ephemeral and "Pin" not in _labels(reply)
    assert not reply.record.forced_ephemeral  # the bot chose it; Discord had nothing to force


async def test_guild_commands_exist_only_in_their_guild(pool, tmp_path):
    from bot.sandbox.harness import running
    from bot.settings import Settings

    async with running(Settings(workers=2, state_dir=tmp_path, cooldown_rate=1000), pool=pool) as h:
        assert (await h.driver.invoke("/xor linear")).embed  # DEV_GUILD_ID: a guild command
        for where in ("user-guild", "dm", "gdm"):
            with pytest.raises(DriverError, match="another server"):
                h.driver.parse("/xor linear", where)


@pytest.mark.parametrize("where", WHERE)
async def test_settle_this_works_on_a_message_in_every_context(harness, where):
    """Apps → Settle this on a person's message in each place: answered in that channel,
    with a jump link into it (@me for DMs), Pin only where the bot is a member."""
    d = harness.driver
    target = d.post("stacking linear layers makes the network more powerful", where=where)
    reply = await d.apps("Settle this", target)
    assert not reply.timed_out and not reply.ephemeral, where
    assert reply.record.place.where == where
    assert reply.message.payload["channel_id"] == target.payload["channel_id"]
    top = reply.message.payload["embeds"][0]
    scope = str(target.place.guild.id) if target.place.guild else "@me"
    link = f"/channels/{scope}/{target.payload['channel_id']}/{target.id}"
    assert link in top["fields"][0]["value"], top["fields"][0]["value"]
    assert "❌ FALSE" in top["description"]
    assert ("Pin" in _labels(reply)) == (where == "guild")
    assert not harness.sandbox.violations and not harness.sandbox.unhandled


async def test_the_apps_menu_lists_only_what_the_place_allows(harness):
    from bot.sandbox.message_commands import message_commands

    sb = harness.sandbox
    names = {w: [c["name"] for c in message_commands(sb, sb.place(w))] for w in WHERE}
    assert names == {w: ["Settle this"] for w in WHERE}
    only_guilds = [dict(c, contexts=[0]) for c in sb.commands[None]]
    sb.commands[None] = only_guilds
    assert [c["name"] for c in message_commands(sb, sb.place("dm"))] == []
    with pytest.raises(Exception, match="no message command"):
        await harness.driver.apps("Settle this", harness.driver.post("tanh < 1", where="dm"))


async def test_where_the_user_may_not_post_a_long_message_is_settled_privately(harness):
    """A user install in a server where the user may not post: the deferral is private
    too, so the answer that replaces it is."""
    from tests.test_claim_e2e import ARGUMENT, GatedReads

    harness.sandbox.foreign.everyone.permissions &= ~SEND_MESSAGES
    d = harness.driver
    gated = harness.bot.pool = GatedReads(harness.bot.pool)
    try:
        task = asyncio.create_task(
            d.apps("Settle this", d.post(ARGUMENT[:4000], where="user-guild"))
        )
        assert await harness.sandbox.wait_for(
            lambda: any(r.ack_type == 5 for r in harness.sandbox.interactions.values()), 10
        )
        gated.gate.set()
        reply = await task
    finally:
        harness.bot.pool = gated.pool
    assert reply.record.ack_type == 5 and reply.ephemeral and not reply.record.forced_ephemeral
    assert reply.message.payload["embeds"][0]["title"].startswith("Settling ")
    assert len(reply.messages) == 1  # the answer replaced the private "thinking…"
