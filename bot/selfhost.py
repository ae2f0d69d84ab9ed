"""Self-hosting tools: `python -m bot invite | sync | doctor`.

invite prints the OAuth2 URL with exactly the permissions the bot uses, explained;
sync registers the slash commands on purpose; doctor checks the configuration
offline and, with a token, what the bot may do in each server it is in.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import tempfile
from collections.abc import Callable

import discord

from bot.settings import Settings

# (discord.Permissions flag, what the bot needs it for)
PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("view_channel", "see the channel a command is used in"),
    ("send_messages", "post replies, e.g. the New seed result"),
    ("embed_links", "show each result as an embed"),
    ("attach_files", "attach the plot (PNG) and long matrices (.txt)"),
    ("read_message_history", "read the message a button is on, and count its channel's pins"),
    ("pin_messages", "pin a reply when a moderator presses Pin"),
)
SCOPES = ("bot", "applications.commands")
LABELS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "read_message_history": "Read Message History",
    "pin_messages": "Pin Messages",
}

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


def invite(settings: Settings, client_id: int | None, out: Out = print) -> int:
    cid = client_id or client_id_from_token(settings.token)
    if cid is None:
        out(
            "nonlinear: give --client-id (Developer Portal → your application → General "
            "Information → Application ID), or set DISCORD_TOKEN."
        )
        return 2
    perms = invite_permissions()
    url = discord.utils.oauth_url(cid, permissions=perms, scopes=SCOPES)
    out(f"Invite URL (open it, pick your server):\n  {url}\n")
    out(f"Scopes: {' '.join(SCOPES)} (the bot user, and its slash commands)")
    out(f"Permissions integer {perms.value}, and why each is needed:")
    for name, why in PERMISSIONS:
        out(f"  {LABELS[name]:<22} {why}")
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


def doctor_offline(settings: Settings, out: Out = print) -> bool:
    ok = True

    def check(good: bool, yes: str, no: str) -> None:
        nonlocal ok
        out(("  ✓ " + yes) if good else ("  ✗ " + no))
        ok &= good

    out("Configuration")
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
            out("  ✗ the bot is in no server yet: invite it with `python -m bot invite`")
            ok = False
        need = [name for name, _ in PERMISSIONS]
        for g in bot.guilds:
            have = g.me.guild_permissions if g.me else discord.Permissions.none()
            missing = [LABELS[n] for n in need if not getattr(have, n)]
            if missing:
                ok = False
                report.append(
                    f"  ✗ {g.name} ({g.id}): missing {', '.join(missing)}: grant them "
                    "to the bot's role (Server Settings → Roles)"
                )
            else:
                report.append(f"  ✓ {g.name} ({g.id}): every permission the bot uses")
        for line in report:
            out(line)
        return ok
    finally:
        await bot.close()
        if task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task
