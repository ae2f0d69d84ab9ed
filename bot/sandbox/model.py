"""The sandbox's world: the bot's guild (#general, a thread, a private thread), a guild the
bot is not in, the bot's DMs and a group DM; an owner, a moderator, a member.

Permissions are computed the way Discord does, channel overwrites included: the OR of
@everyone's and the member's roles, then the overwrites; the owner and ADMINISTRATOR get all.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from bot.limits import PIN_MESSAGES

DISCORD_EPOCH_MS = 1420070400000
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
EVERYONE_PERMS = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
ALL_PERMS = (1 << 53) - 1
BOT_DEFAULT_PERMS = VIEW_CHANNEL | READ_MESSAGE_HISTORY | PIN_MESSAGES  # what the invite asks
# receiving-and-responding "Interaction Structure", footnote on app_permissions: in (G)DMs the
# app has ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE, plus USE_EXTERNAL_EMOJIS in its bot DM
DM_APP_PERMS = ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE
BOT_DM_APP_PERMS = DM_APP_PERMS | USE_EXTERNAL_EMOJIS

# channel types (resources/channel "Channel Types")
TEXT, DM, GROUP_DM, TEXT_THREAD, PRIVATE_THREAD = 0, 1, 3, 11, 12

_counter = itertools.count(1)


def snowflake() -> int:
    """Discord-style id: milliseconds since 2015 << 22, plus a counter."""
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) & 0x3FFFFF)


def snowflake_on_shard(shard: int, num_shards: int) -> int:
    """A snowflake that the sharding formula (id >> 22) % num_shards puts on `shard`:
    its millisecond part is the latest one at or before now that does."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    ms -= (ms - shard) % num_shards
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


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


