"""/activation: one activation function's shape, range, derivative and float facts."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.replies import answer
from cogs.options import ActivationName, Formula, matches

__all__ = ["Activation", "matches"]


class Activation(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="activation")
    # Usable wherever someone can type it (resources/application "Installation Context",
    # interactions "Interaction Contexts"): a pure computation with no side effects.
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        name=o.NAME.describe, custom=o.CUSTOM.describe, private=o.PRIVATE.describe
    )
    async def activation(
        self,
        interaction: discord.Interaction,
        name: app_commands.Transform[str, ActivationName] | None = None,
        custom: app_commands.Transform[str, Formula] | None = None,
        private: bool = o.PRIVATE.default,
    ) -> None:
        """Plot an activation and its derivative; its range, properties, and float facts."""
        note = None
        if custom is not None:
            options = {"custom": custom}
            if name is not None:
                note = f"Plotted your formula from `custom`; `name:{name}` was not used."
        else:
            options = {"name": name or o.NAME.default}
        await answer(
            self.bot, interaction, Job("activation", options), ephemeral=private, note=note
        )


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Activation(bot))
