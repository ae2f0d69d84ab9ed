"""Gateway sharding: one AutoShardedBot on both shards, or one process per shard.

events/gateway "Sharding": IDENTIFY carries [shard_id, num_shards]; a guild's events go to
shard (guild_id >> 22) % num_shards, DMs to shard 0. The sandbox serves two shards (its
`guild` on shard 0, `guild2` on shard 1) and records a violation for any event or guild
opcode on the wrong connection, so these tests fail if routing or state crosses shards.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging

import aiohttp
import pytest

from bot.app import ShardedNonlinearBot
from bot.sandbox.gateway import shard_of
from bot.sandbox.harness import Harness, point_discord_at, restore_discord, running
from bot.sandbox.server import Sandbox
from bot.settings import Settings

# tests fire many commands as one user: limits high (tests/test_limits.py checks them)
LIMITS = {"cooldown_rate": 1000, "guild_concurrency": 100, "queue_max": 1000}


def _clean(sb: Sandbox) -> None:
    assert not sb.violations and not sb.unhandled, (sb.violations, sb.unhandled)


@pytest.fixture
def errors():
    """Errors logged by the bot or discord.py while the test runs (there must be none)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger().addHandler(handler)
    yield records
    logging.getLogger().removeHandler(handler)


async def _commands_on_both_shards(h: Harness, sb: Sandbox, *, click: bool) -> None:
    """A command in each guild and in a DM (and a click on its Show code: a stateless
    button is routed like any other interaction, to the shard of the guild it is in)."""
    for where in ("guild", "guild2", "dm"):
        reply = await h.driver.invoke("/xor linear" if click else "/help", where=where)
        assert not reply.timed_out and reply.embed is not None, where
        if click:
            code = await h.driver.click(reply, "Show code")
            assert not code.timed_out and code.ephemeral and "Reproduce" in code.content, where
    _clean(sb)


@pytest.mark.parametrize("count", ["2", "auto"])
async def test_one_sharded_bot_serves_guilds_on_both_shards(pool, tmp_path, errors, count):
    settings, problems = Settings.read({"SHARD_COUNT": count}, dotenv="")
    assert not problems
    settings = dataclasses.replace(settings, workers=2, state_dir=tmp_path, **LIMITS)
    async with running(settings, pool=pool, dev_guild=False) as h:
        sb, bot = h.sandbox, h.bot
        assert isinstance(bot, ShardedNonlinearBot) and bot.shard_count == 2  # auto: sandbox's 2
        assert sorted(s.shard for s in sb.sessions if s.live) == [(0, 2), (1, 2)]
        assert shard_of(sb.guild.id, 2) == 0 and shard_of(sb.guild2.id, 2) == 1
        assert {g.id: g.shard_id for g in bot.guilds} == {sb.guild.id: 0, sb.guild2.id: 1}
        await _commands_on_both_shards(h, sb, click=count == "2")
    assert not errors, [r.getMessage() for r in errors]


async def test_two_processes_worth_of_shards_split_the_work(pool, tmp_path, errors):
    """SHARD_IDS=0 and SHARD_IDS=1 as two bots against one sandbox: each gets only its
    own guild's interactions (DMs on shard 0), and only shard 0's bot syncs commands."""
    sb = Sandbox()
    await sb.start()
    old = point_discord_at(sb)
    harnesses: list[Harness] = []
    seen: dict[int, list[int | None]] = {0: [], 1: []}
    try:
        for shard in (0, 1):
            env = {"SHARD_COUNT": "2", "SHARD_IDS": str(shard), "DISCORD_TOKEN": sb.token}
            settings, problems = Settings.read(env, dotenv="")
            assert not problems and settings.shard_ids == (shard,)
            settings = dataclasses.replace(settings, workers=2, state_dir=tmp_path, **LIMITS)
            h = Harness(sb, settings, pool)
            await h.start_bot()
            assert h.bot is not None

            async def on_interaction(interaction, shard=shard):
                seen[shard].append(interaction.guild_id)

            h.bot.add_listener(on_interaction, "on_interaction")
            harnesses.append(h)
        first, second = (h.bot for h in harnesses)
        assert first.sync_task is not None and second.sync_task is None  # one syncer
        assert [g.id for g in first.guilds] == [sb.guild.id]
        assert [g.id for g in second.guilds] == [sb.guild2.id]
        await _commands_on_both_shards(harnesses[0], sb, click=False)  # one sandbox
        assert seen[0] == [sb.guild.id, None]  # its guild, and the DM
        assert seen[1] == [sb.guild2.id]
    finally:
        for h in harnesses:
            await h.stop_bot()
        await sb.stop()
        restore_discord(old)
    assert not errors, [r.getMessage() for r in errors]


