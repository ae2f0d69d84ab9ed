"""Self-hosting: invite URL and permissions, the sync policy, doctor, a rejected token."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import pytest

from bot.limits import MANAGE_MESSAGES, PIN_MESSAGES
from bot.sandbox.harness import point_discord_at, restore_discord, running
from bot.sandbox.model import BOT_DEFAULT_PERMS, Overwrite
from bot.sandbox.server import Sandbox
from bot.selfhost import client_id_from_token, doctor_offline, doctor_online, invite, sync
from bot.settings import Settings

# View Channel 10, Read Message History 16, Pin Messages 51 (Discord's permission bits):
# replies are interaction responses, whose embed/file rights come from the interaction
EXPECTED = sum(1 << b for b in (10, 16, 51))


def test_invite_asks_only_for_what_the_bot_uses():
    lines: list[str] = []
    assert invite(Settings(), 123456789012345678, lines.append) == 0
    text = "\n".join(lines)
    server, user = [urlparse(w) for w in text.split() if w.startswith("https://")]
    q = parse_qs(server.query)
    assert int(q["permissions"][0]) == EXPECTED == 2251799813751808
    assert q["scope"][0].split() == ["bot", "applications.commands"]
    assert q["client_id"][0] == "123456789012345678" and q["integration_type"] == ["0"]
    u = parse_qs(user.query)  # resources/application "Install Links": a user install
    assert u["integration_type"] == ["1"] and u["scope"] == ["applications.commands"]
    assert "permissions" not in u
    for label in ("View Channel", "Read Message History", "Pin Messages"):
        assert label in text
    assert "Not asked: Send Messages, Embed Links, Attach Files" in text
    assert BOT_DEFAULT_PERMS == EXPECTED  # the sandbox's default bot role matches the invite


def test_client_id_comes_from_the_token():
    head = base64.b64encode(b"987654321098765432").decode().rstrip("=")
    assert client_id_from_token(f"{head}.abcdef.{'x' * 27}") == 987654321098765432
    assert client_id_from_token("garbage") is None
    assert invite(Settings(), None, lambda _: None) == 2


async def test_global_sync_writes_a_hash_and_skips_an_unchanged_payload(pool, tmp_path):
    settings = Settings(workers=2, state_dir=tmp_path)
    async with running(settings, pool=pool, dev_guild=False) as h:
        assert h.sandbox.sync_log == [None]  # first start: synced globally
        state = tmp_path / "global-sync.sha256"
        assert state.read_text().strip() == h.bot.payload_hash()
        await h.restart_bot()
        assert h.sandbox.sync_log == [None]  # unchanged: no second sync
        state.write_text("stale\n")
        await h.restart_bot()
        assert h.sandbox.sync_log == [None, None]  # changed payload: synced again
        reply = await h.driver.invoke("/activation relu")  # global commands are invocable
        assert reply.embed["title"] == "Activation: ReLU"
        assert not h.sandbox.violations


async def test_sync_command_to_a_guild_and_globally(tmp_path):
    sb = Sandbox()
    await sb.start()
    old = point_discord_at(sb)
    try:
        settings = Settings(token=sb.token, workers=1, state_dir=tmp_path)
        out: list[str] = []
        assert await sync(settings, sb.guild.id, False, out.append) == 0
        assert sb.sync_log == [sb.guild.id] and "to server" in out[-1]
        assert await sync(settings, None, True, out.append) == 0
        assert sb.sync_log[-1] is None and (tmp_path / "global-sync.sha256").is_file()
        assert {c["name"] for c in sb.commands[None]} >= {"xor", "collapse", "explain", "help"}
    finally:
        restore_discord(old)
        await sb.stop()
    assert not sb.violations and not sb.unhandled


@pytest.mark.parametrize(
    "perms", [BOT_DEFAULT_PERMS, BOT_DEFAULT_PERMS & ~PIN_MESSAGES | MANAGE_MESSAGES]
)
async def test_doctor_reports_permissions_per_server(tmp_path, perms):
    sb = Sandbox(bot_permissions=perms)
    g = sb.guild
    g.general.overwrites.append(Overwrite(g.bot_role.id, 0, deny=PIN_MESSAGES))
    await sb.start()
    old = point_discord_at(sb)
    try:
        settings = Settings(token=sb.token, workers=1, state_dir=tmp_path)
        out: list[str] = []
        assert doctor_offline(settings, out.append)
        ok = await doctor_online(settings, out.append)
    finally:
        restore_discord(old)
        await sb.stop()
    text = "\n".join(out)
    assert "logged in as Nonlinear" in text
    if perms == BOT_DEFAULT_PERMS:
        assert ok and "every permission the bot uses" in text
        assert "denies Pin Messages in #general" in text  # a note, not a failure
    else:  # Manage Messages does not stand in for Pin Messages any more
        assert not ok and "missing Pin Messages" in text


def test_doctor_offline_lists_every_problem_at_once(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    env = {
        "DISCORD_TOKEN": "Bot abc",
        "WORKERS": "lots",
        "LOG_LEVEL": "loud",
        "DEV_GUILD_ID": "12",
        "STATE_DIR": str(blocker / "sub"),
    }
    settings, problems = Settings.read(env, dotenv="")
    out: list[str] = []
    ok = doctor_offline(settings, out.append, problems)
    assert not ok
    text = "\n".join(out)
    assert "without that prefix" in text and "not writable" in text
    assert "WORKERS" in text and "LOG_LEVEL" in text and "DEV_GUILD_ID" in text
    assert text.count("✗") == 5
    assert "abc" not in text.replace("Bot '", "")


async def test_a_rejected_token_gets_a_clear_message(tmp_path, capsys):
    from bot.__main__ import _run_discord

    sb = Sandbox()
    await sb.start()
    old = point_discord_at(sb)
    wrong = "MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.wrong_wrong_wrong_wrong_wrong"
    try:
        status = await _run_discord(Settings(token=wrong, workers=1, state_dir=tmp_path))
    finally:
        restore_discord(old)
        await sb.stop()
    err = capsys.readouterr().err
    assert status == 2 and "rejected DISCORD_TOKEN" in err and wrong not in err


async def test_a_429_is_what_discord_sends(tmp_path):
    """topics/rate-limits "Exceeding A Rate Limit": body and headers, plus `Via`."""
    import aiohttp

    sb = Sandbox()
    await sb.start()
    try:
        sb.rate_limit("GET", r"^/users/@me$", retry_after=1.5)
        headers = {"Authorization": f"Bot {sb.token}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            async with http.get(f"{sb.rest_base}/users/@me") as r:
                body, h = await r.json(), r.headers
                assert r.status == 429 and h["Content-Type"] == "application/json"
            async with http.get(f"{sb.rest_base}/users/@me") as r:
                assert r.status == 200  # only the next request was limited
    finally:
        await sb.stop()
    assert body == {"message": "You are being rate limited.", "retry_after": 1.5, "global": False}
    for name in (
        "Retry-After",
        "Via",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "X-RateLimit-Reset-After",
        "X-RateLimit-Bucket",
        "X-RateLimit-Scope",
    ):
        assert name in h, name


async def test_discord_py_waits_out_a_short_429_and_the_sync_goes_through(pool, tmp_path):
    settings = Settings(workers=2, state_dir=tmp_path)
    async with running(settings, pool=pool) as h:
        h.sandbox.rate_limit("PUT", r"/commands$", retry_after=0.3)
        await h.restart_bot()
        assert h.synced and len(h.sandbox.rate_limit_hits) == 1
        assert h.sandbox.sync_log[-1] == h.sandbox.guild.id  # retried after the 429
        assert (await h.driver.invoke("/xor linear")).embed


async def test_a_long_429_on_sync_neither_blocks_nor_stops_the_bot(pool, tmp_path, caplog):
    settings = Settings(workers=2, state_dir=tmp_path)
    async with running(settings, pool=pool, dev_guild=False) as h:
        (tmp_path / "global-sync.sha256").write_text("stale\n")  # the payload "changed"
        h.sandbox.rate_limit("PUT", r"/commands$", retry_after=4000.0, code=30034)
        await h.restart_bot()
        assert h.synced is False  # RateLimited (max_ratelimit_timeout), logged, carried on
        assert "rate limited" in caplog.text
        assert h.sandbox.sync_log == [None]  # only the first start's sync
        assert (tmp_path / "global-sync.sha256").read_text() == "stale\n"  # retried next time
        reply = await h.driver.invoke("/activation relu", where="dm")  # still serving
        assert reply.embed["title"] == "Activation: ReLU"


async def test_start_up_does_not_wait_for_the_command_sync(pool, tmp_path):
    settings = Settings(workers=2, state_dir=tmp_path)
    async with running(settings, pool=pool) as h:
        h.sandbox.rate_limit("PUT", r"/commands$", retry_after=2.0)
        await h.stop_bot()
        bot = await h.start_bot(wait_sync=False)
        assert bot.is_ready() and not bot.sync_task.done()  # ready while the sync waits
        assert await bot.sync_task
