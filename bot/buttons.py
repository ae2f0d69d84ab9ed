"""The buttons under every result: Show code, New seed, Pin. Stateless by design.

Each button is a discord.py DynamicItem whose custom_id carries everything it needs
(`nl:code:<job spec>`, `nl:seed:<job spec>`, `nl:pin`), so a click on a week-old message
works after any restart. Show code and New seed re-run the job in the worker pool.
"""

from __future__ import annotations

import io
import logging
import re
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot import jobspec, limits
from bot.cards import Card, custom_formula
from bot.errors import UserError
from bot.jobs import Job
from bot.lab import SEED_MAX
from bot.replies import answer, can_pin_here, guarded, run_in_time, send

if TYPE_CHECKING:
    from bot.app import NonlinearBot

log = logging.getLogger(__name__)

SEEDED = {
    "xor.squash",
    "xor.neuron",
    "xor.mlp",
    "collapse",
    "regions",
    "train",
    "xor.stats",
    "learnable",
}
BATCHES = {"xor.stats", "learnable"}  # seed is the first of `seeds`: New seed gives the next batch


def _job_from(interaction: discord.Interaction, spec: str) -> Job:
    try:
        job = jobspec.decode(spec)
    except jobspec.SpecError:
        raise UserError("this button is not one I recognise; run the command again.") from None
    if job.options.get("custom") == jobspec.FORMULA_IN_EMBED:
        embeds = interaction.message.embeds if interaction.message else []
        formula = custom_formula(
            [(f.name or "", f.value or "") for e in embeds[:1] for f in e.fields]
        )
        if formula is None:
            raise UserError("could not read the formula back from this message; run it again.")
        job = Job(job.kind, {**job.options, "custom": formula})
    return job


class JobButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"nl:(?P<action>code|seed):(?P<spec>.+)"
):
    """Show code (an ephemeral script) or New seed (the same job, seed + 1), for one job."""

    LOOKS: ClassVar[dict[str, tuple[str, str]]] = {
        "code": ("Show code", "🧾"),
        "seed": ("New seed", "🎲"),
    }

    def __init__(self, action: str, spec: str) -> None:
        label, emoji = self.LOOKS[action]
        button = discord.ui.Button(
            label=label,
            emoji=emoji,
            style=discord.ButtonStyle.secondary,
            custom_id=f"nl:{action}:{spec}",
        )
        super().__init__(button)
        self.action, self.spec = action, spec

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str], /):
        return cls(match["action"], match["spec"])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Turned away privately while the bot shuts down (bot.lifecycle.Drain)."""
        return await interaction.client.drain.admit(interaction)  # type: ignore[attr-defined]

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: NonlinearBot = interaction.client  # type: ignore[assignment]
        job = _job_from(interaction, self.spec)
        if self.action == "code":  # the numbers, not the plot: skip drawing it
            job = Job(job.kind, {**job.options, "figure": False})
            card = await run_in_time(bot, interaction, job, ephemeral=True)
            await send(interaction, ephemeral=True, **code_message(card))
            return
        seed = int(job.options.get("seed", 0))
        step = int(job.options.get("seeds", 1)) if job.kind in BATCHES else 1
        # the next batch is seed + step … seed + 2·step − 1: when its last seed would pass
        # the largest, go back to 0 and say so
        wraps = seed + 2 * step - 1 > SEED_MAX
        job = Job(job.kind, {**job.options, "seed": 0 if wraps else seed + step})
        private = bool(interaction.message and interaction.message.flags.ephemeral)
        note = ""
        if wraps and job.kind in BATCHES:
            note = (
                f"Seed {SEED_MAX} is the largest and the next {step} seeds would pass it, "
                f"so New seed wrapped around to seeds 0–{step - 1}."
            )
        elif wraps:
            note = f"Seed {SEED_MAX} is the largest, so New seed wrapped around to seed 0."
        await answer(bot, interaction, job, ephemeral=private, note=note)


def code_message(card: Card) -> dict[str, Any]:
    """The snippet as a message: inline if it fits, else an attached reproduce.py."""
    seed = f" (seed {card.seed})" if card.seed is not None else ""
    head = f"Reproduce `{card.command}`{seed} with NumPy alone: save and run with `python`."
    inline = f"{head}\n```py\n{card.code}```"
    if len(inline) <= limits.CONTENT_LEN:
        return {"content": inline}
    return {
        "content": head + " The script is attached.",
        "file": discord.File(io.BytesIO(card.code.encode()), filename="reproduce.py"),
    }


NOT_HERE = (
    "I can't pin here: I'm not a member of this place (the app was installed to someone's "
    "account, not to this server). Pinning works where a moderator added the bot."
)
ONLY_MODERATORS = (
    "only moderators can pin: it needs the **Pin Messages** permission in this channel "
    "(Manage Messages no longer includes it)."
)
BOT_CANT = (
    "I can't pin here: give my role the **Pin Messages** permission in this channel "
    "(Server Settings → Roles, or the channel's permissions). Manage Messages is not enough."
)
# Discord's JSON error codes (topics/opcodes-and-status-codes "JSON Error Codes") → answers
PIN_REFUSALS = {
    30003: (
        f"this channel already has {limits.PINS_PER_CHANNEL} pins, Discord's maximum: unpin "
        "an old message first, then press Pin again."
    ),
    50013: BOT_CANT,
    50083: "this thread is archived: unarchive it (send a message in it), then press Pin again.",
    50001: (
        "I can't reach this channel: in a private thread, add me to the thread first "
        "(mention me), then press Pin again."
    ),
    10008: "this message no longer exists.",
    50021: "this message can't be pinned.",
}


def pin_refusal(error: discord.HTTPException) -> str | None:
    """A clear sentence for Discord's refusal to pin, or None if it is not one we know."""
    return PIN_REFUSALS.get(error.code)


