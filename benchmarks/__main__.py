"""Time the pieces a reply is made of, and whole replies through the sandbox.

Prints the median and spread of several runs for each case; the machine is shared
and noisy, so compare medians, and compare ratios between runs rather than absolutes.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable

from benchmarks import batch
from bot.cards.activation import activation_card
from bot.cards.approximate import approximate_card
from bot.cards.collapse import collapse_card
from bot.cards.explain import explain_card
from bot.cards.regions import regions_card
from bot.cards.train import train_card
from bot.cards.xor import linear_card, mlp_card, squash_card
from bot.lab.activations import REGISTRY
from bot.lab.collapse import collapse
from bot.lab.mlp import train_mlp

REPEATS = 7


def timed(fn: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    print(
        f"{name:<44} median {statistics.median(ms):8.1f} ms   min {min(ms):8.1f}   max {max(ms):8.1f}"
    )


CASES: dict[str, Callable[[], object]] = {
    "lab: 2-2-1 tanh, 2000 epochs": lambda: train_mlp(REGISTRY["tanh"], 2, 0, 2000, 1.0),
    "lab: 2-16-1 relu, 5000 epochs (max)": lambda: train_mlp(REGISTRY["relu"], 16, 0, 5000, 1.0),
    "lab: collapse 64×16, tanh (max)": lambda: collapse(64, 16, None, True, "tanh", 0),
    "card: /xor linear": linear_card,
    "card: /xor squash": squash_card,
    "card: /xor mlp (defaults)": mlp_card,
    "card: /collapse (defaults)": collapse_card,
    "card: /activation tanh": lambda: activation_card("tanh"),
    "card: /explain universal": lambda: explain_card("universal"),
    "card: /approximate (defaults)": approximate_card,
    "card: /approximate units:256 random (max)": lambda: approximate_card(
        "custom", 256, "sigmoid", "random", "5", 0, "x*sin(3*x)"
    ),
    "card: /approximate method:training units:256 (max)": lambda: approximate_card(
        "sin", 256, "relu", "training"
    ),
    "card: /regions (defaults)": regions_card,
    "card: /regions 64×6 spiral (max)": lambda: regions_card(64, 6, 0, "spiral"),
    "card: /train (defaults, 40-frame GIF)": train_card,
    "card: /train compare 16 hidden 2000 epochs (max)": lambda: train_card(
        "spiral", hidden=16, epochs=2000, compare=True
    ),
}


async def end_to_end() -> None:
    from bot.jobs import WorkerPool
    from bot.sandbox.harness import running
    from bot.settings import Settings

    pool = WorkerPool(2)
    await pool.warm()
    async with running(Settings(workers=2), pool=pool) as h:
        for command in ("/xor linear", "/xor mlp", "/collapse 5", "/activation tanh"):
            finals = []
            for _ in range(REPEATS):
                reply = await h.driver.invoke(command)
                finals.append(reply.record.final_ms or float("nan"))
            report(f"sandbox reply: {command}", finals)
        for command in ("/xor mlp", "/collapse 5"):
            reply = await h.driver.invoke(command)
            finals = []
            for _ in range(REPEATS):
                code = await h.driver.click(reply, "Show code")
                finals.append(code.record.final_ms or float("nan"))
            report(f"sandbox click: Show code on {command}", finals)
    pool.close()


def main() -> None:
    for name, fn in CASES.items():
        fn()  # warm caches (fonts, imports)
        report(name, timed(fn))
    asyncio.run(end_to_end())
    batch.main()  # batched training against PyTorch / scikit-learn, and /xor stats


if __name__ == "__main__":
    main()
