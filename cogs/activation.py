"""/activation: one activation function's shape, range, derivative and float facts."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.errors import UserError
from bot.jobs import Job
from bot.lab.activations import REGISTRY, lookup
from bot.lab.expr import MAX_LEN, parse
from bot.replies import answer


def matches(current: str) -> list[app_commands.Choice[str]]:
    """Registry entries whose name or label contains what the user typed, at most 25."""
    q = current.strip().lower()
    hits = [a for a in REGISTRY.values() if q in a.name or q in a.label.lower()]
    hits.sort(key=lambda a: (not a.name.startswith(q), a.name))
    return [app_commands.Choice(name=a.label, value=a.name) for a in hits[:25]]


class Activation(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="activation")
    # Usable wherever someone can type it (resources/application "Installation Context",
    # interactions "Interaction Contexts"): a pure computation with no side effects.
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        name="An activation from the list (e.g. tanh, relu, gelu)",
        custom="Or your own formula in x, e.g. x*sin(x) or max(x, 0.1*x)",
        private="Only you see the answer (preview before posting)",
    )
    async def activation(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 40] = "tanh",
        custom: app_commands.Range[str, 1, MAX_LEN] | None = None,
        private: bool = False,
    ) -> None:
        """Plot an activation and its derivative; its range, properties, and float facts."""
        if custom is not None:
            parse(custom)  # a bad formula is answered at once, before the pool
            options = {"custom": custom}
        else:
            if lookup(name) is None:
                raise UserError(
                    f"unknown activation {name[:40]!r}. Pick one from the list, or write a "
                    "formula in `custom`."
                )
            options = {"name": name}
        await answer(self.bot, interaction, Job("activation", options), ephemeral=private)

    @activation.autocomplete("name")
    async def name_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return matches(current)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Activation(bot))
