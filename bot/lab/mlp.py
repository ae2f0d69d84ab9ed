"""A 2-H-1 network on XOR: hidden layer h = f(x W1 + b1), output p = σ(h W2 + b2).

Trained by full-batch gradient descent on the binary cross-entropy
L = −¼ Σ [y log p + (1 − y) log(1 − p)], whose gradient at the output is simply
dL/dz2 = (p − y)/4. Each hidden unit draws one line w·x + b = 0 (its decision
threshold); with a nonlinear f the output combines those decisions, which a single
line cannot do. Whether gradient descent *finds* such weights depends on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab.activations import Activation, sigmoid
from bot.lab.neuron import check_training_args
from bot.lab.xor import X, Y
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
    correct: int  # p thresholded at ½
    losses: tuple[float, ...]  # (epochs + 1,)
    decisions: tuple[tuple[int, ...], ...]  # (H, 4): 1 if w_j·x + b_j > 0


def init(hidden: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """W1 ~ N(0, 1), W2 ~ N(0, 1/H), biases 0, from default_rng(seed)."""
    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(2, hidden))  # (2, H)
    W2 = rng.normal(size=hidden) / np.sqrt(hidden)  # (H,)
    return W1, np.zeros(hidden), W2, 0.0


def train_mlp(
    act: Activation, hidden: int = 2, seed: int = 0, epochs: int = 2000, lr: float = 1.0
) -> MLPRun:
    """Full-batch gradient descent; returns weights, outputs, losses and decisions."""
    if not HIDDEN.low <= hidden <= HIDDEN.high:
        raise UserError(f"hidden must be between {HIDDEN.low} and {HIDDEN.high} (got {hidden}).")
    check_training_args(epochs, lr, seed)
    W1, b1, W2, b2 = init(hidden, seed)
    losses = []
    with np.errstate(all="ignore"):
        for _ in range(epochs + 1):
            z1 = X @ W1 + b1  # (4, H)
            h = act.f(z1)  # (4, H)
            p = sigmoid(h @ W2 + b2)  # (4,)
            losses.append(_bce(p))
            if len(losses) > epochs:
                break
            dz2 = (p - Y) / 4  # (4,)
            dW2 = h.T @ dz2  # (H,)
            db2 = float(np.sum(dz2))
            dz1 = np.outer(dz2, W2) * act.df(z1)  # (4, H)
            W1 = W1 - lr * (X.T @ dz1)
            b1 = b1 - lr * dz1.sum(axis=0)
            W2 = W2 - lr * dW2
            b2 = b2 - lr * db2
    z1 = X @ W1 + b1
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
        loss=losses[-1],
        correct=int(np.sum((p > 0.5) == (Y > 0.5))),
        losses=tuple(losses),
        decisions=tuple(tuple(int(v) for v in (z1[:, j] > 0)) for j in range(hidden)),
    )


def _bce(p: np.ndarray) -> float:
    q = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(Y * np.log(q) + (1 - Y) * np.log(1 - q)))


def success_rate(act: Activation, hidden: int, seeds: range, epochs: int, lr: float) -> int:
    """How many seeds reach 4/4: the 'finding the weights is easy' claim, measured."""
    return sum(train_mlp(act, hidden, s, epochs, lr).correct == 4 for s in seeds)
