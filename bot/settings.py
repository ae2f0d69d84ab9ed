"""Settings: read once at start-up from the environment and `.env`, into a frozen object.

The token is never part of repr() or any log line.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")


class SettingsError(Exception):
    """A setting is malformed; the message says which and how to fix it (never the value)."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    workers: int = 2
    state_dir: Path = Path(".state")
    job_timeout_s: float = 10.0  # a job past this is killed with its worker
    shutdown_grace_s: float = 5.0  # after SIGTERM, running commands get this long to finish
    cache_mb: int = 64  # finished cards kept for repeated requests
    cooldown_rate: int = 5  # experiments one user may start per cooldown_per_s
    cooldown_per_s: float = 30.0
    guild_concurrency: int = 4  # experiments running at once in one server
    queue_max: int = 32  # experiments waiting or running in the whole bot
    exempt_role_id: int | None = None  # members with this role skip the cooldown
    dask_scheduler: str | None = None  # tcp://host:8786: run experiments on a Dask cluster
    metrics_port: int | None = None  # serve Prometheus metrics on 127.0.0.1:PORT
    # gateway sharding: None = one plain connection; else this process runs shard_ids of
    # shard_count shards (all of them when shard_ids is None) with an AutoShardedBot;
    # "auto" = as many as Discord recommends (GET /gateway/bot), all in this process
    shard_count: int | Literal["auto"] | None = None
    shard_ids: tuple[int, ...] | None = None

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, dotenv: str | Path = ".env") -> Settings:
        """Environment variables win over `.env`; unset and empty mean the default.

        Raises SettingsError naming every malformed setting at once."""
        settings, problems = cls.read(env, dotenv)
        if problems:
            raise SettingsError("\n".join(problems))
        return settings

    @classmethod
    def read(
        cls, env: Mapping[str, str] | None = None, dotenv: str | Path = ".env"
    ) -> tuple[Settings, list[str]]:
        """The settings (defaults where a value is malformed) and every problem found."""
        merged: dict[str, str] = {}
        if dotenv and Path(dotenv).is_file():
            merged.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        merged.update(os.environ if env is None else env)
        get = lambda k: (merged.get(k) or "").strip() or None  # noqa: E731
        problems: list[str] = []

        guild = get("DEV_GUILD_ID")
        if guild is not None and not (
            guild.isascii() and guild.isdigit() and 17 <= len(guild) <= 20
        ):
            problems.append(
                "DEV_GUILD_ID must be a server ID: 17-20 digits (Discord: right-click the "
                "server → Copy Server ID, with Developer Mode on). Leave it empty to skip."
            )
            guild = None
        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(LEVELS)}.")
            level = "INFO"
        workers_text = get("WORKERS")
        workers = max(1, os.cpu_count() or 1)
        if workers_text is not None:
            if workers_text.isascii() and workers_text.isdigit() and 1 <= int(workers_text) <= 64:
                workers = int(workers_text)
            else:
                problems.append("WORKERS must be a whole number from 1 to 64 (default: CPU count).")

        def number(key: str, low: int, high: int, default, what: str):
            text = get(key)
            if text is None:
                return default
            if text.isascii() and text.isdigit() and low <= int(text) <= high:
                return int(text)
            problems.append(f"{key} must be a whole number from {low} to {high} ({what}).")
            return default

        extra = {
            "job_timeout_s": float(number("JOB_TIMEOUT_S", 1, 600, 10, "seconds")),
            "shutdown_grace_s": float(number("SHUTDOWN_GRACE_S", 1, 600, 5, "seconds")),
            "cache_mb": number("CACHE_MB", 0, 4096, 64, "megabytes; 0 turns the cache off"),
            "cooldown_rate": number("COOLDOWN_RATE", 1, 1000, 5, "experiments per window"),
            "cooldown_per_s": float(number("COOLDOWN_PER_S", 1, 3600, 30, "seconds")),
            "guild_concurrency": number("GUILD_CONCURRENCY", 1, 1000, 4, "experiments"),
            "queue_max": number("QUEUE_MAX", 1, 10000, 32, "experiments"),
            "exempt_role_id": number("EXEMPT_ROLE_ID", 1, 2**63 - 1, None, "a role ID"),
            "metrics_port": number("METRICS_PORT", 1, 65535, None, "a TCP port"),
            "dask_scheduler": get("DASK_SCHEDULER"),
        }
        shard_count, shard_ids = _shards(get("SHARD_COUNT"), get("SHARD_IDS"), problems)
        settings = cls(
            **extra,
            shard_count=shard_count,
            shard_ids=shard_ids,
            token=get("DISCORD_TOKEN"),
            dev_guild_id=int(guild) if guild else None,
            log_level=level,
            workers=workers,
            state_dir=Path(get("STATE_DIR") or ".state"),
        )
        return settings, problems

    def token_problem(self) -> str | None:
        """Why the token cannot be a bot token, judged by its shape only; None if plausible."""
        t = self.token
        if t is None:
            return "DISCORD_TOKEN is not set."
        if t.lower().startswith("bot "):
            return "DISCORD_TOKEN starts with 'Bot ': paste the token alone, without that prefix."
        if any(c.isspace() for c in t) or (t[:1] in "'\"" and t[-1:] in "'\""):
            return "DISCORD_TOKEN contains spaces or quotes: paste the token alone."
        if not TOKEN_RE.match(t):
            return (
                "DISCORD_TOKEN does not look like a bot token (three dot-separated parts). "
                "Copy it again from the Developer Portal → your application → Bot → Reset Token."
            )
        return None


SHARDS_MAX = 4096


def _shards(
    count_text: str | None, ids_text: str | None, problems: list[str]
) -> tuple[int | Literal["auto"] | None, tuple[int, ...] | None]:
    """SHARD_COUNT (1-4096 or auto) and SHARD_IDS ("0,1" or "0-3", each below the count)."""
    count = None
    if count_text is not None and count_text.lower() == "auto":
        if ids_text is not None:
            problems.append("SHARD_IDS needs a number in SHARD_COUNT, not auto.")
        return "auto", None
    if count_text is not None:
        if count_text.isascii() and count_text.isdigit() and 1 <= int(count_text) <= SHARDS_MAX:
            count = int(count_text)
        else:
            problems.append(
                f"SHARD_COUNT must be a whole number from 1 to {SHARDS_MAX} (the total number "
                "of gateway shards across all processes) or auto (Discord's recommendation)."
            )
            return None, None
    if ids_text is None:
        return count, None
    if count is None:
        problems.append("SHARD_IDS needs SHARD_COUNT (the total number of shards) as well.")
        return None, None
    ids: list[int] = []
    for part in ids_text.replace(" ", "").split(","):
        low, dash, high = part.partition("-")
        high = high if dash else low
        digits = all(t.isascii() and t.isdigit() for t in (low, high))
        if not (digits and int(low) <= int(high) < count):
            ids = []
            break
        ids.extend(range(int(low), int(high) + 1))
    if not ids or len(set(ids)) != len(ids):
        problems.append(
            f"SHARD_IDS must list shard numbers from 0 to {count - 1} (SHARD_COUNT − 1), each "
            "once, e.g. 0,1 or 0-3. Leave it empty to run every shard in this process."
        )
        return count, None
    return count, tuple(sorted(ids))


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    logging.getLogger("discord").setLevel(max(logging.INFO, getattr(logging, level, 20)))
