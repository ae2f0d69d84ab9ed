"""A 2-H-1 network on XOR: hidden layer h = f(x W1 + b1), output p = σ(h W2 + b2).

Trained by full-batch gradient descent on the binary cross-entropy
L = −¼ Σ [y log p + (1 − y) log(1 − p)] = ¼ Σ [softplus(z2) − y z2] (z2 the logit, so
the loss stays exact where p rounds to 0 or 1), whose gradient at the output is simply
dL/dz2 = (p − y)/4. What theory allows: a linear hidden layer is one affine map, so at
most 3 of 4 at any width; one hidden unit gives σ(v·f(u) + c), a level set of f along
one direction, which solves XOR iff f is not monotone; two or more nonlinear units can
always solve it. Whether gradient descent *finds* such weights depends on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab.activation_fns import sigmoid
from bot.lab.activations import Activation
from bot.lab.batch import train_batch
from bot.lab.neuron import BLOWUP, check_training_args, converging_lr
from bot.lab.verdicts import Dead, Limit, Reach, Verdict, decide
from bot.lab.xor import X, Y, score
from bot.options import HIDDEN


@dataclass(frozen=True)
class MLPRun:
    activation: str
    hidden: int
    seed: int
    epochs: int
    lr: float
    W1: tuple[tuple[float, ...], ...]  # (2, H)
    b1: tuple[float, ...]  # (H,)
    W2: tuple[float, ...]  # (H,)
    b2: float
    outputs: tuple[float, float, float, float]  # p on the four points
    loss: float
    correct: int  # p decided (|p − ½| ≥ 1e-9) and on the right side of ½
    losses: tuple[float, ...]  # (epochs + 1,), shorter if training diverged
    decisions: tuple[tuple[int, ...], ...]  # (H, 4): 1 if w_j·x + b_j > 0
    wrong: int = 0
    undecided: int = 0
    values: tuple[tuple[str, object], ...] = ()  # mlp_numbers(...), the card's numbers
    verdict: Verdict | None = None
    monotone: bool = True  # f monotone: each unit's output is one side of its line or the other


def init(hidden: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """W1 ~ N(0, 1), W2 ~ N(0, 1/H), biases 0, from default_rng(seed)."""
    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(2, hidden))  # (2, H)
    W2 = rng.normal(size=hidden) / np.sqrt(hidden)  # (H,)
    return W1, np.zeros(hidden), W2, 0.0


def mlp_descent(f, df, W1, b1, W2, b2, epochs, lr):
    """Gradient descent from the given start, by the batched trainer with one seed.

    Returns the final (W1, b1, W2, b2), the epoch each hidden unit died (H,) (f' = 0 at
    all four inputs from then to the end; −1 if alive), the losses after 0 … k epochs,
    the final gradient norm, and the epoch it diverged at (−1 if it never did): the
    first whose loss is NaN, ±inf or BLOWUP times the first, where training stops (k), or
    the last epoch if only a weight became infinite (an infinite b1 can hide behind a
    bounded f).
    """
    H = len(b1)
    start = (W1[:, :, None], b1[:, None], W2[:, None], np.array([b2], dtype=float))
    run = train_batch(f, df, X, Y, "bce", H, [0], epochs, lr, "normal", (), True, start, True)
    losses = run["losses"][:, 0]  # (epochs + 1,)
    with np.errstate(invalid="ignore"):
        blown = ~np.isfinite(losses) | (losses > BLOWUP * losses[0])
    bad = int(np.argmax(blown)) if blown.any() else int(run["diverged_at"][0])
    if 0 <= bad < epochs:  # stop there: the weights and gradient of epoch `bad`
        run = train_batch(f, df, X, Y, "bce", H, [0], bad, lr, "normal", (), True, start, True)
        losses = run["losses"][:, 0]
    W1, b1, W2, b2, dead = (run[k][..., 0] for k in ("W1", "b1", "W2", "b2", "dead_since"))
    return W1, b1, W2, float(b2), dead, losses, float(run["grad_norm"][0]), bad


def mlp_fit(f, df, hidden, seed, epochs, lr):
    """Seeded start (W1 ~ N(0, 1), W2 ~ N(0, 1/H), biases 0), then `mlp_descent`."""
    W1, b1, W2, b2 = init(hidden, seed)
    return mlp_descent(f, df, W1, b1, W2, b2, epochs, lr)


def mlp_summary(f, df, hidden, seed, epochs, lr, fit):
    """The card's numbers from a fit; after a divergence, lr halved until one trains."""
    W1, b1, W2, b2, dead, losses, grad, bad = fit
    if bad >= 0:
        found = converging_lr(lambda trial: mlp_fit(f, df, hidden, seed, epochs, trial), lr)
        return {"diverged_at_epoch": bad, "lr": lr, "converging_lr": found}
    with np.errstate(all="ignore"):
        p = sigmoid(f(X @ W1 + b1) @ W2 + b2)  # (4,)
    right, wrong, undecided = score(p)
    values = {
        "right": right,
        "wrong": wrong,
        "undecided": undecided,
        "loss": float(losses[-1]),
        "p": p,
        "W1": W1,
        "b1": b1,
        "W2": W2,
        "b2": float(b2),
        "grad_norm": grad,
    }
    if np.any(dead >= 0):  # units with f' = 0 at all four inputs: no gradient, for good
        values["dead_units"] = np.flatnonzero(dead >= 0) + 1  # numbered from 1, as on the card
        values["died_at_epoch"] = dead[dead >= 0]
    return values


