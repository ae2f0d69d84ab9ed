"""When a reply acknowledges: at once for slow or queued jobs, in one message for quick ones.

No timings are asserted: a gate holds the job until the test has seen (or not seen) the
deferral, so the order of events is what is checked.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.jobs import QUICK_MS, Job, predicted_ms

CHEAP = Job("activation", {"name": "relu"})


class GatedPool:
    """Stands in for the worker pool: each job waits for `gate`, then a cheap job runs in
    `pool` in its place (what is checked is when the reply acknowledged, not its card)."""

    def __init__(self, pool, workers: int = 2) -> None:
        self.pool, self.workers = pool, workers
        self.gate = asyncio.Event()
        self.started = 0

    async def run(self, job):
        self.started += 1
        await self.gate.wait()
        return await self.pool.run(CHEAP)


def deferred(harness) -> list:
    return [r for r in harness.sandbox.interactions.values() if r.ack_type == 5]


@pytest.mark.parametrize(
    "command",
    ["/xor stats", "/xor mlp hidden:16 epochs:5000", "/collapse layers:64 width:16"],
)
async def test_a_slow_job_defers_before_it_runs(harness, command):
    gated = GatedPool(harness.bot.pool)
    real, harness.bot.pool = harness.bot.pool, gated
    try:
        task = asyncio.create_task(harness.driver.invoke(command, timeout=60))
        # the deferral arrives while the job is still held at the gate
        assert await harness.sandbox.wait_for(lambda: deferred(harness), 10)
        assert gated.started == 1
        gated.gate.set()
        reply = await task
    finally:
        harness.bot.pool = real
    assert reply.record.ack_type == 5 and reply.embed is not None
    assert len(reply.messages) == 1  # the result replaced the "thinking…" placeholder


async def test_a_quick_job_on_an_idle_pool_answers_in_one_message(harness):
    gated = GatedPool(harness.bot.pool)
    gated.gate.set()  # nothing holds it: a quick job answers before DEFER_AFTER
    real, harness.bot.pool = harness.bot.pool, gated
    try:
        reply = await harness.driver.invoke("/activation name:relu")
    finally:
        harness.bot.pool = real
    assert reply.record.ack_type == 4  # the answer itself, no "thinking…"
    assert not deferred(harness)


async def test_a_quick_job_behind_busy_workers_defers_at_once(harness):
    gated = GatedPool(harness.bot.pool, workers=1)
    real, harness.bot.pool = harness.bot.pool, gated
    try:
        busy = asyncio.create_task(harness.driver.invoke("/xor stats", timeout=60))
        await harness.sandbox.wait_for(lambda: gated.started == 1, 10)
        quick = asyncio.create_task(harness.driver.invoke("/activation name:relu", timeout=60))
        assert await harness.sandbox.wait_for(lambda: len(deferred(harness)) == 2, 10)
        gated.gate.set()
        replies = await asyncio.gather(busy, quick)
    finally:
        harness.bot.pool = real
    assert [r.record.ack_type for r in replies] == [5, 5]


def test_the_cost_model_orders_options_sensibly():
    assert predicted_ms(Job("activation", {"name": "tanh"})) <= QUICK_MS
    assert predicted_ms(Job("xor.mlp", {"epochs": 2000})) < predicted_ms(
        Job("xor.mlp", {"hidden": 16, "epochs": 5000})
    )
    assert predicted_ms(Job("xor.mlp", {"hidden": 16, "epochs": 5000})) > QUICK_MS
    assert predicted_ms(Job("collapse", {"layers": 64, "width": 16})) > QUICK_MS
    for kind in ("xor.squash", "xor.stats", "learnable", "approximate"):
        assert predicted_ms(Job(kind, {})) > QUICK_MS
