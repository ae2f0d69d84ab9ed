"""Run jobs on a Dask distributed cluster instead of the local process pool.

Set DASK_SCHEDULER=tcp://host:8786 and start workers on any machine that has the
project installed (`dask worker tcp://host:8786`); the bot then submits each job to
the cluster. Jobs are plain data and `bot.jobs.run_job` is imported by name on the
worker, so nothing but the job and its Card cross the network. The same time limit
and the same user-facing errors apply as for the local pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from bot.cards import Card
from bot.errors import UserError
from bot.jobs import JOB_TIMEOUT, Job, run_job

log = logging.getLogger(__name__)

T = TypeVar("T")


class DaskPool:
    """The WorkerPool interface (`warm`, `run`, `call`, `close`) on a distributed Client."""

    def __init__(self, scheduler: Any, timeout: float = JOB_TIMEOUT) -> None:
        self.scheduler = scheduler  # an address, or a LocalCluster in tests
        self.timeout = timeout
        self.client: Any = None
        self._closing: asyncio.Task | None = None

    async def warm(self) -> None:
        from distributed import Client  # an optional extra: imported only when used

        self.client = await Client(self.scheduler, asynchronous=True)
        log.info("connected to the Dask scheduler at %s", self.client.scheduler.address)

    async def run(self, job: Job) -> Card:
        return await self.call(run_job, job)

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) on a worker (WorkerPool.call), under the same time limit."""
        if self.client is None:
            await self.warm()
        future = self.client.submit(fn, *args, pure=False)  # seeded jobs, but cache elsewhere
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            await future.cancel()
            raise UserError(
                f"that experiment took longer than {self.timeout:g} s and was stopped; "
                "try smaller options (fewer epochs, layers or units)."
            ) from None

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.close()
            self.client = None

    def close(self) -> None:
        """Like WorkerPool.close (called from synchronous code): schedule the disconnect."""
        if self.client is not None and self._closing is None:
            self._closing = asyncio.ensure_future(self.aclose())
