"""`make bench`: what a reply costs, piece by piece and whole, under load.

    python -m benchmarks            everything, printed (a few minutes on 2 cores)
    python -m benchmarks --write    ... and the table written to benchmarks/RESULTS.md
    python -m benchmarks --quick    fewer rounds, 200 commands for memory (a smoke run)

Sections: figure cost per kind, the classic `savefig` path and bot.figures.render side by
side in one run (pixels compared); replies through the sandbox (latency cold and cached,
acks and loop lag under 20 heavy commands, throughput of a cold mix, memory); reading a
message for "Settle this", worst cases included; the lab pieces; batched training. The
machine is shared and noisy: every number is a median of several runs, and the load
average is printed with it; compare ratios within one run.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import baseline, batch, claims, figures, load
from bot.cards.approximate import approximate_card
from bot.cards.collapse import collapse_card
from bot.cards.learnable import learnable_card
from bot.cards.regions import regions_card
from bot.cards.stats import stats_card
from bot.cards.train import train_card
from bot.lab import stats
from bot.lab.activations import REGISTRY
from bot.lab.collapse import collapse
from bot.lab.mlp import train_mlp

REPEATS = 7
RESULTS = Path(__file__).with_name("RESULTS.md")


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


LAB: dict[str, Callable[[], object]] = {
    "lab: 2-2-1 tanh, 2000 epochs": lambda: train_mlp(REGISTRY["tanh"], 2, 0, 2000, 1.0),
    "lab: 2-16-1 relu, 5000 epochs (max)": lambda: train_mlp(REGISTRY["relu"], 16, 0, 5000, 1.0),
    "lab: collapse 64×16, tanh (max)": lambda: collapse(64, 16, None, True, "tanh", 0),
    "card: /collapse 64×16 tanh (max)": lambda: collapse_card(64, 16, None, True, "tanh", 0),
    "card: /approximate units:256 random (max)": lambda: approximate_card(
        "custom", 256, "sigmoid", "random", "5", 0, "x*sin(3*x)"
    ),
    "card: /approximate method:training units:256 (max)": lambda: approximate_card(
        "sin", 256, "relu", "training"
    ),
    "card: /regions 64×6 spiral (max)": lambda: regions_card(64, 6, 0, "spiral"),
    "card: /train (defaults, 40-frame GIF)": train_card,
    "card: /xor stats gelu, 16 units, 2000 seeds (max epochs)": lambda: stats_card(
        "16", "gelu", 2000, int(stats.BUDGET // (stats.COST["gelu"] * 18 * 1.5 * 2000))
    ),
    "card: /learnable sine_phase sin, 16 units, 1000 seeds (max)": lambda: learnable_card(
        "sine_phase", "sin", 16, 1000, 58
    ),
    "card: /train compare 16 hidden 2000 epochs (max)": lambda: train_card(
        "spiral", hidden=16, epochs=2000, compare=True
    ),
}


REPO = Path(__file__).resolve().parent.parent


def in_fresh_process(**kwargs) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", json.dumps(kwargs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return load.from_data(json.loads(out.stdout.strip().splitlines()[-1]))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def results_table(fig_rows: list[dict], cold_rows: list[dict], e2e: dict) -> str:
    lines = [
        "| measure | value |",
        "|---|---|",
    ]
    for label, (cold, cached) in e2e["latency"].items():
        lines.append(
            f"| {label}: ack p50 / p95, final p50 / p95, cold (ms) | {cold.cells().replace('|', '·')} |"
        )
        lines.append(
            f"| {label}: ack p50 / p95, final p50 / p95, cached (ms) "
            f"| {cached.cells().replace('|', '·')} |"
        )
    heavy = e2e["heavy_ack"]
    lines += [
        f"| 20 heavy commands at once: ack p50 / p95, final p50 / p95 (ms) "
        f"| {heavy.cells().replace('|', '·')} ({heavy.failed} failed) |",
        f"| event-loop lag while they run: p99 / max (ms) "
        f"| {e2e['lag_p99']:.1f} / {e2e['lag_max']:.1f} |",
        f"| throughput, cold mix ({load.USERS} users × 3 rounds, WORKERS={load.WORKERS}): "
        "new render / classic render, alternating in the same run "
        f"| {e2e['throughput']:.2f} / {e2e['classic_throughput']:.2f} replies/s "
        f"({e2e['throughput'] / e2e['classic_throughput']:.2f}×) |",
    ]
    if e2e["baseline"]:
        now, base = e2e["baseline"]
        lines.append(
            f"| throughput, now / at issue 10's baseline (commit {baseline.BASELINE}; each in its "
            "own sandbox, alternating): the cold mix without /regions, which it lacked "
            f"| {now:.2f} / {base:.2f} replies/s ({now / base:.2f}×) |"
        )
    first, end, cache = e2e["memory"]
    n = e2e["memory_total"]
    lines.append(
        f"| RSS bot + workers after 50 / {n} mixed commands (MB) "
        f"| {first:.0f} / {end:.0f} ({(end / first - 1) * 100:+.0f} %); "
        f"card cache holds {cache:.1f} MB of it (bounded by CACHE_MB) |"
    )
    for r, c in zip(fig_rows, cold_rows, strict=True):
        lines.append(
            f"| figure {r['figure']}: classic → new, ms (× faster); new seed each time "
            f"| {r['classic_ms']:.0f} → {r['fast_ms']:.0f} ({r['classic_ms'] / r['fast_ms']:.1f}×); "
            f"{c['classic_ms']:.0f} → {c['fast_ms']:.0f} ({c['classic_ms'] / c['fast_ms']:.1f}×)"
            f"{'' if r['same_pixels'] and c['same_pixels'] else ' PIXELS DIFFER'} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    rounds = 3 if quick else 5
    print(f"machine: {machine()}\nload average at start: {load_avg()}\n")

    print("## figure cost per kind: classic savefig vs bot.figures.render (median ms)\n")
    figures.warm()
    fig_rows = figures.figure_costs(rounds)
    print(figures.table(fig_rows, "figure (repeated request)"), "\n")
    cold_rows = figures.figure_costs(rounds, seed_offset=100)
    print(figures.table(cold_rows, "figure (new seed each time)"), "\n")

    print(f"## replies through the sandbox (load average {load_avg()})\n")
    memory_total = 200 if quick else 1000
    repeats = 2 if quick else 3
    e2e = in_fresh_process(
        latency_rounds=rounds, memory_total=memory_total, repeats=repeats
    )  # its own process: the memory measured is the bot's and its workers', nothing else
    e2e["memory_total"] = memory_total
    # throughput again, new and classic render alternating (the machine's load drifts)
    new, classic = [], []
    for _ in range(repeats):
        new.append(in_fresh_process(repeats=1, throughput_only=True)["throughput"])
        classic.append(in_fresh_process(repeats=1, classic=True)["throughput"])
    e2e["throughput"] = statistics.median(new)
    e2e["classic_throughput"] = statistics.median(classic)
    # and against the code of the day issue 10 was filed, on the workload both can run
    e2e["baseline"] = None
    try:
        code = baseline.unpack()
    except subprocess.CalledProcessError:  # a shallow clone, or not a git checkout
        print(f"commit {baseline.BASELINE} is not in this clone: no baseline throughput")
    else:
        base, now = [], []
        try:
            for i in range(repeats):
                base.append(baseline.measure(code, 10_000 + 1000 * i))
                now.append(baseline.measure(REPO, 20_000 + 1000 * i))
        finally:
            shutil.rmtree(code, ignore_errors=True)
        e2e["baseline"] = (statistics.median(now), statistics.median(base))
    table = results_table(fig_rows, cold_rows, e2e)
    print(table, "\n")

    table += "\n" + "\n".join(claims.main(3 if quick else claims.ROUNDS))

    if not quick:
        print("## lab and maximal cards (median ms, in this process)\n")
        for name, fn in LAB.items():
            fn()
            report(name, timed(fn, 3))
        batch.main()

    end_load = load_avg()
    print(f"\nload average at the end: {end_load}")
    if "--write" in argv:
        RESULTS.write_text(
            "# Benchmarks\n\n"
            f"Machine: {machine()}. Load average while it ran: {end_load} (shared by "
            "several people: absolute numbers are noisy, ratios within one run are not).\n"
            "Regenerate with `make bench` (`python -m benchmarks --write`). Medians of "
            f"{rounds} runs per figure; percentiles over every reply of a phase; loop lag "
            "and throughput are medians of 3 runs. Classic = figures made as before issue "
            "10 (`savefig` with constrained layout, one Text per /collapse cell number); "
            "new = bot.figures.render (same pixels, compared in the run).\n\n" + table + "\n"
        )
        print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
