"""Where an interaction happens: the four surfaces a command can be used on.

resources/application "Installation Context" and interactions "Interaction Contexts":
an app installed to a server answers there (context 0, GUILD_INSTALL); an app installed
to a user answers in any server that allows external apps (context 0, USER_INSTALL), in
the DM with the bot (context 1) and in group DMs (context 2, PRIVATE_CHANNEL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.sandbox.model import (
    BOT_DM_APP_PERMS,
    DM_APP_PERMS,
    SEND_MESSAGES,
    Channel,
    Guild,
    User,
)

GUILD_INSTALL, USER_INSTALL = 0, 1
GUILD_CTX, BOT_DM_CTX, PRIVATE_CTX = 0, 1, 2
WHERE = ("guild", "user-guild", "dm", "gdm")


@dataclass
class Place:
    """One channel in one context, and which installation of the app reaches it."""

    where: str  # one of WHERE
    context: int  # interaction context type
    channel: Channel
    guild: Guild | None
    install: int  # GUILD_INSTALL or USER_INSTALL

    @property
    def bot_member(self) -> bool:
        """Can the bot user act in this channel (pin, read)? Only where it was installed."""
        if self.guild is None or not self.guild.installed:
            return False
        return not (self.channel.type == 12 and not self.channel.bot_member)

    def supports(self, command: dict, scope: int | None) -> str | None:
        """Why this command can't be used here (None if it can), like Discord's client.

        application-commands "Contexts": integration_types and contexts apply to global
        commands only; a guild command exists only in its guild (so never in DMs).
        """
        name = command["name"]
        if scope is not None:
            if self.guild is None or self.guild.id != scope:
                return f"/{name} is a server command of another server: sync it globally"
            return None
        contexts = command.get("contexts")
        types = command.get("integration_types") or [GUILD_INSTALL]
        if contexts is not None and self.context not in contexts:
            return f"/{name} does not allow interaction context {self.context} ({self.where})"
        if self.install not in types and not (
            self.where == "dm" and GUILD_INSTALL in types
        ):  # a guild-installed app also has a DM with its bot user
            return f"/{name} is not available to installation type {self.install} ({self.where})"
        if self.where == "gdm" and USER_INSTALL not in types:
            return f"/{name}: group DMs are only reachable by a user install"
        return None

    def owners(self, user: User, command: dict | None = None) -> dict[str, str]:
        """authorizing_integration_owners (receiving-and-responding, same name)."""
        if self.install == GUILD_INSTALL:
            return {"0": str(self.guild.id) if self.guild else "0"}
        types = (command or {}).get("integration_types") or [USER_INSTALL]
        if self.where == "dm" and USER_INSTALL not in types:
            return {"0": "0"}  # the guild install's DM with the bot user
        return {"1": str(user.id)}

    def app_permissions(self, bot: User) -> int:
        """What the app may do here (receiving-and-responding "Interaction Structure")."""
        if self.where == "dm":
            return BOT_DM_APP_PERMS
        if self.where == "gdm":
            return DM_APP_PERMS
        assert self.guild is not None
        if not self.guild.installed:
            # a server the bot is not in: the sandbox assumes what @everyone may, plus the
            # interaction's own embed/file rights
            return self.guild.permissions(self.guild.everyone_user(), self.channel) | DM_APP_PERMS
        return self.guild.permissions(bot, self.channel)

    def forces_ephemeral(self, user: User) -> bool:
        """resources/application "User Context": a user-installed app is held to the user's
        permissions; where they may not send messages, its replies can only be ephemeral."""
        if self.install != USER_INSTALL or self.guild is None:
            return False
        return not self.guild.permissions(user, self.channel) & SEND_MESSAGES

    def payload(self, user: User, bot: User, command: dict | None = None) -> dict[str, Any]:
        """The context part of INTERACTION_CREATE: guild, channel, member or user, rights."""
        out: dict[str, Any] = {
            "channel_id": str(self.channel.id),
            "channel": self.channel.payload(),
            "app_permissions": str(self.app_permissions(bot)),
            "authorizing_integration_owners": self.owners(user, command),
            "context": self.context,
        }
        if self.guild is not None:
            g = self.guild
            out["guild_id"] = str(g.id)
            out["guild"] = {"id": str(g.id), "locale": "en-US", "features": []}
            out["guild_locale"] = "en-US"
            # `member` in a guild, `user` in (G)DMs (receiving-and-responding footnote **)
            out["member"] = g.member_of(user).member_payload(g.permissions(user, self.channel))
        else:
            out["user"] = user.payload()
        return out
