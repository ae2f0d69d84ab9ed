"""/approximate: one hidden layer fitted to a target; how the error falls with the units."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.approximate import INTERVAL_TEXT, UNITS_MAX, check_args
from bot.lab.expr import MAX_LEN
from bot.replies import answer
from cogs.options import Seed

INTERVALS = [app_commands.Choice(name=text, value=key) for key, text in INTERVAL_TEXT.items()]


class Approximate(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="approximate")
    @app_commands.describe(
        target="What to fit: sin, |x|, a step, a sawtooth, a Gaussian bump, or custom",
        units=f"Hidden units N (1-{UNITS_MAX})",
        activation="The hidden units' activation (linear: see why it can't)",
        method="constructive: evenly spaced kinks/steps; random: random first layer",
        interval="The interval the theorem speaks about",
        seed="Seed for the random first layer (method:random)",
        custom="With target:custom, a formula in x, e.g. x*sin(3*x)",
        private="Only you see the answer (preview before posting)",
    )
    @app_commands.choices(interval=INTERVALS)
    async def approximate(
        self,
        interaction: discord.Interaction,
        target: Literal["sin", "abs", "step", "sawtooth", "bump", "custom"] = "sin",
        units: app_commands.Range[int, 1, UNITS_MAX] = 16,
        activation: Literal["relu", "tanh", "sigmoid", "linear"] = "relu",
        method: Literal["constructive", "random"] = "constructive",
        interval: str = "pi",
        seed: Seed = 0,
        custom: app_commands.Range[str, 1, MAX_LEN] | None = None,
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
