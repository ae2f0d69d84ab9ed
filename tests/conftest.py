"""Shared fixtures: one warmed worker pool per session; a sandbox + bot per test."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.jobs import WorkerPool, warm_up
from bot.sandbox.harness import running
from bot.settings import Settings


@pytest.fixture(scope="session")
def pool():
    p = WorkerPool(2)
    futures = [p._executor.submit(warm_up) for _ in range(2)]
    for f in futures:
        f.result(timeout=120)
    yield p
    p.close()


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
async def harness(pool, tmp_path):
    """The sandbox and the project's own bot; fails at teardown on any violation,
    unhandled route, or error the bot or discord.py logged."""
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        async with running(Settings(workers=2, state_dir=tmp_path), pool=pool) as h:
            yield h
            await asyncio.sleep(0.05)
            problems = list(h.sandbox.violations) + [f"unhandled {u}" for u in h.sandbox.unhandled]
    finally:
        logging.getLogger().removeHandler(errors)
    problems += [f"logged error: {r.getMessage()}" for r in errors.records]
    assert not problems, "\n".join(problems)
