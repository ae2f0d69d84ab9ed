"""Turning a Card into what Discord shows: an embed, its files, and sending it on time."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import logging
import secrets
import time
from typing import TYPE_CHECKING

import discord

from bot import limits
from bot.cache import job_key
from bot.cards import Card
from bot.errors import UserError
from bot.jobs import QUICK_MS, Job, predicted_ms
from bot.telemetry import Event

if TYPE_CHECKING:
    from bot.app import NonlinearBot

log = logging.getLogger(__name__)

DEFER_AFTER = 1.0  # seconds: answer directly if the job is done by then, else defer
NO_MENTIONS = discord.AllowedMentions.none()


def card_embed(card: Card) -> tuple[discord.Embed, list[discord.File]]:
    """The embed (title, verdict, fields, image, footer) and the files it refers to."""
    embed = discord.Embed(title=card.title, description=card.description, color=card.color)
    for f in card.fields:
        embed.add_field(name=f.name, value=f.value, inline=f.inline)
    files: list[discord.File] = []
    if card.image is not None:
        embed.set_image(url=f"attachment://{card.image.filename}")
        files.append(discord.File(io.BytesIO(card.image.data), filename=card.image.filename))
    for a in card.files:
        files.append(discord.File(io.BytesIO(a.data), filename=a.filename))
    if card.footer:
        embed.set_footer(text=card.footer)
    return embed, files


async def run_in_time(
    bot: NonlinearBot, interaction: discord.Interaction, job: Job, *, ephemeral: bool
) -> Card:
    """The job's card: from the cache if this exact job ran before, else from the pool.

    Every job is deterministic (seeds are options), so a finished card is reused as is;
    Show code (figure=False) also takes the full card. A job predicted to be slow (by its
    kind and options, bot.jobs.predicted_ms) or that must queue behind busy workers defers
    ("thinking…") at once; a quick one on a free worker gets DEFER_AFTER to answer in one
    message, and defers then. Discord's 3-second deadline holds however long it takes.
    """
    key = job_key(job.kind, job.options)
    card = bot.cache.get(key)
    if card is None and job.options.get("figure") is False:
        card = bot.cache.get(job_key(job.kind, {**job.options, "figure": None}))
    if card is not None:
        interaction.extras["cache_hit"] = True
        return card
    user = interaction.user
    roles = tuple(r.id for r in getattr(user, "roles", ()))
    with bot.admission.admit(user.id, interaction.guild_id, roles):
        bot.telemetry.queue_depth(bot.admission.running)
        task = asyncio.ensure_future(bot.pool.run(job))
        must_queue = bot.admission.running > getattr(bot.pool, "workers", 1)
        quick = not must_queue and predicted_ms(job) <= QUICK_MS
        if not interaction.response.is_done():  # ("Settle this" may have deferred already)
            done = quick and bool((await asyncio.wait({task}, timeout=DEFER_AFTER))[0])
            if not done:  # a slow job defers with no pause: other interactions wait behind it
                await defer(interaction, ephemeral=ephemeral)
        card = await task
    bot.cache.put(key, card)
    return card


async def defer(interaction: discord.Interaction, *, ephemeral: bool) -> None:
    """Acknowledge with "thinking…" now; the answer replaces it later (bot.replies.send)."""
    interaction.extras["deferred_private"] = ephemeral
    await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    interaction.extras["ack_at"] = time.perf_counter()


def posts_publicly(interaction: discord.Interaction) -> bool:
    """False where Discord would force a public reply to be ephemeral anyway.

    resources/application "User Context": a user-installed app (not installed in this
    server) is held to the user's permissions; where they may not send messages, the
    app cannot answer with a non-ephemeral message.
    """
    if interaction.guild_id is None or interaction.is_guild_integration():
        return True
    return interaction.permissions.send_messages


def can_pin_here(interaction: discord.Interaction) -> bool:
    """Pinning needs the bot user in the channel: only where the app is installed to the
    server (authorizing_integration_owners has this guild), never in (G)DMs or in servers
    reached through a user install (interactions "Authorizing Integration Owners Object")."""
    return interaction.guild_id is not None and interaction.is_guild_integration()


def _placeholder_pending(interaction: discord.Interaction) -> bool:
    """Deferred with "thinking…" and that placeholder not yet replaced."""
    return (
        interaction.response.type == discord.InteractionResponseType.deferred_channel_message
        and not interaction.extras.get("placeholder_replaced")
    )


async def send(interaction: discord.Interaction, *, ephemeral: bool, **kwargs) -> None:
    """The answer to an interaction, by the documented path for its state.

    Not acknowledged yet: the response itself. After a "thinking" deferral: the result
    replaces the placeholder with edit-original-response (PATCH .../messages/@original);
    a first follow-up also does that, but only as deprecated behaviour (interactions
    "Create Followup Message"). Otherwise: a follow-up message.
    """
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if _placeholder_pending(interaction):
        files = list(kwargs.pop("files", None) or [])
        if "file" in kwargs:
            files.append(kwargs.pop("file"))
        if files:
            kwargs["attachments"] = files
        await interaction.edit_original_response(**kwargs)  # keeps the deferral's visibility
        interaction.extras["placeholder_replaced"] = True
    elif interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def answer(
    bot: NonlinearBot,
    interaction: discord.Interaction,
    job: Job,
    *,
    ephemeral: bool = False,
    note: str | None = None,
) -> Card:
    """Run the job and post its card, with the result buttons (and `note` above it)."""
    started = time.perf_counter()
    ephemeral = ephemeral or not posts_publicly(interaction)
    card = await run_in_time(bot, interaction, job, ephemeral=ephemeral)
    embed, files = card_embed(card)
    from bot.buttons import result_view  # buttons re-run jobs through answer(): import late

    view = result_view(job, card, ephemeral=ephemeral, pin=can_pin_here(interaction))
    extra = {"view": view} if view is not None else {}
    if note:
        extra["content"] = note
    await send(interaction, ephemeral=ephemeral, embed=embed, files=files, **extra)
    done = time.perf_counter()
    bot.telemetry.record(
        Event(
            command=job.kind,
            options={k: v for k, v in job.options.items() if k != "custom"},  # no user text
            guild_id=interaction.guild_id,
            ack_ms=(interaction.extras.get("ack_at", done) - started) * 1000,
            final_ms=(done - started) * 1000,
            cache_hit=bool(interaction.extras.get("cache_hit")),
            outcome="ok",
        )
    )
    return card


STALE = (discord.app_commands.CommandSignatureMismatch, discord.app_commands.CommandNotFound)
STALE_TEXT = (
    "⚠️ this command changed since Discord last showed it to you: type it again "
    "(after an update Discord can take a minute to catch up)."
)


def error_text(interaction: discord.Interaction, error: BaseException) -> str:
    """What the user reads: the UserError itself, or an incident id (and a log line)."""
    cause = getattr(error, "original", error)
    if isinstance(cause, discord.app_commands.TransformerError) and cause.__cause__ is not None:
        cause = cause.__cause__  # a Transformer's own UserError (see cogs/options.py)
    if isinstance(cause, UserError):  # capped: Discord refuses a longer message outright
        return f"⚠️ {cause.message}"[: limits.CONTENT_LEN]
    if isinstance(cause, discord.app_commands.TransformerError | discord.app_commands.CheckFailure):
        return f"⚠️ {cause}"[: limits.CONTENT_LEN]
    if isinstance(cause, STALE):  # Discord's copy of the command is older than ours
        log.warning("interaction for a changed command: %s", cause)
        return STALE_TEXT
    incident = secrets.token_hex(4)
    where = interaction.command.qualified_name if interaction.command else "a button"
    log.error("incident %s in %s", incident, where, exc_info=cause)
    return f"Something went wrong on our side (incident `{incident}`). Please try again."


NEUTRAL_NOTE = "This one didn't work out; the details went privately to whoever asked."


async def send_private(
    interaction: discord.Interaction, text: str, *, note: str = NEUTRAL_NOTE
) -> None:
    """An ephemeral message, by a documented path for the interaction's state.

    After a public "thinking" deferral the placeholder is public and a follow-up must not
    be relied on to replace it, so: edit it into a short neutral `note` (edit-original-
    response), send the text as an ephemeral follow-up, then delete the note.
    """
    private = {"ephemeral": True, "allowed_mentions": NO_MENTIONS}
    if _placeholder_pending(interaction):
        interaction.extras["placeholder_replaced"] = True
        if interaction.extras.get("deferred_private"):
            await interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS)
            return
        await interaction.edit_original_response(content=note, allowed_mentions=NO_MENTIONS)
        await interaction.followup.send(text, **private)
        with contextlib.suppress(discord.HTTPException):
            await interaction.delete_original_response()
    elif interaction.response.is_done():
        await interaction.followup.send(text, **private)
    else:
        await interaction.response.send_message(text, **private)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer any failure ephemerally (bot.replies.send_private); log unexpected ones."""
    text = error_text(interaction, error)
    try:
        await send_private(interaction, text)
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id)


def guarded(callback):
    """Route a component callback's exceptions to report_error, like the command tree's."""

    @functools.wraps(callback)
    async def wrapper(self, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:  # every failure gets an answer; unexpected ones are logged
            await report_error(interaction, error)

    return wrapper
