"""`python -m bot`: clear messages without a usable token, and the offline console."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(args, env_extra=None, stdin="", cwd=None, timeout=180):
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "DEV_GUILD_ID")}
    env.update({"PYTHONPATH": str(ROOT), "WORKERS": "1", **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


def test_run_without_token_explains_what_to_set(tmp_path):
    out = _run(["run"], cwd=tmp_path)
    assert out.returncode == 2
    assert "DISCORD_TOKEN" in out.stderr and ".env.example" in out.stderr
    assert "Traceback" not in out.stderr


def test_malformed_token_is_explained_and_never_printed(tmp_path):
    secret = "not-a-real-token-but-secret-1234567890"
    out = _run(["run"], {"DISCORD_TOKEN": secret}, cwd=tmp_path)
    assert out.returncode == 2
    assert "does not look like a bot token" in out.stderr
    assert secret not in out.stdout + out.stderr
    assert "Traceback" not in out.stderr


def test_bad_setting_is_explained(tmp_path):
    out = _run(["run"], {"WORKERS": "lots"}, cwd=tmp_path)
    assert out.returncode == 2 and "WORKERS" in out.stderr and "Traceback" not in out.stderr


def test_no_token_starts_the_console_and_it_takes_piped_input(tmp_path):
    """One console process (each costs a worker pool's start): `python -m bot` without a
    token, fed a script; attachments go to ./sandbox-out, the `console` default."""
    lines = (
        "/xor linear\n/collapse 5\n/activation tanh\n/colapse 2\nclick nothing\nhelp\n"
        "/activation relu\n"
    )
    out = _run([], stdin=lines, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "offline sandbox console" in out.stderr
    assert out.stdout.count("acknowledged") == 4
    assert "Did you mean 'collapse'" in out.stdout
    assert "/activation" in out.stdout  # help lists the synced commands
    assert "ReLU" in out.stdout
    pngs = sorted((tmp_path / "sandbox-out").glob("*.png"))
    assert len(pngs) == 4
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)


def test_console_save_names_the_attachments_folder(tmp_path, monkeypatch):
    """`python -m bot console --save DIR` hands DIR to the console (run above, in a process)."""
    import bot.__main__
    import bot.sandbox.console

    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setattr(bot.__main__, "configure_logging", lambda level: None)
    seen = []
    monkeypatch.setattr(bot.sandbox.console, "main", lambda s, folder: seen.append(folder) or 0)
    assert bot.__main__.main(["console", "--save", str(tmp_path / "out")]) == 0
    assert bot.__main__.main(["console"]) == 0
    assert seen == [tmp_path / "out", Path("sandbox-out")]


def test_invite_needs_no_token_and_doctor_lists_every_bad_setting(tmp_path):
    out = _run(["invite", "--client-id", "123456789012345678"], cwd=tmp_path)
    assert out.returncode == 0 and "integration_type=1" in out.stdout
    out = _run(["doctor"], {"WORKERS": "lots", "LOG_LEVEL": "loud"}, cwd=tmp_path)
    assert out.returncode == 1 and "WORKERS" in out.stdout and "LOG_LEVEL" in out.stdout
    assert "Traceback" not in out.stderr
    out = _run(["doctor"], cwd=tmp_path)  # nothing set: notes only, not a failure
    assert out.returncode == 0 and "All good." in out.stdout


def test_start_up_says_nothing_about_voice(tmp_path):
    code = (
        "import logging; logging.basicConfig(level=logging.DEBUG)\n"
        "from bot.app import create_bot; from bot.settings import Settings\n"
        "create_bot(Settings(workers=1), pool=object())"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "voice" not in (out.stdout + out.stderr).lower()


async def test_console_help_and_private_replies_stay_clickable(pool, tmp_path, monkeypatch):
    import functools
    import io

    import bot.sandbox.console
    from bot.sandbox.console import console
    from bot.sandbox.harness import running
    from bot.settings import Settings

    # the session's warm pool instead of a new one (the console process above starts its own)
    monkeypatch.setattr(bot.sandbox.console, "running", functools.partial(running, pool=pool))

    lines = (
        "help activation\nhelp collapse\n/xor linear\n/collapse 3 private:true\n"
        "click new seed\nin dm\n/explain xor\n"
        "apps Settle this\npost XOR can be fit by a line\napps Settle this\napps Nope\n"
    )
    out = io.StringIO()
    status = await console(
        Settings(workers=1, state_dir=tmp_path), tmp_path / "out", io.StringIO(lines), out
    )
    text = out.getvalue()
    assert status == 0, text[-2000:]
    assert "name is one of: abs, elu" in text and "tanh" in text  # help activation
    assert "bottleneck: Make one middle layer this narrow" in text  # help collapse
    assert "(1-64) [1-64]" not in text  # bounds said once
    assert "(on the reply to" not in text  # the private reply's own button was pressed
    assert text.count("seed 1 ") >= 1  # New seed acted on /collapse (seed 0 → 1), not /xor
    dm = text.split("> in dm", 1)[1]
    assert "your DM with the bot" in dm and "[Pin]" not in dm and "public" in dm
    settle = dm.split("> post XOR", 1)[1]
    assert "! post a message first" in dm.split("> post XOR", 1)[0]
    assert "Settling 1 claim" in settle and "FALSE" in settle
    assert "/channels/@me/" in settle  # the jump link points into the DM
    assert "! no message command 'Nope' here" in settle


async def test_console_clicks_and_apps_act_on_the_current_place(pool, tmp_path, monkeypatch):
    """`click pin` after a DM reply must not pin the guild's reply: replies and posts are
    remembered per place, as a Discord channel shows only its own messages."""
    import functools
    import io

    import bot.sandbox.console
    from bot.sandbox.console import console
    from bot.sandbox.harness import running
    from bot.settings import Settings

    monkeypatch.setattr(bot.sandbox.console, "running", functools.partial(running, pool=pool))
    lines = (
        "/xor linear\npost XOR can be fit by a line\nin dm\n/xor linear\nclick pin\n"
        "apps Settle this\nin gdm\nclick show code\nin guild\nclick pin\n"
    )
    out = io.StringIO()
    status = await console(
        Settings(workers=1, state_dir=tmp_path), tmp_path / "out", io.StringIO(lines), out
    )
    text = out.getvalue()
    assert status == 0, text[-2000:]
    dm, guild = text.split("> in dm", 1)[1].split("> in guild", 1)
    assert "Pinned by" not in dm
    assert "! no reply here has a button 'pin' (the last one has: [Show code])." in dm
    assert "A reply in the bot's server (#general) has one: 'in guild' to go there." in dm
    assert "! post a message first" in dm  # the guild's post is not in the DM
    assert "! nothing to click in a group DM, through a user install yet" in dm
    assert "Pinned by owner" in guild and "(on the reply to" not in guild
