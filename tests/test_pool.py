"""A job past its limit is killed, a crashed worker is replaced, and the next job works."""

from __future__ import annotations

import logging
import time

import pytest

from bot.errors import UserError
from bot.pool import KillingPool
from tests import pool_jobs


@pytest.fixture(scope="module")
def kpool():
    p = KillingPool(workers=1, timeout=1.0, max_tasks=0)
    yield p
    p.close()


async def test_a_hanging_job_is_killed_at_its_limit_and_the_pool_goes_on(kpool):
    before = await kpool.call(pool_jobs.pid)
    started = time.perf_counter()
    with pytest.raises(UserError, match=r"longer than 1 s and was stopped"):
        await kpool.call(pool_jobs.hang, 30.0)
    assert time.perf_counter() - started < 10  # killed, not waited for
    assert await kpool.call(pool_jobs.square, 7) == 49
    assert await kpool.call(pool_jobs.pid) != before  # the stuck worker was replaced


async def test_a_crashing_worker_is_reported_and_replaced(kpool, caplog):
    with caplog.at_level(logging.ERROR), pytest.raises(UserError, match="crashed its worker"):
        await kpool.call(pool_jobs.crash, 3)
    assert "exit code 3" in caplog.text
    assert await kpool.call(pool_jobs.square, 9) == 81


async def test_workers_are_recycled_after_max_tasks():
    p = KillingPool(workers=1, timeout=5.0, max_tasks=2)
    try:
        pids = [await p.call(pool_jobs.pid) for _ in range(4)]
    finally:
        p.close()
    assert pids[0] == pids[1] and pids[2] == pids[3] and pids[1] != pids[2]
