"""Command line: `python -m bot [run | console | invite | sync | doctor]`.

With DISCORD_TOKEN set, `python -m bot` connects to Discord; without it, it starts the
offline sandbox console so you can try every command locally.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.settings import Settings, SettingsError, configure_logging

NO_TOKEN = """No DISCORD_TOKEN is set, so there is nothing to connect to.
  1. cp .env.example .env
  2. put your bot token after DISCORD_TOKEN= in .env
     (Developer Portal → your application → Bot → Reset Token)
  3. make run
Or try the bot offline first: python -m bot console"""


REJECTED = (
    "Discord rejected DISCORD_TOKEN. Reset the token in the Developer Portal "
    "(your application → Bot → Reset Token) and paste the new one into .env."
)


def _fail(message: str, status: int = 2) -> int:
    print(f"nonlinear: {message}", file=sys.stderr)
    return status


async def _serve(settings: Settings) -> int:
    """Serve until SIGINT/SIGTERM; then finish running commands (up to SHUTDOWN_GRACE_S,
    5 s by default) and exit 0."""
    from bot.app import create_bot
    from bot.lifecycle import serve

    async with create_bot(settings) as bot:
        await serve(bot, settings.token or "", grace=settings.shutdown_grace_s)
    return 0


async def _run_discord(settings: Settings) -> int:
    """Connect and serve until stopped; failures become one clear line, never a traceback."""
    return await _guard(_serve(settings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord with DISCORD_TOKEN")
    con = sub.add_parser("console", help="offline: a local Discord sandbox with the real bot")
    con.add_argument("--save", default="sandbox-out", help="folder for attachments")
    inv = sub.add_parser("invite", help="print the install links and why each permission")
    inv.add_argument(
        "--client-id", type=int, help="application ID (default: derived from DISCORD_TOKEN)"
    )
    syn = sub.add_parser("sync", help="register the slash commands with Discord now")
    where = syn.add_mutually_exclusive_group()
    where.add_argument("--guild", type=int, help="sync to this server only (instant)")
    where.add_argument("--global", dest="global_", action="store_true", help="sync globally")
    sub.add_parser("doctor", help="check the configuration (and, with a token, permissions)")
    args = parser.parse_args(argv)

    settings, problems = Settings.read()
    if args.command == "invite":  # needs nothing but an application id
        from bot.selfhost import invite

        return invite(settings, args.client_id)
    if args.command == "doctor":  # lists every problem, then checks what it can
        configure_logging(settings.log_level)
        return _doctor(settings, problems)
    if problems:
        return _fail(str(SettingsError("\n".join(problems))))
    configure_logging(settings.log_level)

    command = args.command or ("run" if settings.token else "console")
    if command == "console":
        from bot.sandbox.console import main as console_main

        if args.command is None:
            print(
                "No DISCORD_TOKEN set: starting the offline sandbox console "
                "(see README → Self-hosting to connect to Discord).",
                file=sys.stderr,
            )
        return console_main(settings, Path(getattr(args, "save", "sandbox-out")))
    if settings.token is None:
        return _fail(NO_TOKEN)
    if (problem := settings.token_problem()) is not None:
        return _fail(problem)
    try:
        if command == "sync":
            from bot.selfhost import sync

            return asyncio.run(_guard(sync(settings, args.guild, args.global_)))
        return asyncio.run(_run_discord(settings))
    except KeyboardInterrupt:
        return 0


async def _guard(coro) -> int:
    """Turn login and network failures into clear messages (exit 2: fix a setting; 1: retry)."""
    import aiohttp
    import discord

    try:
        return await coro
    except discord.LoginFailure:
        return _fail(REJECTED)
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "Discord refused the gateway intents; this bot needs none that are privileged."
        )
    except discord.HTTPException as e:
        return _fail(f"Discord refused the request ({e.status}: {e.text[:200]}).", 1)
    except (aiohttp.ClientConnectorError, OSError) as e:
        return _fail(f"could not reach Discord ({type(e).__name__}). Check the network.", 1)


def _doctor(settings: Settings, problems: list[str]) -> int:
    """Exit 1 only for real problems (✗ lines); notes (·) are not failures."""
    from bot.selfhost import doctor_offline, doctor_online

    ok = doctor_offline(settings, problems=problems)
    if settings.token is not None and settings.token_problem() is None:
        result = asyncio.run(_guard(doctor_online(settings)))
        ok = ok and result is True
    print("All good." if ok else "Fix the ✗ lines above, then run `python -m bot doctor` again.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
