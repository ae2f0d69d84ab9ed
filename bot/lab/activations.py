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

from bot.lab import activation_fns as F
from bot.lab.activation_fns import sigmoid, softplus  # noqa: F401  (re-exported)
from bot.lab.activation_numbers import minimum_in

Fn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Interval:
    """A (possibly unbounded) interval; `values` lists a finite range instead."""

    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool
    values: tuple[float, ...] = ()

    @property
    def bounded(self) -> bool:
        return bool(np.isfinite(self.lo) and np.isfinite(self.hi))


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
    zero_centred: bool  # E f(Z) ≈ 0 for Z ~ N(0, 1): |mean| ≤ 1% of the RMS output
    saturates: str  # where f' → 0: "none", "left", "right", "both", or "flat" (f' = 0 a.e.)
    smooth: bool  # f is continuously differentiable everywhere
    linear: bool  # f(a·x + b·y) = a·f(x) + b·f(y)
    note: str
    reference: str = ""
    kinks: tuple[float, ...] = ()
    min_bracket: tuple[float, float] | None = None  # f' goes from < 0 to > 0 in here
    lo_at: str = ""  # where a closed lower end is attained ("x ≤ 0"), if known in closed form
    hi_at: str = ""
    tail: str = ""  # closed form of 1 − f(x) for float saturation: "tanh" | "sigmoid"

    @property
    def bounded(self) -> bool:
        return self.range.bounded


INF = math.inf
_MIN = (-3.0, 0.0)  # bracket of the minimum of GELU, SiLU and Mish


def _lowest(f: Fn, df: Fn) -> float:
    return float(f(np.array([minimum_in(df, *_MIN)]))[0])


