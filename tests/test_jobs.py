"""The worker pool: jobs run in other processes, a crashed worker is replaced, and a job
past its time limit is killed with a short message (a real slow job in a real pool)."""

from __future__ import annotations

import os
import time

import pytest

from bot.errors import UserError
from bot.jobs import JOB_TIMEOUT, Job, WorkerPool, execute

SLOW = Job("explain", {"topic": "training"})  # trains five 2-2-1 networks and draws: seconds


def test_user_errors_cross_the_process_boundary_intact():
    import pickle

    err = pickle.loads(pickle.dumps(UserError("layers must be between 1 and 64")))
    assert isinstance(err, UserError) and err.message == "layers must be between 1 and 64"
    with pytest.raises(UserError, match="unknown activation"):
        execute(Job("xor.mlp", {"activation": "nope"}))


@pytest.fixture(scope="module")
def tight_pool():
    """One warmed worker whose jobs may take 0.2 s: far less than SLOW needs."""
    pool = WorkerPool(1, timeout=0.2)
    pool.warm_blocking()
    yield pool
    pool.close()


async def test_a_dead_worker_does_not_take_the_bot_down(tight_pool):
    """On the module's one-worker pool (a new pool would warm up one more worker first)."""
    tight_pool.timeout = 120.0  # this test is about a crash, not the limit
    try:
        card = await tight_pool.run(Job("activation", {"name": "relu"}))
        assert card.title == "Activation: ReLU"
        with pytest.raises(UserError, match="crashed its worker"):
            await tight_pool._pool.call(os._exit, 1)  # a worker dies as if out of memory
        card = await tight_pool.run(Job("activation", {"name": "tanh"}))  # its replacement
        assert card.title == "Activation: tanh"
    finally:
        tight_pool.timeout = 0.2


def test_the_default_limit_is_ten_seconds():
    pool = WorkerPool(1)  # no process starts before a job
    try:
        assert pool.timeout == JOB_TIMEOUT == 10.0
    finally:
        pool.close()


async def test_a_job_past_its_limit_is_dropped_with_a_short_message(tight_pool):
    started = time.perf_counter()
    with pytest.raises(UserError) as caught:
        await tight_pool.run(SLOW)
    waited = time.perf_counter() - started
    assert 0.2 <= waited < 2.0  # the caller is answered at the limit, not when the job ends
    message = caught.value.message
    assert message.startswith("that experiment took longer than 0.2 s and was stopped")
    assert "fewer epochs, layers or units" in message and len(message) < 120


async def test_the_pool_answers_again_after_a_timeout(tight_pool):
    tight_pool.timeout = 120.0  # the stuck worker was killed: a fresh one takes this job
    try:
        card = await tight_pool.run(Job("activation", {"name": "tanh"}))
        assert card.title == "Activation: tanh"
    finally:
        tight_pool.timeout = 0.2


async def test_the_user_sees_the_timeout_as_a_short_private_message(harness, tight_pool):
    real = harness.bot.pool
    harness.bot.pool = tight_pool
    try:
        reply = await harness.driver.invoke("/explain topic:training")
    finally:
        harness.bot.pool = real
    assert reply.ephemeral and reply.embed is None
    assert reply.content.startswith("⚠️ that experiment took longer than 0.2 s")
    assert reply.record.ack_type == 4  # answered at once: the limit came before deferral


def test_blas_runs_one_thread_per_process_unless_the_environment_says_otherwise():
    """bot/__init__.py caps BLAS threads before NumPy loads; a user's setting wins."""
    import subprocess
    import sys

    probe = "import bot, numpy; from tests.pool_jobs import blas_threads; print(blas_threads())"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    run = lambda env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert run(env) == "1"
    assert run({**env, "OPENBLAS_NUM_THREADS": "2"}) == "2"


async def test_the_tests_and_the_workers_run_one_blas_thread():
    """This process (conftest imports the bot before NumPy) and a spawned worker."""
    from bot.pool import KillingPool
    from tests.pool_jobs import blas_threads

    assert blas_threads() == 1
    p = KillingPool(workers=1, timeout=30.0, max_tasks=0)
    try:
        assert await p.call(blas_threads) == 1
    finally:
        p.close()


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_a_worker_gives_freed_heap_back_after_each_job():
    """80 MB of 60 kB blocks (below malloc's mmap threshold, so on the heap) are freed
    but for the last one, which pins the heap's top: glibc keeps the pages resident until
    malloc_trim, which run_job calls after its job."""
    import platform

    from bot import jobs

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        assert jobs._MALLOC_TRIM is None or callable(jobs._MALLOC_TRIM)
        return
    blocks = [bytes(60_000) for _ in range(1400)]
    keep = blocks[-1]
    del blocks
    held = _rss_mb()
    card = jobs.run_job(Job("activation", {"name": "relu", "figure": False}))
    assert card.title == "Activation: ReLU"
    assert _rss_mb() < held - 50, "freed heap pages were not returned"
    del keep


def test_the_main_module_that_every_worker_imports_stays_light():
    """Spawned workers import the parent's main module first: for `python -m bot` that is
    bot/__main__.py, so it must not pull in discord.py or matplotlib at import time (each
    worker would carry them: ~23 MB a worker, measured with the benchmark's old main)."""
    import subprocess
    import sys

    probe = "import sys, bot.__main__; print(sorted({'discord', 'matplotlib', 'aiohttp'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_worker_collects_each_jobs_reference_cycles():
    """A figure is a web of reference cycles that only the cycle collector frees: run_job
    collects after its job, so nothing waits for the next automatic collection."""
    import gc
    import weakref

    from bot import jobs

    class Node:
        pass

    gc.disable()
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: reference counting alone never frees it
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None
        jobs.run_job(Job("activation", {"name": "relu", "figure": False}))
        assert gone() is None
    finally:
        gc.enable()


def test_warm_up_objects_are_frozen_out_of_the_collectors_sight():
    """settle_heap (after a worker's warm-up) freezes the survivors, so later collections
    skip them; unfrozen again here, as this process is not a worker."""
    import gc

    from bot import jobs

    try:
        jobs.settle_heap()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
