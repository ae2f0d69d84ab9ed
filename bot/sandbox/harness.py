"""Start the sandbox and the project's own bot together, in this process.

Used by the offline console and by the tests: the bot is built by the same factory
`python -m bot` uses, and discord.py is only pointed at the sandbox (two URLs).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging

import discord
import yarl

from bot.app import NonlinearBot, create_bot, start_until_ready
from bot.jobs import WorkerPool
from bot.sandbox.driver import Driver
from bot.sandbox.server import Sandbox
from bot.settings import Settings

log = logging.getLogger(__name__)


def point_discord_at(sandbox: Sandbox) -> tuple[str, yarl.URL]:
    """Patch discord.py's two base URLs; returns the old ones so they can be restored."""
    old = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    discord.http.Route.BASE = sandbox.rest_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sandbox.gateway_url)
    return old


def restore_discord(old: tuple[str, yarl.URL]) -> None:
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old


class Harness:
    """A running sandbox with a connected bot, and a driver to act as users."""

    def __init__(
        self, sandbox: Sandbox, settings: Settings, pool: WorkerPool | None = None
    ) -> None:
        self.sandbox = sandbox
        self.settings = settings
        self.pool = pool
        self.bot: NonlinearBot | None = None
        self.driver = Driver(sandbox)
        self._task: asyncio.Task | None = None
        self.synced: bool | None = None

    async def start_bot(self, ready_timeout: float = 90.0, wait_sync: bool = True) -> NonlinearBot:
        bot = create_bot(self.settings, pool=self.pool, guild_ready_timeout=0.05)
        self._task = await start_until_ready(bot, self.sandbox.token, ready_timeout)
        self.bot = bot
        if wait_sync and bot.sync_task is not None:  # tests and the console use them at once
            self.synced = await bot.sync_task
        return bot

    async def stop_bot(self) -> None:
        if self.bot is not None:
            await self.bot.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._task
        self.bot, self._task = None, None

    async def restart_bot(self) -> NonlinearBot:
        await self.stop_bot()
        return await self.start_bot()


@contextlib.asynccontextmanager
async def running(
    settings: Settings | None = None,
    *,
    pool: WorkerPool | None = None,
    dev_guild: bool = True,
    **sandbox_kw,
):
    """`async with running() as h:` a started sandbox plus a ready bot; all stopped after.

    With dev_guild (the default) the bot syncs its commands to the sandbox guild, as
    with DEV_GUILD_ID; without, it follows the global-sync policy.
    """
    sandbox = Sandbox(**sandbox_kw)
    await sandbox.start()
    old = point_discord_at(sandbox)
    settings = dataclasses.replace(
        settings or Settings(),
        token=sandbox.token,
        dev_guild_id=sandbox.guild.id if dev_guild else None,
    )
    h = Harness(sandbox, settings, pool)
    try:
        await h.start_bot()
        yield h
    finally:
        await h.stop_bot()
        await sandbox.stop()
        restore_discord(old)