def mlp_numbers(f, df, hidden, seed, epochs, lr):
    """The /xor mlp card's numbers: train from the seed, then summarise."""
    return mlp_summary(f, df, hidden, seed, epochs, lr, mlp_fit(f, df, hidden, seed, epochs, lr))


def mlp_limit(act: Activation, hidden: int) -> Limit | None:
    """Theory: what rules XOR out for this hidden layer (None: some weights solve it)."""
    if act.linear:
        return Limit.LINEAR_HIDDEN
    if hidden == 1 and act.monotone:
        return Limit.ONE_MONOTONE_UNIT
    return None


def dead_units(act: Activation, W1, b1, values: dict) -> Dead | None:
    """The dead units of a run (`values` from mlp_summary), what each outputs at the four
    inputs, and what the live ones can still reach.

    A dead unit has f'(z1) = 0 at every input, so its weights get no gradient and it stays
    dead. If each dead unit outputs one constant, it only adds to the output's bias, and
    the network is a 2-(H − d)-1 network: with none left alive its output is the same at
    all four inputs (2/4 right at best); with one monotone unit left it is a half-plane
    (3/4 at best, mlp_limit). Dead units whose output still differs between inputs (a
    hardtanh at −1 on some, +1 on others) are fixed features: no bound is claimed.
    """
    if "dead_units" not in values:
        return None
    units = tuple(int(j) for j in values["dead_units"])
    with np.errstate(all="ignore"):
        h = act.f(X @ W1 + b1)  # (4, H)
    outputs = tuple(
        float(h[0, j - 1]) if np.all(h[:, j - 1] == h[0, j - 1]) else None for j in units
    )
    live = len(b1) - len(units)
    constant = all(o is not None for o in outputs)
    if constant and live == 0:
        reach = Reach.CONSTANT
    elif constant and mlp_limit(act, live) is Limit.ONE_MONOTONE_UNIT:
        reach = Reach.ONE_LINE
    else:
        reach = Reach.OPEN
    return Dead(
        hidden=len(b1),
        units=units,
        since=tuple(int(e) for e in values["died_at_epoch"]),
        outputs=outputs,
        reach=reach,
    )


def train_mlp(
    act: Activation, hidden: int = 2, seed: int = 0, epochs: int = 2000, lr: float = 1.0
) -> MLPRun:
    """Train once; the card's numbers are `mlp_summary` of this very fit."""
    if not HIDDEN.low <= hidden <= HIDDEN.high:
        raise UserError(f"hidden must be between {HIDDEN.low} and {HIDDEN.high} (got {hidden}).")
    check_training_args(epochs, lr, seed)
    fit = mlp_fit(act.f, act.df, hidden, seed, epochs, lr)
    values = mlp_summary(act.f, act.df, hidden, seed, epochs, lr, fit)
    W1, b1, W2, b2, _, losses, _, _ = fit
    frozen = act.saturates == "flat"  # every unit's f' is 0 from the start: not news
    verdict = decide(
        values=values,
        losses=losses,
        lr=lr,
        limit=mlp_limit(act, hidden),
        frozen=frozen,
        network=True,
        dead=None if frozen else dead_units(act, W1, b1, values),
    )
    with np.errstate(all="ignore"):
        z1 = X @ W1 + b1  # (4, H)
        p = sigmoid(act.f(z1) @ W2 + b2)  # (4,)
    return MLPRun(
        activation=act.name,
        hidden=hidden,
        seed=seed,
        epochs=epochs,
        lr=float(lr),
        W1=tuple(tuple(float(v) for v in row) for row in W1),
        b1=tuple(float(v) for v in b1),
        W2=tuple(float(v) for v in W2),
        b2=float(b2),
        outputs=tuple(float(v) for v in p),
        loss=float(losses[-1]),
        correct=verdict.right,
        wrong=verdict.wrong,
        undecided=verdict.undecided,
        losses=tuple(float(v) for v in losses),
        decisions=tuple(tuple(int(v) for v in (z1[:, j] > 0)) for j in range(hidden)),
        values=tuple(values.items()),
        verdict=verdict,
        monotone=act.monotone,
    )


def success_rate(act: Activation, hidden: int, seeds: range, epochs: int, lr: float) -> int:
    """How many seeds reach 4/4: the 'finding the weights is easy' claim, measured."""
    return sum(train_mlp(act, hidden, s, epochs, lr).correct == 4 for s in seeds)
