"""What a trained XOR unit or network shows, decided from theory first and the run second.

Order of precedence: a run that diverged has no result; a configuration theory rules
out is impossible at every seed (never blamed on the seed); an activation with f' = 0
almost everywhere never moves its weights; hidden units that died (f' = 0 at all four
inputs: their weights get no gradient, so they never move again) and leave too little
alive to solve XOR → this run cannot get there, whatever more epochs do; only then does
the run itself speak, and the advice follows the measured cause: lr at the bottom of
its range → a larger lr;
a loss that goes up and down → a smaller lr; a tiny gradient (a plateau) → another
seed or more units; a loss still falling at the end → more epochs; a flat loss with a
large gradient (steps jumping across a valley) → a smaller lr.
Cards word these facts; nothing here is English for users.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

LR_LOW = 0.001  # the bottom decade of the allowed 0.0001 … 10
FLAT_GRAD = 0.01  # a gradient norm this small at the end is a plateau
FALLING = 1e-4  # the loss still fell by more than this share over the last tenth


class Outcome(Enum):
    SOLVED = "solved"  # 4/4 decided and right
    NOT_SOLVED = "not solved"
    DIVERGED = "diverged"  # NaN, ±inf or a blown-up loss: no result


class Limit(Enum):
    """Why theory rules XOR out for this configuration (None: reachable)."""

    HALF_LINE = "S = {u : f(u) > 1/2} is a half-line, empty or everything"
    ONE_MONOTONE_UNIT = "one monotone hidden unit is still one line"
    LINEAR_HIDDEN = "a linear hidden layer is one affine map: one line"


class Advice(Enum):
    NONE = "none"
    SMALLER_LR = "smaller lr"  # diverged, or the loss goes up and down
    STEPS_JUMP = "smaller lr (flat loss, large gradient)"  # steps jump across a valley
    MORE_EPOCHS = "more epochs"  # the loss was still falling at the end
    LARGER_LR = "larger lr"  # lr at the bottom of its range
    ANOTHER_SEED = "another seed"  # stuck on a plateau (single unit)
    SEED_OR_UNITS = "another seed or more units"  # stuck on a plateau (network)
    CHANGE_MODEL = "change the activation or the architecture"  # impossible or frozen
    DEAD_UNITS = "start again: smaller lr, another seed, or f' never 0"  # too many dead units


class Reach(Enum):
    """What a network with dead units can still reach. A dead unit never moves again; if each
    dead unit outputs one constant at the four inputs, the network is a smaller one plus a
    bias, and theory (bot.lab.mlp.mlp_limit) says what that can do."""

    OPEN = "open"  # enough live units (or dead ones whose output still varies): no bound
    CONSTANT = "constant output"  # every unit dead and constant: one output at every input
    ONE_LINE = "one live monotone unit"  # the rest dead and constant: a half-plane, ≤ 3/4


@dataclass(frozen=True)
class Dead:
    """Hidden units with f'(z1) = 0 at all four inputs at the end of a run."""

    hidden: int
    units: tuple[int, ...]  # numbered from 1
    since: tuple[int, ...]  # the epoch each died (0: dead from the seeded start)
    outputs: tuple[float | None, ...]  # each one's output if the same at all four, else None
    reach: Reach


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    limit: Limit | None  # set iff theory says no weights reach 4/4
    frozen: bool  # f' = 0 a.e.: the (hidden) weights never move from their start
    advice: Advice
    right: int
    wrong: int
    undecided: int
    diverged_at: int | None = None  # epoch of the first non-finite or blown-up loss
    lr: float = 0.0
    converging_lr: float | None = None  # found by halving lr; None if none was found
    dead: Dead | None = None  # hidden units with f' = 0 at all four inputs at the end

    @property
    def reachable(self) -> bool:
        return self.limit is None


def loss_drop(losses) -> float:
    """Relative fall of the loss over the last tenth of training (≥ 1 epoch)."""
    ls = np.asarray(losses, dtype=float)
    if len(ls) < 2:
        return 0.0
    back = ls[-1 - max(1, (len(ls) - 1) // 10)]
    return float((back - ls[-1]) / back) if back > 0 else 0.0


def rising(losses) -> bool:
    """True if the loss went up anywhere in the last 10 epochs (a bounce, not a spike)."""
    ls = np.asarray(losses, dtype=float)
    tail = ls[-11:]
    return bool(np.any(np.diff(tail) > 1e-12 * np.abs(tail[1:])))


def decide(
    *,
    values: dict,
    losses,
    lr: float,
    limit: Limit | None,
    frozen: bool,
    network: bool,
    dead: Dead | None = None,
) -> Verdict:
    """The verdict for one run, given the theory (limit, frozen), the dead units and the
    run's numbers."""
    if "diverged_at_epoch" in values:
        found = values["converging_lr"]
        return Verdict(
            outcome=Outcome.DIVERGED,
            limit=limit,
            frozen=frozen,
            advice=Advice.SMALLER_LR,
            right=0,
            wrong=0,
            undecided=4,
            diverged_at=int(values["diverged_at_epoch"]),
            lr=lr,
            converging_lr=None if isinstance(found, str) else float(found),
        )
    right, wrong, undecided = values["right"], values["wrong"], values["undecided"]
    solved = right == 4
    if solved:
        advice = Advice.NONE
    elif limit is not None or frozen:
        advice = Advice.CHANGE_MODEL
    elif dead is not None and dead.reach is not Reach.OPEN:
        advice = Advice.DEAD_UNITS  # no gradient ever reaches them: more epochs cannot help
    elif lr <= LR_LOW:
        advice = Advice.LARGER_LR
    elif rising(losses):
        advice = Advice.SMALLER_LR  # the loss goes up and down: the steps overshoot
    elif values["grad_norm"] < FLAT_GRAD:
        advice = Advice.SEED_OR_UNITS if network else Advice.ANOTHER_SEED
    elif loss_drop(losses) > FALLING:
        advice = Advice.MORE_EPOCHS
    else:
        advice = Advice.STEPS_JUMP  # a flat loss with a large gradient
    return Verdict(
        outcome=Outcome.SOLVED if solved else Outcome.NOT_SOLVED,
        limit=limit,
        frozen=frozen,
        advice=advice,
        right=right,
        wrong=wrong,
        undecided=undecided,
        lr=lr,
        dead=dead,
    )
