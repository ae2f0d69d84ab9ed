"""How often does a 2-H-1 network learn XOR? Many seeds at once, and why the rest fail.

For each activation and hidden size, S seeds (s₀ … s₀ + S − 1, s₀ the base seed, 0 unless
chosen) are trained together by the
batched trainer. A seed succeeds when all four outputs are on the right side of ½ by at
least 1e-9 (an output within 1e-9 of ½ is undecided, not right). The success rate p̂ over
S independent seeds has binomial standard error √(p̂(1 − p̂)/S).

A failure is classified from its final state, first rule that applies:
  diverged  the loss became NaN or ±inf (no result to report);
  dead      some hidden unit has f'(z1) = 0 on all four inputs (a dead ReLU): no gradient
            reaches its weights, so it can never move again;
  plateau   the whole gradient is tiny (‖∇L‖ < 1e-3): stuck on a flat region;
  moving    none of these: still descending when the budget ran out.
Hamey (1998) and Sprinkhuizen-Kuyper & Boers (1999) showed the 2-2-1 XOR error surface
has no strict local minima: the failures are plateaus and saddle regions, not XOR being
hard, which is why more hidden units (more ways out) make success nearly certain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab.activations import REGISTRY, lookup
from bot.lab.batch import INITS, slope, train_batch
from bot.lab.neuron import check_training_args
from bot.lab.xor import X, Y

UNDECIDED = 1e-9  # |p − ½| below this is no decision
PLATEAU = 1e-3  # a gradient norm below this counts as a plateau
CAUSES = ("dead", "plateau", "diverged", "moving")


def checkpoints_for(epochs):
    """A few epochs to report: a tenth, a quarter, half and all of the budget (≥ 1 each)."""
    return tuple(sorted({max(1, round(epochs * q)) for q in (0.1, 0.25, 0.5, 1.0)}))


def solved(p):
    """(…, S) True where all four outputs p (…, 4, S) are right and decided."""
    right = np.where(Y[:, None] > 0.5, p - 0.5 >= UNDECIDED, 0.5 - p >= UNDECIDED)
    return np.logical_and.reduce(right, axis=-2)


def xor_stats_numbers(f, df, name, hidden, seeds, epochs, lr, init, seed=0):
    """Success counts at the checkpoints and the causes of the final failures, for each
    hidden size in `hidden` (a tuple), over seeds seed … seed + seeds − 1."""
    marks = checkpoints_for(epochs)
    values = {}
    for H in hidden:
        batch = range(seed, seed + seeds)
        run = train_batch(f, df, X, Y, "bce", H, batch, epochs, lr, init, marks)
        key = f"{name} H={H}"
        for t, p in zip(marks, run["checkpoints"], strict=True):
            wins = int(np.sum(solved(p)))
            rate = wins / seeds
            values[f"{key} @{t} solved"] = wins
            values[f"{key} @{t} rate"] = rate
            values[f"{key} @{t} se"] = np.sqrt(rate * (1 - rate) / seeds)
        causes = failure_causes(df, run["z1"], f(run["z1"]), run["grad_norm"], run["diverged_at"])
        failed = ~solved(run["out"])
        values[f"{key} failed"] = int(np.sum(failed))
        for cause, mask in zip(CAUSES, causes, strict=True):
            values[f"{key} {cause}"] = int(np.sum(failed & mask))
    return values


def failure_causes(df, z1, h, grad_norm, diverged_at):
    """Masks (S,) for dead, plateau, diverged, moving: exactly one is True per seed.

    z1, h (N, H, S) are the final pre-activations and activations."""
    diverged = diverged_at >= 0
    flat = np.logical_and.reduce(slope(df, z1, h) == 0, axis=0)  # (H, S): f' = 0 on every input
    dead = np.logical_or.reduce(flat, axis=0) & ~diverged
    plateau = (grad_norm < PLATEAU) & ~dead & ~diverged
    return dead, plateau, diverged, ~dead & ~plateau & ~diverged


# -- options, bounds and the result the figure and card read ---------------------------

MAX_SIZES, MAX_ACTIVATIONS, MAX_SETTINGS, MAX_SEEDS, MAX_EPOCHS = 6, 4, 12, 2000, 5000
# What one unit-seed-epoch of training costs, tanh = 1: first measured with train_batch on
# XOR (2 units × 1000 seeds and 16 units × 2000 seeds, the larger ratio), then raised where
# the largest allowed card (16 units, 2000 seeds) took over 5 s of CPU on the quiet 2-core
# machine: some units cost more per epoch late in training than early, so short timings
# flatter them. Exact GELU calls math.erf point by point. Large batches cost more per unit
# as their arrays outgrow the caches: a setting of H units and S seeds counts
# (1 + H·S/64000) times (16 units × 2000 seeds: 1.5×, measured). Every largest allowed
# card now takes 1.5-5 s (tanh 5.0; sin and gaussian took 6.5 before their raise).
COST = {
    "abs": 0.9, "hardtanh": 0.9, "relu": 0.9, "tanh": 1.0, "linear_squash": 1.25,
    "identity": 1.4, "leaky_relu": 1.6, "sin": 2.3, "sign": 1.7, "softsign": 1.75,
    "step": 1.8, "gaussian": 3.0, "sigmoid": 3.2, "selu": 3.9, "elu": 4.0, "softplus": 5.6,
    "silu": 8.5, "mish": 14.0, "gelu_tanh": 14.0, "gelu": 45.0,
}  # fmt: skip
CACHE_UNITS = 64000
# BUDGET is in tanh unit-seed-epochs; the default run (3.9 s) fits, and the 10 s job limit
# leaves room for a loaded machine.
BUDGET = 8.5e7  # Σ over settings of COST · (H + 2) · (1 + H·seeds/CACHE_UNITS) · seeds · epochs


def _items(text: str, what: str, most: int) -> list[str]:
    parts = [p for p in text.replace(";", ",").replace("+", ",").replace(" ", ",").split(",") if p]
    if not parts:
        raise UserError(f"give at least one {what}, e.g. 2,4,8.")
    if len(parts) > most:
        raise UserError(f"at most {most} {what}s at once (got {len(parts)}).")
    return list(dict.fromkeys(parts))  # in the order given, each once


def parse_sizes(text: str) -> tuple[int, ...]:
    """'2,3,4,8' → (2, 3, 4, 8); each between 1 and 16."""
    sizes = []
    for part in _items(str(text), "hidden size", MAX_SIZES):
        if not part.isdigit() or not 1 <= int(part) <= 16:
            raise UserError(f"hidden sizes are whole numbers from 1 to 16 (got {part[:20]!r}).")
        sizes.append(int(part))
    return tuple(dict.fromkeys(sizes))


def parse_activations(text: str) -> tuple[str, ...]:
    """'tanh, relu' → registry names (aliases allowed)."""
    names = []
    for part in _items(str(text), "activation", MAX_ACTIVATIONS):
        act = lookup(part)
        if act is None:
            raise UserError(
                f"unknown activation {part[:40]!r}; choose from {', '.join(REGISTRY)} "
                "(comma-separated)."
            )
        names.append(act.name)
    return tuple(dict.fromkeys(names))


def check_options(
    names, sizes, seeds: int, epochs: int, lr: float, init: str, seed: int = 0
) -> None:
    """Server-side limits: the same bounds the slash command declares, plus a cost budget."""
    check_training_args(epochs, lr, seed)
    if not 10 <= seeds <= MAX_SEEDS:
        raise UserError(f"seeds must be between 10 and {MAX_SEEDS} (got {seeds}).")
    if init not in INITS:
        raise UserError(f"init must be one of {', '.join(INITS)} (got {init[:20]!r}).")
    if len(names) * len(sizes) > MAX_SETTINGS:
        raise UserError(f"at most {MAX_SETTINGS} activation × size settings at once.")
    per_epoch = (
        sum(COST[n] for n in names)
        * sum((h + 2) * (1 + h * seeds / CACHE_UNITS) for h in sizes)
        * seeds
    )
    if per_epoch * epochs > BUDGET:
        most = int(BUDGET // per_epoch)
        raise UserError(
            f"that is too much training for one reply: with these activations, sizes and "
            f"{seeds} seeds, at most {most} epochs (got {epochs}). "
            "Use fewer epochs, seeds, sizes or activations."
            if most >= 1
            else "that is too much training for one reply: use fewer seeds, sizes or activations."
        )


@dataclass(frozen=True)
class Setting:
    """One activation and hidden size over all seeds."""

    activation: str
    label: str
    hidden: int
    solved: tuple[int, ...]  # per checkpoint
    rate: tuple[float, ...]
    se: tuple[float, ...]
    failed: int  # at the end
    causes: tuple[int, ...]  # failures per CAUSES entry, summing to `failed`


@dataclass(frozen=True)
class Verdict:
    """The facts the card words: the extremes, whether width helps, why runs failed."""

    worst: Setting
    best: Setting
    width_gain: tuple[
        tuple[str, float, bool], ...
    ]  # (activation, Δrate widest − narrowest, > 2 SE)
    failures: int
    causes: tuple[int, ...]  # over every setting, per CAUSES entry
    linear: tuple[str, ...]  # activations that are linear: one line, 0 successes by theory
    flat: tuple[str, ...]  # f' = 0 almost everywhere: gradient descent cannot move W1
    # (activation, H) of the settings no seed can solve: linear units at any width, or one
    # monotone unit (σ(v·f(z) + c) > ½ is a half-line in z = w·x + b: one line in the plane)
    impossible: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Stats:
    settings: tuple[Setting, ...]
    checkpoints: tuple[int, ...]
    seeds: int
    epochs: int
    lr: float
    init: str
    verdict: Verdict
    seed: int = 0  # the batch is seeds seed … seed + seeds − 1


def xor_stats(
    activations: tuple[str, ...],
    sizes: tuple[int, ...],
    seeds: int,
    epochs: int,
    lr: float,
    init: str,
    seed: int = 0,
) -> tuple[Stats, dict]:
    """Run every setting through the kernel; the Stats and the kernel's raw values."""
    check_options(activations, sizes, seeds, epochs, lr, init, seed)
    marks = checkpoints_for(epochs)
    values: dict = {}
    settings = []
    for name in activations:
        act = REGISTRY[name]
        part = xor_stats_numbers(act.f, act.df, name, sizes, seeds, epochs, lr, init, seed)
        values |= part
        for H in sizes:
            key = f"{name} H={H}"
            settings.append(
                Setting(
                    activation=name,
                    label=act.label,
                    hidden=H,
                    solved=tuple(part[f"{key} @{t} solved"] for t in marks),
                    rate=tuple(part[f"{key} @{t} rate"] for t in marks),
                    se=tuple(float(part[f"{key} @{t} se"]) for t in marks),
                    failed=part[f"{key} failed"],
                    causes=tuple(part[f"{key} {c}"] for c in CAUSES),
                )
            )
    stats = Stats(
        settings=tuple(settings),
        checkpoints=marks,
        seeds=seeds,
        epochs=epochs,
        lr=float(lr),
        init=init,
        verdict=_verdict(settings, activations),
        seed=seed,
    )
    return stats, values


def _verdict(settings: list[Setting], activations: tuple[str, ...]) -> Verdict:
    gains = []
    for name in activations:
        own = [s for s in settings if s.activation == name]
        if len(own) > 1:
            lo, hi = min(own, key=lambda s: s.hidden), max(own, key=lambda s: s.hidden)
            delta = hi.rate[-1] - lo.rate[-1]
            gains.append((name, delta, abs(delta) > 2 * float(np.hypot(lo.se[-1], hi.se[-1]))))
    return Verdict(
        worst=min(settings, key=lambda s: s.rate[-1]),
        best=max(settings, key=lambda s: s.rate[-1]),
        width_gain=tuple(gains),
        failures=sum(s.failed for s in settings),
        causes=tuple(int(sum(s.causes[i] for s in settings)) for i in range(len(CAUSES))),
        linear=tuple(n for n in activations if REGISTRY[n].linear),
        flat=tuple(n for n in activations if REGISTRY[n].saturates == "flat"),
        impossible=tuple(
            (s.activation, s.hidden)
            for s in settings
            if REGISTRY[s.activation].linear or (s.hidden == 1 and REGISTRY[s.activation].monotone)
        ),
    )
