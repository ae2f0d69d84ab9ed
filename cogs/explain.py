"""/explain: curated, pinnable explanations of the ideas behind the argument."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.cards.explain import TOPICS
from bot.errors import UserError
from bot.jobs import Job
from bot.replies import answer


def topic_matches(current: str) -> list[app_commands.Choice[str]]:
    """Topics whose key or title contains what the user typed, at most 25."""
    q = current.strip().lower()
    hits = [t for t in TOPICS.values() if q in t.key or q in t.title.lower()]
    return [app_commands.Choice(name=t.title[:100], value=t.key) for t in hits[:25]]


class Explain(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="explain")
    # Usable wherever someone can type it (resources/application "Installation Context",
    # interactions "Interaction Contexts"): fixed text and a figure, nothing to moderate.
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        topic="What to explain (start typing: collapse, xor, tanh, relu, universal…)",
        private="Only you see the answer (preview before posting)",
    )
    async def explain(
        self,
        interaction: discord.Interaction,
        topic: app_commands.Range[str, 1, 40] = "collapse",
        private: bool = False,
    ) -> None:
        """A short explanation with a figure, things to try, and references. Made to be pinned."""
        key = topic.strip().lower()
        if key not in TOPICS:
            raise UserError(f"no topic {topic[:40]!r}. Topics: {', '.join(TOPICS)}.")
        job = Job("explain", {"topic": key})
        await answer(self.bot, interaction, job, ephemeral=private)

    @explain.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return topic_matches(current)


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Explain(bot))
