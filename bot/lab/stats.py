"""How often does a 2-H-1 network learn XOR? Many seeds at once, and why the rest fail.

For each activation and hidden size, S seeds (s₀ … s₀ + S − 1, s₀ the base seed, 0 unless
chosen) are trained together by the
batched trainer. A seed succeeds when all four outputs are on the right side of ½ by at
least 1e-9 (an output within 1e-9 of ½ is undecided, not right). The success rate p̂ over
S independent seeds has binomial standard error √(p̂(1 − p̂)/S).

A failure is classified from its final state, first rule that applies, by the rules
/xor mlp applies to one run (bot.lab.verdicts), so both commands say the same of a seed:
  diverged  the loss became NaN or ±inf (no result to report);
  dead      some hidden unit has f'(z1) = 0 on all four inputs (a dead ReLU): no gradient
            reaches its weights, so it can never move again;
  bouncing  the loss went up in one of the last 10 epochs (the steps overshoot);
  plateau   the whole gradient is tiny (‖∇L‖ < 0.01): stuck on a flat region;
  moving    the loss fell by more than 0.01 % over the last tenth: still descending;
  bouncing  otherwise too: a flat loss with a gradient that is not small, the steps
            jumping across a valley (at lr ≤ 0.001 such a run is slow, not bouncing:
            moving).
Hamey (1998) and Sprinkhuizen-Kuyper & Boers (1999) showed the 2-2-1 XOR error surface
has no strict local minima: the failures are plateaus and saddle regions, not XOR being
hard, which is why more hidden units (more ways out) make success nearly certain.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from bot.errors import UserError
from bot.lab import check_batch, largest
from bot.lab.activations import REGISTRY, lookup
from bot.lab.batch import INITS, slope, train_batch
from bot.lab.neuron import check_training_args
from bot.lab.verdicts import FALLING, FLAT_GRAD, LR_LOW
from bot.lab.xor import X, Y

UNDECIDED = 1e-9  # |p − ½| below this is no decision
PLATEAU = FLAT_GRAD  # a gradient norm below this counts as a plateau (as in /xor mlp)
CAUSES = ("dead", "plateau", "diverged", "bouncing", "moving")


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
        run = train_batch(
            f, df, X, Y, "bce", H, batch, epochs, lr, init, marks, loss_at=loss_epochs(epochs)
        )
        key = f"{name} H={H}"
        for t, p in zip(marks, run["checkpoints"], strict=True):
            wins = int(np.sum(solved(p)))
            rate = wins / seeds
            values[f"{key} @{t} solved"] = wins
            values[f"{key} @{t} rate"] = rate
            values[f"{key} @{t} se"] = np.sqrt(rate * (1 - rate) / seeds)
        causes = failure_causes(
            df,
            run["z1"],
            f(run["z1"]),
            run["grad_norm"],
            run["diverged_at"],
            run["loss_at"],
            epochs,
            lr,
        )
        failed = ~solved(run["out"])
        values[f"{key} failed"] = int(np.sum(failed))
        for cause, mask in zip(CAUSES, causes, strict=True):
            values[f"{key} {cause}"] = int(np.sum(failed & mask))
    return values


def loss_epochs(epochs):
    """The epochs whose loss `failure_causes` reads: where the last tenth of training starts
    (epochs − max(1, epochs // 10)) and each of the last 10, in increasing order."""
    back = epochs - max(1, epochs // 10)
    return tuple(sorted({back, *range(max(0, epochs - 10), epochs + 1)}))


def failure_causes(df, z1, h, grad_norm, diverged_at, losses, epochs, lr):
    """Masks (S,) for dead, plateau, diverged, bouncing, moving: exactly one is True per seed.

    z1, h (N, H, S) are the final pre-activations and activations; losses (T, S) the loss
    at each epoch of loss_epochs(epochs). As bot.lab.verdicts decides for one run: the loss
    rose when a step raised it by more than rounding (a relative 1e-12) in the last 10
    epochs; it still falls when it fell by more than FALLING of its value over the last
    tenth."""
    at = np.array(loss_epochs(epochs))
    last = losses[at >= epochs - 10]  # (≤ 11, S)
    back = losses[int(np.searchsorted(at, epochs - max(1, epochs // 10)))]  # (S,)
    with np.errstate(invalid="ignore", divide="ignore"):
        rose = np.logical_or.reduce(np.diff(last, axis=0) > 1e-12 * np.abs(last[1:]), axis=0)
        falling = np.where(back > 0, (back - losses[-1]) / back, 0.0) > FALLING
    diverged = diverged_at >= 0
    flat = np.logical_and.reduce(slope(df, z1, h) == 0, axis=0)  # (H, S): f' = 0 on every input
    dead = np.logical_or.reduce(flat, axis=0) & ~diverged
    live = ~dead & ~diverged
    slow = lr <= LR_LOW  # steps this small do not overshoot: a run that is not done is slow
    up = live & rose & (not slow)
    plateau = live & ~up & (grad_norm < PLATEAU)
    moving = live & ~up & ~plateau & (falling | slow)
    return dead, plateau, diverged, live & ~plateau & ~moving, moving  # bouncing: up, or flat


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
    check_batch(seed, seeds)
    if init not in INITS:
        raise UserError(f"init must be one of {', '.join(INITS)} (got {init[:20]!r}).")
    if len(names) * len(sizes) > MAX_SETTINGS:
        raise UserError(f"at most {MAX_SETTINGS} activation × size settings at once.")
    if not fits(names, sizes, seeds, epochs):
        raise UserError(over_budget(names, sizes, seeds, epochs))


def fits(names, sizes, seeds: int, epochs: int) -> bool:
    """Whether the training fits the budget (the rule `check_options` applies)."""
    per_epoch = (
        sum(COST[n] for n in names)
        * sum((h + 2) * (1 + h * seeds / CACHE_UNITS) for h in sizes)
        * seeds
    )
    return per_epoch * epochs <= BUDGET


def over_budget(names, sizes, seeds: int, epochs: int) -> str:
    """The refusal: the most epochs that fit at these seeds and the most seeds that fit at
    these epochs, each found with `fits` itself (that many fit, one more does not)."""
    most_epochs = largest(lambda e: fits(names, sizes, seeds, e), 1, epochs - 1)
    most_seeds = largest(lambda s: fits(names, sizes, s, epochs), 10, seeds - 1)
    parts = []
    if most_epochs >= 1:
        parts.append(f"{seeds} seeds allow at most {most_epochs} epochs (got {epochs})")
    if most_seeds >= 10:
        parts.append(f"{epochs} epochs allow at most {most_seeds} seeds (got {seeds})")
    elif most_epochs >= 1:
        parts.append(f"at {epochs} epochs even the fewest seeds (10) are too many")
    if not parts:  # not with today's bounds: one epoch of the largest request fits
        return "that is too much training for one reply: use fewer seeds, sizes or activations."
    return (
        "that is too much training for one reply: with these activations and sizes, "
        f"{', and '.join(parts)}. Use fewer epochs, seeds, sizes or activations."
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


# exact fractions of the seeds, compared with exact counts (1 − 0.9 < 0.1 in floats)
FAILS_OFTEN = Fraction(1, 5)  # "fails often": at least 1 seed in 5 failed
NEARLY_CERTAIN = Fraction(95, 100)  # "nearly certain": at least 95 % of the seeds solved XOR
CHANGES = ("helps", "hurts", "same")  # what a wider network did to the rate (WidthStep)


def differ(a: Setting, b: Setting) -> bool:
    """The final rates are more than 2 standard errors apart (the SE of a difference of two
    independent rates is √(SE_a² + SE_b²))."""
    return abs(a.rate[-1] - b.rate[-1]) > 2 * float(np.hypot(a.se[-1], b.se[-1]))


@dataclass(frozen=True)
class WidthStep:
    """One activation, its narrowest against its widest size where a solution exists: only
    the hidden size changes."""

    activation: str
    narrow: Setting
    wide: Setting
    change: str  # "helps" / "hurts": the wider rate is higher / lower beyond 2 SE; else "same"


@dataclass(frozen=True)
class SizeRow:
    """One hidden size, every activation that can solve XOR there: only the activation
    changes."""

    hidden: int
    settings: tuple[Setting, ...]  # lowest final rate first
    worst: Setting | None  # below every other activation at this size by more than 2 SE
    mostly_dead: bool  # more than half of the worst one's failures were dead units
    fails_often: bool  # every setting here failed in at least FAILS_OFTEN of its seeds


@dataclass(frozen=True)
class Verdict:
    """The facts the card words. Every comparison changes one thing: `widths` the hidden
    size within one activation, `sizes` the activation within one size (the narrowest size
    where the most activations can solve XOR, and the widest one past it where two or more
    can). Why runs failed is counted where a solution exists."""

    widths: tuple[WidthStep, ...]
    sizes: tuple[SizeRow, ...]
    nearly_certain: bool  # every width step helps and ends at ≥ NEARLY_CERTAIN
    failures: int  # over every setting
    causes: tuple[int, ...]  # over every setting, per CAUSES entry
    possible_failures: int  # over the settings where a solution exists
    possible_causes: tuple[int, ...]  # the same, per CAUSES entry
    # "stuck" (dead units and plateaus), "bouncing", "moving" ("slow" at lr ≤ LR_LOW),
    # "diverged": more than half of the possible failures; "mixed" when none is; "none"
    # when there are no such failures
    why: str
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
        verdict=verdict_of(settings, activations, lr),
        seed=seed,
    )
    return stats, values


def verdict_of(settings: list[Setting], activations: tuple[str, ...], lr: float = 1.0) -> Verdict:
    """Pick the comparisons that change one thing at a time and decide what each shows.

    A setting is impossible when theory says no seed can solve it; the comparisons and the
    causes of failure use the other settings only (an impossible one fails at any width)."""
    impossible = tuple(
        (s.activation, s.hidden)
        for s in settings
        if REGISTRY[s.activation].linear or (s.hidden == 1 and REGISTRY[s.activation].monotone)
    )
    possible = [s for s in settings if (s.activation, s.hidden) not in impossible]
    widths = []
    for name in activations:
        own = [s for s in possible if s.activation == name]
        if len(own) > 1:
            lo, hi = min(own, key=lambda s: s.hidden), max(own, key=lambda s: s.hidden)
            up = hi.rate[-1] > lo.rate[-1]
            widths.append(
                WidthStep(name, lo, hi, ("helps" if up else "hurts") if differ(lo, hi) else "same")
            )
    count = {h: sum(s.hidden == h for s in possible) for h in sorted({s.hidden for s in possible})}
    # the narrowest size where the most activations meet, and the widest where two or more do
    narrow = min(count, key=lambda h: (-count[h], h), default=None)  # None: nothing possible
    wide = max((h for h in count if count[h] > 1), default=narrow)
    rows = []
    for H in dict.fromkeys((narrow, wide)) if count else ():
        here = sorted((s for s in possible if s.hidden == H), key=lambda s: s.rate[-1])
        low = here[0]
        beaten = len(here) > 1 and all(
            s.rate[-1] > low.rate[-1] and differ(low, s) for s in here[1:]
        )
        worst = low if beaten else None
        rows.append(
            SizeRow(
                hidden=H,
                settings=tuple(here),
                worst=worst,
                mostly_dead=worst is not None
                and 2 * worst.causes[CAUSES.index("dead")] > worst.failed,
                fails_often=all(
                    Fraction(s.failed, s.failed + s.solved[-1]) >= FAILS_OFTEN for s in here
                ),
            )
        )
    failures = sum(s.failed for s in possible)
    causes = tuple(int(sum(s.causes[i] for s in possible)) for i in range(len(CAUSES)))
    dead, plateau, diverged, bouncing, moving = causes
    if not failures:
        why = "none"
    elif 2 * (dead + plateau) > failures:
        why = "stuck"
    elif 2 * bouncing > failures:
        why = "bouncing"
    elif 2 * moving > failures:
        why = "slow" if lr <= LR_LOW else "moving"  # /xor mlp: lr at the bottom → a larger lr
    elif 2 * diverged > failures:
        why = "diverged"
    else:
        why = "mixed"
    return Verdict(
        widths=tuple(widths),
        sizes=tuple(rows),
        nearly_certain=bool(widths)
        and all(
            w.change == "helps"
            and Fraction(w.wide.solved[-1], w.wide.solved[-1] + w.wide.failed) >= NEARLY_CERTAIN
            for w in widths
        ),
        failures=sum(s.failed for s in settings),
        causes=tuple(int(sum(s.causes[i] for s in settings)) for i in range(len(CAUSES))),
        possible_failures=failures,
        possible_causes=causes,
        why=why,
        linear=tuple(n for n in activations if REGISTRY[n].linear),
        flat=tuple(n for n in activations if REGISTRY[n].saturates == "flat"),
        impossible=impossible,
    )
