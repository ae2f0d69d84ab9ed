"""Throughput against the code as it was when issue 10 was filed, on the same workload.

Issue 10 asks for twice "today's" throughput on a cold mixed workload, measured on the
same machine. "Today" is BASELINE, the last commit before issue 10's first change. This
unpacks that commit's tree into a temporary folder (`git archive`: the repository is not
touched) and runs the very same workload through each version's own sandbox and bot, in
turn, several times: COMMON_MIX (the cold mix of benchmarks/load.py without /regions,
which the baseline did not have), USERS users at once, ROUNDS rounds, a new seed for every
request. Run as `python benchmarks/baseline.py '<json>'` with PYTHONPATH naming the code
under test; benchmarks/__main__.py does that for both.

Nothing is imported from the bot at module level: worker processes are spawned and import
this file first (as their main module), as the real bot's workers import bot/__main__.py.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

BASELINE = "b59c328"  # "Makefile: silence pyenv's complaints…", just before the card cache
WORKERS, USERS, ROUNDS = 2, 20, 3
COMMON_MIX = [
    "/xor mlp seed:{s}",
    "/xor neuron seed:{s}",
    "/collapse seed:{s}",
    "/activation custom:tanh(x)+x*{s}/1000",
    "/xor mlp hidden:16 epochs:5000 seed:{s}",
    "/collapse layers:64 width:16 between:tanh seed:{s}",
    "/xor squash seed:{s}",
    "/xor neuron activation:sin epochs:5000 seed:{s}",
    "/xor linear",
]


def _build(cls, *args, **kw):
    """cls(*args, **kw) with only the keywords this version's cls accepts."""
    accepted = inspect.signature(cls).parameters
    return cls(*args, **{k: v for k, v in kw.items() if k in accepted})


async def replies_per_second(first_seed: int) -> float:
    """USERS users fire the common mix ROUNDS times at once: replies with a card a second."""
    from bot.jobs import WorkerPool
    from bot.sandbox.harness import running
    from bot.sandbox.model import User
    from bot.settings import Settings

    seeds = itertools.count(first_seed)
    pool = _build(WorkerPool, WORKERS, timeout=60.0)
    await pool.warm()
    settings = _build(
        Settings, workers=WORKERS, cooldown_rate=10**6, guild_concurrency=10**4, queue_max=10**4
    )
    try:
        async with running(settings, pool=pool) as h:
            users = []
            for i in range(USERS):
                u = User(id=9_100_000_000 + i, username=f"base{i}")
                h.sandbox.guild.users[u.username] = u
                users.append(u)
            await h.driver.invoke("/xor linear", user=users[0], timeout=120)
            started, n = time.perf_counter(), 0
            for r in range(ROUNDS):
                replies = await asyncio.gather(
                    *(
                        h.driver.invoke(
                            COMMON_MIX[(i + r) % len(COMMON_MIX)].format(s=next(seeds)),
                            user=u,
                            timeout=120,
                        )
                        for i, u in enumerate(users)
                    )
                )
                n += sum(not x.timed_out and x.embed is not None for x in replies)
            return n / (time.perf_counter() - started)
    finally:
        close = getattr(pool, "close", None) or pool._executor.shutdown
        close()


def unpack(commit: str = BASELINE) -> Path:
    """The commit's tree in a new temporary folder (the caller removes it)."""
    root = Path(tempfile.mkdtemp(prefix="nonlinear-baseline-"))
    archive = subprocess.run(["git", "archive", commit], capture_output=True, check=True)
    with tempfile.TemporaryFile() as f:
        f.write(archive.stdout)
        f.seek(0)
        with tarfile.open(fileobj=f) as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
                tar.extractall(root, filter="data")
            else:  # our own repository's archive
                tar.extractall(root)
    return root


def measure(code: Path, first_seed: int) -> float:
    """replies_per_second with `code`'s bot, in a fresh process."""
    import os

    # as a user's shell would have it: bot/__init__.py sets these since issue 10, the
    # baseline never did (the parent process has them from importing the bot)
    blas = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in blas} | {"PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), json.dumps({"seed": first_seed})],
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
        env=env,
    )
    return float(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    args = json.loads(sys.argv[1])
    print(asyncio.run(replies_per_second(args["seed"])))
