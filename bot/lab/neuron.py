"""One unit a = f(w·x + b) trained on XOR by full-batch gradient descent.

Loss: mean squared error L = ¼ Σ (a_i − y_i)². Gradients by the chain rule:
dL/dz_i = ½ (a_i − y_i) f'(z_i), dL/dw = Xᵀ dz, dL/db = Σ dz. Whether any (w, b) can
answer XOR at threshold ½ is a property of S = {u : f(u) > ½} (see bot.lab.decision):
a half-line S (every monotone f, and GELU, SiLU, Mish, softplus, ELU) never can, at
any seed; sin, gaussian and |u| can. A loss that turns NaN, ±inf or grows 100-fold
has diverged: the run has no result, and halving lr finds one that trains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab import check_seed
from bot.lab.activations import Activation
from bot.lab.batch import slope
from bot.lab.decision import DecisionSet, decision_set
from bot.lab.verdicts import Limit, Verdict, decide
from bot.lab.xor import X, Y, score
from bot.options import EPOCHS, LR

LR_MIN, LR_MAX = LR.low, LR.high  # the same bounds the slash commands declare (bot.options)
BLOWUP = 100.0  # a loss this many times its starting value has diverged
HALVINGS = 8  # how far the search for a converging lr goes: down to lr/256


@dataclass(frozen=True)
class NeuronRun:
    activation: str
    seed: int
    epochs: int
    lr: float
    w: tuple[float, float]
    b: float
    outputs: tuple[float, float, float, float]
    loss: float
    correct: int  # outputs decided (|a − ½| ≥ 1e-9) and on the right side of ½
    losses: tuple[float, ...]  # loss after 0, 1, … epochs (stops at divergence)
    wrong: int = 0
    undecided: int = 0
    w0: tuple[float, float] = (0.0, 0.0)  # the seeded start, to show an untrained unit
    values: tuple[tuple[str, object], ...] = ()  # neuron_numbers(...), the card's numbers
    verdict: Verdict | None = None
    decision: DecisionSet | None = None


def check_training_args(epochs: int, lr: float, seed: int) -> None:
    """Server-side bounds shared by every trainer."""
    if not EPOCHS.low <= epochs <= EPOCHS.high:
        raise UserError(f"epochs must be between {EPOCHS.low} and {EPOCHS.high} (got {epochs}).")
    if not (np.isfinite(lr) and LR_MIN <= lr <= LR_MAX):
        raise UserError(f"lr must be between {LR_MIN} and {LR_MAX:g} (got {lr}).")
    check_seed(seed)


def neuron_descent(f, df, seed, epochs, lr):
    """Gradient descent from w ~ N(0, 1)², b = 0 (seeded); stops where it diverges.

    Returns w (2,), b, the losses after 0 … k epochs, the final gradient norm, and the
    epoch it diverged at (−1 if it never did).
    """
    w = np.random.default_rng(seed).normal(size=2)  # (2,)
    b = 0.0
    losses = np.zeros(epochs + 1)
    XT = X.T  # (2, 4)
    limit = math.inf  # BLOWUP times the first loss
    with np.errstate(all="ignore"):
        for k in range(epochs + 1):
            z = X @ w + b  # (4,)
            a = f(z)  # (4,)
            e = a - Y  # (4,): each output's error
            loss = float(np.add.reduce(e * e)) / 4  # the mean squared error
            losses[k] = loss
            dz = 0.5 * e * slope(df, z, a)  # (4,): f' from a for the logistic and tanh
            gw, gb = XT @ dz, float(np.add.reduce(dz))
            if k == 0:
                limit = BLOWUP * loss
            # an infinite w makes z = 0·inf = NaN at (0, 0), so the loss shows it; an infinite
            # b can hide behind a bounded f, so the weights are checked once more at the end
            if not math.isfinite(loss) or loss > limit:
                return w, b, losses[: k + 1], float(np.sqrt(gw @ gw + gb * gb)), k
            if k == epochs:
                break
            w = w - lr * gw
            b = b - lr * gb
    bad = -1 if math.isfinite(w @ w + b) else epochs  # the last word: every weight finite
    return w, b, losses, float(np.sqrt(gw @ gw + gb * gb)), bad


def neuron_numbers(f, df, seed, epochs, lr):
    """The /xor neuron card's numbers: train from the seed, then summarise."""
    return neuron_summary(f, df, seed, epochs, lr, neuron_descent(f, df, seed, epochs, lr))


def converging_lr(train, lr):
    """The first of lr/2, lr/4, … lr/2^HALVINGS whose run neither diverges nor fails to
    lower the loss, or "none". `train(lr)` returns a fit ending in (losses, grad, bad)."""
    for k in range(1, HALVINGS + 1):
        trial = lr / 2**k
        *_, losses, _, bad = train(trial)
        if bad < 0 and losses[-1] < losses[0]:
            return trial
    return "none"


def neuron_summary(f, df, seed, epochs, lr, fit):
    """The trained unit scored at ½, or where it diverged.

    After a divergence, lr is halved up to HALVINGS times; the first lr that trains
    without diverging and lowers the loss is reported ("none" if none does).
    """
    w, b, losses, grad, bad = fit
    if bad >= 0:
        found = converging_lr(lambda trial: neuron_descent(f, df, seed, epochs, trial), lr)
        return {"diverged_at_epoch": bad, "lr": lr, "converging_lr": found}
    with np.errstate(all="ignore"):
        a = f(X @ w + b)  # (4,)
    right, wrong, undecided = score(a)
    return {
        "w1": float(w[0]),
        "w2": float(w[1]),
        "b": float(b),
        "outputs": a,
        "loss": float(losses[-1]),
        "right": right,
        "wrong": wrong,
        "undecided": undecided,
        "grad_norm": grad,
    }


def neuron_limit(act: Activation) -> tuple[DecisionSet, Limit | None]:
    """Theory: S = {u : f(u) > ½}, and whether it rules XOR out."""
    s = decision_set(act.name, act.f)
    return s, (None if s.reachable else Limit.HALF_LINE)


def train_neuron(act: Activation, seed: int = 0, epochs: int = 2000, lr: float = 1.0) -> NeuronRun:
    """Train once, score and judge; the card's numbers are `neuron_summary` of this fit."""
    check_training_args(epochs, lr, seed)
    fit = neuron_descent(act.f, act.df, seed, epochs, lr)
    values = neuron_summary(act.f, act.df, seed, epochs, lr, fit)
    w, b, losses, _, _ = fit
    s, limit = neuron_limit(act)
    verdict = decide(
        values=values,
        losses=losses,
        lr=lr,
        limit=limit,
        frozen=act.saturates == "flat",
        network=False,
    )
    with np.errstate(all="ignore"):
        a = act.f(X @ w + b)
    return NeuronRun(
        activation=act.name,
        seed=seed,
        epochs=epochs,
        lr=float(lr),
        w=(float(w[0]), float(w[1])),
        b=float(b),
        outputs=tuple(float(v) for v in a),
        loss=float(losses[-1]),
        correct=verdict.right,
        wrong=verdict.wrong,
        undecided=verdict.undecided,
        losses=tuple(float(v) for v in losses),
        w0=tuple(float(v) for v in np.random.default_rng(seed).normal(size=2)),
        values=tuple(values.items()),
        verdict=verdict,
        decision=s,
    )
