"""/regions: the linear regions a ReLU network cuts the input square into."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.regions import check_args
from bot.replies import answer
from cogs.options import Seed


class Regions(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="regions")
    @app_commands.describe(
        width=o.REGIONS_WIDTH.describe,
        depth=o.DEPTH.describe,
        seed=o.SEED.describe,
        dataset="none: random initialisation; or briefly train on a 2-D dataset first",
        private=o.PRIVATE.describe,
    )
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def regions(
        self,
        interaction: discord.Interaction,
        width: app_commands.Range[int, o.REGIONS_WIDTH.low, o.REGIONS_WIDTH.high] = 8,
        depth: app_commands.Range[int, o.DEPTH.low, o.DEPTH.high] = 2,
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
