"""Shared fixtures: one warmed worker pool per session; a sandbox + bot per test."""

from __future__ import annotations

import asyncio
import logging
import os

import pytest

from bot.jobs import WorkerPool
from bot.sandbox.harness import running
from bot.settings import Settings

# The slowest files, slowest first (measured with --durations). `make test` hands out whole
# files (--dist loadfile) in collection order (--no-loadscope-reorder in pyproject.toml):
# starting with these keeps the last file on one worker short, so the other is not idle.
SLOWEST_FILES = [
    "test_render.py",
    "test_buttons.py",
    "test_learnable_card.py",
    "test_cards.py",
    "test_e2e.py",
    "test_contexts.py",
    "test_cli.py",
    "test_e2e_draw.py",
    "test_truth_xor.py",
    "test_explain_help.py",
    "test_claim_e2e.py",
    "test_jobs.py",
    "test_truth_regions.py",
    "test_figures.py",
    "test_train.py",
    "test_batch.py",
    "test_stats.py",
    "test_lab_xor.py",
    "test_shutdown.py",
    "test_fuzz_sandbox.py",
    "test_train_e2e.py",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest as found


@pytest.fixture(scope="session")
def pool():
    p = WorkerPool(2, timeout=60.0)  # generous: CI machines can be slow and shared
    p.warm_blocking()
    yield p
    p.close()


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def harness_options():
    """Override in a test module to start the sandbox differently (e.g. bot permissions)."""
    return {}


@pytest.fixture
async def harness(pool, tmp_path, harness_options):
    """The sandbox and the project's own bot; fails at teardown on any violation,
    unhandled route, or error the bot or discord.py logged (tests that provoke an error
    on purpose empty `h.logged_errors` after checking it)."""
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        # tests fire many commands as one user: limits high (tests/test_limits.py checks them)
        settings = Settings(
            workers=2, state_dir=tmp_path, cooldown_rate=1000, guild_concurrency=100, queue_max=1000
        )
        async with running(settings, pool=pool, **harness_options) as h:
            h.logged_errors = errors.records
            yield h
            await asyncio.sleep(0.05)
            problems = list(h.sandbox.violations) + [f"unhandled {u}" for u in h.sandbox.unhandled]
    finally:
        logging.getLogger().removeHandler(errors)
    problems += [f"logged error: {r.getMessage()}" for r in errors.records]
    assert not problems, "\n".join(problems)


# Property-based tests: a few dozen examples in `make test`, thousands in `make fuzz`.
# `make test` (and so CI) draws the same examples every run: a red CI is always a change's
# doing, never a new draw; exploring new inputs is what `make fuzz` is for.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
