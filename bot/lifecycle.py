"""Stopping without dropping work: SIGINT/SIGTERM drain the bot, then close it.

On a signal the bot stops taking new interactions (each gets a short private "restarting"
line), gives the ones already running up to GRACE_S seconds to post their replies, tells
the users of any still unfinished to run them again, then closes the gateway, the HTTP
session and the worker pool. `python -m bot` then exits 0, as a supervisor expects.

An interaction is "in flight" from the moment the command tree (or a button) accepts it
until the task discord.py runs it in is done: `admit` is that gate, and is installed as
the tree's and the buttons' `interaction_check`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TYPE_CHECKING

import discord

from bot.errors import UserError
from bot.replies import report_error

if TYPE_CHECKING:
    from bot.app import NonlinearBot

log = logging.getLogger(__name__)

GRACE_S = 5.0  # seconds in-flight commands get to finish after a stop signal
RESTARTING = "⏳ The bot is restarting; try again in a moment."
CUT_OFF = "the bot restarted before this finished; run the command again in a moment."


class Drain:
    """The interactions in flight, and the switch that turns new ones away."""

    def __init__(self) -> None:
        self.closing = False
        self._running: dict[asyncio.Task, discord.Interaction] = {}

    @property
    def in_flight(self) -> int:
        return len(self._running)

    async def admit(self, interaction: discord.Interaction) -> bool:
        """True to run this interaction; while closing, answer it privately and say False."""
        if self.closing:
            if interaction.type is not discord.InteractionType.autocomplete:
                with contextlib.suppress(discord.HTTPException):
                    await interaction.response.send_message(RESTARTING, ephemeral=True)
            return False
        task = asyncio.current_task()
        if task is not None:  # discord.py runs each interaction in a task of its own
            self._running[task] = interaction
            task.add_done_callback(self._done)
        return True

    def _done(self, task: asyncio.Task) -> None:
        self._running.pop(task, None)

    async def wait(self, grace: float = GRACE_S) -> int:
        """Stop admitting; wait up to `grace` s for the running ones; cut off the rest.

        Returns how many were cut off (each of their users is told to run it again)."""
        self.closing = True
        running = dict(self._running)
        if running:
            log.info("stopping: waiting up to %g s for %d command(s)", grace, len(running))
            _, late = await asyncio.wait(set(running), timeout=grace)
        else:
            late = set()
        for task in late:
            task.cancel()
        # cancelled tasks unwind quickly (their awaits raise CancelledError); then say so
        if late:
            await asyncio.wait(late, timeout=1.0)
        await asyncio.gather(
            *(report_error(running[t], UserError(CUT_OFF)) for t in late), return_exceptions=True
        )
        return len(late)


async def shutdown(bot: NonlinearBot, grace: float = GRACE_S) -> None:
    """Drain, then close (gateway, HTTP, worker pool). Safe to call twice."""
    if bot.drain.closing:
        return
    cut = await bot.drain.wait(grace)
    if cut:
        log.warning("stopped %d command(s) still running after %g s", cut, grace)
    await bot.close()


async def serve(bot: NonlinearBot, token: str, grace: float = GRACE_S) -> None:
    """bot.start(token) until closed; SIGINT and SIGTERM shut it down gracefully."""
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task] = []

    def on_signal(signum: int) -> None:
        log.info(
            "received %s: finishing running commands, then stopping", signal.Signals(signum).name
        )
        if not stopping:
            stopping.append(asyncio.create_task(shutdown(bot, grace)))

    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        # Unix only; on Windows Ctrl-C stays a KeyboardInterrupt (python -m bot exits 0)
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, on_signal, signum)
    try:
        await bot.start(token)
        if stopping:
            await stopping[0]
    finally:
        for signum in signals:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
