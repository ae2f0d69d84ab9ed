"""The worker pool: jobs run in other processes, and a crashed worker is replaced."""

from __future__ import annotations

import os

import pytest

from bot.errors import UserError
from bot.jobs import Job, WorkerPool, execute


async def test_a_dead_worker_does_not_take_the_bot_down():
    pool = WorkerPool(1)
    try:
        card = await pool.run(Job("activation", {"name": "relu"}))
        assert card.title == "Activation: ReLU"
        with pytest.raises(Exception):  # noqa: B017  (the pool reports its dead worker)
            pool._executor.submit(os._exit, 1).result(timeout=60)
        card = await pool.run(Job("activation", {"name": "tanh"}))
        assert card.title == "Activation: tanh"
    finally:
        pool.close()


def test_user_errors_cross_the_process_boundary_intact():
    import pickle

    err = pickle.loads(pickle.dumps(UserError("layers must be between 1 and 64")))
    assert isinstance(err, UserError) and err.message == "layers must be between 1 and 64"
    with pytest.raises(UserError, match="unknown activation"):
        execute(Job("xor.mlp", {"activation": "nope"}))