# ---- the sandbox's own rules, with a raw websocket ---------------------------------------
@contextlib.asynccontextmanager
async def _raw_gateway(sb: Sandbox):
    async with aiohttp.ClientSession() as http, http.ws_connect(sb.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        yield ws


async def _until_acked(ws) -> list[dict]:
    """Send a heartbeat and read up to its ACK. The sandbox answers a connection's frames in
    order, so everything the frames before it produced has arrived by then (no timing)."""
    with contextlib.suppress(ConnectionResetError):  # the sandbox may have closed already
        await ws.send_str(json.dumps({"op": 1, "d": None}))
    frames = []
    while True:
        msg = await ws.receive(timeout=30)
        if msg.type != aiohttp.WSMsgType.TEXT:
            frames.append({"closed": ws.close_code})
            return frames
        frame = json.loads(msg.data)
        if frame.get("op") == 11:
            return frames
        frames.append(frame)


async def _identify(ws, sb: Sandbox, shard) -> list[dict]:
    """IDENTIFY, and every frame the sandbox sends in answer (READY, GUILD_CREATEs, or a close)."""
    d = {"token": sb.token, "intents": 1, "properties": {}}
    if shard is not None:
        d["shard"] = shard
    await ws.send_str(json.dumps({"op": 2, "d": d}))
    return await _until_acked(ws)


@pytest.fixture
async def sb():
    s = Sandbox()
    await s.start()
    yield s
    await s.stop()


@pytest.mark.parametrize("shard", [None, [0, 2], [1, 2], [0, 1]])
async def test_ready_and_guild_create_carry_only_the_shards_guilds(sb, shard):
    async with _raw_gateway(sb) as ws:
        frames = await _identify(ws, sb, shard)
    ready, *creates = frames
    assert ready["t"] == "READY" and ready["d"].get("shard") == shard
    n, i = (shard or [0, 1])[1], (shard or [0, 1])[0]
    mine = [str(g.id) for g in sb.installed if (g.id >> 22) % n == i]
    assert [g["id"] for g in ready["d"]["guilds"]] == mine
    assert [f["t"] for f in creates] == ["GUILD_CREATE"] * len(mine)
    assert [f["d"]["id"] for f in creates] == mine
    _clean(sb)


@pytest.mark.parametrize("shard", [[2, 2], [-1, 2], [0, 0], [0], "0,2", [0.0, 2]])
async def test_an_inconsistent_shard_is_refused_with_4010(sb, shard):
    async with _raw_gateway(sb) as ws:
        frames = await _identify(ws, sb, shard)
    assert frames == [{"closed": 4010}]
    assert len(sb.violations) == 1 and "invalid shard" in sb.violations[0]


async def test_guild_ops_and_events_on_the_wrong_shard_are_violations(sb):
    async with _raw_gateway(sb) as ws:
        await _identify(ws, sb, [0, 2])
        ask = {"guild_id": str(sb.guild2.id), "query": "", "limit": 0}
        await ws.send_str(json.dumps({"op": 8, "d": ask}))  # guild2 lives on shard 1
        await _until_acked(ws)
        assert len(sb.violations) == 1 and "REQUEST_GUILD_MEMBERS" in sb.violations[0]
        await ws.send_str(json.dumps({"op": 8, "d": {**ask, "guild_id": str(sb.guild.id)}}))
        await _until_acked(ws)
        assert len(sb.violations) == 1  # its own guild: fine
        (session,) = [s for s in sb.sessions if s.live]
        await session.dispatch("GUILD_CREATE", sb.guild2.create_payload())  # a routing bug
        assert len(sb.violations) == 2 and "went to shard [0, 2]" in sb.violations[1]


async def test_an_interaction_no_connection_serves_is_an_error_not_a_silent_drop(sb):
    async with _raw_gateway(sb) as ws:
        await _identify(ws, sb, [1, 2])  # nobody runs shard 0: its guild and DMs are unserved
        with pytest.raises(RuntimeError, match="shard 0 of 2"):
            sb.sessions_for(sb.guild.id)
        assert sb.sessions_for(sb.guild2.id)


# ---- the settings ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "env, count, ids",
    [
        ({}, None, None),
        ({"SHARD_COUNT": "2"}, 2, None),
        ({"SHARD_COUNT": "AUTO"}, "auto", None),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3, 1"}, 4, (1, 3)),
        ({"SHARD_COUNT": "8", "SHARD_IDS": "0-2,6"}, 8, (0, 1, 2, 6)),
    ],
)
def test_shard_settings(env, count, ids):
    settings, problems = Settings.read(env, dotenv="")
    assert not problems and (settings.shard_count, settings.shard_ids) == (count, ids)


@pytest.mark.parametrize(
    "env, says",
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number from 1 to 4096"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "auto", "SHARD_IDS": "0"}, "SHARD_IDS needs a number in SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "from 0 to 1 (SHARD_COUNT − 1)"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0,0"}, "each once"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-1"}, "e.g. 0,1 or 0-3"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0-99999999999"}, "from 0 to 3"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "-1"}, "from 0 to 3"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "١"}, "from 0 to 3"),  # a non-ASCII digit
    ],
)
def test_bad_shard_settings_are_refused_with_what_is_allowed(env, says):
    _, problems = Settings.read(env, dotenv="")
    assert len(problems) == 1 and says in problems[0], problems
