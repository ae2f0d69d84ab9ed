"""Jobs on a Dask cluster give the same cards as the local pool, under the same time limit."""

from __future__ import annotations

import distributed
import pytest

from bot.dask_pool import DaskPool
from bot.errors import UserError
from bot.jobs import Job, execute


@pytest.fixture
async def cluster():
    async with distributed.LocalCluster(
        n_workers=1, processes=False, asynchronous=True, dashboard_address=None
    ) as c:
        yield c


async def test_a_job_on_the_cluster_gives_the_local_card(cluster):
    pool = DaskPool(cluster)
    await pool.warm()
    try:
        job = Job("xor.linear", {"figure": False})
        card = await pool.run(job)
        assert (card.numbers, card.code) == (execute(job).numbers, execute(job).code)
    finally:
        await pool.aclose()


async def test_a_job_past_the_time_limit_is_refused_politely(cluster):
    pool = DaskPool(cluster, timeout=0.001)
    await pool.warm()
    try:
        job = Job("xor.mlp", {"hidden": 16, "epochs": 5000, "figure": False})
        with pytest.raises(UserError, match=r"took longer than 0\.001 s"):
            await pool.run(job)
    finally:
        await pool.aclose()


async def test_a_reading_on_the_cluster_finds_what_reading_here_finds(cluster):
    """`call` (Settle this reads a long message in the pool) works on a cluster too."""
    from bot.claims.settle import read

    text = "tanh squashes everything below one, and stacking linear layers makes it smarter"
    pool = DaskPool(cluster)
    await pool.warm()
    try:
        there = await pool.call(read, text, [])
    finally:
        await pool.aclose()
    assert [m.claim.id for m in there.matches] == [m.claim.id for m in read(text).matches]
    assert {m.claim.id for m in there.matches} == {"tanh-range", "linear-stack"}
