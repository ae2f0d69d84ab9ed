"""Command line: `python -m bot [run | console]`.

With DISCORD_TOKEN set, `python -m bot` connects to Discord; without it, it starts the
offline sandbox console so you can try every command locally.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.settings import Settings, SettingsError, configure_logging

log = logging.getLogger("bot")

NO_TOKEN = """No DISCORD_TOKEN is set, so there is nothing to connect to.
  1. cp .env.example .env
  2. put your bot token after DISCORD_TOKEN= in .env
     (Developer Portal → your application → Bot → Reset Token)
  3. make run
Or try the bot offline first: python -m bot console"""


def _fail(message: str, status: int = 2) -> int:
    print(f"nonlinear: {message}", file=sys.stderr)
    return status


async def _run_discord(settings: Settings) -> int:
    import aiohttp
    import discord

    from bot.app import create_bot

    bot = create_bot(settings)
    try:
        async with bot:
            await bot.start(settings.token or "")
    except discord.LoginFailure:
        return _fail(
            "Discord rejected DISCORD_TOKEN. Reset the token in the Developer Portal "
            "(your application → Bot → Reset Token) and paste the new one into .env."
        )
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "Discord refused the gateway intents; this bot needs none that are privileged."
        )
    except (aiohttp.ClientConnectorError, OSError) as e:
        return _fail(f"could not reach Discord ({type(e).__name__}). Check the network.", 1)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord with DISCORD_TOKEN")
    con = sub.add_parser("console", help="offline: a local Discord sandbox with the real bot")
    con.add_argument("--save", default="sandbox-out", help="folder for attachments")
    args = parser.parse_args(argv)

    try:
        settings = Settings.load()
    except SettingsError as e:
        return _fail(str(e))
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
        return asyncio.run(_run_discord(settings))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
