"""Option types shared by the cogs, built from the one table in bot.options.

Ranges become Discord's min/max (the client enforces them); Transformers validate text
options the discord.py way: autocomplete while typing, a "did you mean" when wrong.
"""

from __future__ import annotations

import difflib

import discord
from discord import app_commands

from bot import options as o
from bot.cards.explain import TOPICS
from bot.errors import UserError
from bot.lab.activations import REGISTRY, lookup
from bot.lab.expr import parse

Seed = app_commands.Range[int, o.SEED.low, o.SEED.high]
Epochs = app_commands.Range[int, o.EPOCHS.low, o.EPOCHS.high]
LearningRate = app_commands.Range[float, o.LR.low, o.LR.high]
Hidden = app_commands.Range[int, o.HIDDEN.low, o.HIDDEN.high]
Layers = app_commands.Range[int, o.LAYERS.low, o.LAYERS.high]
Width = app_commands.Range[int, o.WIDTH.low, o.WIDTH.high]
Bottleneck = app_commands.Range[int, o.BOTTLENECK.low, o.BOTTLENECK.high]


def hint(word: str, names, kind: str) -> str:
    """One suggestion if a name is close ("Did you mean `x`?"), else the names, once."""
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    if close:
        return f" Did you mean `{close[0]}`?"
    return f" {kind}: {', '.join(names)}."


def matches(current: str) -> list[app_commands.Choice[str]]:
    """Registry entries whose name or label contains what the user typed, at most 25."""
    q = current.strip().lower()
    hits = [a for a in REGISTRY.values() if q in a.name or q in a.label.lower()]
    hits.sort(key=lambda a: (not a.name.startswith(q), a.name))
    return [app_commands.Choice(name=a.label, value=a.name) for a in hits[:25]]


def topic_matches(current: str) -> list[app_commands.Choice[str]]:
    """Topics whose key or title contains what the user typed, at most 25."""
    q = current.strip().lower()
    hits = [t for t in TOPICS.values() if q in t.key or q in t.title.lower()]
    return [app_commands.Choice(name=t.title[:100], value=t.key) for t in hits[:25]]


class _Text(app_commands.Transformer):
    """A string option whose length bounds come from the table."""

    spec: o.Option

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def min_value(self) -> int | None:  # min_length for a string option
        return self.spec.low  # type: ignore[return-value]

    @property
    def max_value(self) -> int | None:  # max_length
        return self.spec.high  # type: ignore[return-value]


class ActivationName(_Text):
    """An activation from the registry, by name (autocompleted)."""

    spec = o.NAME

    async def autocomplete(self, interaction: discord.Interaction, value: str):
        return matches(str(value))

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        key = value.strip().lower()
        if lookup(key) is None:
            raise UserError(
                f"unknown activation {value[:40]!r}.{hint(key, REGISTRY, 'Activations')} "
                "Or write a formula in `custom`."
            )
        return key


class Formula(_Text):
    """A formula in x, checked by the project's own parser (never eval)."""

    spec = o.CUSTOM

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        parse(value)  # raises UserError saying what is wrong
        return value


class TopicKey(_Text):
    """A /explain topic, by key (autocompleted)."""

    spec = o.TOPIC

    async def autocomplete(self, interaction: discord.Interaction, value: str):
        return topic_matches(str(value))

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        key = value.strip().lower()
        if key not in TOPICS:
            raise UserError(f"no topic {value[:40]!r}.{hint(key, TOPICS, 'Topics')}")
        return key