@dataclass
class Overwrite:
    """A channel permission overwrite: for a role (type 0) or a member (type 1)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class Channel:
    """A text channel, thread, DM (type 1) or group DM (type 3)."""

    id: int
    type: int
    name: str | None
    guild: Guild | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    parent_id: int | None = None
    archived: bool = False
    bot_member: bool = True  # private threads: has the bot been added?
    recipients: list[User] = field(default_factory=list)

    @property
    def is_thread(self) -> bool:
        return self.type in (TEXT_THREAD, PRIVATE_THREAD)

    def payload(self) -> dict:
        if self.type in (DM, GROUP_DM):
            out: dict[str, Any] = {
                "id": str(self.id),
                "type": self.type,
                "last_message_id": None,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
            if self.type == GROUP_DM:
                out.update(name=self.name, icon=None, owner_id=str(self.recipients[0].id))
            return out
        out = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id) if self.guild else None,
            "name": self.name,
            "position": 0,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "flags": 0,
        }
        if self.is_thread:
            owner = self.guild.owner.id if self.guild else 0
            out.update(owner_id=str(owner), message_count=0, member_count=2)
            out["thread_metadata"] = {
                "archived": self.archived,
                "auto_archive_duration": 1440,
                "archive_timestamp": iso_now(),
                "locked": False,
            }
            out.pop("permission_overwrites")
        return out


class Guild:
    """One guild with #general (and a public and a private thread in it), roles @everyone /
    Moderators / the bot's, and three people. `installed` is False for a server the bot is
    not in (where only a user install can reach it)."""

    def __init__(
        self,
        app_id: int,
        bot_name: str,
        bot_permissions: int,
        *,
        installed: bool = True,
        id: int | None = None,
        name: str | None = None,
    ) -> None:
        self.id = id or snowflake()
        self.name = name or ("Sandbox" if installed else "Elsewhere")
        self.installed = installed
        self.everyone = Role(self.id, "@everyone", EVERYONE_PERMS, 0)
        self.moderators = Role(snowflake(), "Moderators", EVERYONE_PERMS | PIN_MESSAGES, 1)
        self.bot_role = Role(snowflake(), bot_name, bot_permissions, 2)
        self.roles = {r.id: r for r in (self.everyone, self.moderators, self.bot_role)}
        self.owner = User(snowflake(), "owner")
        self.moderator = User(snowflake(), "moderator", roles=[self.moderators.id])
        self.member = User(snowflake(), "member")
        self.bot = User(app_id, bot_name, bot=True, roles=[self.bot_role.id])
        self.users = {u.username: u for u in (self.owner, self.moderator, self.member)}
        self.general = Channel(snowflake(), TEXT, "general", self)
        self.channel_id = self.general.id
        self.thread = Channel(snowflake(), TEXT_THREAD, "a thread", self, parent_id=self.general.id)
        self.private_thread = Channel(
            snowflake(), PRIVATE_THREAD, "a private thread", self, parent_id=self.general.id
        )
        self.private_thread.bot_member = False
        self.channels = {c.id: c for c in (self.general, self.thread, self.private_thread)}

    def adopt(self, people: dict[str, User]) -> None:
        """Use the same people (same ids) as another guild, with this guild's roles."""
        self.owner = User(people["owner"].id, "owner")
        self.moderator = User(people["moderator"].id, "moderator", roles=[self.moderators.id])
        self.member = User(people["member"].id, "member")
        self.users = {u.username: u for u in (self.owner, self.moderator, self.member)}

    def everyone_user(self) -> User:
        """Someone with no roles: what @everyone may."""
        return User(0, "everyone")

    def set_bot_permissions(self, permissions: int) -> None:
        self.bot_role.permissions = permissions

    def member_of(self, user: User) -> User:
        """This guild's member record for a person (roles differ between guilds)."""
        if user.id == self.bot.id:
            return self.bot
        return next((u for u in self.users.values() if u.id == user.id), user)

    def base_permissions(self, user: User) -> int:
        user = self.member_of(user)
        if user.id == self.owner.id:
            return ALL_PERMS
        perms = self.everyone.permissions
        for rid in user.roles:
            perms |= self.roles[rid].permissions
        return ALL_PERMS if perms & ADMINISTRATOR else perms

    def permissions(self, user: User, channel: Channel | None = None) -> int:
        """Discord's algorithm (topics/permissions "Permission Overwrites"): base permissions,
        then the @everyone overwrite, then all role overwrites together, then the member's.
        Threads take their parent channel's permissions."""
        base = self.base_permissions(user)
        channel = channel or self.general
        if channel.is_thread:
            channel = self.channels[channel.parent_id or self.general.id]
        if base & ADMINISTRATOR or base == ALL_PERMS:
            return ALL_PERMS
        user = self.member_of(user)
        perms = base
        ows = {(o.type, o.id): o for o in channel.overwrites}
        if (e := ows.get((0, self.id))) is not None:
            perms = (perms & ~e.deny) | e.allow
        allow = deny = 0
        for rid in user.roles:
            if (o := ows.get((0, rid))) is not None:
                allow, deny = allow | o.allow, deny | o.deny
        perms = (perms & ~deny) | allow
        if (m := ows.get((1, user.id))) is not None:
            perms = (perms & ~m.deny) | m.allow
        if not perms & VIEW_CHANNEL:  # no View Channel: nothing else either
            return 0
        return perms

    def can_pin(self, user: User, channel: Channel | None = None) -> bool:
        """Pin Messages alone (change-log "Permission Changes Going into Effect February 2026":
        since 2026-02-23 Manage Messages no longer grants pinning)."""
        return bool(self.permissions(user, channel) & PIN_MESSAGES)

    def channel_payload(self) -> dict:
        return self.general.payload()

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
            "channels": [self.general.payload()],
            "threads": [self.thread.payload()],
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
    place: Any = None  # the Place it was posted in (clicks on it happen there)

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
    place: Any = None  # where it happened (bot.sandbox.places.Place)
    followups: int = 0
    owners: dict = field(default_factory=dict)  # authorizing_integration_owners sent
    forced_ephemeral: bool = False  # Discord made a public reply ephemeral (user install)

    @property
    def ack_ms(self) -> float | None:
        return None if self.acked is None else (self.acked - self.dispatched) * 1000

    @property
    def final_ms(self) -> float | None:
        return None if self.final is None else (self.final - self.dispatched) * 1000
