"""Squashing one line (y·w3, tanh, sigmoid) versus one sine unit on XOR.

w3·(w·x + b) is still affine, so least squares finds the same fit for every w3 ≠ 0
and the best threshold is still one line (3 of 4). A monotone squash keeps the
decision set {f(u) > ½} a half-line: one line again, at any seed. The point is
monotonicity, not squashing: sin(π/2·(x1 + x2)) gives 0, 1, 1, 0 on the corners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.lab.activation_fns import sigmoid, sigmoid_df, tanh, tanh_df
from bot.lab.activations import REGISTRY
from bot.lab.neuron import NeuronRun, neuron_descent, train_neuron
from bot.lab.xor import X, Y, best_linear_threshold_correct, score

SQUASH_W3 = (1.0, 1e-3, -2.0)
SQUASH_EPOCHS, SQUASH_LR = 2000, 1.0
W3_SWEEP = (-1e3, -10.0, -1.0, -0.1, -1e-3, 1e-3, 0.1, 1.0, 10.0, 1e3)  # for the figure


def scaled_mse(w3):
    """Least squares over (w, b) of w3·(w·x + b): the MSE of the best composite."""
    A = np.column_stack([X, np.ones(4)])  # (4, 3)
    c, *_ = np.linalg.lstsq(w3 * A, Y, rcond=None)  # w3·(A c) = A (w3 c)
    composite = np.round(w3 * c, 12) + 0.0  # (3,)
    return float(np.mean((A @ composite - Y) ** 2))


def squash_numbers(seed):
    """The /xor squash card's numbers: the w3 sweep, trained tanh and sigmoid units, sine."""
    out = {f"mse_w3={w3:g}": scaled_mse(w3) for w3 in SQUASH_W3}
    out["best_line_correct"] = best_linear_threshold_correct(X, Y)
    for name, f, df in (("tanh", tanh, tanh_df), ("sigmoid", sigmoid, sigmoid_df)):
        w, b, losses, _, _ = neuron_descent(f, df, seed, SQUASH_EPOCHS, SQUASH_LR)
        right, wrong, undecided = score(f(X @ w + b))
        out[f"{name}_right"] = right
        out[f"{name}_wrong"] = wrong
        out[f"{name}_undecided"] = undecided
        out[f"{name}_loss"] = float(losses[-1])
    sine = np.sin(np.pi / 2 * (X[:, 0] + X[:, 1]))  # (4,)
    out["sine_outputs"] = sine
    out["sine_right"] = score(sine)[0]
    out["sine_max_error"] = float(np.max(np.abs(sine - Y)))
    return out


@dataclass(frozen=True)
class Squash:
    values: dict  # squash_numbers(seed): what the card prints
    tanh: NeuronRun  # the trained tanh unit, for the figure
    sweep: tuple[tuple[float, float], ...]  # (w3, MSE) over W3_SWEEP


def squash(seed: int) -> Squash:
    """Everything the card and its figure need (the numbers are `squash_numbers`')."""
    return Squash(
        values=squash_numbers(seed),
        tanh=train_neuron(REGISTRY["tanh"], seed, SQUASH_EPOCHS, SQUASH_LR),
        sweep=tuple((w3, scaled_mse(w3)) for w3 in W3_SWEEP),
    )
