"""Cost of drawing each figure kind, the classic `savefig` path against bot.figures.render.

A figure's cost is the time from `theme.new_figure` to the PNG bytes (the lab's work
before it is not counted). "Classic" is the way figures were made before issue 10:
`savefig` with its constrained layout, and one Text per /collapse cell number. Both paths run interleaved in one process, several rounds,
and every pair of PNGs is compared pixel for pixel: a faster path that drew a different
picture would be a bug, not a speed-up. Wall and CPU time are both kept: on a shared
machine CPU time is the steadier of the two, and the ratio is what to compare.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PIL import Image

from bot.figures import render, theme
from bot.jobs import Job, execute, settle_heap

# (label, kind, options): one figure of every kind, default options
KINDS: list[tuple[str, str, dict]] = [
    ("activation tanh", "activation", {"name": "tanh"}),
    ("xor linear", "xor.linear", {}),
    ("xor squash", "xor.squash", {}),
    ("xor neuron", "xor.neuron", {}),
    ("xor mlp", "xor.mlp", {}),
    ("collapse", "collapse", {}),
    ("explain universal", "explain", {"topic": "universal"}),
    ("approximate", "approximate", {}),
    ("regions", "regions", {}),
    ("xor stats (200 seeds)", "xor.stats", {"seeds": 200}),  # the figure does not grow with seeds
    ("learnable", "learnable", {}),
]
SEEDED = {"xor.squash", "xor.neuron", "xor.mlp", "collapse", "approximate", "regions"}


@dataclass
class Cost:
    wall: list[float]
    cpu: list[float]


@contextmanager
def figure_clock(into: Cost) -> Iterator[None]:
    """Record wall and CPU ms from each theme.new_figure to its png_bytes."""
    new, png = theme.new_figure, theme.png_bytes
    started: list[tuple[float, float]] = []

    def timed_new(*a, **k):
        started.append((time.perf_counter(), time.process_time()))
        return new(*a, **k)

    def timed_png(fig):
        out = png(fig)
        w, c = started.pop()
        into.wall.append((time.perf_counter() - w) * 1000)
        into.cpu.append((time.process_time() - c) * 1000)
        return out

    theme.new_figure, theme.png_bytes = timed_new, timed_png
    try:
        yield
    finally:
        theme.new_figure, theme.png_bytes = new, png


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def figure_costs(rounds: int = 5, seed_offset: int = 0) -> list[dict]:
    """Per kind: median wall/CPU ms of both paths, the ratio, and whether pixels agree.

    With `seed_offset` > 0 every round of a seeded kind uses a new seed (cold layouts
    for figures whose tick labels move with the data); 0 repeats the default request.
    """
    rows = []
    for label, kind, options in KINDS:
        classic, fast = Cost([], []), Cost([], [])
        same = True
        for r in range(rounds):
            opts = dict(options)
            if seed_offset and kind in SEEDED:
                opts["seed"] = seed_offset + r
            pngs = []
            order = ((True, classic), (False, fast))
            for is_classic, into in order if r % 2 == 0 else order[::-1]:
                # which path goes first alternates: the second one finds fonts and
                # matplotlib's shared caches warm
                theme.CLASSIC = is_classic
                try:
                    with figure_clock(into):
                        pngs.append(execute(Job(kind, opts)).image.data)
                finally:
                    theme.CLASSIC = False
            same = same and np.array_equal(_pixels(pngs[0]), _pixels(pngs[1]))
        rows.append(
            {
                "figure": label,
                "classic_ms": statistics.median(classic.wall),
                "fast_ms": statistics.median(fast.wall),
                "classic_cpu": statistics.median(classic.cpu),
                "fast_cpu": statistics.median(fast.cpu),
                "same_pixels": same,
            }
        )
    return rows


def warm() -> None:
    """Fonts, imports and the first renderer, so neither path pays them in the table; then
    the heap settled as a worker's is after its warm-up (bot.jobs.settle_heap)."""
    for _, kind, options in KINDS[:2]:
        for classic in (True, False):
            theme.CLASSIC = classic
            execute(Job(kind, options))
    theme.CLASSIC = False
    render._LAYOUTS.clear()
    settle_heap()


def table(rows: list[dict], title: str) -> str:
    out = [
        f"| {title} | classic ms | new ms | × faster (wall) | classic CPU ms | new CPU ms "
        "| × faster (CPU) | same pixels |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['figure']} | {r['classic_ms']:.0f} | {r['fast_ms']:.0f} "
            f"| {r['classic_ms'] / r['fast_ms']:.2f} | {r['classic_cpu']:.0f} "
            f"| {r['fast_cpu']:.0f} | {r['classic_cpu'] / r['fast_cpu']:.2f} "
            f"| {'yes' if r['same_pixels'] else 'NO'} |"
        )
    return "\n".join(out)


def main(rounds: int = 5) -> None:
    warm()
    print(table(figure_costs(rounds), "figure (repeated request)"))
    print()
    print(table(figure_costs(rounds, seed_offset=100), "figure (new seed each time)"))


if __name__ == "__main__":
    main()
