"""A registry of activation functions with exact derivatives and honest ranges.

Each entry carries f, its derivative f', the range as an interval with open or
closed ends, and properties a test can check numerically. "Linear" means
f(a·x + b·y) = a·f(x) + b·f(y): such an activation adds no nonlinearity at all,
however it "squashes" (x/1000 is linear).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Fn = Callable[[np.ndarray], np.ndarray]

SELU_ALPHA = 1.6732632423543772
SELU_LAMBDA = 1.0507009873554805
LEAKY_SLOPE = 0.01
GELU_C = math.sqrt(2.0 / math.pi)

_erf = np.frompyfunc(math.erf, 1, 1)


def erf(x: np.ndarray) -> np.ndarray:
    """Elementwise error function (math.erf; NumPy has none)."""
    return np.asarray(_erf(np.asarray(x, dtype=float)), dtype=float)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^−x), evaluated without overflow for large |x|."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) = max(x, 0) + log1p(e^−|x|), stable for large |x|."""
    x = np.asarray(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _phi(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _gelu_tanh_inner(x: np.ndarray) -> np.ndarray:
    return GELU_C * (x + 0.044715 * x**3)


def _mish_df(x: np.ndarray) -> np.ndarray:
    t = np.tanh(softplus(x))
    return t + x * (1 - t * t) * sigmoid(x)


@dataclass(frozen=True)
class Interval:
    """A (possibly unbounded) interval; `values` lists a finite range instead."""

    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool
    values: tuple[float, ...] | None = None

    def text(self, digits: int = 4) -> str:
        if self.values is not None:
            return "{" + ", ".join(_num(v, digits) for v in self.values) + "}"
        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        return f"{left}{_num(self.lo, digits)}, {_num(self.hi, digits)}{right}"

    @property
    def bounded(self) -> bool:
        return bool(np.isfinite(self.lo) and np.isfinite(self.hi))


def _num(v: float, digits: int) -> str:
    if v == math.inf:
        return "∞"
    if v == -math.inf:
        return "−∞"
    return f"{v:.{digits}g}".replace("-", "−")


@dataclass(frozen=True)
class Activation:
    """One registry entry. `kinks` are points where f' is discontinuous (or f is)."""

    name: str
    label: str
    formula: str
    f: Fn
    df: Fn
    range: Interval
    monotone: bool  # non-decreasing everywhere
    zero_centred: bool  # f(0) = 0 and f takes both signs
    saturates: str  # where f' → 0: "none", "left", "right", "both", or "flat" (f' = 0 a.e.)
    smooth: bool  # f is continuously differentiable everywhere
    linear: bool  # f(a·x + b·y) = a·f(x) + b·f(y)
    note: str
    reference: str = ""
    kinks: tuple[float, ...] = ()
    argmin: float | None = None  # where a closed finite lower end is attained

    @property
    def bounded(self) -> bool:
        return self.range.bounded


def _min_of(df: Fn, lo: float, hi: float) -> float:
    """Root of f' in [lo, hi] by bisection (f' < 0 at lo, > 0 at hi): where f is smallest."""
    a, b = lo, hi
    for _ in range(200):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        if float(df(np.array(m))) < 0:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def _with_min(f: Fn, df: Fn, bracket: tuple[float, float]) -> tuple[float, float]:
    x = _min_of(df, *bracket)
    return x, float(f(np.array(x)))


INF = math.inf

_gelu = (
    lambda x: 0.5 * x * (1 + erf(x / math.sqrt(2))),
    lambda x: 0.5 * (1 + erf(x / math.sqrt(2))) + x * _phi(x),
)
_gelu_t = (
    lambda x: 0.5 * x * (1 + np.tanh(_gelu_tanh_inner(x))),
    lambda x: (
        0.5 * (1 + np.tanh(_gelu_tanh_inner(x)))
        + 0.5 * x * (1 - np.tanh(_gelu_tanh_inner(x)) ** 2) * GELU_C * (1 + 3 * 0.044715 * x**2)
    ),
)
_silu = (lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x))))
_mish = (lambda x: x * np.tanh(softplus(x)), _mish_df)

_gelu_min = _with_min(*_gelu, (-3.0, 0.0))
_gelu_t_min = _with_min(*_gelu_t, (-3.0, 0.0))
_silu_min = _with_min(*_silu, (-3.0, 0.0))
_mish_min = _with_min(*_mish, (-3.0, 0.0))


