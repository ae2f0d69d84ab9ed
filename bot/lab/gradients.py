"""How a gradient shrinks (or grows) on its way back through a deep network.

With a_0 = x, z_l = W_l·a_{l−1} + b_l, a_l = f(z_l) (l = 1..L) and output y = v·a_L,
the chain rule gives the backward recursion

    ∂y/∂a_L = v,    ∂y/∂a_{l−1} = W_lᵀ · diag(f'(z_l)) · ∂y/∂a_l,

so the gradient reaching layer l is a product of one factor W_kᵀ·diag(f'(z_k)) per
layer above it. |σ'| ≤ ¼ bounds only the diagonal part: the honest bound is
‖∂y/∂a_{l−1}‖ ≤ ‖W_l‖₂·max|f'|·‖∂y/∂a_l‖, and the weights can make the product grow
as well as shrink. We measure ‖∂y/∂a_l‖ for a random network and that bound beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Fn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class GradientFlow:
    gain: float  # weights are N(0, gain²/width)
    norms: tuple[float, ...]  # ‖∂y/∂a_l‖ for l = L, L − 1, ..., 0 (index k: k layers back)
    ratios: tuple[float, ...]  # ‖∂y/∂a_{l−1}‖ / ‖∂y/∂a_l‖ for l = L, ..., 1
    shrink: float  # ‖∂y/∂x‖ / ‖∂y/∂a_L‖: what reaches the input, per unit leaving the top
    bound: tuple[float, ...]  # Π over those k layers of ‖W‖₂·max|f'| times ‖v‖
    weight_norms: tuple[float, ...]  # ‖W_l‖₂ for l = L, ..., 1 (spectral norms)
    slopes: tuple[float, ...]  # max_i |f'(z_l)_i| for l = L, ..., 1 (actual, at this input)


def random_network(
    depth: int, width: int, seed: int, gain: float = 1.0
) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
    """Weights N(0, gain²/width), zero biases, a readout v and an input x, all seeded."""
    rng = np.random.default_rng(seed)
    Ws = [rng.normal(0.0, gain / np.sqrt(width), (width, width)) for _ in range(depth)]  # (n, n)
    bs = [np.zeros(width) for _ in range(depth)]  # (n,)
    v = rng.normal(0.0, 1.0 / np.sqrt(width), width)  # (n,)
    x = rng.normal(0.0, 1.0, width)  # (n,)
    return Ws, bs, v, x


def forward(Ws: list[np.ndarray], bs: list[np.ndarray], f: Fn, x: np.ndarray) -> list[np.ndarray]:
    """Pre-activations z_1..z_L of the network at input x."""
    zs, a = [], x
    for W, b in zip(Ws, bs, strict=True):
        z = W @ a + b  # (n,)
        zs.append(z)
        a = f(z)
    return zs


def backward(Ws: list[np.ndarray], zs: list[np.ndarray], df: Fn, v: np.ndarray) -> list[np.ndarray]:
    """∂y/∂a_l for l = L, L − 1, ..., 0 by the recursion g ← W_lᵀ·(f'(z_l) ⊙ g)."""
    g = v
    grads = [g]
    for W, z in zip(reversed(Ws), reversed(zs), strict=True):
        g = W.T @ (df(z) * g)  # (n,)
        grads.append(g)
    return grads


def gradient_flow(
    f: Fn, df: Fn, *, depth: int = 30, width: int = 64, seed: int = 0, gain: float = 1.0
) -> GradientFlow:
    """Backpropagate y = v·a_L through a random depth × width network with activation f."""
    Ws, bs, v, x = random_network(depth, width, seed, gain)
    zs = forward(Ws, bs, f, x)
    grads = backward(Ws, zs, df, v)
    weight_norms = [float(np.linalg.norm(W, 2)) for W in reversed(Ws)]
    slopes = [float(np.max(np.abs(df(z)))) for z in reversed(zs)]
    factors = np.array(weight_norms) * np.array(slopes)  # (L,) one bound factor per layer
    bound = float(np.linalg.norm(v)) * np.concatenate([[1.0], np.cumprod(factors)])  # (L + 1,)
    norms = np.array([np.linalg.norm(g) for g in grads])  # (L + 1,)
    return GradientFlow(
        gain=gain,
        norms=tuple(float(n) for n in norms),
        ratios=tuple(float(r) for r in norms[1:] / norms[:-1]),
        shrink=float(norms[-1] / norms[0]),
        bound=tuple(float(b) for b in bound),
        weight_norms=tuple(weight_norms),
        slopes=tuple(slopes),
    )
