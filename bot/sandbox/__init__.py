"""A local Discord: REST v10 and the gateway, strict about Discord's rules.

The real, unmodified discord.py client logs in to it, syncs its commands, receives
slash-command and button interactions and replies with files. Tests and the offline
console drive it through `bot.sandbox.driver`.
"""

from bot.sandbox.server import Sandbox

__all__ = ["Sandbox"]
