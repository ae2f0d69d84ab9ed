"""Message commands in the sandbox: a person's message, and Apps → <command> on it.

Discord sends a message command as an APPLICATION_COMMAND interaction (type 2) whose
`data` has `type: 3`, the `target_id` of the message and the message itself under
`resolved.messages`; no message-content intent is needed. People's messages here are
plain channel messages authored by a sandbox user (4000 characters: Nitro's limit), posted
in one of the four places (bot.sandbox.places): the Apps menu offers exactly the message
commands that place allows, and the interaction comes from that message's channel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.sandbox.model import Message, User

if TYPE_CHECKING:
    from bot.sandbox.driver import Driver, Reply
    from bot.sandbox.places import Place
    from bot.sandbox.server import Sandbox

MESSAGE_COMMAND = 3
USER_CONTENT_LEN = 4000


class MessageCommandError(Exception):
    """The message command cannot be sent (not synced, message unknown): says why."""


def user_message(
    sb: Sandbox,
    content: str = "",
    *,
    author: User,
    embeds: list[dict] | None = None,
    where: str = "guild",
) -> Message:
    """A message a person posted in `where`'s channel (#general of a server, the DM with
    the bot, the group DM); embeds as a link preview would add them."""
    if len(content) > USER_CONTENT_LEN:
        raise MessageCommandError(f"a message holds at most {USER_CONTENT_LEN} characters")
    if not content and not embeds:
        raise MessageCommandError("a message needs content or an embed")
    place = sb.place(where, author)
    msg = sb._message(None, {"content": content, "embeds": embeds or []}, {})
    msg.payload.update(
        author=author.payload(),
        application_id=None,
        webhook_id=None,
        channel_id=str(place.channel.id),
    )
    if place.guild is not None:
        msg.payload["guild_id"] = str(place.guild.id)
    else:
        msg.payload.pop("guild_id", None)
    msg.place = place
    return msg


def message_commands(sb: Sandbox, place: Place | None = None) -> list[dict]:
    """Synced message commands a person sees in Apps on a message in `place`: its server's
    own ones first, then the global ones its context and installation allow."""
    place = place or sb.place()
    seen, out = set(), []
    scopes = ([place.guild.id] if place.guild is not None else []) + [None]
    for scope in scopes:
        for c in sb.commands.get(scope, []):
            if c.get("type") != MESSAGE_COMMAND or c["name"] in seen:
                continue
            if place.supports(c, scope) is None:
                seen.add(c["name"])
                out.append(c)
    return out


def message_command_data(sb: Sandbox, name: str, target: Message) -> dict:
    """The interaction `data` Discord sends for Apps → `name` on `target`."""
    cmds = {c["name"]: c for c in message_commands(sb, target.place)}
    if name not in cmds:
        have = ", ".join(cmds) or "none"
        raise MessageCommandError(f"no message command {name!r} here (usable: {have})")
    if sb.messages.get(target.id) is not target or target.payload.get("deleted"):
        raise MessageCommandError("that message is not in the channel")
    if target.ephemeral:
        raise MessageCommandError("ephemeral messages have no Apps menu")
    cmd = cmds[name]
    data = {
        "id": cmd["id"],
        "name": name,
        "type": MESSAGE_COMMAND,
        "target_id": str(target.id),
        "resolved": {"messages": {str(target.id): target.payload}},
    }
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    return data


async def invoke_message_command(
    driver: Driver,
    name: str,
    target: Message,
    *,
    user: str | User = "member",
    timeout: float = 15.0,
) -> Reply:
    """Right-click `target` → Apps → `name`, as `user`; wait for the bot's answer."""
    data = message_command_data(driver.sb, name, target)
    who = driver.user(user)
    command = next(c for c in message_commands(driver.sb, target.place) if c["name"] == name)
    place = target.place or driver.sb.place()
    if place.where == "dm" and place.channel is not driver.sb.place("dm", who).channel:
        raise MessageCommandError("that message is in another person's DM with the bot")
    rec = await driver.sb.dispatch(2, data, who, f"Apps → {name}", place=place, command=command)
    return await driver.wait(rec, timeout)
