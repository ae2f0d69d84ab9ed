"""/train: a small network learning a 2-D dataset, as an animated GIF of its decision boundary."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.train import check_args
from bot.replies import answer
from cogs.options import Hidden, LearningRate, Seed


class Train(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="train")
    @app_commands.describe(
        dataset="The 2-D dataset to learn (none of them is split by one straight line)",
        activation="The hidden units' activation (linear: see why it can't)",
        hidden=o.HIDDEN.describe,
        compare=o.COMPARE.describe,
        seed=o.SEED.describe,
        noise=o.NOISE.describe,
        epochs=o.TRAIN_EPOCHS.describe,
        lr=o.LR.describe,
        private=o.PRIVATE.describe,
    )
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def train(
        self,
        interaction: discord.Interaction,
        dataset: Literal["circle", "moons", "spiral", "xor"] = "circle",
        activation: Literal["relu", "tanh", "sigmoid", "linear", "sin"] = "tanh",
        hidden: Hidden = 8,
        compare: bool = o.COMPARE.default,
        seed: Seed = 0,
        noise: app_commands.Range[float, o.NOISE.low, o.NOISE.high] | None = None,
        epochs: app_commands.Range[int, o.TRAIN_EPOCHS.low, o.TRAIN_EPOCHS.high] = 1000,
        lr: LearningRate = o.LR.default,
        private: bool = False,
    ) -> None:
        """Watch a 2-H-1 network learn a 2-D dataset (GIF); compare:True trains all 5 activations."""
        check_args(
            dataset, activation, hidden, epochs, lr, seed, noise
        )  # fail fast, before the pool
        options = dict(
            dataset=dataset,
            activation=activation,
            hidden=hidden,
            epochs=epochs,
            lr=lr,
            seed=seed,
            noise=noise,
            compare=compare,
        )
        await answer(self.bot, interaction, Job("train", options), ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Train(bot))
