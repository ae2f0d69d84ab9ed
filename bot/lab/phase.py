"""A learnable phase is just a bias: sin(w·x + b + φ) trains like sin(w·x + b').

∂L/∂b = ∂L/∂φ (both enter through z = w·x + b + φ), so gradient descent moves b + φ by
2·lr·g per step: exactly a plain sine unit whose bias b' = b + φ has twice the learning
rate. We train both on the same data and compare, step by step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PhaseRun:
    losses_phase: tuple[float, ...]  # model with a learnable phase
    losses_plain: tuple[float, ...]  # plain sine, bias learning rate doubled
    max_shift_gap: float  # max over steps |(b + φ) − b'|
    max_loss_gap: float


def compare(seed: int = 0, steps: int = 300, lr: float = 0.05) -> PhaseRun:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=64)  # (64,)
    y = np.sin(1.3 * x + 0.7)  # a target the unit can represent
    w, b, phi = 0.8, 0.0, 0.0  # learnable phase model
    w2, b2 = w, b + phi  # plain model, bias b' = b + φ
    lp, lq, gap = [], [], 0.0
    for _ in range(steps):
        z = w * x + b + phi
        r = np.sin(z) - y
        lp.append(float(np.mean(r**2)))
        g = 2 * r * np.cos(z) / len(x)  # dL/dz, (64,)
        w, b, phi = w - lr * float(g @ x), b - lr * float(g.sum()), phi - lr * float(g.sum())
        z2 = w2 * x + b2
        r2 = np.sin(z2) - y
        lq.append(float(np.mean(r2**2)))
        g2 = 2 * r2 * np.cos(z2) / len(x)
        w2, b2 = w2 - lr * float(g2 @ x), b2 - 2 * lr * float(g2.sum())
        gap = max(gap, abs((b + phi) - b2))
    return PhaseRun(tuple(lp), tuple(lq), gap, float(np.max(np.abs(np.subtract(lp, lq)))))
