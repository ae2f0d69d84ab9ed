"""A process pool that kills what runs too long (pebble), with an async `call`.

The standard ProcessPoolExecutor cannot cancel a running task: a job stuck past its
time limit would keep a worker busy forever. pebble's ProcessPool terminates that
worker and starts a fresh one, and reports a worker that died (segfault, out of
memory, os._exit) as ProcessExpired; the pool itself stays usable either way.
`max_tasks` recycles each worker after that many jobs, which bounds slow leaks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
from collections.abc import Callable
from typing import Any

import pebble

from bot.errors import UserError

log = logging.getLogger(__name__)

# Workers run one BLAS thread each: bot/__init__.py sets that before NumPy loads, and
# spawned workers inherit the environment.


class KillingPool:
    """Spawned worker processes; `call(fn, *args)` with a hard time limit."""

    def __init__(
        self,
        workers: int,
        timeout: float,
        max_tasks: int = 0,
        initializer: Callable[[], Any] | None = None,
    ) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool = pebble.ProcessPool(
            max_workers=workers,
            max_tasks=max_tasks,
            initializer=initializer,  # runs in every worker, replacements included
            context=multiprocessing.get_context("spawn"),
        )

    def submit(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        """Start fn(*args) in a worker with no time limit (warming up); a plain future."""
        return self._pool.submit(fn, None, *args)

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        future = self._pool.submit(fn, self.timeout, *args)
        try:
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:  # the worker was killed and replaced
            raise UserError(
                f"that experiment took longer than {self.timeout:g} s and was stopped; "
                "try smaller options (fewer epochs, layers or units)."
            ) from None
        except pebble.ProcessExpired as e:
            log.error("a worker process died running %s (exit code %s)", fn.__name__, e.exitcode)
            raise UserError(
                "that experiment crashed its worker process (it may have run out of memory); "
                "try smaller options."
            ) from None

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=5)
