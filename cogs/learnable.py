"""/learnable: train the activation's own parameters and compare with it frozen."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.jobs import Job
from bot.lab.neuron import LR_MAX, LR_MIN
from bot.replies import answer

KINDS = {
    "prelu": "PReLU (learnable negative slope)",
    "swish": "Swish-β (learnable β)",
    "sine_phase": "sine with a learnable phase",
    "fourier": "Fourier series, 3 sin + 3 cos coefficients",
    "rational": "safe rational (PAU), degree 3 / 2",
}
TASKS = {
    "xor": "XOR (success rate, BCE)",
    "sin": "regression y = sin(2x) on [-2, 2] (MSE)",
    "abs": "regression y = |x| − 1 (MSE)",
    "step": "regression y = step(x) (MSE)",
}


class Learnable(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="learnable")
    @app_commands.describe(
        kind="Which learnable activation",
        task="XOR, or a 1-D regression target",
        hidden="Hidden units (1-16)",
        seeds="How many seeds (networks): 10-1000",
        epochs="Gradient-descent steps (1-5000)",
        lr="Learning rate for weights and θ (0.0001-10)",
        init="Initial weights: normal, Glorot- or He-uniform",
        private="Only you see the answer (preview before posting)",
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
        task: str = "xor",
        hidden: app_commands.Range[int, 1, 16] = 2,
        seeds: app_commands.Range[int, 10, 1000] = 200,
        epochs: app_commands.Range[int, 1, 5000] = 1000,
        lr: app_commands.Range[float, LR_MIN, LR_MAX] = 1.0,
        init: str = "normal",
        private: bool = False,
    ) -> None:
        """Should we learn the activation itself? Learned vs frozen over many seeds."""
        options = dict(
            kind=kind, task=task, hidden=hidden, seeds=seeds, epochs=epochs, lr=lr, init=init
        )
        await answer(self.bot, interaction, Job("learnable", options), ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Learnable(bot))
