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

Fn = Callable[[np.ndarray], np.ndarray]


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

_gelu_min = _with_min(F.gelu, F.gelu_df, (-3.0, 0.0))
_gelu_t_min = _with_min(F.gelu_tanh, F.gelu_tanh_df, (-3.0, 0.0))
_silu_min = _with_min(F.silu, F.silu_df, (-3.0, 0.0))
_mish_min = _with_min(F.mish, F.mish_df, (-3.0, 0.0))


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
            argmin=-1.0,
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
            argmin=-1.0,
        ),
        Activation(
            name="leaky_relu",
            label="leaky ReLU (0.01)",
            formula="f(x) = max(x, 0.01·x)",
            f=F.leaky_relu,
            df=F.leaky_relu_df,
            range=Interval(-INF, INF, False, False),
            monotone=True,
            zero_centred=True,
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
            zero_centred=True,
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
            range=Interval(_gelu_min[1], INF, True, False),
            monotone=False,
            zero_centred=True,
            saturates="left",
            smooth=True,
            linear=False,
            note="x weighted by the Gaussian CDF; dips to a minimum just below zero, so not monotone.",
            reference="Hendrycks & Gimpel 2016",
            argmin=_gelu_min[0],
        ),
        Activation(
            name="gelu_tanh",
            label="GELU (tanh approximation)",
            formula="f(x) = x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))",
            f=F.gelu_tanh,
            df=F.gelu_tanh_df,
            range=Interval(_gelu_t_min[1], INF, True, False),
            monotone=False,
            zero_centred=True,
            saturates="left",
            smooth=True,
            linear=False,
            note="The tanh approximation of GELU used by BERT and GPT-2; within 1e-3 of the erf form.",
            reference="Hendrycks & Gimpel 2016",
            argmin=_gelu_t_min[0],
        ),
        Activation(
            name="silu",
            label="SiLU / Swish",
            formula="f(x) = x·σ(x)",
            f=F.silu,
            df=F.silu_df,
            range=Interval(_silu_min[1], INF, True, False),
            monotone=False,
            zero_centred=True,
            saturates="left",
            smooth=True,
            linear=False,
            note="x gated by its own sigmoid; Swish-β makes the gate's sharpness trainable.",
            reference="Ramachandran, Zoph & Le 2017, Searching for Activation Functions",
            argmin=_silu_min[0],
        ),
        Activation(
            name="mish",
            label="Mish",
            formula="f(x) = x·tanh(softplus(x))",
            f=F.mish,
            df=F.mish_df,
            range=Interval(_mish_min[1], INF, True, False),
            monotone=False,
            zero_centred=True,
            saturates="left",
            smooth=True,
            linear=False,
            note="Smooth, non-monotone, unbounded above, like SiLU.",
            reference="Misra 2019, Mish",
            argmin=_mish_min[0],
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
            argmin=-math.pi / 2,
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
