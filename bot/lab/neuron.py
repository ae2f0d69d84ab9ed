"""One unit a = f(w·x + b) trained on XOR by full-batch gradient descent.

Loss: mean squared error L = ¼ Σ (a_i − y_i)². Gradients by the chain rule:
dL/dz_i = ½ (a_i − y_i) f'(z_i), dL/dw = Xᵀ dz, dL/db = Σ dz. A monotone f gives a
decision set {x : f(w·x + b) > ½} = {x : w·x + b > c}, a half-plane, so at most
3 of 4 points can be right (see bot.lab.xor); a non-monotone f (sin) can do better.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab import check_seed
from bot.lab.activations import Activation
from bot.lab.xor import X, Y
from bot.options import EPOCHS, LR

LR_MIN, LR_MAX = LR.low, LR.high  # the same bounds the slash commands declare (bot.options)


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
    correct: int  # outputs thresholded at ½
    losses: tuple[float, ...]  # loss per epoch, (epochs + 1,) sampled every step


def check_training_args(epochs: int, lr: float, seed: int) -> None:
    """Server-side bounds shared by every trainer."""
    if not EPOCHS.low <= epochs <= EPOCHS.high:
        raise UserError(f"epochs must be between {EPOCHS.low} and {EPOCHS.high} (got {epochs}).")
    if not (np.isfinite(lr) and LR_MIN <= lr <= LR_MAX):
        raise UserError(f"lr must be between {LR_MIN} and {LR_MAX:g} (got {lr}).")
    check_seed(seed)


def train_neuron(act: Activation, seed: int = 0, epochs: int = 2000, lr: float = 1.0) -> NeuronRun:
    """Gradient descent from w ~ N(0, 1)², b = 0 (seeded)."""
    check_training_args(epochs, lr, seed)
    rng = np.random.default_rng(seed)
    w = rng.normal(size=2)  # (2,)
    b = 0.0
    losses = []
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            z = X @ w + b  # (4,)
            a = act.f(z)
            losses.append(float(np.mean((a - Y) ** 2)))
            dz = 0.5 * (a - Y) * act.df(z)  # (4,)
            w = w - lr * (X.T @ dz)
            b = b - lr * float(np.sum(dz))
        a = act.f(X @ w + b)
    loss = float(np.mean((a - Y) ** 2))
    losses.append(loss)
    return NeuronRun(
        activation=act.name,
        seed=seed,
        epochs=epochs,
        lr=float(lr),
        w=(float(w[0]), float(w[1])),
        b=float(b),
        outputs=tuple(float(v) for v in a),
        loss=loss,
        correct=int(np.sum((a > 0.5) == (Y > 0.5))),
        losses=tuple(losses),
    )
