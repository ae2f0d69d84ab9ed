"""The activation functions and their exact derivatives, one named def each.

Named defs (not lambdas) so that a Show-code script can carry their exact source: the
script computes with the very operations the bot used, to the last bit. Each f' is the
closed-form derivative; tests check it against central differences.
"""

from __future__ import annotations

import math

import numpy as np

SELU_ALPHA = 1.6732632423543772
SELU_LAMBDA = 1.0507009873554805
LEAKY_SLOPE = 0.01
GELU_C = math.sqrt(2.0 / math.pi)


def erf(x):
    """Elementwise error function (math.erf; NumPy has none)."""
    return np.asarray(np.frompyfunc(math.erf, 1, 1)(np.asarray(x, dtype=float)), dtype=float)


def sigmoid(x):
    """1 / (1 + e^−x), evaluated without overflow for large |x|."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    d = 1 + e
    return np.where(x >= 0, 1 / d, e / d)


def softplus(x):
    """log(1 + e^x) = max(x, 0) + log1p(e^−|x|), stable for large |x|."""
    x = np.asarray(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def identity(x):
    return np.asarray(x, dtype=float)


def identity_df(x):
    return np.ones_like(np.asarray(x, dtype=float))


def linear_squash(x):
    return np.asarray(x, dtype=float) / 1000


def linear_squash_df(x):
    return np.ones_like(np.asarray(x, dtype=float)) / 1000


def step(x):
    return (np.asarray(x) > 0).astype(float)


def flat_df(x):
    """f' = 0 wherever it exists (step, sign)."""
    return np.zeros_like(np.asarray(x, dtype=float))


def sign(x):
    return np.sign(np.asarray(x, dtype=float))


def sigmoid_df(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    return np.tanh(x)


def tanh_df(x):
    return 1 - np.tanh(x) ** 2


def hardtanh(x):
    return np.clip(x, -1.0, 1.0)


def hardtanh_df(x):
    return ((np.asarray(x) > -1) & (np.asarray(x) < 1)).astype(float)


def relu(x):
    return np.maximum(x, 0.0)


def relu_df(x):
    return (np.asarray(x) > 0).astype(float)


def leaky_relu(x):
    return np.where(np.asarray(x) > 0, x, LEAKY_SLOPE * np.asarray(x))


def leaky_relu_df(x):
    return np.where(np.asarray(x) > 0, 1.0, LEAKY_SLOPE)


def elu(x):
    return np.where(np.asarray(x) > 0, x, np.expm1(np.minimum(x, 0.0)))


def elu_df(x):
    return np.where(np.asarray(x) > 0, 1.0, np.exp(np.minimum(x, 0.0)))


def selu(x):
    return SELU_LAMBDA * np.where(np.asarray(x) > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


def selu_df(x):
    return SELU_LAMBDA * np.where(np.asarray(x) > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0)))


def normal_pdf(x):
    """φ(x), the standard normal density."""
    return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def gelu(x):
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def gelu_df(x):
    return 0.5 * (1 + erf(x / math.sqrt(2))) + x * normal_pdf(x)


def gelu_tanh_inner(x):
    return GELU_C * (x + 0.044715 * x**3)


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(gelu_tanh_inner(x)))


def gelu_tanh_df(x):
    return 0.5 * (1 + np.tanh(gelu_tanh_inner(x))) + 0.5 * x * (
        1 - np.tanh(gelu_tanh_inner(x)) ** 2
    ) * GELU_C * (1 + 3 * 0.044715 * x**2)


def silu(x):
    return x * sigmoid(x)


def silu_df(x):
    return sigmoid(x) * (1 + x * (1 - sigmoid(x)))


def mish(x):
    return x * np.tanh(softplus(x))


def mish_df(x):
    t = np.tanh(softplus(x))
    return t + x * (1 - t * t) * sigmoid(x)


def softsign(x):
    return np.asarray(x) / (1 + np.abs(x))


def softsign_df(x):
    return 1 / (1 + np.abs(x)) ** 2


def sin(x):
    return np.sin(x)


def sin_df(x):
    return np.cos(x)


def gaussian(x):
    return np.exp(-(np.asarray(x) ** 2))


def gaussian_df(x):
    return -2 * np.asarray(x) * np.exp(-(np.asarray(x) ** 2))


def absolute(x):
    return np.abs(x)


def absolute_df(x):
    return np.sign(x)


def unit_pair(name):
    """f and f' for a hidden unit as /train and /approximate name it (linear: the identity).
    A plain def, so a Show-code script can carry it."""
    return {
        "relu": (relu, relu_df),
        "tanh": (tanh, tanh_df),
        "sigmoid": (sigmoid, sigmoid_df),
        "linear": (identity, identity_df),
        "sin": (sin, sin_df),
    }[name]