def _entries() -> list[Activation]:
    return [
        Activation(
            name="identity",
            label="identity",
            formula="f(x) = x",
            f=F.identity,
            df=F.identity_df,
            range=Interval(-INF, INF, False, False),
            monotone=True,
            zero_centred=True,
            saturates="none",
            smooth=True,
            linear=True,
            note="No activation at all: stacked layers collapse into one matrix.",
        ),
        Activation(
            name="linear_squash",
            label="linear squash x/1000",
            formula="f(x) = x/1000",
            f=F.linear_squash,
            df=F.linear_squash_df,
            range=Interval(-INF, INF, False, False),
            monotone=True,
            zero_centred=True,
            saturates="none",
            smooth=True,
            linear=True,
            note="Squashing by a constant is still linear: it adds no nonlinearity, whatever the scale.",
        ),
        Activation(
            name="step",
            label="step (Heaviside)",
            formula="f(x) = 1 if x > 0 else 0",
            f=F.step,
            df=F.flat_df,
            range=Interval(0, 1, True, True, values=(0.0, 1.0)),
            monotone=True,
            zero_centred=False,
            saturates="flat",
            smooth=False,
            linear=False,
            note="The perceptron's threshold: a hard decision, but f' = 0 almost everywhere, so gradient descent cannot train through it.",
            reference="Rosenblatt 1958, The Perceptron",
            kinks=(0.0,),
        ),
        Activation(
            name="sign",
            label="sign",
            formula="f(x) = sign(x)",
            f=F.sign,
            df=F.flat_df,
            range=Interval(-1, 1, True, True, values=(-1.0, 0.0, 1.0)),
            monotone=True,
            zero_centred=True,
            saturates="flat",
            smooth=False,
            linear=False,
            note="A ±1 decision; like the step it has no useful gradient.",
            kinks=(0.0,),
        ),
        Activation(
            name="sigmoid",
            label="sigmoid (logistic)",
            formula="f(x) = 1/(1 + e^−x)",
            f=F.sigmoid,
            df=F.sigmoid_df,
            range=Interval(0, 1, False, False),
            monotone=True,
            zero_centred=False,
            saturates="both",
            smooth=True,
            linear=False,
            tail="sigmoid",
            note="Maps onto (0, 1), open at both ends; f'(0) = 1/4 at most, so deep stacks shrink gradients.",
        ),
        Activation(
            name="tanh",
            label="tanh",
            formula="f(x) = tanh(x)",
            f=F.tanh,
            df=F.tanh_df,
            range=Interval(-1, 1, False, False),
            monotone=True,
            zero_centred=True,
            saturates="both",
            smooth=True,
            linear=False,
            tail="tanh",
            note="Maps onto (−1, 1), open at both ends (not 'below one'); odd, slope 1 at 0, so nearly linear for small inputs.",
        ),
        Activation(
            name="hardtanh",
            label="hardtanh",
            formula="f(x) = clip(x, −1, 1)",
            f=F.hardtanh,
            df=F.hardtanh_df,
            range=Interval(-1, 1, True, True),
            monotone=True,
            zero_centred=True,
            saturates="both",
            smooth=False,
            linear=False,
            note="Piecewise-linear tanh: reaches ±1 exactly, flat beyond.",
            kinks=(-1.0, 1.0),
            lo_at="x ≤ −1",
            hi_at="x ≥ 1",
        ),
        Activation(
            name="relu",
            label="ReLU",
            formula="f(x) = max(x, 0)",
            f=F.relu,
            df=F.relu_df,
            range=Interval(0, INF, True, False),
            monotone=True,
            zero_centred=False,
            saturates="left",
            smooth=False,
            linear=False,
            note="A gate: passes x through or blocks it. Networks of ReLUs are piecewise linear.",
            reference="Nair & Hinton 2010; Glorot, Bordes & Bengio 2011",
            kinks=(0.0,),
            lo_at="x ≤ 0",
        ),
        Activation(
            name="leaky_relu",
            label="leaky ReLU (0.01)",
            formula="f(x) = max(x, 0.01·x)",
            f=F.leaky_relu,
            df=F.leaky_relu_df,
            range=Interval(-INF, INF, False, False),
            monotone=True,
            zero_centred=False,
            saturates="none",
            smooth=False,
            linear=False,
            note="ReLU with a small slope for x < 0, so no unit's gradient dies completely.",
            reference="Maas, Hannun & Ng 2013",
            kinks=(0.0,),
        ),
        Activation(
            name="elu",
            label="ELU (α = 1)",
            formula="f(x) = x if x > 0 else e^x − 1",
            f=F.elu,
            df=F.elu_df,
            range=Interval(-1, INF, False, False),
            monotone=True,
            zero_centred=False,
            saturates="left",
            smooth=True,
            linear=False,
            note="Smooth for α = 1; saturates to −1 for very negative inputs.",
            reference="Clevert, Unterthiner & Hochreiter 2015",
        ),
        Activation(
            name="selu",
            label="SELU",
            formula="f(x) = λ·x if x > 0 else λα(e^x − 1)",
            f=F.selu,
            df=F.selu_df,
            range=Interval(-F.SELU_LAMBDA * F.SELU_ALPHA, INF, False, False),
            monotone=True,
            zero_centred=True,
            saturates="left",
            smooth=False,
            linear=False,
            note="Scaled ELU chosen so activations self-normalise; f' jumps from λα to λ at 0.",
            reference="Klambauer et al. 2017, Self-Normalizing Neural Networks",
            kinks=(0.0,),
        ),
        Activation(
            name="gelu",
            label="GELU (exact, erf)",
            formula="f(x) = x·Φ(x)",
            f=F.gelu,
            df=F.gelu_df,
            range=Interval(_lowest(F.gelu, F.gelu_df), INF, True, False),
            monotone=False,
            zero_centred=False,
            saturates="left",
            smooth=True,
            linear=False,
            note="x weighted by the Gaussian CDF; dips to a minimum just below zero, so not monotone.",
            reference="Hendrycks & Gimpel 2016",
            min_bracket=_MIN,
        ),
        Activation(
            name="gelu_tanh",
            label="GELU (tanh approximation)",
            formula="f(x) = x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))",
            f=F.gelu_tanh,
            df=F.gelu_tanh_df,
            range=Interval(_lowest(F.gelu_tanh, F.gelu_tanh_df), INF, True, False),
            monotone=False,
            zero_centred=False,
            saturates="left",
            smooth=True,
            linear=False,
            note="The tanh approximation of GELU used by BERT and GPT-2; within 1e-3 of the erf form.",
            reference="Hendrycks & Gimpel 2016",
            min_bracket=_MIN,
        ),
        Activation(
            name="silu",
            label="SiLU / Swish",
            formula="f(x) = x·σ(x)",
            f=F.silu,
            df=F.silu_df,
            range=Interval(_lowest(F.silu, F.silu_df), INF, True, False),
            monotone=False,
            zero_centred=False,
            saturates="left",
            smooth=True,
            linear=False,
            note="x gated by its own sigmoid; Swish-β makes the gate's sharpness trainable.",
            reference="Ramachandran, Zoph & Le 2017, Searching for Activation Functions",
            min_bracket=_MIN,
        ),
        Activation(
            name="mish",
            label="Mish",
            formula="f(x) = x·tanh(softplus(x))",
            f=F.mish,
            df=F.mish_df,
            range=Interval(_lowest(F.mish, F.mish_df), INF, True, False),
            monotone=False,
            zero_centred=False,
            saturates="left",
            smooth=True,
            linear=False,
            note="Smooth, non-monotone, unbounded above, like SiLU.",
            reference="Misra 2019, Mish",
            min_bracket=_MIN,
        ),
        Activation(
            name="softplus",
            label="softplus",
            formula="f(x) = log(1 + e^x)",
            f=F.softplus,
            df=F.sigmoid,
            range=Interval(0, INF, False, False),
            monotone=True,
            zero_centred=False,
            saturates="left",
            smooth=True,
            linear=False,
            note="A smooth ReLU; its derivative is the sigmoid.",
        ),
        Activation(
            name="softsign",
            label="softsign",
            formula="f(x) = x/(1 + |x|)",
            f=F.softsign,
            df=F.softsign_df,
            range=Interval(-1, 1, False, False),
            monotone=True,
            zero_centred=True,
            saturates="both",
            smooth=True,
            linear=False,
            note="Like tanh but approaches ±1 polynomially, so it saturates more slowly.",
        ),
        Activation(
            name="sin",
            label="sine",
            formula="f(x) = sin(x)",
            f=F.sin,
            df=F.sin_df,
            range=Interval(-1, 1, True, True),
            monotone=False,
            zero_centred=True,
            saturates="none",
            smooth=True,
            linear=False,
            note="Periodic and non-monotone: one sine unit solves XOR. SIREN networks use it.",
            reference="Sitzmann et al. 2020, SIREN",
            lo_at="x = −π/2 + 2πk",
            hi_at="x = π/2 + 2πk",
        ),
        Activation(
            name="gaussian",
            label="Gaussian",
            formula="f(x) = e^(−x²)",
            f=F.gaussian,
            df=F.gaussian_df,
            range=Interval(0, 1, False, True),
            monotone=False,
            zero_centred=False,
            saturates="both",
            smooth=True,
            linear=False,
            note="A bump: fires near 0 only, the unit of radial-basis networks.",
            reference="Broomhead & Lowe 1988",
            hi_at="x = 0",
        ),
        Activation(
            name="abs",
            label="absolute value",
            formula="f(x) = |x|",
            f=F.absolute,
            df=F.absolute_df,
            range=Interval(0, INF, True, False),
            monotone=False,
            zero_centred=False,
            saturates="none",
            smooth=False,
            linear=False,
            note="Non-monotone and piecewise linear: a single |x| unit folds the plane.",
            kinks=(0.0,),
            lo_at="x = 0",
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
