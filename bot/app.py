"""The bot: a discord.py client with the cogs, the worker pool and one error handler."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.buttons import DYNAMIC_ITEMS
from bot.jobs import WorkerPool
from bot.replies import NO_MENTIONS, report_error
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.xor",
    "cogs.collapse",
    "cogs.activation",
    "cogs.explain",
    "cogs.approximate",
    "cogs.regions",
    "cogs.help",
)


class NonlinearBot(commands.Bot):
    """Slash commands only: no message content, no privileged intents."""

    def __init__(
        self, settings: Settings, *, pool: WorkerPool | None = None, serve: bool = True, **options
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            **options,
        )
        self.settings = settings
        self.serve = serve  # False for the CLI tools (sync, doctor): no pool warm-up, no auto-sync
        self.owns_pool = pool is None
        self.pool = pool or WorkerPool(settings.workers)
        self.job_delay = 0.0  # tests slow jobs on purpose to exercise deferral
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        if self.serve:
            await self.pool.warm()
            await self.sync_commands()

    async def sync_commands(self) -> None:
        """To DEV_GUILD_ID if set; globally only when the payload changed since the last sync."""
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild.id)
            return
        if self.global_sync_needed():
            await self.sync_global()
        else:
            log.info("global commands unchanged since the last sync; not syncing")

    @property
    def sync_state(self):
        return self.settings.state_dir / "global-sync.sha256"

    def global_sync_needed(self) -> bool:
        state = self.sync_state
        return not (state.is_file() and state.read_text().strip() == self.payload_hash())

    async def sync_global(self) -> int:
        """Sync globally and remember the payload's hash, so unchanged restarts skip it."""
        synced = await self.tree.sync()
        self.sync_state.parent.mkdir(parents=True, exist_ok=True)
        self.sync_state.write_text(self.payload_hash() + "\n")
        log.info("synced %d global commands (they can take a while to appear)", len(synced))
        return len(synced)

    def payload(self) -> list[dict]:
        """What a global sync would send, exactly as discord.py builds it."""
        return [cmd.to_dict(self.tree) for cmd in self.tree.get_commands()]

    def payload_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.payload(), sort_keys=True).encode()).hexdigest()

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Every failure gets an ephemeral answer; unexpected ones get an incident id."""
        await report_error(interaction, error)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self.owns_pool:
                self.pool.close()


async def start_until_ready(bot: commands.Bot, token: str, timeout: float) -> asyncio.Task:
    """Start the bot in a task and return that task once on_ready has fired.

    Raises why the bot stopped if it stops first (e.g. LoginFailure), or TimeoutError.
    """
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    bot.add_listener(on_ready, "on_ready")
    task = asyncio.create_task(bot.start(token))
    waiter = asyncio.create_task(ready.wait())
    await asyncio.wait({waiter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if not ready.is_set():
        waiter.cancel()
        if task.done():
            task.result()  # re-raise why the bot stopped
            raise RuntimeError("the bot stopped before it was ready")
        raise TimeoutError(f"the bot was not ready after {timeout:g} s")
    return task


def create_bot(settings: Settings, **kwargs) -> NonlinearBot:
    """The one factory: `python -m bot`, the console and the tests all build the bot here."""
    return NonlinearBot(settings, **kwargs)
