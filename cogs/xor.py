"""/xor: one line versus XOR, squashing, single units, and small networks."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.activations import REGISTRY
from bot.replies import answer
from cogs.options import Epochs, Hidden, LearningRate, Seed

ACTIVATIONS = [app_commands.Choice(name=a.label, value=a.name) for a in REGISTRY.values()]


# A group takes its installs and contexts from the class (subcommands can't have their own):
# usable wherever someone can type it, since every subcommand is a pure computation.
@app_commands.allowed_installs(guilds=True, users=True)
@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
class Xor(commands.GroupCog, group_name="xor", group_description="XOR: what one line can't do"):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    async def _run(self, interaction: discord.Interaction, kind: str, private: bool, **options):
        await answer(self.bot, interaction, Job(kind, options), ephemeral=private)

    @app_commands.command(name="linear")
    @app_commands.describe(private=o.PRIVATE.describe)
    async def linear(
        self, interaction: discord.Interaction, private: bool = o.PRIVATE.default
    ) -> None:
        """Fit y = w1·x1 + w2·x2 + b to XOR and see why no line can work."""
        await self._run(interaction, "xor.linear", private)

    @app_commands.command(name="squash")
    @app_commands.describe(seed=o.SEED.describe, private=o.PRIVATE.describe)
    async def squash(
        self,
        interaction: discord.Interaction,
        seed: Seed = o.SEED.default,
        private: bool = o.PRIVATE.default,
    ) -> None:
        """Does squashing one line (y·w3, tanh, sigmoid) help with XOR? And a sine unit."""
        await self._run(interaction, "xor.squash", private, seed=seed)

    @app_commands.command(name="neuron")
    @app_commands.describe(
        activation=o.ACTIVATION.describe,
        seed=o.SEED.describe,
        epochs=o.EPOCHS.describe,
        lr=o.LR.describe,
        private=o.PRIVATE.describe,
    )
    @app_commands.choices(activation=ACTIVATIONS)
    async def neuron(
        self,
        interaction: discord.Interaction,
        activation: str = o.ACTIVATION.default,
        seed: Seed = o.SEED.default,
        epochs: Epochs = o.EPOCHS.default,
        lr: LearningRate = o.LR.default,
        private: bool = o.PRIVATE.default,
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
        hidden=o.HIDDEN.describe,
        activation=o.HIDDEN_ACTIVATION.describe,
        seed=o.SEED.describe,
        epochs=o.EPOCHS.describe,
        lr=o.LR.describe,
        private=o.PRIVATE.describe,
    )
    @app_commands.choices(activation=ACTIVATIONS)
    async def mlp(
        self,
        interaction: discord.Interaction,
        hidden: Hidden = o.HIDDEN.default,
        activation: str = o.HIDDEN_ACTIVATION.default,
        seed: Seed = o.SEED.default,
        epochs: Epochs = o.EPOCHS.default,
        lr: LearningRate = o.LR.default,
        private: bool = o.PRIVATE.default,
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
        hidden=o.HIDDEN_SIZES.describe,
        activation=o.ACTIVATIONS.describe,
        seeds=o.STATS_SEEDS.describe,
        epochs=o.EPOCHS.describe,
        lr=o.LR.describe,
        init=o.INIT.describe,
        seed=o.BASE_SEED.describe,
        private=o.PRIVATE.describe,
    )
    @app_commands.choices(
        init=[app_commands.Choice(name=n, value=n) for n in ("normal", "glorot", "he")]
    )
    async def stats(
        self,
        interaction: discord.Interaction,
        hidden: app_commands.Range[str, o.HIDDEN_SIZES.low, o.HIDDEN_SIZES.high] = (
            o.HIDDEN_SIZES.default
        ),
        activation: app_commands.Range[str, o.ACTIVATIONS.low, o.ACTIVATIONS.high] = (
            o.ACTIVATIONS.default
        ),
        seeds: app_commands.Range[int, o.STATS_SEEDS.low, o.STATS_SEEDS.high] = (
            o.STATS_SEEDS.default
        ),
        epochs: Epochs = o.EPOCHS.default,
        lr: LearningRate = o.LR.default,
        init: str = o.INIT.default,
        seed: Seed = o.BASE_SEED.default,
        private: bool = o.PRIVATE.default,
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
            seed=seed,
        )


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Xor(bot))
