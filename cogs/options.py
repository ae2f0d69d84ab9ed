"""Option types shared by the cogs: the bounds Discord enforces in the client."""

from __future__ import annotations

from discord import app_commands

from bot.lab import SEED_MAX

Seed = app_commands.Range[int, 0, SEED_MAX]
