"""Whole replies through the sandbox: latency, loop lag, throughput and memory.

The real bot (discord.py client, worker pool of WORKERS processes) talks to the local
sandbox; many users fire commands at once. "Cold" requests use a new seed each time (no
cache can answer them); "cached" ones repeat a request. The sandbox stands in for
Discord's servers, so the messages it stores are dropped between phases: they would not
live in the bot's memory.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import time
from dataclasses import dataclass, field

# Nothing from the bot at module level: the worker processes are spawned, and each
# imports the main module first (this one, when run as below). The real bot's main module,
# bot/__main__.py, imports only its settings, so the workers measured here must not carry
# the sandbox and discord.py either (they did: 23 MB a worker).

WORKERS = 2
USERS = 20
_seeds = itertools.count(1000)

# (label, command template): {s} is a fresh seed
LATENCY = [
    ("/activation", "/activation custom:tanh(x)+x*{s}/1000"),
    ("/xor linear", "/xor linear"),
    ("/xor mlp", "/xor mlp seed:{s}"),
    ("/xor neuron", "/xor neuron seed:{s}"),
    ("/collapse", "/collapse seed:{s}"),
    ("/regions", "/regions seed:{s}"),
]
HEAVY = [
    "/xor mlp hidden:16 epochs:5000 seed:{s}",
    "/collapse layers:64 width:16 between:tanh seed:{s}",
    "/xor squash seed:{s}",
    "/xor neuron activation:sin epochs:5000 seed:{s}",
]
# the cold mix: defaults and maximal options, every request a new seed
MIX = [
    "/xor mlp seed:{s}",
    "/xor neuron seed:{s}",
    "/collapse seed:{s}",
    "/activation custom:tanh(x)+x*{s}/1000",
    "/regions seed:{s}",
    "/xor mlp hidden:16 epochs:5000 seed:{s}",
    "/collapse layers:64 width:16 between:tanh seed:{s}",
    "/xor squash seed:{s}",
    "/xor neuron activation:sin epochs:5000 seed:{s}",
    "/xor linear",
]


def cmd(template: str) -> str:
    return template.format(s=next(_seeds))


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, round(q / 100 * (len(v) - 1)))]


@dataclass
class Latency:
    ack: list[float] = field(default_factory=list)
    final: list[float] = field(default_factory=list)
    failed: int = 0  # replies that were not a card (timed out, refused)

    def add(self, reply) -> None:
        self.failed += reply.timed_out or reply.embed is None
        self.ack.append(reply.record.ack_ms or float("inf"))
        self.final.append(reply.record.final_ms or float("inf"))

    def cells(self) -> str:
        return (
            f"{pct(self.ack, 50):.0f} / {pct(self.ack, 95):.0f} "
            f"| {pct(self.final, 50):.0f} / {pct(self.final, 95):.0f}"
        )


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes in MB (psutil if installed, else /proc)."""
    total = 0
    for pid in pids:
        try:
            import psutil

            total += psutil.Process(pid).memory_info().rss
        except ImportError:
            with open(f"/proc/{pid}/status") as f:
                kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            total += kb * 1024
        except Exception:  # a worker being recycled right now
            continue
    return total / 2**20


def worker_pids() -> list[int]:
    import psutil

    me = psutil.Process()
    return [p.pid for p in me.children(recursive=True) if "python" in p.name()]


