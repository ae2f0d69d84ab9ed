"""Layout-cache hit rate and time per figure for 20 new seeds of each kind (one process).

Run from a checkout: `nice -n 10 .venv/bin/python -m benchmarks.layout_hits [N]`.
"""

from __future__ import annotations

import statistics
import sys
import time

from matplotlib.layout_engine import ConstrainedLayoutEngine

from bot.figures import render, theme
from bot.jobs import Job, execute, warm_up

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20
KINDS = [
    ("xor mlp", "xor.mlp", {}),
    ("xor neuron", "xor.neuron", {}),
    ("collapse", "collapse", {}),
    ("activation custom", "activation", {"custom": "tanh(x)+x*{s}/1000"}),
    ("xor mlp hidden:16 epochs:5000", "xor.mlp", {"hidden": 16, "epochs": 5000}),
    (
        "collapse layers:64 width:16 tanh",
        "collapse",
        {"layers": 64, "width": 16, "between": "tanh"},
    ),
    ("xor squash", "xor.squash", {}),
    ("xor neuron sin epochs:5000", "xor.neuron", {"activation": "sin", "epochs": 5000}),
]

calls = {"lay_out": 0, "engine": 0}
lay_ms: list[float] = []
fig_ms: list[float] = []
_execute = ConstrainedLayoutEngine.execute
_lay_out = render.lay_out
_new, _png = theme.new_figure, theme.png_bytes
_started: list[float] = []


def counted_execute(self, fig):
    calls["engine"] += 1
    return _execute(self, fig)


def counted_lay_out(fig):
    calls["lay_out"] += 1
    t = time.process_time()
    try:
        return _lay_out(fig)
    finally:
        lay_ms.append((time.process_time() - t) * 1000)


def timed_new(*a, **k):
    _started.append(time.process_time())
    return _new(*a, **k)


def timed_png(fig):
    out = _png(fig)
    fig_ms.append((time.process_time() - _started.pop()) * 1000)
    return out


ConstrainedLayoutEngine.execute = counted_execute
render.lay_out = counted_lay_out
theme.new_figure, theme.png_bytes = timed_new, timed_png

warm_up()
print(
    f"| kind ({N} new seeds) | layouts | hits | hit rate | median figure CPU ms | median lay_out CPU ms |"
)
print("|---|---:|---:|---:|---:|---:|")
tot = [0, 0]
for label, kind, options in KINDS:
    calls.update(lay_out=0, engine=0)
    lay_ms.clear(), fig_ms.clear()
    for s in range(1, N + 1):
        opts = dict(options)
        if kind == "activation":
            opts["custom"] = opts["custom"].format(s=s)
        else:
            opts["seed"] = 1000 + s
        execute(Job(kind, opts))
    hits = calls["lay_out"] - calls["engine"]
    tot[0] += calls["lay_out"]
    tot[1] += hits
    print(
        f"| {label} | {calls['lay_out']} | {hits} | {hits / calls['lay_out']:.0%} "
        f"| {statistics.median(fig_ms):.1f} | {statistics.median(lay_ms):.1f} |"
    )
print(f"| all | {tot[0]} | {tot[1]} | {tot[1] / tot[0]:.0%} | | |")
