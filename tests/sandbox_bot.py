"""`python -m tests.sandbox_bot`: the real `python -m bot run` in its own process, against a
sandbox that another process started (SANDBOX_REST, SANDBOX_GATEWAY).

Only two things differ from production: discord.py's two base URLs point at the sandbox,
and the pool is the real worker pool with scripted delays (a fake pool instead of a hook
in product code): a job with seed 1 first sleeps SLOW_S in a worker, one with seed 2
hangs there. The bot builds and owns that pool, so shutting down must close it; the
workers' pids are printed ("workers: 12 34") so the test can check they are gone.
"""

from __future__ import annotations

import asyncio
import os
import sys

import discord
import yarl

import bot.app
from bot.__main__ import main
from bot.jobs import Job, WorkerPool
from tests import pool_jobs

SLOW_S = 1.0


class ScriptedPool(WorkerPool):
    async def warm(self) -> None:
        await super().warm()
        calls = [self._pool.call(pool_jobs.pid) for _ in range(self.workers * 4)]
        pids = sorted(set(await asyncio.gather(*calls)))
        print("workers:", *pids, file=sys.stderr, flush=True)

    async def run(self, job: Job):
        seed = job.options.get("seed")
        if seed == 1:
            await self._pool.call(pool_jobs.hang, SLOW_S)
        elif seed == 2:
            await self._pool.call(pool_jobs.hang, 3600.0)
        return await super().run(job)


if __name__ == "__main__":
    discord.http.Route.BASE = os.environ["SANDBOX_REST"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["SANDBOX_GATEWAY"])
    bot.app.make_pool = lambda s: ScriptedPool(s.workers, timeout=s.job_timeout_s)
    sys.exit(main(["run"]))
