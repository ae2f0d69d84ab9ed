"""/learnable: train the activation's own parameters and compare with it frozen."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.replies import answer
from cogs.options import Epochs, Hidden, LearningRate, Seed

KINDS = {
    "prelu": "PReLU (learnable negative slope)",
    "swish": "Swish-β (learnable β)",
    "sine_phase": "sine with a learnable phase",
    "fourier": "Fourier series, 3 sin + 3 cos coefficients",
    "rational": "safe rational (PAU), degree 3 / 2",
    "kan": "KAN layer: a learnable piecewise-linear function on every edge, 7 knots each",
}
TASKS = {
    "xor": "XOR (success rate, BCE)",
    "sin": "regression y = sin(2x) on [-2, 2] (MSE)",
    "abs": "regression y = |x| − 1 (MSE)",
    "step": "regression y = step(x) (MSE)",
    "custom": "regression y = your formula in custom (MSE)",
}


class Learnable(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="learnable")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        kind="Which learnable activation",
        task="XOR (the default), or a 1-D regression target",
        hidden=o.HIDDEN.describe,
        seeds=o.LEARNABLE_SEEDS.describe,
        epochs=o.LEARNABLE_EPOCHS.describe,
        lr=o.LEARNABLE_LR.describe,
        init=o.INIT.describe,
        seed=o.BASE_SEED.describe,
        custom=o.LEARNABLE_CUSTOM.describe,
        private=o.PRIVATE.describe,
    )
    @app_commands.choices(
        kind=[app_commands.Choice(name=v, value=k) for k, v in KINDS.items()],
        task=[app_commands.Choice(name=v, value=k) for k, v in TASKS.items()],
        init=[app_commands.Choice(name=n, value=n) for n in ("normal", "glorot", "he")],
    )
    async def learnable(
        self,
        interaction: discord.Interaction,
        kind: str = "prelu",
        task: str | None = None,
        hidden: Hidden = o.HIDDEN.default,
        seeds: app_commands.Range[int, o.LEARNABLE_SEEDS.low, o.LEARNABLE_SEEDS.high] = (
            o.LEARNABLE_SEEDS.default
        ),
        epochs: Epochs = o.LEARNABLE_EPOCHS.default,
        lr: LearningRate | None = o.LEARNABLE_LR.default,
        init: str = o.INIT.default,
        seed: Seed = o.BASE_SEED.default,
        custom: app_commands.Range[str, o.LEARNABLE_CUSTOM.low, o.LEARNABLE_CUSTOM.high]
        | None = None,
        private: bool = o.PRIVATE.default,
    ) -> None:
        """Should we learn the activation itself? Learned vs frozen over many seeds."""
        if task is None:  # not given: XOR, or the formula's regression when one is given
            task = "custom" if custom else "xor"
        options = dict(
            kind=kind,
            task=task,
            hidden=hidden,
            seeds=seeds,
            epochs=epochs,
            lr=lr,
            init=init,
            seed=seed,
            custom=custom,
        )
        await answer(self.bot, interaction, Job("learnable", options), ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Learnable(bot))
