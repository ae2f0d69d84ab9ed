"""Settings.load: the environment wins over `.env`, empty means default, bad values are
refused with a message that says which setting and what is allowed (never the value)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

TOKEN = "A" * 24 + "." + "B" * 6 + "." + "C" * 27  # shaped like a bot token, not a real one
GUILD = "123456789012345678"


def _dotenv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_dotenv_alone(tmp_path):
    path = _dotenv(
        tmp_path,
        f"# comment line\nDISCORD_TOKEN={TOKEN}\nDEV_GUILD_ID={GUILD}\nLOG_LEVEL=debug\n"
        "WORKERS=3\nSTATE_DIR='my state'\n",
    )
    s = Settings.load(env={}, dotenv=path)
    assert s == Settings(
        token=TOKEN,
        dev_guild_id=int(GUILD),
        log_level="DEBUG",
        workers=3,
        state_dir=Path("my state"),
    )
    assert s.token_problem() is None


def test_environment_wins_over_dotenv(tmp_path):
    path = _dotenv(tmp_path, f"DISCORD_TOKEN=from-file\nWORKERS=3\nDEV_GUILD_ID={GUILD}\n")
    s = Settings.load(env={"DISCORD_TOKEN": TOKEN, "WORKERS": "5"}, dotenv=path)
    assert (s.token, s.workers, s.dev_guild_id) == (TOKEN, 5, int(GUILD))  # guild: from .env


def test_empty_in_the_environment_means_the_default_even_over_dotenv(tmp_path):
    path = _dotenv(tmp_path, f"DEV_GUILD_ID={GUILD}\nLOG_LEVEL=ERROR\nSTATE_DIR=/elsewhere\n")
    s = Settings.load(env={"DEV_GUILD_ID": "", "LOG_LEVEL": "  ", "STATE_DIR": ""}, dotenv=path)
    assert (s.dev_guild_id, s.log_level, s.state_dir) == (None, "INFO", Path(".state"))


def test_no_dotenv_file_and_nothing_set_gives_the_defaults(tmp_path):
    s = Settings.load(env={}, dotenv=tmp_path / "missing.env")
    assert s.token is None and s.dev_guild_id is None and s.log_level == "INFO"
    assert s.workers == max(1, os.cpu_count() or 1)  # WORKERS unset: one per CPU
    assert s.token_problem() == "DISCORD_TOKEN is not set."


def test_the_real_environment_is_read_when_no_mapping_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKERS", "7")
    monkeypatch.setenv("LOG_LEVEL", "warning")
    s = Settings.load(dotenv=_dotenv(tmp_path, "WORKERS=2\n"))
    assert (s.workers, s.log_level) == (7, "WARNING")


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("DEV_GUILD_ID", "my server", "DEV_GUILD_ID must be a server ID"),
        ("DEV_GUILD_ID", "12345", "17-20 digits"),
        ("DEV_GUILD_ID", "1234567890123456", "17-20 digits"),  # 16 digits: too short
        ("DEV_GUILD_ID", "1" * 21, "17-20 digits"),
        ("DEV_GUILD_ID", "１２３４５６７８９０１２３４５６７８", "17-20 digits"),  # fullwidth
        ("DEV_GUILD_ID", "-12345678901234567", "17-20 digits"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("WORKERS", "0", "WORKERS must be a whole number from 1 to 64"),
        ("WORKERS", "65", "from 1 to 64"),
        ("WORKERS", "two", "from 1 to 64"),
        ("WORKERS", "2.5", "from 1 to 64"),
        ("WORKERS", "²", "from 1 to 64"),  # str.isdigit() says yes, int() says no
        ("WORKERS", "-1", "from 1 to 64"),
    ],
)
def test_bad_values_are_refused_clearly(tmp_path, key, value, says):
    with pytest.raises(SettingsError) as caught:
        Settings.load(env={key: value}, dotenv=tmp_path / "missing.env")
    assert says in str(caught.value)
    assert value not in str(caught.value)  # the message never echoes what was set


def test_bad_value_in_dotenv_is_refused_too(tmp_path):
    with pytest.raises(SettingsError, match="WORKERS"):
        Settings.load(env={}, dotenv=_dotenv(tmp_path, "WORKERS=many\n"))
    # ... unless the environment overrides it with a good one
    assert Settings.load(env={"WORKERS": "4"}, dotenv=tmp_path / ".env").workers == 4


@pytest.mark.parametrize(("value", "n"), [("1", 1), ("64", 64), (" 8 ", 8), ("08", 8)])
def test_worker_bounds_are_inclusive(tmp_path, value, n):
    assert Settings.load(env={"WORKERS": value}, dotenv=tmp_path / "none").workers == n


@pytest.mark.parametrize("guild", ["12345678901234567", "12345678901234567890"])  # 17 and 20
def test_guild_id_lengths_at_the_bounds(tmp_path, guild):
    s = Settings.load(env={"DEV_GUILD_ID": guild}, dotenv=tmp_path / "none")
    assert s.dev_guild_id == int(guild)


def test_the_token_is_never_in_repr_or_logs(tmp_path, caplog):
    s = Settings.load(env={"DISCORD_TOKEN": TOKEN}, dotenv=tmp_path / "none")
    assert s.token == TOKEN
    assert TOKEN not in repr(s) and TOKEN not in str(s)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("settings: %s", s)
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ("Bot " + TOKEN, "starts with 'Bot '"),
        (f'"{TOKEN}"', "spaces or quotes"),
        (TOKEN[:10] + " " + TOKEN[10:], "spaces or quotes"),
        ("not-a-token", "three dot-separated parts"),
    ],
)
def test_token_shape_problems_are_named(token, says):
    problem = Settings(token=token).token_problem()
    assert problem is not None and says in problem and token not in problem
