"""/regions: the linear regions a ReLU network cuts the input square into."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.regions import DEPTH_MAX, WIDTH_MAX, check_args
from bot.replies import answer
from cogs.options import Seed


class Regions(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="regions")
    @app_commands.describe(
        width=f"Units per hidden layer (1-{WIDTH_MAX})",
        depth=f"Hidden layers (1-{DEPTH_MAX})",
        seed="Seed for the random weights (shown on the reply)",
        dataset="none: random initialisation; or briefly train on a 2-D dataset first",
        private="Only you see the answer (preview before posting)",
    )
    async def regions(
        self,
        interaction: discord.Interaction,
        width: app_commands.Range[int, 1, WIDTH_MAX] = 8,
        depth: app_commands.Range[int, 1, DEPTH_MAX] = 2,
        seed: Seed = 0,
        dataset: Literal["none", "circle", "moons", "spiral", "xor"] = "none",
        private: bool = False,
    ) -> None:
        """Colour the plane by a ReLU network's linear regions and count them exactly."""
        check_args(width, depth, seed, dataset)  # fail fast, before the pool
        options = dict(width=width, depth=depth, seed=seed, dataset=dataset)
        await answer(self.bot, interaction, Job("regions", options), ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Regions(bot))
