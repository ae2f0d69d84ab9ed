"""/approximate method:training: the same one-hidden-layer network, found by gradient descent.

The construction proves that good weights exist; this asks whether plain full-batch gradient
descent on the mean squared error finds them. Start: the random method's first layer (the
same kinks or step centres for the same seed), slopes rescaled to N(0, 1) on u = x/a, output
weights 0; targets standardised ((y − mean)/sd, undone afterwards: still a 1-N-1 network).
Every weight then trains (bot.lab.batch, one seed) with lr = 1/λ_max of the output layer's
Hessian (2/M)·AᵀA at the start, half the step at which that quadratic would oscillate. Steps
are bounded by a budget of epochs × units so the reply stays within seconds; the max error is
measured on the same grid as the construction's, so the two compare at the same N.
"""

from __future__ import annotations

import numpy as np

from bot.lab.activation_fns import unit_pair
from bot.lab.approximate import (
    Trained,
    approximation_numbers,
    first_layer,
    grid,
    jumps_of,
    target_values,
    unit,
)
from bot.lab.batch import train_batch

TRAIN_POINTS = 129  # evenly spaced training points on [−a, a]
TRAIN_EPOCHS = 2000  # at most; fewer for many units:
TRAIN_BUDGET = 64000  # epochs × units, the cost of one training
AHEAD = 1.0  # training is "ahead" when its max error is at most the construction's
CLOSE = 1.01  # ... "close" within 1 % above it: no weights meaningfully better were shown


def train_epochs(units):
    """Gradient-descent steps for N units: TRAIN_EPOCHS, or fewer to stay in the budget."""
    return min(TRAIN_EPOCHS, TRAIN_BUDGET // units)


def training_start(act, a, n, seed):
    """The first layer training starts from, on u = x/a: (W1 (n,), b1 (n,)).

    The random method's kinks/centres (the same draw), each slope rescaled to N(0, 1)."""
    w, b = first_layer(act, a, n, "random", seed)
    W1 = w * (2 * a / n) / 2.0  # first_layer's slopes are N(0, (2/h)²), h = 2a/n
    centres = np.where(w != 0, -b / np.where(w != 0, w, 1.0), 0.0) / a  # (n,) on u
    return W1, -W1 * centres


def trained_fit(target, formula, act, a, units, seed):
    """Train every weight by gradient descent: (w, b, v, c) in x, the lr, steps and divergence."""
    x = np.linspace(-a, a, TRAIN_POINTS)  # (M,)
    y = target_values(target, formula, x, a)
    mean, sd = float(np.mean(y)), float(np.std(y))
    sd = sd if sd > 0 else 1.0  # a constant target: nothing to scale
    W1, b1 = training_start(act, a, units, seed)
    f, df = unit_pair(act)
    A = np.column_stack([f(np.outer(x / a, W1) + b1), np.ones_like(x)])  # (M, n + 1)
    lr = 1 / np.linalg.eigvalsh(2 / len(x) * A.T @ A)[-1]
    epochs = train_epochs(units)
    start = (W1[None, :, None], b1[:, None], np.zeros((units, 1)), np.zeros(1))
    run = train_batch(f, df, (x / a)[:, None], (y - mean) / sd, "mse", units, [seed], epochs,
                      lr, "normal", start=start)  # fmt: skip
    w = run["W1"][0, :, 0] / a  # φ(W1·x/a + b1) = φ(w·x + b1)
    v, c = sd * run["W2"][:, 0], sd * run["b2"][0] + mean
    return w, run["b1"][:, 0], v, c, float(lr), epochs, int(run["diverged_at"][0])


def training_numbers(target, formula, act, a, units, seed, keep=None):
    """The construction's numbers (approximation_numbers), and training's errors at the same N.

    `keep`, if a dict, receives the trained weights (w, b, v, c) for the figure."""
    numbers = approximation_numbers(target, formula, act, a, units, "constructive", seed)
    w, b, v, c, lr, epochs, diverged_at = trained_fit(target, formula, act, a, units, seed)
    if keep is not None:
        keep["weights"] = (w, b, v, c)
    x = grid(a, jumps_of(target, a))  # the construction's grid: the same measure
    with np.errstate(all="ignore"):
        e = unit(act, np.outer(x, w) + b) @ v + c - target_values(target, formula, x, a)
    numbers["train_steps"] = epochs
    numbers["train_lr"] = lr
    if diverged_at >= 0 or not np.all(np.isfinite(e)):
        numbers["trained_max_error"] = f"diverged at step {max(diverged_at, 0)}"
        numbers["trained_rms_error"] = "none"
    else:
        numbers["trained_max_error"] = float(np.max(np.abs(e)))
        numbers["trained_rms_error"] = float(np.sqrt(np.mean(e * e)))
    return numbers


def judge(numbers, rounding: float) -> Trained:
    """Training's max error against the construction's; `rounding` is the max error below
    which a fit is exact (EXACT·(1 + max|f|), the construction's own test): two errors below
    it are both rounding, so neither is ahead or behind."""
    if isinstance(numbers["trained_max_error"], str):
        return Trained.DIVERGED
    if numbers["trained_max_error"] <= rounding and numbers["max_error"] <= rounding:
        return Trained.EXACT
    if numbers["trained_max_error"] > CLOSE * numbers["max_error"]:
        return Trained.BEHIND
    if numbers["trained_max_error"] > AHEAD * numbers["max_error"]:
        return Trained.CLOSE
    return Trained.AHEAD
