"""The sandbox's world: one guild, one text channel, an owner, a moderator, a member.

Permissions are computed the way Discord does for a channel without overwrites:
the OR of @everyone's and the member's roles; the owner and ADMINISTRATOR get all.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from bot.limits import MANAGE_MESSAGES, PIN_MESSAGES

DISCORD_EPOCH_MS = 1420070400000
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
EVERYONE_PERMS = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
BOT_DEFAULT_PERMS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | PIN_MESSAGES
)
ALL_PERMS = (1 << 53) - 1

_counter = itertools.count(1)


def snowflake() -> int:
    """Discord-style id: milliseconds since 2015 << 22, plus a counter."""
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) & 0x3FFFFF)


def iso_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int

    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class User:
    id: int
    username: str
    bot: bool = False
    roles: list[int] = field(default_factory=list)

    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.username,
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }

    def member_payload(self, permissions: int | None = None) -> dict:
        out = {
            "user": self.payload(),
            "nick": None,
            "avatar": None,
            "roles": [str(r) for r in self.roles],
            "joined_at": iso_now(),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if permissions is not None:
            out["permissions"] = str(permissions)
        return out


class Guild:
    """One guild with #general, roles @everyone / Moderators / Nonlinear, and three people."""

    def __init__(self, app_id: int, bot_name: str, bot_permissions: int) -> None:
        self.id = snowflake()
        self.name = "Sandbox"
        self.channel_id = snowflake()
        self.everyone = Role(self.id, "@everyone", EVERYONE_PERMS, 0)
        self.moderators = Role(snowflake(), "Moderators", EVERYONE_PERMS | PIN_MESSAGES, 1)
        self.bot_role = Role(snowflake(), bot_name, bot_permissions, 2)
        self.roles = {r.id: r for r in (self.everyone, self.moderators, self.bot_role)}
        self.owner = User(snowflake(), "owner")
        self.moderator = User(snowflake(), "moderator", roles=[self.moderators.id])
        self.member = User(snowflake(), "member")
        self.bot = User(app_id, bot_name, bot=True, roles=[self.bot_role.id])
        self.users = {u.username: u for u in (self.owner, self.moderator, self.member)}

    def set_bot_permissions(self, permissions: int) -> None:
        self.bot_role.permissions = permissions

    def permissions(self, user: User) -> int:
        if user.id == self.owner.id:
            return ALL_PERMS
        perms = self.everyone.permissions
        for rid in user.roles:
            perms |= self.roles[rid].permissions
        return ALL_PERMS if perms & ADMINISTRATOR else perms

    def can_pin(self, user: User) -> bool:
        return bool(self.permissions(user) & (PIN_MESSAGES | MANAGE_MESSAGES))

    def channel_payload(self) -> dict:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.id),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }

    def create_payload(self) -> dict[str, Any]:
        """The GUILD_CREATE event body."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": False,
            "joined_at": iso_now(),
            "large": False,
            "unavailable": False,
            "member_count": 4,
            "voice_states": [],
            "members": [self.bot.member_payload()],
            "channels": [self.channel_payload()],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass
class Message:
    """A stored message, as Discord would return it, plus the uploaded bytes."""

    payload: dict
    files: dict[str, bytes] = field(default_factory=dict)
    interaction_id: int | None = None

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def ephemeral(self) -> bool:
        return bool(self.payload.get("flags", 0) & 64)

    @property
    def loading(self) -> bool:
        return bool(self.payload.get("flags", 0) & 128)


@dataclass
class InteractionRecord:
    """One dispatched interaction and what the bot did with it, with timings."""

    id: int
    token: str
    kind: int  # 2 command, 3 component, 4 autocomplete
    user: User
    dispatched: float  # time.monotonic()
    label: str
    acked: float | None = None
    ack_type: int | None = None
    final: float | None = None
    original_id: int | None = None
    ephemeral: bool = False
    message_ids: list[int] = field(default_factory=list)
    autocomplete: list[dict] | None = None
    source_message_id: int | None = None  # the message a clicked button is on

    @property
    def ack_ms(self) -> float | None:
        return None if self.acked is None else (self.acked - self.dispatched) * 1000

    @property
    def final_ms(self) -> float | None:
        return None if self.final is None else (self.final - self.dispatched) * 1000
