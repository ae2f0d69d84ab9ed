"""/approximate: one hidden layer fitted to a target; how the error falls with the units."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.approximate import INTERVAL_TEXT, check_args
from bot.replies import answer
from cogs.options import Seed

INTERVALS = [app_commands.Choice(name=text, value=key) for key, text in INTERVAL_TEXT.items()]


class Approximate(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="approximate")
    @app_commands.describe(
        target="What to fit: sin, |x|, a step, a sawtooth, a Gaussian bump, or custom",
        units=o.UNITS.describe,
        activation="The hidden units' activation (linear: see why it can't)",
        method="constructive: evenly spaced kinks; random: random first layer; training: gradient descent",
        interval="The interval the theorem speaks about",
        seed=o.APPROX_SEED.describe,
        custom=o.APPROX_CUSTOM.describe,
        private=o.PRIVATE.describe,
    )
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.choices(interval=INTERVALS)
    async def approximate(
        self,
        interaction: discord.Interaction,
        target: Literal["sin", "abs", "step", "sawtooth", "bump", "custom"] = "sin",
        units: app_commands.Range[int, o.UNITS.low, o.UNITS.high] = 16,
        activation: Literal["relu", "tanh", "sigmoid", "linear"] = "relu",
        method: Literal["constructive", "random", "training"] = "constructive",
        interval: str = "pi",
        seed: Seed = 0,
        custom: app_commands.Range[str, o.APPROX_CUSTOM.low, o.APPROX_CUSTOM.high] | None = None,
        private: bool = False,
    ) -> None:
        """Fit one hidden layer to a function: how the error falls as units are added."""
        if custom and target == "sin":
            target = "custom"  # a formula given without target:custom means that formula
        check_args(target, units, activation, method, interval, seed, custom)  # fail fast
        options = dict(
            target=target,
            units=units,
            activation=activation,
            method=method,
            interval=interval,
            seed=seed,
            custom=custom,
        )
        await answer(self.bot, interaction, Job("approximate", options), ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Approximate(bot))
