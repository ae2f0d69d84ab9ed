"""Should we learn the activation? A learnable kind against itself frozen, over many seeds.

The fixed counterpart is the same kind with θ frozen at its initial value (a leaky ReLU
with slope ¼, SiLU, sin, sin, the identity; for kan every edge's knots at 0, so every edge
is linear and so is the network): the same init, the same seeds, the same
budget, so the only difference is whether θ learns. On XOR the measure is the success
rate (all four right by at least 1e-9) with its binomial standard error; on a 1-D
regression it is the final mean squared error, compared seed by seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab import check_batch, largest
from bot.lab.batch import init_weights
from bot.lab.expr import parse, value
from bot.lab.kan import KAN_GRID, edge_features, input_knots
from bot.lab.learnable import KINDS, theta0, theta_count, train_learnable
from bot.lab.neuron import check_training_args
from bot.lab.xor import X, Y

TASKS = ("xor", "sin", "abs", "step")  # the menu; and "custom": y = a formula in x (bot.lab.expr)
# lr when none is given: 1 on XOR (BCE); 0.1 on the regressions, whose squared error at lr 1
# bounces (prelu on sin ended at median MSE 1.96, worse than predicting 0) or diverges (kan)
DEFAULT_LR = {"xor": 1.0, "sin": 0.1, "abs": 0.1, "step": 0.1, "custom": 0.1}
GRID = np.linspace(-2.0, 2.0, 24)  # the regression inputs
TARGET_MAX = 100.0  # a custom target must stay within ±TARGET_MAX on GRID
# A target whose variance on GRID is below this is a constant: the mean of 24 values within
# ±TARGET_MAX is off by at most 24·100·2.2e-16 ≈ 5e-13, a variance of ~3e-25 from rounding.
CONSTANT_MSE = 1e-20
SHAPE_Z = np.linspace(-3.0, 3.0, 121)  # where learned shapes are drawn
MAX_SEEDS = 1000
# Seconds of CPU per unit of the work measure below, prelu = 1: each kind's card at 16 units
# and 1000 seeds on xor and on sin, the slower task (sine_phase trains a third run, the
# doubled bias). BUDGET is in prelu units: every largest allowed card (16 units, 1000
# seeds, any task) took 2-5.4 s of CPU on the quiet 2-core machine, inside the 10 s job
# limit (it was 5e8 unweighted: sine_phase took 25 s at a load of 3); every kind's default
# run fits on every task (fourier on a regression task is the dearest, 2.07e8).
KIND_COST = {
    "prelu": 1.0,
    "swish": 1.35,
    "sine_phase": 2.1,
    "fourier": 1.35,
    "rational": 0.65,
    "kan": 0.75,
}
BUDGET = 2.1e8  # KIND_COST · 2 · N · (H·(P + 1) + 2) · seeds · epochs (learned and frozen)
# P: θ per hidden unit. Like the inputs themselves, kan's input-edge knots (extra rows of
# W1's product) are not counted: its largest cards measured in line with the others.


def task_data(task, formula=None):
    """(X, Y, loss) for a task name: XOR with BCE, or y = target(x) on GRID with MSE; for
    task "custom" the target is `formula`, a parsed formula in x (bot.lab.expr's tree)."""
    if task == "xor":
        return X, Y, "bce"
    x = GRID
    if task == "custom":
        with np.errstate(all="ignore"):  # where it is undefined, check_options refused it
            y = np.broadcast_to(np.asarray(value(formula, x), dtype=float), x.shape).copy()
    else:
        y = {"sin": np.sin(2 * x), "abs": np.abs(x) - 1, "step": np.where(x > 0, 1.0, 0.0)}[task]
    return x[:, None], y, "mse"


def compare(kind, task, hidden, seeds, epochs, lr, init, seed=0, formula=None):
    """Train the learnable kind and its frozen twin on seeds seed … seed + seeds − 1."""
    Xd, Yd, loss = task_data(task, formula)
    batch = range(seed, seed + seeds)
    runs = {}
    for name, lr_theta in (("learned", None), ("frozen", 0.0)):
        runs[name] = train_learnable(kind, Xd, Yd, loss, hidden, batch, epochs, lr, init, lr_theta)
    if kind == "sine_phase":  # the phase is a bias: plain sine with the bias step doubled
        runs["doubled"] = train_learnable(
            kind, Xd, Yd, loss, hidden, batch, epochs, lr, init, 0.0, 2.0
        )
    return runs


def learnable_numbers(kind, task, hidden, seeds, epochs, lr, init, seed=0, formula=None):
    """The numbers the /learnable card shows, from `compare`."""
    runs = compare(kind, task, hidden, seeds, epochs, lr, init, seed, formula)
    return summarise(runs, kind, task, hidden, seeds, formula)


def summarise(runs, kind, task, hidden, seeds, formula=None):
    values = {}
    Xd, Yd, loss = task_data(task, formula)
    for name in ("learned", "frozen"):
        run = runs[name]
        diverged = run["diverged_at"] >= 0
        values[f"{name} diverged"] = int(np.sum(diverged))
        if loss == "bce":
            p = run["out"]
            right = np.where(Yd[:, None] > 0.5, p - 0.5 >= 1e-9, 0.5 - p >= 1e-9)
            wins = int(np.sum(np.logical_and.reduce(right, axis=0)))
            rate = wins / seeds
            values[f"{name} solved"] = wins
            values[f"{name} rate"] = rate
            values[f"{name} se"] = np.sqrt(rate * (1 - rate) / seeds)
        else:
            mse = run["losses"][-1][~diverged]  # a diverged run has no error to report
            values[f"{name} median mse"] = float(np.median(mse)) if len(mse) else "all diverged"
    if loss == "mse":
        a, b = runs["learned"]["losses"][-1], runs["frozen"]["losses"][-1]
        values["learned better"], values["frozen better"] = better_counts(a, b)
        values["both diverged"] = int(np.sum(~np.isfinite(a) & ~np.isfinite(b)))
        values["best constant mse"] = float(np.mean((Yd - np.mean(Yd)) ** 2))  # predict the mean
        # the same init and θ on both sides: one start per seed
        values["median start mse"] = float(np.median(runs["learned"]["losses"][0]))
    d = Xd.shape[1]
    values["weights"] = d * hidden + 2 * hidden + 1
    values["theta"] = theta_count(kind, d, hidden)
    if kind == "kan":  # the knots on the d·H input edges and on the H hidden → output edges
        values["input edge knots"] = KAN_GRID * d * hidden
        values["hidden edge knots"] = KAN_GRID * hidden
    if "doubled" in runs:
        values["phase vs doubled bias max diff"] = np.max(
            np.abs(runs["learned"]["out"] - runs["doubled"]["out"])
        )
    return values


TIE_RTOL = 1e-6  # final errors this close are the same result reached two ways, not a win


def better_counts(a, b):
    """(seeds where a is lower, seeds where b is lower) for final errors a, b (S,): lower by
    more than TIE_RTOL of the larger (runs that reach the same minimum differ by rounding
    only, e.g. 1e-16 of it), and a finite error beats a diverged run (NaN or inf)."""
    with np.errstate(invalid="ignore"):
        gap = TIE_RTOL * np.maximum(np.abs(a), np.abs(b))
        a_wins = np.isfinite(a) & (~np.isfinite(b) | (a < b - gap))
        b_wins = np.isfinite(b) & (~np.isfinite(a) | (b < a - gap))
    return int(np.sum(a_wins)), int(np.sum(b_wins))


# -- bounds and the facts the figure and verdict read ----------------------------------


def check_options(
    kind: str,
    task: str,
    hidden: int,
    seeds: int,
    epochs: int,
    lr: float,
    init: str,
    seed: int = 0,
    custom: str | None = None,
):
    """Server-side bounds (the slash command declares the same); returns the parsed custom
    target, or None for a named task."""
    if kind not in KINDS:
        raise UserError(f"kind must be one of {', '.join(KINDS)} (got {kind[:30]!r}).")
    if task not in (*TASKS, "custom"):
        raise UserError(f"task must be one of {', '.join(TASKS)}, custom (got {task[:30]!r}).")
    if not 1 <= hidden <= 16:
        raise UserError(f"hidden must be between 1 and 16 (got {hidden}).")
    if not 10 <= seeds <= MAX_SEEDS:
        raise UserError(f"seeds must be between 10 and {MAX_SEEDS} (got {seeds}).")
    check_training_args(epochs, lr, seed)
    check_batch(seed, seeds)
    if init not in ("normal", "glorot", "he"):
        raise UserError(f"init must be normal, glorot or he (got {init[:20]!r}).")
    if not fits(kind, task, hidden, seeds, epochs):
        raise UserError(over_budget(kind, task, hidden, seeds, epochs))
    return custom_target(task, custom)


def custom_target(task: str, custom: str | None):
    """The parsed formula of task:custom (None for a named task), refused where it is
    undefined, infinite or beyond ±TARGET_MAX at a regression input."""
    if task != "custom":
        if custom:
            raise UserError("a formula is a regression target: use it with task:custom.")
        return None
    if not custom:
        raise UserError("task:custom needs a formula in x, e.g. custom:x*sin(3*x).")
    tree = parse(custom).tree
    y = task_data("custom", tree)[1]
    bad = ~np.isfinite(y)
    if bad.any():
        raise UserError(
            f"{custom} is undefined or infinite at x = {GRID[bad][0]:.4g}; the target must be "
            "a number at all 24 inputs, evenly spaced on [−2, 2]."
        )
    if np.max(np.abs(y)) > TARGET_MAX:
        raise UserError(
            f"{custom} reaches {np.max(np.abs(y)):.4g} on [−2, 2]; keep the target within "
            f"±{TARGET_MAX:g} (scale it down)."
        )
    return tree


def fits(kind: str, task: str, hidden: int, seeds: int, epochs: int) -> bool:
    """Whether the training fits the budget (the rule `check_options` applies)."""
    P, N = len(theta0(kind, 1, 1)), len(Y) if task == "xor" else len(GRID)
    per_epoch = KIND_COST[kind] * 2 * N * (hidden * (P + 1) + 2) * seeds
    return per_epoch * epochs <= BUDGET


def over_budget(kind: str, task: str, hidden: int, seeds: int, epochs: int) -> str:
    """The refusal: the most epochs that fit at these seeds and the most seeds that fit at
    these epochs, each found with `fits` itself (that many fit, one more does not)."""
    most_epochs = largest(lambda e: fits(kind, task, hidden, seeds, e), 1, epochs - 1)
    most_seeds = largest(lambda s: fits(kind, task, hidden, s, epochs), 10, seeds - 1)
    seeds_part = (
        f", and {epochs} epochs allow at most {most_seeds} seeds (got {seeds})"
        if most_seeds >= 10
        else f"; at {epochs} epochs even the fewest seeds (10) are too many"
    )
    return (
        f"that is too much training for one reply: {kind} with {hidden} hidden units and "
        f"{seeds} seeds on {'a custom target' if task == 'custom' else task} allows at most "
        f"{most_epochs} epochs (got {epochs})"
        f"{seeds_part}. Use fewer epochs, seeds or units."
    )


@dataclass(frozen=True)
class Verdict:
    """learned vs frozen: 'helps', 'hurts' or 'same' (beyond 2 SE, or a sign test beyond 2 SD),
    'neither' on a regression that neither side learned (see neither_learned),
    'mixed' on a regression whose sign test and medians disagree (learned lower in more seeds
    but with the higher median final MSE, or the reverse),
    'absorbed' for the phase (a bias in disguise), 'diverged' when every run of both diverged,
    'learned diverged' / 'frozen diverged' when every run of one side did (no comparison);
    and whether learning destabilised training (more learned runs diverged)."""

    outcome: str
    destabilised: bool
    frozen_cannot: str | None = None  # why the frozen twin cannot solve XOR: see frozen_cannot


def frozen_cannot(kind: str, task: str, hidden: int) -> str | None:
    """Why the frozen twin cannot solve XOR at any seed, or None if it can.

    'linear': rational frozen is the identity and kan frozen has every edge linear, so the
    network is σ(affine map of x): one line, at most 3 of XOR's 4 points.
    'monotone': one leaky-ReLU unit (prelu frozen at slope ¼) is monotone, so
    σ(v·f(w·x + b) + c) > ½ holds on a half-line of w·x + b, a half-plane of x: one line again.
    SiLU and sin are not monotone: one such unit can solve XOR.
    """
    if task != "xor":
        return None
    if kind in ("rational", "kan"):
        return "linear"
    if kind == "prelu" and hidden == 1:
        return "monotone"
    return None


@dataclass(frozen=True)
class Comparison:
    kind: str
    task: str
    hidden: int
    seeds: int
    epochs: int
    lr: float
    init: str
    values: dict
    shapes: tuple[np.ndarray, np.ndarray, np.ndarray]  # z (Z,), initial f (Z,), learned f (k, Z)
    shown: tuple[int, ...]  # the seeds whose learned shapes are drawn: the first 6 finite ones
    verdict: Verdict
    seed: int = 0  # the batch is seeds seed … seed + seeds − 1
    custom: str = ""  # task:custom's formula as typed, "" for a named task
    # kan: the input edge x₁ → unit 1, φ(x) = W1·x + g(x) over its knots' range, per shown
    # seed: x (X,), initial φ (k, X) (W1 as drawn, g = 0), learned φ (k, X); else None
    input_edge: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


def learnable_comparison(
    kind: str,
    task: str,
    hidden: int,
    seeds: int,
    epochs: int,
    lr: float,
    init: str,
    seed: int = 0,
    custom: str | None = None,
) -> Comparison:
    from bot.lab.learnable import unit

    tree = check_options(kind, task, hidden, seeds, epochs, lr, init, seed, custom)
    runs = compare(kind, task, hidden, seeds, epochs, lr, init, seed, tree)
    v = summarise(runs, kind, task, hidden, seeds, tree)
    Xd = task_data(task, tree)[0]
    z = SHAPE_Z[:, None, None]  # (Z, 1, 1)
    th0 = theta0(kind, 1, 1)
    start = unit(kind, z, th0)[0][:, 0, 0]
    shown = [int(s) for s in np.flatnonzero(runs["learned"]["diverged_at"] < 0)[:6]]
    learned = np.array(
        [unit(kind, z, runs["learned"]["theta"][:, :1, s : s + 1])[0][:, 0, 0] for s in shown]
    ).reshape(len(shown), len(SHAPE_Z))
    edge = _input_edge(runs["learned"], Xd, hidden, init, seed, shown) if kind == "kan" else None
    return Comparison(
        kind=kind,
        task=task,
        hidden=hidden,
        seeds=seeds,
        epochs=epochs,
        lr=float(lr),
        init=init,
        values=v,
        shapes=(SHAPE_Z, start, learned),
        shown=tuple(seed + s for s in shown),
        verdict=_verdict(kind, task, v, seeds, hidden),
        seed=seed,
        custom=custom or "",
        input_edge=edge,
    )


def _input_edge(run, Xd, hidden, init, seed, shown):
    """φ(x) = W1·x + g(x) of the edge from input 1 to hidden unit 1, at the start and learned."""
    knots = input_knots(Xd)  # (d, 7)
    x = np.linspace(knots[0, 0], knots[0, -1], 121)
    B = edge_features(x[:, None], knots[:1])  # (X, 7)
    drawn = [init_weights(Xd.shape[1], hidden, seed + s, init)[0][0, 0] for s in shown]  # W1₁₁
    start = np.array([w * x for w in drawn]).reshape(len(shown), len(x))
    learned = np.array(
        [run["W1"][0, 0, s] * x + B @ run["theta_in"][0, :, 0, s] for s in shown]
    ).reshape(len(shown), len(x))
    return x, start, learned


# The phase and the doubled bias step are the same training in exact arithmetic; in floats
# they round differently (~1e-16 a step). At lr 1 that stays ~1e-16 (XOR, 1000 epochs); at
# lr 3 or 10 training amplifies any such nudge (a 1e-15 change to the start as much), so
# the final outputs differ by up to ~1e-3 while each side reaches the same solutions.
PHASE_ROUNDING = 1e-9


def phase_amplified(v: dict) -> bool:
    """Whether the phase-vs-doubled-bias difference is beyond rounding: training amplified it."""
    return bool(v["phase vs doubled bias max diff"] > PHASE_ROUNDING)


def neither_learned(v: dict, seeds: int) -> bool:
    """A regression where most runs of both sides diverged, or where both sides' median
    final MSE is no better than predicting the target's mean: no comparison to make."""
    most = 2 * v["learned diverged"] > seeds and 2 * v["frozen diverged"] > seeds
    return most or no_better_than_constant(v)


def no_better_than_constant(v: dict) -> bool:
    """Both sides' median final MSE (finite runs) is at least the best constant's. Never for
    a constant target: predicting its mean is exact, so every run is 'no better' and the
    test says nothing (custom:1 ended at medians 7e-6 and 2e-6: both learned it)."""
    if v["best constant mse"] <= CONSTANT_MSE:
        return False
    medians = (v["learned median mse"], v["frozen median mse"])
    return all(isinstance(m, float) and m >= v["best constant mse"] for m in medians)


def fell_from_start(v: dict) -> bool:
    """Both sides' median final MSE (finite runs) is below the median MSE at the start: the
    runs descended, so a large lr is not why they ended no better than the mean (a tiny
    target such as 0.001·sin(3x) is still being approached from an error of ~0.24)."""
    medians = (v["learned median mse"], v["frozen median mse"])
    return all(isinstance(m, float) and m < v["median start mse"] for m in medians)


def _verdict(kind: str, task: str, v: dict, seeds: int, hidden: int) -> Verdict:
    destabilised = v["learned diverged"] > v["frozen diverged"]
    cannot = frozen_cannot(kind, task, hidden)
    if v["learned diverged"] == v["frozen diverged"] == seeds:
        return Verdict("diverged", destabilised)
    if v["learned diverged"] == seeds:  # nothing learned to compare: that is the finding
        return Verdict("learned diverged", True)
    if v["frozen diverged"] == seeds:
        return Verdict("frozen diverged", False)
    if kind == "sine_phase":
        return Verdict("absorbed", destabilised)
    if task != "xor" and neither_learned(v, seeds):
        return Verdict("neither", destabilised)
    if task == "xor":
        delta = v["learned rate"] - v["frozen rate"]
        gap = 2 * float(np.hypot(v["learned se"], v["frozen se"]))
    else:  # sign test over the untied seeds: with no difference, Binomial(n, ½)
        n = v["learned better"] + v["frozen better"]
        delta = v["learned better"] - n / 2
        gap = 2 * np.sqrt(n) / 2
    outcome = "helps" if delta > gap else "hurts" if -delta > gap else "same"
    if task != "xor":  # the seed-by-seed count and the typical error must agree
        learned, frozen = v["learned median mse"], v["frozen median mse"]
        if (outcome == "helps" and learned > frozen) or (outcome == "hurts" and learned < frozen):
            outcome = "mixed"
    return Verdict(outcome, destabilised, cannot)
