"""/explain: curated, pinnable explanations of the ideas behind the argument."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import options as o
from bot.app import NonlinearBot
from bot.jobs import Job
from bot.replies import answer
from cogs.options import TopicKey, topic_matches

__all__ = ["Explain", "topic_matches"]


class Explain(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="explain")
    # Usable wherever someone can type it (resources/application "Installation Context",
    # interactions "Interaction Contexts"): fixed text and a figure, nothing to moderate.
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(topic=o.TOPIC.describe, private=o.PRIVATE.describe)
    async def explain(
        self,
        interaction: discord.Interaction,
        topic: app_commands.Transform[str, TopicKey] = o.TOPIC.default,
        private: bool = o.PRIVATE.default,
    ) -> None:
        """A short explanation with a figure, things to try, and references. Made to be pinned."""
        job = Job("explain", {"topic": topic})
        await answer(self.bot, interaction, job, ephemeral=private)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Explain(bot))
