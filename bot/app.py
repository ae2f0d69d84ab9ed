"""The bot: a discord.py client with the cogs, the worker pool and one error handler."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.admission import Admission, Limits
from bot.buttons import DYNAMIC_ITEMS
from bot.cache import CardCache
from bot.jobs import WorkerPool
from bot.lifecycle import Drain
from bot.replies import NO_MENTIONS, report_error
from bot.settings import Settings
from bot.telemetry import Telemetry

log = logging.getLogger(__name__)

# The bot has no voice: don't warn at start-up that PyNaCl / davey (voice libraries) are
# missing. These class flags are discord.py's own switch for that one-time warning.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

UNKNOWN_BUTTON = (
    "⚠️ This button is not one I know (it may be from an older version of me); "
    "run the command again to get fresh buttons."
)
MAX_RATELIMIT_WAIT = 30.0  # seconds discord.py may sleep on one 429 before raising instead

EXTENSIONS = (
    "cogs.xor",
    "cogs.collapse",
    "cogs.activation",
    "cogs.explain",
    "cogs.learnable",
    "cogs.help",
    "cogs.claim",
    "cogs.approximate",
    "cogs.regions",
    "cogs.train",
)


def make_pool(settings: Settings):
    """The local process pool, or a Dask cluster when DASK_SCHEDULER is set."""
    if settings.dask_scheduler:
        from bot.dask_pool import DaskPool

        return DaskPool(settings.dask_scheduler, timeout=settings.job_timeout_s)
    return WorkerPool(settings.workers, timeout=settings.job_timeout_s)


class NonlinearBot(commands.Bot):
    """Slash commands only: no message content, no privileged intents.

    Nothing here is shared between gateway shards, so shards can run in separate
    processes (see ShardedNonlinearBot): buttons carry their state in their custom_id;
    the card cache and telemetry are per process (a cache miss only costs a re-run);
    admission's per-server cap is exact because a server lives on one shard, while the
    per-user cooldown and the queue bound count per process (a user active in servers on
    N processes may start up to N times the rate, each process protecting its own pool).
    """

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
            # a long 429 (e.g. the daily command-create limit) raises RateLimited instead
            # of holding the bot offline for hours
            max_ratelimit_timeout=options.pop("max_ratelimit_timeout", MAX_RATELIMIT_WAIT),
            **options,
        )
        self.settings = settings
        self.serve = serve  # False for the CLI tools (sync, doctor): no pool warm-up, no auto-sync
        self.owns_pool = pool is None
        self.pool = pool or make_pool(settings)
        self.cache = CardCache(settings.cache_mb * 2**20)
        self.admission = Admission(
            Limits(
                rate=settings.cooldown_rate,
                per=settings.cooldown_per_s,
                per_guild=settings.guild_concurrency,
                queue=settings.queue_max,
                exempt_role=settings.exempt_role_id,
            )
        )
        self.telemetry = Telemetry()
        if serve and settings.metrics_port:
            self.telemetry.serve(settings.metrics_port)
        self.tree.on_error = self.on_app_command_error
        self.drain = Drain()  # SIGINT/SIGTERM: no new commands, running ones finish (lifecycle)
        self.tree.interaction_check = self.drain.admit
        self.sync_task: asyncio.Task | None = None
        self.dynamic_items: list[type[discord.ui.DynamicItem]] = []  # every button kind

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem]) -> None:
        """Register button kinds (here and in cogs) and remember them for on_interaction."""
        super().add_dynamic_items(*items)
        self.dynamic_items += items

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        if self.serve:
            await self.pool.warm()
            # never block start-up on the sync: a rate-limited sync only delays new commands.
            # With shards split across processes, only the one running shard 0 syncs.
            if 0 in (self.settings.shard_ids or (0,)):
                self.sync_task = asyncio.create_task(self.sync_in_background())

    async def sync_in_background(self) -> bool:
        """sync_commands, logging instead of raising: True if the commands are in sync."""
        try:
            await self.sync_commands()
            return True
        except discord.RateLimited as e:
            log.warning(
                "command sync is rate limited for %.0f s; serving the commands Discord "
                "already has (run `python -m bot sync` later)",
                e.retry_after,
            )
        except discord.HTTPException as e:
            log.warning(
                "command sync failed (%s %s); serving the commands Discord has",
                e.status,
                e.text[:200],
            )
        return False

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

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A button that none of ours matches (from an older version of the bot, or
        tampered with) would otherwise go unanswered: say so privately."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if any(i.__discord_ui_compiled_template__.fullmatch(custom_id) for i in self.dynamic_items):
            return  # a DynamicItem answers it
        with contextlib.suppress(discord.HTTPException):
            await interaction.response.send_message(UNKNOWN_BUTTON, ephemeral=True)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Every failure gets an ephemeral answer; unexpected ones get an incident id."""
        await report_error(interaction, error)

    async def close(self) -> None:
        if self.sync_task is not None and not self.sync_task.done():
            self.sync_task.cancel()
        try:
            await super().close()
        finally:
            if self.owns_pool:
                self.pool.close()


class ShardedNonlinearBot(NonlinearBot, commands.AutoShardedBot):
    """The same bot on several gateway connections (SHARD_COUNT, SHARD_IDS).

    discord.py's AutoShardedClient opens one websocket per shard id and sends IDENTIFY
    with [shard_id, shard_count]; Discord routes each server's events to shard
    (guild_id >> 22) % shard_count and DMs to shard 0 (events/gateway "Sharding").
    Run SHARD_IDS=0 in one process and SHARD_IDS=1 in another to split two shards.
    """

    IDENTIFY_EVERY = 5.0  # seconds between two IDENTIFYs in one rate-limit bucket

    def __init__(self, settings: Settings, **options) -> None:
        super().__init__(settings, **options)
        self.identified: dict[int, float] = {}  # bucket → monotonic time of its last IDENTIFY
        self.max_concurrency: int | None = None

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """One IDENTIFY per bucket (shard_id % max_concurrency) every 5 s, as Discord allows
        (events/gateway "Max Concurrency"), instead of discord.py's 5 s before every shard
        after the first: with max_concurrency 16, sixteen shards start at once."""
        if self.max_concurrency is None:
            try:
                self.max_concurrency = (await self.fetch_session_start_limits()).max_concurrency
            except discord.DiscordException:  # unknown: the safe assumption
                self.max_concurrency = 1
        bucket = (shard_id or 0) % max(1, self.max_concurrency)
        last = self.identified.get(bucket)
        if last is not None and (wait := last + self.IDENTIFY_EVERY - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        self.identified[bucket] = time.monotonic()


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
    """The one factory: `python -m bot`, the console and the tests all build the bot here.

    With SHARD_COUNT set it is an AutoShardedBot running SHARD_IDS (default: all shards)."""
    if settings.shard_count is None:
        return NonlinearBot(settings, **kwargs)
    count = None if settings.shard_count == "auto" else settings.shard_count  # None: ask Discord
    ids = list(settings.shard_ids) if settings.shard_ids is not None else None
    return ShardedNonlinearBot(settings, shard_count=count, shard_ids=ids, **kwargs)
