"""/xor: one line versus XOR, squashing, single units, and small networks."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.activations import REGISTRY
from bot.lab.neuron import LR_MAX, LR_MIN
from bot.replies import answer
from cogs.options import Seed

ACTIVATIONS = [app_commands.Choice(name=a.label, value=a.name) for a in REGISTRY.values()]
Epochs = app_commands.Range[int, 1, 5000]
LearningRate = app_commands.Range[float, LR_MIN, LR_MAX]


class Xor(commands.GroupCog, group_name="xor", group_description="XOR: what one line can't do"):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    async def _run(self, interaction: discord.Interaction, kind: str, private: bool, **options):
        await answer(self.bot, interaction, Job(kind, options), ephemeral=private)

    @app_commands.command(name="linear")
    @app_commands.describe(private="Only you see the answer (preview before posting)")
    async def linear(self, interaction: discord.Interaction, private: bool = False) -> None:
        """Fit y = w1·x1 + w2·x2 + b to XOR and see why no line can work."""
        await self._run(interaction, "xor.linear", private)

    @app_commands.command(name="squash")
    @app_commands.describe(
        seed="Seed for the trained tanh and sigmoid units (shown on the reply)",
        private="Only you see the answer (preview before posting)",
    )
    async def squash(
        self, interaction: discord.Interaction, seed: Seed = 0, private: bool = False
    ) -> None:
        """Does squashing one line (y·w3, tanh, sigmoid) help with XOR? And a sine unit."""
        await self._run(interaction, "xor.squash", private, seed=seed)

    @app_commands.command(name="neuron")
    @app_commands.describe(
        activation="The unit's activation function",
        seed="Seed for the initial weights (shown on the reply)",
        epochs="Gradient-descent steps (1-5000)",
        lr="Learning rate (0.0001-10)",
        private="Only you see the answer (preview before posting)",
    )
    @app_commands.choices(activation=ACTIVATIONS)
    async def neuron(
        self,
        interaction: discord.Interaction,
        activation: str = "tanh",
        seed: Seed = 0,
        epochs: Epochs = 2000,
        lr: LearningRate = 1.0,
        private: bool = False,
    ) -> None:
        """Train one unit f(w·x + b) on XOR: monotone f can't beat 3 of 4."""
        await self._run(
            interaction,
            "xor.neuron",
            private,
            activation=activation,
            seed=seed,
            epochs=epochs,
            lr=lr,
        )

    @app_commands.command(name="mlp")
    @app_commands.describe(
        hidden="Hidden units (1-16)",
        activation="Hidden-layer activation function",
        seed="Seed for the initial weights (shown on the reply)",
        epochs="Gradient-descent steps (1-5000)",
        lr="Learning rate (0.0001-10)",
        private="Only you see the answer (preview before posting)",
    )
    @app_commands.choices(activation=ACTIVATIONS)
    async def mlp(
        self,
        interaction: discord.Interaction,
        hidden: app_commands.Range[int, 1, 16] = 2,
        activation: str = "tanh",
        seed: Seed = 0,
        epochs: Epochs = 2000,
        lr: LearningRate = 1.0,
        private: bool = False,
    ) -> None:
        """Train a 2-H-1 network on XOR and see each hidden unit's decision line."""
        await self._run(
            interaction,
            "xor.mlp",
            private,
            hidden=hidden,
            activation=activation,
            seed=seed,
            epochs=epochs,
            lr=lr,
        )

    @app_commands.command(name="stats")
    @app_commands.describe(
        hidden="Hidden sizes, comma-separated, each 1-16 (e.g. 2,3,4,8)",
        activation="Hidden activations, comma-separated (e.g. tanh,relu,sigmoid)",
        seeds="How many seeds (networks) per setting: 10-2000",
        epochs="Gradient-descent steps (1-5000)",
        lr="Learning rate (0.0001-10)",
        init="Initial weights: normal (W1 ~ N(0,1)), Glorot- or He-uniform",
        private="Only you see the answer (preview before posting)",
    )
    @app_commands.choices(
        init=[app_commands.Choice(name=n, value=n) for n in ("normal", "glorot", "he")]
    )
    async def stats(
        self,
        interaction: discord.Interaction,
        hidden: app_commands.Range[str, 1, 60] = "2,4,8",
        activation: app_commands.Range[str, 1, 100] = "tanh,relu",
        seeds: app_commands.Range[int, 10, 2000] = 1000,
        epochs: Epochs = 2000,
        lr: LearningRate = 1.0,
        init: str = "normal",
        private: bool = False,
    ) -> None:
        """How often does training solve XOR? Success rates over many seeds, and why runs fail."""
        from bot.lab.stats import parse_activations, parse_sizes  # bad lists: an answer at once

        await self._run(
            interaction,
            "xor.stats",
            private,
            sizes="+".join(map(str, parse_sizes(hidden))),
            activations="+".join(parse_activations(activation)),
            seeds=seeds,
            epochs=epochs,
            lr=lr,
            init=init,
        )


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Xor(bot))