class Bench:
    def __init__(self, h) -> None:
        from bot.sandbox.model import User

        self.h = h
        self.users = []
        guild = h.sandbox.guild
        for i in range(USERS):
            u = User(id=9_000_000_000 + i, username=f"bench{i}")
            guild.users[u.username] = u
            self.users.append(u)

    def forget_messages(self) -> None:
        """Discord keeps the messages, not the bot: drop the sandbox's copies."""
        sb = self.h.sandbox
        sb.messages.clear()
        sb.interactions.clear()
        sb.by_token.clear()

    async def invoke(self, command: str, user=None):
        return await self.h.driver.invoke(command, user=user or self.users[0], timeout=120)

    async def latency(self, rounds: int) -> dict[str, tuple[Latency, Latency]]:
        """One command at a time on an idle pool: cold (new seed) and cached (repeat)."""
        out = {}
        for label, template in LATENCY:
            cold, cached = Latency(), Latency()
            for _ in range(rounds):
                command = cmd(template)
                cold.add(await self.invoke(command))
                cached.add(await self.invoke(command))
            out[label] = (cold, cached)
            self.forget_messages()
        return out

    async def under_heavy_load(self) -> tuple[Latency, float, float]:
        """20 users fire heavy commands at once: their acks, and the event loop's lag."""
        lags: list[float] = []
        stop = asyncio.Event()

        async def watch() -> None:
            while not stop.is_set():
                t = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append((time.perf_counter() - t - 0.01) * 1000)

        watcher = asyncio.create_task(watch())
        replies = await asyncio.gather(
            *(self.invoke(cmd(HEAVY[i % len(HEAVY)]), u) for i, u in enumerate(self.users))
        )
        stop.set()
        await watcher
        lat = Latency()
        for r in replies:
            lat.add(r)
        self.forget_messages()
        return lat, pct(lags, 99), max(lags)

    async def throughput(self, rounds: int = 3) -> float:
        """Replies a second: USERS at once, `rounds` times, the cold mix."""
        started = time.perf_counter()
        n = 0
        for r in range(rounds):
            replies = await asyncio.gather(
                *(self.invoke(cmd(MIX[(i + r) % len(MIX)]), u) for i, u in enumerate(self.users))
            )
            n += sum(not x.timed_out and x.embed is not None for x in replies)
        self.forget_messages()
        return n / (time.perf_counter() - started)

    async def memory(self, first: int = 50, total: int = 1000) -> tuple[float, float, float]:
        """RSS of bot + workers after `first` and after `total` mixed commands (MB), and
        the card cache's bytes at the end (bounded by CACHE_MB; not a leak)."""
        mix = [t for _, t in LATENCY] + MIX[:5]  # the default commands (cheap, common)
        done, after_first = 0, 0.0
        batch = USERS
        recent: list[str] = []
        while done < total:
            k = min(batch, total - done)
            # half new requests, half repeats of recent ones (cache hits, Show code, pins)
            commands = [
                cmd(mix[(done + i) % len(mix)]) if i % 2 or not recent else recent[i % len(recent)]
                for i in range(k)
            ]
            recent = commands
            await asyncio.gather(*(self.invoke(c, self.users[i]) for i, c in enumerate(commands)))
            done += k
            self.forget_messages()
            if done >= first and not after_first:
                after_first = rss_mb([os.getpid(), *worker_pids()])
        end = rss_mb([os.getpid(), *worker_pids()])
        return after_first, end, self.h.bot.cache.bytes / 2**20


async def run(
    latency_rounds: int = 5,
    memory_total: int = 1000,
    repeats: int = 3,
    classic: bool = False,
    throughput_only: bool = False,
) -> dict:
    """Every phase, or only the cold-mix throughput (with `classic`: workers on the old
    render path, so the two can alternate in one bench run)."""
    from bot.jobs import WorkerPool
    from bot.sandbox.harness import running
    from bot.settings import Settings

    if classic:
        os.environ["NONLINEAR_CLASSIC_RENDER"] = "1"  # read by bot.figures.theme in workers
    pool = WorkerPool(WORKERS, timeout=60.0)  # speed, not the limit: a busy machine is slow
    await pool.warm()
    settings = Settings(
        workers=WORKERS, cooldown_rate=10**6, guild_concurrency=10**4, queue_max=10**4
    )
    try:
        async with running(settings, pool=pool) as h:
            b = Bench(h)
            await b.invoke("/xor linear")  # the bot's own first-use costs
            if classic or throughput_only:
                return {
                    "throughput": statistics.median([await b.throughput() for _ in range(repeats)])
                }
            out: dict = {"latency": await b.latency(latency_rounds)}
            heavy = [await b.under_heavy_load() for _ in range(repeats)]
            out["heavy_ack"] = Latency(
                ack=[a for lat, _, _ in heavy for a in lat.ack],
                final=[f for lat, _, _ in heavy for f in lat.final],
                failed=sum(lat.failed for lat, _, _ in heavy),
            )
            out["lag_p99"] = statistics.median(x[1] for x in heavy)
            out["lag_max"] = statistics.median(x[2] for x in heavy)
            out["throughput"] = statistics.median([await b.throughput() for _ in range(repeats)])
            out["memory"] = await b.memory(first=min(50, memory_total), total=memory_total)
    finally:
        pool.close()
    return out


def as_data(out: dict) -> dict:
    """JSON-ready: Latency objects as dicts."""

    def conv(v):
        if isinstance(v, Latency):
            return {"ack": v.ack, "final": v.final, "failed": v.failed}
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, tuple | list):
            return [conv(x) for x in v]
        return v

    return conv(out)


def from_data(d: dict) -> dict:
    def lat(x: dict) -> Latency:
        return Latency(x["ack"], x["final"], x["failed"])

    out = dict(d)
    if "latency" in d:
        out["latency"] = {k: (lat(c), lat(h)) for k, (c, h) in d["latency"].items()}
        out["heavy_ack"] = lat(d["heavy_ack"])
    return out


if __name__ == "__main__":  # run in a fresh process by benchmarks/__main__.py
    import json
    import sys

    args = json.loads(sys.argv[1])
    print(json.dumps(as_data(asyncio.run(run(**args)))))
