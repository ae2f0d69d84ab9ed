"""Jobs: plain-data requests that worker processes turn into Cards.

The event loop only ever awaits a future; the NumPy experiment and the matplotlib
rendering happen in a process pool (spawned, so no forked locks or loop state).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import importlib
import inspect
import logging
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.cards import Card
from bot.errors import UserError
from bot.pool import KillingPool

log = logging.getLogger(__name__)

T = TypeVar("T")

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
    "train": "bot.cards.train:train_card",
}


@dataclass(frozen=True)
class Job:
    kind: str
    options: dict[str, Any] = field(default_factory=dict)


QUICK_MS = 300.0  # a job predicted to take longer than this defers at once (bot.replies)


def predicted_ms(job: Job) -> float:
    """A rough figure for the time a job takes on an idle worker of the 2-core machine.

    Made from `make bench`'s per-kind costs (cold replies through the sandbox: /activation
    ~0.3 s, /xor neuron ~0.9 s, /collapse ~0.8 s, /xor mlp ~1.1 s on the shared machine):
    a fixed part (the figure, Show code) and a part that grows with the options that set
    the work (epochs × units, layers × width², seeds). It only decides whether to defer before the job starts, so a wrong guess
    costs a "thinking…" message or a wait of at most DEFER_AFTER, never a late answer.
    """
    o = {k: v for k, v in job.options.items() if v is not None}
    epochs = o.get("epochs", 2000)
    if job.kind in ("activation", "explain", "xor.linear"):  # mostly answered from the cache
        return 250.0 + (50.0 if o.get("custom") else 0.0)
    if job.kind == "xor.neuron":
        return 300.0 + 0.15 * epochs
    if job.kind == "xor.mlp":
        return 350.0 + epochs * (0.15 + 0.01 * o.get("hidden", 2))
    if job.kind == "collapse":
        return 350.0 + 0.05 * o.get("layers", 3) * o.get("width", 4) ** 2
    if job.kind == "regions":
        return 400.0 + 4.0 * o.get("width", 8) * o.get("depth", 2) ** 2
    return 1000.0  # squash (two trainings), approximate, stats, learnable: always slow


def execute(job: Job) -> Card:
    """Run one job to a Card (in a worker process)."""
    module, func = BUILDERS[job.kind].split(":")
    builder = getattr(importlib.import_module(module), func)
    try:  # a button's custom_id may have been forged: options another kind takes, say
        inspect.signature(builder).bind(**job.options)
    except TypeError:
        raise UserError("this button is not one I recognise; run the command again.") from None
    return builder(**job.options)


def _libc_malloc_trim():
    """glibc's malloc_trim, or None (another C library, or not Linux)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_malloc_trim()


def run_job(job: Job) -> Card:
    """`execute` as a worker runs it, then the job's garbage is collected and the C heap's
    free pages go back to the system.

    A figure is a web of reference cycles (figure ↔ axes ↔ artists ↔ transforms) that only
    the cycle collector frees, and it holds tens of MB of arrays and pixel buffers; glibc
    keeps freed memory mapped, so without the trim a worker's resident memory would creep
    up job by job (~1.5 ms a call; about 10 MB a worker, measured over 21 mixed jobs). The
    collection here finds only this job's objects: the warm-up's are frozen (`start_worker`).
    """
    try:
        return execute(job)
    finally:
        gc.collect()
        if _MALLOC_TRIM is not None:
            _MALLOC_TRIM(0)


WARM_JOBS = (  # one figure per common canvas size: imports, fonts, renderers, layouts
    Job("activation", {"name": "relu"}),
    Job("collapse", {}),
    Job("xor.mlp", {"epochs": 50}),
)


def warm_up() -> str:
    """Import the lab and figures and render a few figures, so real jobs start warm."""
    for job in WARM_JOBS:
        execute(job)
    return multiprocessing.current_process().name


def worker_name() -> str:
    """A no-op job: it runs once the worker's warm-up (its initializer) is done."""
    return multiprocessing.current_process().name


def start_worker() -> None:
    """Each worker process (a recycled or replaced one too) warms up before its first job."""
    try:
        warm_up()
    except Exception:  # a failed warm-up must not stop the worker: jobs will just be slower
        log.exception("worker warm-up failed")
    settle_heap()


def settle_heap() -> None:
    """After warm-up: collect its garbage, then freeze what is left (modules, fonts, caches)
    out of the cycle collector's sight, and return free C-heap pages.

    Every collection otherwise walks those ~78 000 long-lived objects again: the collector
    took 9 % of a worker's CPU on the cold mix, 5 % with the freeze and one collection after
    each job (`run_job`), measured over 24 mixed jobs; a worker also stays ~10 MB smaller.
    """
    gc.collect()
    gc.freeze()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class WorkerPool:
    """Worker processes with an async `run`: a job past `timeout` seconds is killed with
    its worker (which is replaced), and a worker that crashes is replaced too; either
    way the user gets a short UserError and the next job works (see bot.pool). Workers
    are recycled after `max_tasks` jobs, which bounds any slow growth of memory."""

    def __init__(
        self, workers: int, timeout: float = JOB_TIMEOUT, max_tasks: int = MAX_TASKS
    ) -> None:
        self.workers = workers
        self._pool = KillingPool(workers, timeout, max_tasks, initializer=start_worker)

    @property
    def timeout(self) -> float:
        return self._pool.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._pool.timeout = seconds

    def warm_blocking(self, timeout: float = 120.0) -> None:
        """Start every worker and wait until each has warmed up (for tests and the CLI)."""
        for f in [self._pool.submit(worker_name) for _ in range(self.workers)]:
            f.result(timeout=timeout)

    async def warm(self) -> None:
        started = time.perf_counter()
        await asyncio.gather(
            *(asyncio.wrap_future(self._pool.submit(worker_name)) for _ in range(self.workers))
        )
        log.info(
            "worker pool ready: %d processes in %.1f s", self.workers, time.perf_counter() - started
        )

    async def run(self, job: Job) -> Card:
        return await self._pool.call(run_job, job)

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker, under the same time limit: work that makes no Card but is
        too long for the event loop (reading a long message for "Settle this")."""
        return await self._pool.call(fn, *args)

    def close(self) -> None:
        self._pool.close()
