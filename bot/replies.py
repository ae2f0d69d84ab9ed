"""Turning a Card into what Discord shows: an embed, its files, and sending it on time."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING

import discord

from bot.cards import Card
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


async def answer(
    bot: NonlinearBot,
    interaction: discord.Interaction,
    job: Job,
    *,
    ephemeral: bool = False,
    view: discord.ui.View | None = None,
) -> Card:
    """Run the job in the pool; reply directly if it is quick, otherwise defer first."""
    task = asyncio.ensure_future(bot.pool.run(job))
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    card = await task
    embed, files = card_embed(card)
    kwargs = {"embed": embed, "files": files, "allowed_mentions": NO_MENTIONS}
    if view is None and bot.view_for is not None:
        view = bot.view_for(card)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
    return card
