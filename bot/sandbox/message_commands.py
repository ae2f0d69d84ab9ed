"""Message commands in the sandbox: a person's message, and Apps → <command> on it.

Discord sends a message command as an APPLICATION_COMMAND interaction (type 2) whose
`data` has `type: 3`, the `target_id` of the message and the message itself under
`resolved.messages`; no message-content intent is needed. People's messages here are
plain channel messages authored by a sandbox user (4000 characters: Nitro's limit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.sandbox.model import Message, User

if TYPE_CHECKING:
    from bot.sandbox.driver import Driver, Reply
    from bot.sandbox.server import Sandbox

MESSAGE_COMMAND = 3
USER_CONTENT_LEN = 4000


class MessageCommandError(Exception):
    """The message command cannot be sent (not synced, message unknown): says why."""


def user_message(
    sb: Sandbox, content: str = "", *, author: User, embeds: list[dict] | None = None
) -> Message:
    """A message a person posted in #general (embeds as a link preview would add them)."""
    if len(content) > USER_CONTENT_LEN:
        raise MessageCommandError(f"a message holds at most {USER_CONTENT_LEN} characters")
    if not content and not embeds:
        raise MessageCommandError("a message needs content or an embed")
    msg = sb._message(None, {"content": content, "embeds": embeds or []}, {})
    msg.payload.update(author=author.payload(), application_id=None, webhook_id=None)
    return msg


def message_commands(sb: Sandbox) -> list[dict]:
    """Synced message commands a person sees in Apps: guild ones first, then global ones."""
    seen, out = set(), []
    for scope in (sb.guild.id, None):
        for c in sb.commands.get(scope, []):
            if c.get("type") == MESSAGE_COMMAND and c["name"] not in seen:
                seen.add(c["name"])
                out.append(c)
    return out


def message_command_data(sb: Sandbox, name: str, target: Message) -> dict:
    """The interaction `data` Discord sends for Apps → `name` on `target`."""
    cmds = {c["name"]: c for c in message_commands(sb)}
    if name not in cmds:
        have = ", ".join(cmds) or "none"
        raise MessageCommandError(f"no message command {name!r} (synced: {have})")
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
    command = next(c for c in message_commands(driver.sb) if c["name"] == name)
    rec = await driver.sb.dispatch(2, data, driver.user(user), f"Apps → {name}", command=command)
    return await driver.wait(rec, timeout)
