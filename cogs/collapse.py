"""/collapse: stacked linear layers are one matrix; a nonlinearity between them is not."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.collapse import check_args
from bot.replies import answer
from cogs.options import Seed


class Collapse(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="collapse")
    # Usable wherever someone can type it (resources/application "Installation Context",
    # interactions "Interaction Contexts"): a pure computation with no side effects.
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        layers="How many layers to stack (1-64)",
        width="Width of every layer (1-16)",
        bottleneck="Make the middle layer this narrow (caps the rank)",
        bias="Give the layers biases (affine layers, still one matrix)",
        between="What sits between layers: nothing, x/1000, tanh or relu",
        seed="Seed for the random weights (shown on the reply)",
        private="Only you see the answer (preview before posting)",
    )
    async def collapse(
        self,
        interaction: discord.Interaction,
        layers: app_commands.Range[int, 1, 64] = 3,
        width: app_commands.Range[int, 1, 16] = 4,
        bottleneck: app_commands.Range[int, 1, 16] | None = None,
        bias: bool = True,
        between: Literal["none", "squash", "tanh", "relu"] = "none",
        seed: Seed = 0,
        private: bool = False,
    ) -> None:
        """Multiply stacked layers into one matrix, or show that a nonlinearity prevents it."""
        check_args(layers, width, bottleneck, between, seed)  # fail fast, before the pool
        options = dict(
            layers=layers, width=width, bottleneck=bottleneck, bias=bias, between=between, seed=seed
        )
        await answer(self.bot, interaction, Job("collapse", options), ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Collapse(bot))
