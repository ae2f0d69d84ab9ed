"""Who may start an experiment now: per-user cooldown, per-server cap, a bounded queue.

Three limits keep one person or one server from taking the bot for themselves:
- a token bucket per user (discord.py's `app_commands.Cooldown`): `rate` commands per
  `per` seconds, so a small burst is fine and a flood is refused with the wait time;
- at most `per_guild` experiments running at once for one server;
- at most `queue` experiments waiting or running in the whole bot.
A refusal is a UserError: the user sees a private line saying when to try again.
Members with an exempt role (moderators, say) skip the cooldown, never the queue.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from discord import app_commands

from bot.errors import UserError

PRUNE_AT = 4096  # users remembered before rested buckets are forgotten


@dataclass(frozen=True)
class Limits:
    rate: int = 5  # commands a user may start per `per` seconds (the burst)
    per: float = 30.0
    per_guild: int = 4  # experiments running at once in one server
    queue: int = 32  # experiments waiting or running in the whole bot
    exempt_role: int | None = None  # members with this role skip the cooldown


class Admission:
    """Counts what runs where; `admit` is a context manager around one experiment."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.time) -> None:
        self.limits = limits
        self.clock = clock
        self._buckets: dict[int, app_commands.Cooldown] = {}
        # exact even with shards in several processes: a server lives on one shard
        self._per_guild: dict[int, int] = {}
        self.running = 0

    def _cooldown(self, user_id: int) -> float | None:
        now = self.clock()
        if len(self._buckets) >= PRUNE_AT:
            self._forget_rested(now)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(
                self.limits.rate, self.limits.per
            )
        return bucket.update_rate_limit(now)

    def _forget_rested(self, now: float) -> None:
        """Drop the buckets of users whose window has passed: a new bucket is identical,
        so forgetting them changes nothing except that memory stays bounded."""
        for uid in [u for u, b in self._buckets.items() if b.get_tokens(now) == b.rate]:
            del self._buckets[uid]

    @contextmanager
    def admit(
        self, user_id: int, guild_id: int | None, role_ids: tuple[int, ...] = ()
    ) -> Iterator[None]:
        """Enter if every limit allows, else raise UserError saying when to retry."""
        lim = self.limits
        if self.running >= lim.queue:
            raise UserError(
                "the bot is busy with other experiments right now; try again in a few seconds."
            )
        if guild_id is not None and self._per_guild.get(guild_id, 0) >= lim.per_guild:
            raise UserError(
                f"{lim.per_guild} experiments are already running in this server; "
                "try again in a few seconds."
            )
        if lim.exempt_role is None or lim.exempt_role not in role_ids:
            wait = self._cooldown(user_id)
            if wait is not None:
                raise UserError(
                    f"slow down a little: at most {lim.rate} experiments per {lim.per:g} s. "
                    f"Try again in {math.ceil(wait)} s."
                )
        self.running += 1
        if guild_id is not None:
            self._per_guild[guild_id] = self._per_guild.get(guild_id, 0) + 1
        try:
            yield
        finally:
            self.running -= 1
            if guild_id is not None:
                left = self._per_guild[guild_id] - 1
                if left:
                    self._per_guild[guild_id] = left
                else:
                    del self._per_guild[guild_id]
