"""Jobs: plain-data requests that worker processes turn into Cards.

The event loop only ever awaits a future; the NumPy experiment and the matplotlib
rendering happen in a process pool (spawned, so no forked locks or loop state).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from bot.cards import Card
from bot.errors import UserError

log = logging.getLogger(__name__)

JOB_TIMEOUT = 60.0  # seconds, by default; the option bounds keep real jobs far below this

# kind → "module:function" building its Card
BUILDERS: dict[str, str] = {
    "xor.linear": "bot.cards.xor:linear_card",
    "xor.squash": "bot.cards.xor:squash_card",
    "xor.neuron": "bot.cards.xor:neuron_card",
    "xor.mlp": "bot.cards.xor:mlp_card",
    "xor.stats": "bot.cards.stats:stats_card",
    "learnable": "bot.cards.learnable:learnable_card",
    "collapse": "bot.cards.collapse:collapse_card",
    "activation": "bot.cards.activation:activation_card",
    "explain": "bot.cards.explain:explain_card",
    "approximate": "bot.cards.approximate:approximate_card",
    "regions": "bot.cards.regions:regions_card",
}


@dataclass(frozen=True)
class Job:
    kind: str
    options: dict[str, Any] = field(default_factory=dict)


def execute(job: Job) -> Card:
    """Run one job to a Card (in a worker process)."""
    module, func = BUILDERS[job.kind].split(":")
    return getattr(importlib.import_module(module), func)(**job.options)


def warm_up() -> str:
    """Import the lab and figures and render once, so the first real job is fast."""
    execute(Job("activation", {"name": "relu"}))
    return multiprocessing.current_process().name


class WorkerPool:
    """A process pool with an async `run`; a job still running after `timeout` seconds
    is dropped with a short UserError (its worker finishes it and is then free again)."""

    def __init__(self, workers: int, timeout: float = JOB_TIMEOUT) -> None:
        self.workers = workers
        self.timeout = timeout
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
        )

    async def warm(self) -> None:
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(self._executor, warm_up) for _ in range(self.workers))
        )
        log.info(
            "worker pool ready: %d processes in %.1f s", self.workers, time.perf_counter() - started
        )

    async def run(self, job: Job) -> Card:
        """Run a job in a worker; a pool broken by a crashed worker is replaced once."""
        try:
            return await self._run_once(job)
        except BrokenProcessPool:
            log.warning("a worker process died; starting a new pool")
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            return await self._run_once(job)

    async def _run_once(self, job: Job) -> Card:
        future = asyncio.get_running_loop().run_in_executor(self._executor, execute, job)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:  # the retry after a crash is held to the same limit
            raise UserError(
                f"that experiment took longer than {self.timeout:g} s and was dropped; "
                "try fewer epochs or layers."
            ) from None

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
