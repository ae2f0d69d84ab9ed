"""SIGTERM: no new commands, running ones finish (up to 5 s), the pool closes, exit 0.

The bot runs as `python -m bot run` in a real subprocess (tests/sandbox_bot.py) against a
sandbox in this process. One command is slow (1 s in a worker), one hangs in a worker.
That test gives them a shorter grace (SHUTDOWN_GRACE_S) than the default 5 s, to keep
the suite fast; a unit test checks the default.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from bot.lifecycle import GRACE_S, RESTARTING
from bot.sandbox.driver import Driver
from bot.sandbox.model import InteractionRecord
from bot.sandbox.server import Sandbox
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
GRACE = 3  # SHUTDOWN_GRACE_S for the subprocess: the slow command needs 1 s, the hung one forever


async def _send(driver: Driver, text: str) -> InteractionRecord:
    """Type a command and return at once (Driver.invoke would wait for the reply)."""
    data, label = driver.parse(text)
    command = next(c for c in driver.commands() if c["name"] == data["name"])
    user = driver.user("member")
    return await driver.sb.dispatch(2, data, user, label, place=driver.sb.place(), command=command)


async def _logged(log, text: str, within: float) -> bool:
    """Whether the bot's log shows `text` within `within` seconds (polled)."""
    for _ in range(int(within / 0.05)):
        if text in log.read_text():
            return True
        await asyncio.sleep(0.05)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_sigterm_finishes_running_commands_then_exits_zero(tmp_path):
    sb = Sandbox()
    await sb.start()
    log = tmp_path / "bot.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SANDBOX_REST": sb.rest_base,
        "SANDBOX_GATEWAY": sb.gateway_url,
        "DISCORD_TOKEN": sb.token,
        "DEV_GUILD_ID": str(sb.guild.id),
        "WORKERS": "2",
        "STATE_DIR": str(tmp_path / "state"),
        "COOLDOWN_RATE": "1000",
        "SHUTDOWN_GRACE_S": str(GRACE),
        "LOG_LEVEL": "INFO",
    }
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.sandbox_bot", cwd=tmp_path, env=env, stderr=out
        )
    try:
        driver = Driver(sb)
        up = await sb.wait_for(lambda: sb.commands.get(sb.guild.id) and sb.identified.is_set(), 90)
        assert up, log.read_text()
        slow = await _send(driver, "/collapse seed:1")
        stuck = await _send(driver, "/collapse seed:2")
        assert await sb.wait_for(lambda: slow.acked and stuck.acked, 3.0)  # both deferred

        proc.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        assert await _logged(log, "stopping: waiting", 10.0), log.read_text()  # signal handled
        late = await driver.wait(await _send(driver, "/help"), 3.0)  # after the signal
        assert late.ephemeral and late.content == RESTARTING

        done = await driver.wait(slow, 5.0)  # the running command still gets its card
        assert not done.timed_out and done.embed is not None and not done.ephemeral
        assert done.embed["title"].startswith("Collapse") and done.files

        code = await asyncio.wait_for(proc.wait(), 20.0)
        took = time.monotonic() - signalled
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await sb.stop()
    text = log.read_text()
    assert code == 0, text
    # both were running at the signal; the hung one was given the grace period, then cut
    # off with a private note
    assert f"stopping: waiting up to {GRACE} s for 2 command(s)" in text, text
    assert GRACE - 0.5 < took < GRACE + 3.0, (took, text)
    cut = [sb.messages[m] for m in stuck.message_ids]
    assert any(
        m.ephemeral and "restarted before this finished" in m.payload["content"] for m in cut
    )
    assert not sb.violations and not sb.unhandled, (sb.violations, sb.unhandled)
    # the pool was closed: its worker processes are gone
    pids = [
        int(p)
        for line in text.splitlines()
        if line.startswith("workers:")
        for p in line.split()[1:]
    ]
    assert pids, text
    for _ in range(100):  # reaped within moments of the exit; 10 s on a loaded machine
        if not [p for p in pids if _alive(p)]:
            break
        await asyncio.sleep(0.1)
    assert not [p for p in pids if _alive(p)], text
    assert "Traceback" not in text, text


def test_the_grace_is_five_seconds_unless_set(tmp_path):
    none = tmp_path / "no.env"
    assert Settings().shutdown_grace_s == GRACE_S == 5.0
    assert Settings.load({}, dotenv=none).shutdown_grace_s == 5.0
    assert Settings.load({"SHUTDOWN_GRACE_S": "3"}, dotenv=none).shutdown_grace_s == 3.0
    for bad in ("0", "0.5", "soon", "601"):
        _, problems = Settings.read({"SHUTDOWN_GRACE_S": bad}, dotenv=none)
        assert [p for p in problems if p.startswith("SHUTDOWN_GRACE_S must be")], bad


async def test_while_draining_commands_and_buttons_are_turned_away_privately(harness):
    """In process: once the drain starts, a command and a button click both get the short
    private "restarting" line and run nothing (no pool job: the reply is immediate)."""
    reply = await harness.driver.invoke("/xor linear")
    assert await harness.bot.drain.wait(grace=1.0) == 0  # nothing was running
    for late in (
        await harness.driver.invoke("/xor linear"),
        await harness.driver.click(reply, "Show code"),
    ):
        assert late.ephemeral and late.content == RESTARTING and late.record.ack_ms < 500
