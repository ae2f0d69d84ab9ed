"""Self-hosting tools: `python -m bot invite | sync | doctor`.

invite prints the server and user install links with exactly the permissions the bot uses,
explained;
sync registers the slash commands on purpose; doctor checks the configuration
offline and, with a token, what the bot may do in each server it is in.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import tempfile
from collections.abc import Callable, Sequence

import discord

from bot.settings import Settings

# (discord.Permissions flag, what the bot needs it for). Nothing else: every message the
# bot sends is an interaction response or follow-up, whose embed and file rights come
# from the interaction, not from the bot's role (change-log 2022-06-29).
PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("view_channel", "see the channel a Pin button is pressed in (Discord needs it to pin)"),
    ("read_message_history", "reach the message to pin when it is no longer the newest"),
    (
        "pin_messages",
        "pin a reply when a moderator presses Pin (since 2026-02-23 only this permission "
        "pins; Manage Messages no longer does)",
    ),
)
NOT_NEEDED = (
    "Not asked: Send Messages, Embed Links, Attach Files. Every reply is an interaction "
    "response or follow-up, and those take their embed and file rights from the interaction."
)
SCOPES = ("bot", "applications.commands")
LABELS = {
    "view_channel": "View Channel",
    "read_message_history": "Read Message History",
    "pin_messages": "Pin Messages",
}
AUTHORIZE = "https://discord.com/oauth2/authorize"

Out = Callable[[str], None]


def invite_permissions() -> discord.Permissions:
    return discord.Permissions(**{name: True for name, _ in PERMISSIONS})


def client_id_from_token(token: str | None) -> int | None:
    """A bot token's first part is the bot's user id (= the application id), base64-encoded."""
    if not token or "." not in token:
        return None
    head = token.split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(raw) if raw.isdigit() else None


def install_urls(client_id: int) -> tuple[str, str]:
    """(server install, user install) links: resources/application "Install Links";
    integration_type 0 installs to a server, 1 to the user's account (commands only)."""
    perms = invite_permissions().value
    server = (
        f"{AUTHORIZE}?client_id={client_id}&permissions={perms}&integration_type=0"
        f"&scope={'+'.join(SCOPES)}"
    )
    user = f"{AUTHORIZE}?client_id={client_id}&integration_type=1&scope=applications.commands"
    return server, user


def invite(settings: Settings, client_id: int | None, out: Out = print) -> int:
    cid = client_id or client_id_from_token(settings.token)
    if cid is None:
        out(
            "nonlinear: give --client-id (or `make invite CLIENT_ID=…`; Developer Portal → "
            "your application → General Information → Application ID), or set DISCORD_TOKEN."
        )
        return 2
    server, user = install_urls(cid)
    out(f"Add the bot to a server (pick the server):\n  {server}\n")
    out(f"Install it to your own account (use it in any server, DMs, group DMs):\n  {user}")
    out("  (needs Developer Portal → Installation → Installation Contexts → User Install)\n")
    out(f"Scopes: {' '.join(SCOPES)} (the bot user, and its slash commands)")
    out(f"Permissions integer {invite_permissions().value}, and why each is needed:")
    for name, why in PERMISSIONS:
        out(f"  {LABELS[name]:<22} {why}")
    out(NOT_NEEDED)
    out("No privileged intents are needed.")
    return 0


async def sync(settings: Settings, guild_id: int | None, global_: bool, out: Out = print) -> int:
    """Log in (REST only), then sync to one server or globally, as asked."""
    from bot.app import create_bot

    bot = create_bot(settings, serve=False)
    async with bot:
        await bot.login(settings.token or "")
        target = guild_id or (None if global_ else settings.dev_guild_id)
        if target:
            guild = discord.Object(target)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            out(f"Synced {len(synced)} commands to server {target}: they appear at once.")
        else:
            n = await bot.sync_global()
            out(
                f"Synced {n} commands globally (they can take up to an hour to appear); "
                f"hash saved in {bot.sync_state}."
            )
    return 0


def doctor_offline(settings: Settings, out: Out = print, problems: Sequence[str] = ()) -> bool:
    """Every configuration problem at once (malformed settings, token shape, STATE_DIR)."""
    ok = True

    def check(good: bool, yes: str, no: str) -> None:
        nonlocal ok
        out(("  ✓ " + yes) if good else ("  ✗ " + no))
        ok &= good

    out("Configuration")
    for problem in problems:
        check(False, "", problem)
    problem = settings.token_problem()
    if settings.token is None:
        out("  · DISCORD_TOKEN not set: `make run` starts the offline console")
    else:
        check(problem is None, "DISCORD_TOKEN has the shape of a bot token", problem or "")
    out(f"  · DEV_GUILD_ID: {settings.dev_guild_id or 'not set (commands sync globally)'}")
    out(f"  · LOG_LEVEL {settings.log_level}, WORKERS {settings.workers}")
    try:
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.state_dir):
            pass
        check(True, f"STATE_DIR {settings.state_dir} is writable", "")
    except OSError as e:
        check(
            False,
            "",
            f"STATE_DIR {settings.state_dir} is not writable ({e.strerror}): set "
            "STATE_DIR to a folder the bot may write",
        )
    return ok


def guild_report(guild: discord.Guild) -> tuple[bool, list[str]]:
    """Missing server-level permissions (a real problem), then channels whose overwrites
    deny Pin Messages (a note: the Pin button explains itself there)."""
    me = guild.me
    have = me.guild_permissions if me else discord.Permissions.none()
    missing = [LABELS[n] for n, _ in PERMISSIONS if not getattr(have, n)]
    lines: list[str] = []
    if missing:
        lines.append(
            f"  ✗ {guild.name} ({guild.id}): missing {', '.join(missing)}: grant them "
            "to the bot's role (Server Settings → Roles)"
        )
    else:
        lines.append(f"  ✓ {guild.name} ({guild.id}): every permission the bot uses")
    if me is not None and not missing:
        denied = [
            f"#{c.name}"
            for c in guild.text_channels
            if c.permissions_for(me).view_channel and not c.permissions_for(me).pin_messages
        ]
        if denied:
            lines.append(
                f"  · {guild.name}: a channel permission denies Pin Messages in "
                f"{', '.join(denied)}; the Pin button says so there (allow it to pin)"
            )
    return not missing, lines


async def doctor_online(settings: Settings, out: Out = print, timeout: float = 30.0) -> bool:
    """Log in, connect, and report the bot's permissions in each server."""
    from bot.app import create_bot, start_until_ready

    bot = create_bot(settings, serve=False, guild_ready_timeout=0.5)
    report: list[str] = []
    ok = True
    task: asyncio.Task | None = None
    try:
        try:
            task = await start_until_ready(bot, settings.token or "", timeout)
        except TimeoutError:
            out("  ✗ connected, but Discord did not finish sending the servers in time")
            return False
        out(f"Discord\n  ✓ logged in as {bot.user} (application {bot.application_id})")
        if not bot.guilds:
            out(
                "  · the bot is in no server: fine for a user install; to pin in a server, "
                "add it there with `python -m bot invite`"
            )
        for g in bot.guilds:
            good, lines = guild_report(g)
            ok &= good
            report += lines
        for line in report:
            out(line)
        return ok
    finally:
        await bot.close()
        if task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task
