"""/collapse: stacked linear layers are one matrix; a nonlinearity between them is not."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.collapse import check_args
from bot.replies import answer
from cogs.options import Bottleneck, Layers, Seed, Width


class Collapse(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="collapse")
    # Usable wherever someone can type it (resources/application "Installation Context",
    # interactions "Interaction Contexts"): a pure computation with no side effects.
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        layers=o.LAYERS.describe,
        width=o.WIDTH.describe,
        bottleneck=o.BOTTLENECK.describe,
        bias=o.BIAS.describe,
        between=o.BETWEEN.describe,
        seed=o.SEED.describe,
        private=o.PRIVATE.describe,
    )
    async def collapse(
        self,
        interaction: discord.Interaction,
        layers: Layers = o.LAYERS.default,
        width: Width = o.WIDTH.default,
        bottleneck: Bottleneck | None = o.BOTTLENECK.default,
        bias: bool = o.BIAS.default,
        between: Literal["none", "squash", "tanh", "relu"] = o.BETWEEN.default,
        seed: Seed = o.SEED.default,
        private: bool = o.PRIVATE.default,
    ) -> None:
        """Multiply stacked layers into one matrix, or show that a nonlinearity prevents it."""
        check_args(layers, width, bottleneck, between, seed)  # fail fast, before the pool
        options = dict(
            layers=layers, width=width, bottleneck=bottleneck, bias=bias, between=between, seed=seed
        )
        await answer(self.bot, interaction, Job("collapse", options), ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Collapse(bot))