class Pin(discord.ui.DynamicItem[discord.ui.Button], template=r"nl:pin"):
    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label="Pin", emoji="📌", style=discord.ButtonStyle.primary, custom_id="nl:pin"
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str], /):
        return cls()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Turned away privately while the bot shuts down (bot.lifecycle.Drain)."""
        return await interaction.client.drain.admit(interaction)  # type: ignore[attr-defined]

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        """Pin Messages alone decides, for the clicker and for the bot (change-log
        "Permission Changes Going into Effect February 2026"; resources/message "Pin
        Message"). Acknowledge first (a deferred update), then pin, then relabel the
        button through edit-original-response; Discord's refusals become private answers."""
        if not can_pin_here(interaction):
            raise UserError(NOT_HERE)
        if not interaction.permissions.pin_messages:
            raise UserError(ONLY_MODERATORS)
        if not interaction.app_permissions.pin_messages:
            raise UserError(BOT_CANT)
        message, channel = interaction.message, interaction.channel
        if message is None:
            raise UserError("this message can no longer be pinned.")
        if message.pinned:
            raise UserError("this message is already pinned.")
        if isinstance(channel, discord.Thread) and channel.archived:
            raise UserError(PIN_REFUSALS[50083])
        await interaction.response.defer()  # type 6: nothing visible changes yet
        try:
            await message.pin(reason=f"Pinned by {interaction.user} with the Pin button")
        except discord.HTTPException as e:
            if (text := pin_refusal(e)) is None:
                raise
            raise UserError(text) from None
        view = discord.ui.View.from_message(message, timeout=None)
        for item in view.children:
            if isinstance(item, discord.ui.Button) and item.custom_id == "nl:pin":
                item.label = f"Pinned by {interaction.user.display_name}"[: limits.BUTTON_LABEL_LEN]
                item.disabled = True
        await interaction.edit_original_response(view=view)


def result_view(
    job: Job, card: Card, *, ephemeral: bool, pin: bool = True
) -> discord.ui.View | None:
    """Show code on every result; New seed on seeded ones; Pin on public ones where the
    bot can pin (`pin`: it is a member there, see replies.can_pin_here)."""
    try:
        spec = jobspec.encode(job)
    except jobspec.SpecError:
        log.warning("no buttons for %s: spec too long", job.kind)
        return None
    view = discord.ui.View(timeout=None)
    if card.code:
        view.add_item(JobButton("code", spec))
    if job.kind in SEEDED:
        view.add_item(JobButton("seed", spec))
    if pin and not ephemeral:
        view.add_item(Pin())
    return view if view.children else None


DYNAMIC_ITEMS = (JobButton, Pin)
