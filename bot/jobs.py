"""Jobs: plain-data requests that worker processes turn into Cards.

The event loop only ever awaits a future; the NumPy experiment and the matplotlib
rendering happen in a process pool (spawned, so no forked locks or loop state).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import multiprocessing
import time
from dataclasses import dataclass, field
from typing import Any

from bot.cards import Card
from bot.errors import UserError
from bot.pool import KillingPool

log = logging.getLogger(__name__)

JOB_TIMEOUT = 10.0  # seconds, by default (JOB_TIMEOUT_S); the bounds keep jobs far below it
MAX_TASKS = 200  # a worker process is replaced after this many jobs (MAX_TASKS_PER_WORKER)

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
    builder = getattr(importlib.import_module(module), func)
    try:  # a button's custom_id may have been forged: options another kind takes, say
        inspect.signature(builder).bind(**job.options)
    except TypeError:
        raise UserError("this button is not one I recognise; run the command again.") from None
    return builder(**job.options)


def warm_up() -> str:
    """Import the lab and figures and render once, so the first real job is fast."""
    execute(Job("activation", {"name": "relu"}))
    return multiprocessing.current_process().name


class WorkerPool:
    """Worker processes with an async `run`: a job past `timeout` seconds is killed with
    its worker (which is replaced), and a worker that crashes is replaced too; either
    way the user gets a short UserError and the next job works (see bot.pool). Workers
    are recycled after `max_tasks` jobs, which bounds any slow growth of memory."""

    def __init__(
        self, workers: int, timeout: float = JOB_TIMEOUT, max_tasks: int = MAX_TASKS
    ) -> None:
        self.workers = workers
        self._pool = KillingPool(workers, timeout, max_tasks)

    @property
    def timeout(self) -> float:
        return self._pool.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._pool.timeout = seconds

    def warm_blocking(self, timeout: float = 120.0) -> None:
        """Start every worker and render once in each (for tests and the CLI)."""
        for f in [self._pool.submit(warm_up) for _ in range(self.workers)]:
            f.result(timeout=timeout)

    async def warm(self) -> None:
        started = time.perf_counter()
        await asyncio.gather(
            *(asyncio.wrap_future(self._pool.submit(warm_up)) for _ in range(self.workers))
        )
        log.info(
            "worker pool ready: %d processes in %.1f s", self.workers, time.perf_counter() - started
        )

    async def run(self, job: Job) -> Card:
        return await self._pool.call(execute, job)

    def close(self) -> None:
        self._pool.close()
