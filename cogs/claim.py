"""/claim and the "Settle this" message command: verdicts on the claims people make.

Both answer with a verdict card (bot/cards/claim.py) and, beneath it in the same
message, the experiment card of the claim, built by that experiment's own job with its
Show code / New seed / Pin buttons. "Settle this" adds one button per other claim;
those buttons are stateless (`nl:claim:<id>:<n>` runs experiment n of a claim).
A long message is read in the worker pool, off the event loop (`ClaimCog._read`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.buttons import result_view
from bot.cards import Card
from bot.cards.claim import MAX_BUTTONS, claim_card, claim_choices, nothing_found, settle_card
from bot.claims import BY_ID, Claim, lookup, search
from bot.claims.settle import Reading, read
from bot.errors import UserError
from bot.jobs import Job
from bot.replies import (
    DEFER_AFTER,
    can_pin_here,
    card_embed,
    defer,
    guarded,
    posts_publicly,
    run_in_time,
    send,
    send_private,
)

log = logging.getLogger(__name__)

# A message up to this long is read on the event loop: 1-3 ms (medians over the kinds of
# text `make bench` reads, adversarial ones included). A longer one, up to READ_LIMIT,
# takes 10-15 ms, too long to hold the loop: it is read in the worker pool.
INLINE_CHARS = 1000
NOTHING_NOTE = "Nothing to settle in that message; the details went privately to whoever asked."


def experiment_job(claim: Claim, n: int = 0) -> Job:
    e = claim.experiments[n]
    return Job(e.kind, e.job_options())


async def post(
    bot: NonlinearBot,
    interaction: discord.Interaction,
    head: Card,
    job: Job,
    *,
    ephemeral: bool,
    others: Sequence[discord.ui.Item] = (),
) -> None:
    """The verdict card, then the experiment's card with its buttons, in one message."""
    ephemeral = ephemeral or not posts_publicly(interaction)
    card = await run_in_time(bot, interaction, job, ephemeral=ephemeral)
    top, _ = card_embed(head)
    below, files = card_embed(card)
    pin = can_pin_here(interaction)
    view = result_view(job, card, ephemeral=ephemeral, pin=pin) or discord.ui.View(timeout=None)
    for button in others:
        view.add_item(button)
    extra = {"view": view} if view.children else {}
    await send(interaction, ephemeral=ephemeral, embeds=[top, below], files=files, **extra)


class ClaimButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"nl:claim:(?P<id>[a-z0-9-]+):(?P<n>\d)"
):
    """Run experiment n of a claim, under its verdict card."""

    def __init__(self, claim_id: str, n: int = 0, label: str | None = None) -> None:
        claim = BY_ID.get(claim_id)
        text = label or (claim.label if claim else claim_id)
        super().__init__(
            discord.ui.Button(
                label=text[:80],
                emoji="▶️",
                style=discord.ButtonStyle.secondary,
                custom_id=f"nl:claim:{claim_id}:{n}",
            )
        )
        self.claim_id, self.n = claim_id, n

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str], /):
        return cls(match["id"], int(match["n"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        claim = BY_ID.get(self.claim_id)
        if claim is None or self.n >= len(claim.experiments):
            raise UserError("this button is not one I recognise; try `/claim`.")
        private = bool(interaction.message and interaction.message.flags.ephemeral)
        bot: NonlinearBot = interaction.client  # type: ignore[assignment]
        await post(
            bot, interaction, claim_card(claim), experiment_job(claim, self.n), ephemeral=private
        )


def embed_texts(message: discord.Message) -> list[str]:
    """The readable text of a message's embeds (title, description, fields)."""
    out = []
    for e in message.embeds:
        parts = [e.title or "", e.description or ""]
        parts += [f"{f.name or ''}\n{f.value or ''}" for f in e.fields]
        out.append("\n".join(p for p in parts if p))
    return out


class ClaimCog(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name="Settle this",
            callback=self.settle,
            # installed to a server or a user; usable in servers, the bot's DM and group DMs
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name="claim")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        claim="A claim people make (start typing: linear, tanh, relu, xor, deeper…)",
        private="Only you see the answer (preview before posting)",
    )
    async def claim(
        self,
        interaction: discord.Interaction,
        claim: app_commands.Range[str, 1, 200],
        private: bool = False,
    ) -> None:
        """Is it true? A claim's verdict, why, a reference, and the experiment that shows it."""
        found = lookup(claim)
        if found is None:
            raise UserError(
                f"I don't know the claim {claim[:80]!r}. Start typing and pick one from the "
                "list, e.g. `linear layers` or `tanh`."
            )
        others = [
            ClaimButton(found.id, n, label=e.command)
            for n, e in enumerate(found.experiments)
            if n > 0
        ]
        await post(
            self.bot,
            interaction,
            claim_card(found),
            experiment_job(found),
            ephemeral=private,
            others=others,
        )

    @claim.autocomplete("claim")
    async def claim_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=v) for n, v in claim_choices(search(current, 25))]

    async def settle(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Answer every claim in a message: verdicts, why, and the main claim's experiment."""
        if self.bot.user is not None and message.author.id == self.bot.user.id:
            await self._private(interaction, nothing_found(None, own=True))
            return
        reading = await self._read(interaction, message)
        if not reading.matches:
            await self._private(interaction, nothing_found(reading))
            return
        top = reading.matches[0].claim
        others = [ClaimButton(m.claim.id) for m in reading.matches[1 : 1 + MAX_BUTTONS]]
        head = settle_card(reading, message.jump_url)
        await post(self.bot, interaction, head, experiment_job(top), ephemeral=False, others=others)

    async def _read(self, interaction: discord.Interaction, message: discord.Message) -> Reading:
        """The claims in the message: a short one read here, a long one in the worker pool,
        deferring ("thinking…") if the reading is not back within DEFER_AFTER, or at once
        when every worker is busy (it would queue behind their experiments)."""
        embeds = embed_texts(message)
        if len(message.content) + sum(map(len, embeds)) <= INLINE_CHARS:
            return read(message.content, embeds)
        task = asyncio.ensure_future(self.bot.pool.call(read, message.content, embeds))
        busy = self.bot.admission.running >= getattr(self.bot.pool, "workers", 1)
        if busy or not (await asyncio.wait({task}, timeout=DEFER_AFTER))[0]:
            await defer(interaction, ephemeral=not posts_publicly(interaction))
        return await task

    async def _private(self, interaction: discord.Interaction, text: str) -> None:
        await send_private(interaction, text[:2000], note=NOTHING_NOTE)


async def setup(bot: NonlinearBot) -> None:
    bot.add_dynamic_items(ClaimButton)
    await bot.add_cog(ClaimCog(bot))