def _entries() -> list[Activation]:
    one = lambda x: np.ones_like(np.asarray(x, dtype=float))  # noqa: E731
    zero = lambda x: np.zeros_like(np.asarray(x, dtype=float))  # noqa: E731
    return [
        Activation(
            "identity",
            "identity",
            "f(x) = x",
            lambda x: np.asarray(x, dtype=float),
            one,
            Interval(-INF, INF, False, False),
            True,
            True,
            "none",
            True,
            True,
            "No activation at all: stacked layers collapse into one matrix.",
        ),
        Activation(
            "linear_squash",
            "linear squash x/1000",
            "f(x) = x/1000",
            lambda x: np.asarray(x, dtype=float) / 1000,
            lambda x: one(x) / 1000,
            Interval(-INF, INF, False, False),
            True,
            True,
            "none",
            True,
            True,
            "Squashing by a constant is still linear: it adds no nonlinearity, whatever the scale.",
        ),
        Activation(
            "step",
            "step (Heaviside)",
            "f(x) = 1 if x > 0 else 0",
            lambda x: (np.asarray(x) > 0).astype(float),
            zero,
            Interval(0, 1, True, True, values=(0.0, 1.0)),
            True,
            False,
            "flat",
            False,
            False,
            "The perceptron's threshold: a hard decision, but f' = 0 almost everywhere, "
            "so gradient descent cannot train through it.",
            "Rosenblatt 1958, The Perceptron",
            kinks=(0.0,),
        ),
        Activation(
            "sign",
            "sign",
            "f(x) = sign(x)",
            lambda x: np.sign(np.asarray(x, dtype=float)),
            zero,
            Interval(-1, 1, True, True, values=(-1.0, 0.0, 1.0)),
            True,
            True,
            "flat",
            False,
            False,
            "A ±1 decision; like the step it has no useful gradient.",
            kinks=(0.0,),
        ),
        Activation(
            "sigmoid",
            "sigmoid (logistic)",
            "f(x) = 1/(1 + e^−x)",
            sigmoid,
            lambda x: sigmoid(x) * (1 - sigmoid(x)),
            Interval(0, 1, False, False),
            True,
            False,
            "both",
            True,
            False,
            "Maps onto (0, 1), open at both ends; f'(0) = 1/4 at most, so deep stacks "
            "shrink gradients.",
        ),
        Activation(
            "tanh",
            "tanh",
            "f(x) = tanh(x)",
            np.tanh,
            lambda x: 1 - np.tanh(x) ** 2,
            Interval(-1, 1, False, False),
            True,
            True,
            "both",
            True,
            False,
            "Maps onto (−1, 1), open at both ends (not 'below one'); odd, slope 1 at 0, "
            "so nearly linear for small inputs.",
        ),
        Activation(
            "hardtanh",
            "hardtanh",
            "f(x) = clip(x, −1, 1)",
            lambda x: np.clip(x, -1.0, 1.0),
            lambda x: ((np.asarray(x) > -1) & (np.asarray(x) < 1)).astype(float),
            Interval(-1, 1, True, True),
            True,
            True,
            "both",
            False,
            False,
            "Piecewise-linear tanh: reaches ±1 exactly, flat beyond.",
            kinks=(-1.0, 1.0),
            argmin=-1.0,
        ),
        Activation(
            "relu",
            "ReLU",
            "f(x) = max(x, 0)",
            lambda x: np.maximum(x, 0.0),
            lambda x: (np.asarray(x) > 0).astype(float),
            Interval(0, INF, True, False),
            True,
            False,
            "left",
            False,
            False,
            "A gate: passes x through or blocks it. Networks of ReLUs are piecewise linear.",
            "Nair & Hinton 2010; Glorot, Bordes & Bengio 2011",
            kinks=(0.0,),
            argmin=-1.0,
        ),
        Activation(
            "leaky_relu",
            "leaky ReLU (0.01)",
            "f(x) = max(x, 0.01·x)",
            lambda x: np.where(np.asarray(x) > 0, x, LEAKY_SLOPE * np.asarray(x)),
            lambda x: np.where(np.asarray(x) > 0, 1.0, LEAKY_SLOPE),
            Interval(-INF, INF, False, False),
            True,
            True,
            "none",
            False,
            False,
            "ReLU with a small slope for x < 0, so no unit's gradient dies completely.",
            "Maas, Hannun & Ng 2013",
            kinks=(0.0,),
        ),
        Activation(
            "elu",
            "ELU (α = 1)",
            "f(x) = x if x > 0 else e^x − 1",
            lambda x: np.where(np.asarray(x) > 0, x, np.expm1(np.minimum(x, 0.0))),
            lambda x: np.where(np.asarray(x) > 0, 1.0, np.exp(np.minimum(x, 0.0))),
            Interval(-1, INF, False, False),
            True,
            True,
            "left",
            True,
            False,
            "Smooth for α = 1; saturates to −1 for very negative inputs.",
            "Clevert, Unterthiner & Hochreiter 2015",
        ),
        Activation(
            "selu",
            "SELU",
            "f(x) = λ·x if x > 0 else λα(e^x − 1)",
            lambda x: (
                SELU_LAMBDA
                * np.where(np.asarray(x) > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))
            ),
            lambda x: (
                SELU_LAMBDA
                * np.where(np.asarray(x) > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0)))
            ),
            Interval(-SELU_LAMBDA * SELU_ALPHA, INF, False, False),
            True,
            True,
            "left",
            False,
            False,
            "Scaled ELU chosen so activations self-normalise; f' jumps from λα to λ at 0.",
            "Klambauer et al. 2017, Self-Normalizing Neural Networks",
            kinks=(0.0,),
        ),
        Activation(
            "gelu",
            "GELU (exact, erf)",
            "f(x) = x·Φ(x)",
            *_gelu,
            Interval(_gelu_min[1], INF, True, False),
            False,
            True,
            "left",
            True,
            False,
            "x weighted by the Gaussian CDF; dips to a minimum just below zero, so not monotone.",
            "Hendrycks & Gimpel 2016",
            argmin=_gelu_min[0],
        ),
        Activation(
            "gelu_tanh",
            "GELU (tanh approximation)",
            "f(x) = x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))",
            *_gelu_t,
            Interval(_gelu_t_min[1], INF, True, False),
            False,
            True,
            "left",
            True,
            False,
            "The tanh approximation of GELU used by BERT and GPT-2; within 1e-3 of the erf form.",
            "Hendrycks & Gimpel 2016",
            argmin=_gelu_t_min[0],
        ),
        Activation(
            "silu",
            "SiLU / Swish",
            "f(x) = x·σ(x)",
            *_silu,
            Interval(_silu_min[1], INF, True, False),
            False,
            True,
            "left",
            True,
            False,
            "x gated by its own sigmoid; Swish-β makes the gate's sharpness trainable.",
            "Ramachandran, Zoph & Le 2017, Searching for Activation Functions",
            argmin=_silu_min[0],
        ),
        Activation(
            "mish",
            "Mish",
            "f(x) = x·tanh(softplus(x))",
            *_mish,
            Interval(_mish_min[1], INF, True, False),
            False,
            True,
            "left",
            True,
            False,
            "Smooth, non-monotone, unbounded above, like SiLU.",
            "Misra 2019, Mish",
            argmin=_mish_min[0],
        ),
        Activation(
            "softplus",
            "softplus",
            "f(x) = log(1 + e^x)",
            softplus,
            sigmoid,
            Interval(0, INF, False, False),
            True,
            False,
            "left",
            True,
            False,
            "A smooth ReLU; its derivative is the sigmoid.",
        ),
        Activation(
            "softsign",
            "softsign",
            "f(x) = x/(1 + |x|)",
            lambda x: np.asarray(x) / (1 + np.abs(x)),
            lambda x: 1 / (1 + np.abs(x)) ** 2,
            Interval(-1, 1, False, False),
            True,
            True,
            "both",
            True,
            False,
            "Like tanh but approaches ±1 polynomially, so it saturates more slowly.",
        ),
        Activation(
            "sin",
            "sine",
            "f(x) = sin(x)",
            np.sin,
            np.cos,
            Interval(-1, 1, True, True),
            False,
            True,
            "none",
            True,
            False,
            "Periodic and non-monotone: one sine unit solves XOR. SIREN networks use it.",
            "Sitzmann et al. 2020, SIREN",
            argmin=-math.pi / 2,
        ),
        Activation(
            "gaussian",
            "Gaussian",
            "f(x) = e^(−x²)",
            lambda x: np.exp(-(np.asarray(x) ** 2)),
            lambda x: -2 * np.asarray(x) * np.exp(-(np.asarray(x) ** 2)),
            Interval(0, 1, False, True),
            False,
            False,
            "both",
            True,
            False,
            "A bump: fires near 0 only, the unit of radial-basis networks.",
            "Broomhead & Lowe 1988",
        ),
        Activation(
            "abs",
            "absolute value",
            "f(x) = |x|",
            lambda x: np.abs(x),
            lambda x: np.sign(x),
            Interval(0, INF, True, False),
            False,
            False,
            "none",
            False,
            False,
            "Non-monotone and piecewise linear: a single |x| unit folds the plane.",
            kinks=(0.0,),
            argmin=0.0,
        ),
    ]


REGISTRY: dict[str, Activation] = {a.name: a for a in _entries()}
ALIASES = {
    "swish": "silu",
    "linear": "identity",
    "squash": "linear_squash",
    "heaviside": "step",
    "logistic": "sigmoid",
    "leaky": "leaky_relu",
    "leakyrelu": "leaky_relu",
    "sine": "sin",
    "gelu_erf": "gelu",
}


def lookup(name: str) -> Activation | None:
    """The entry for a name or alias, case- and separator-insensitive; None if unknown."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(key, key)
    return REGISTRY.get(key)
