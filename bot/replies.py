"""Turning a Card into what Discord shows: an embed, its files, and sending it on time."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import logging
import secrets
from typing import TYPE_CHECKING

import discord

from bot.cards import Card
from bot.errors import UserError
from bot.jobs import Job

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
    """Run the job in the pool; if it is not done within DEFER_AFTER, defer ("thinking…")
    so Discord's 3-second deadline holds however long the job takes."""
    task = asyncio.ensure_future(bot.pool.run(job))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    return await task


async def send(interaction: discord.Interaction, *, ephemeral: bool, **kwargs) -> None:
    """The first answer to an interaction, or the follow-up after a deferral."""
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **kwargs)
    else:
        await interaction.response.send_message(
            ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **kwargs
        )


async def answer(
    bot: NonlinearBot,
    interaction: discord.Interaction,
    job: Job,
    *,
    ephemeral: bool = False,
    note: str = "",
) -> Card:
    """Run the job and post its card, with the result buttons (and `note` above it, if any)."""
    card = await run_in_time(bot, interaction, job, ephemeral=ephemeral)
    embed, files = card_embed(card)
    from bot.buttons import result_view  # buttons re-run jobs through answer(): import late

    view = result_view(job, card, ephemeral=ephemeral)
    extra = {"view": view} if view is not None else {}
    if note:
        extra["content"] = note
    await send(interaction, ephemeral=ephemeral, embed=embed, files=files, **extra)
    return card


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer any failure ephemerally; log unexpected ones with an incident id to quote."""
    cause = getattr(error, "original", error)
    if isinstance(cause, UserError):
        text = f"⚠️ {cause.message}"
    elif isinstance(
        cause, discord.app_commands.TransformerError | discord.app_commands.CheckFailure
    ):
        text = f"⚠️ {cause}"
    else:
        incident = secrets.token_hex(4)
        where = interaction.command.qualified_name if interaction.command else "a button"
        log.error("incident %s in %s", incident, where, exc_info=cause)
        text = f"Something went wrong on our side (incident `{incident}`). Please try again."
    try:
        if interaction.response.is_done():
            if (
                interaction.response.type
                == discord.InteractionResponseType.deferred_channel_message
            ):
                # the "thinking…" placeholder may be public: remove it, answer only the user
                with contextlib.suppress(discord.HTTPException):
                    await interaction.delete_original_response()
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
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
