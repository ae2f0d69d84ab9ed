"""Figures for /explain topics that no command draws: approximation, learnable phase, gradients."""

from __future__ import annotations

import numpy as np

from bot.figures import theme
from bot.lab.approx import Approximation
from bot.lab.gradients import GradientFlow
from bot.lab.phase import PhaseRun


def approx_figure(a: Approximation) -> bytes:
    """Left: sin and an 8-kink ReLU network. Middle: the same on a step. Right: errors."""
    fig = theme.new_figure((10.0, 4.5))
    a1, a2, a3 = fig.subplots(1, 3)
    theme.style(a1, "sin x: 8 kinks, 9 ReLU units")
    a1.plot(a.x, a.target, color=theme.BLUE, linewidth=2.4, label="sin x")
    a1.plot(a.x, a.fit, color=theme.ORANGE, linewidth=1.6, label="ReLU network")
    b0, b1 = a.chebyshev_line
    a1.plot(a.x, b0 + b1 * a.x, color=theme.RED, linestyle=":", label="best line (max norm)")
    a1.set_xlabel("x")
    a1.set_ylim(-1.25, 1.6)
    theme.legend(a1, loc="upper left", ncols=2)
    theme.style(a2, "a step: 8 kinks, 9 ReLU units")
    a2.plot(a.x, a.step_target, color=theme.BLUE, linewidth=2.4, label="step")
    a2.plot(a.x, a.step_fit, color=theme.ORANGE, linewidth=1.6, label="ReLU network")
    a2.plot([0.0], [0.5], "o", color=theme.RED, markersize=5)
    a2.annotate(
        "max error ≥ ½ for any\ncontinuous fit (here ½)",
        (0.0, 0.5),
        xytext=(0.6, 0.35),
        color=theme.FG,
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": theme.MUTED},
    )
    a2.set_xlabel("x")
    a2.set_ylim(-0.15, 1.45)
    theme.legend(a2, loc="upper left")
    theme.style(a3, "error against hidden units")
    n = np.array(a.kinks) + 1  # N kinks are N + 1 ReLU units (one kinks at −π)
    a3.loglog(n, a.max_errors, "o-", color=theme.GREEN, label="sin: max error")
    a3.loglog(n, a.max_errors[-1] * (n / n[-1]) ** -2.0, "--", color=theme.MUTED, label="∝ units⁻²")
    m = np.array(a.step_kinks) + 1
    a3.loglog(m, a.step_max_errors, "s-", color=theme.PINK, label="step: max error (½)")
    a3.loglog(m, a.step_rms_errors, "^-", color=theme.YELLOW, label="step: RMS error")
    a3.axhline(a.chebyshev_error, color=theme.RED, linestyle=":", label="best line (max norm)")
    a3.set_xlabel("ReLU units")
    a3.set_ylabel("error")
    a3.set_ylim(1e-5, 4.0)
    theme.legend(a3, loc="lower left")
    return theme.png_bytes(fig)


def phase_figure(p: PhaseRun) -> bytes:
    """The two loss curves lie on top of each other."""
    fig = theme.new_figure()
    ax = fig.subplots(1, 1)
    theme.style(ax, "sin(w·x + b + φ) against sin(w·x + c), c learning twice as fast")
    steps = np.arange(len(p.losses_phase))
    ax.semilogy(steps, p.losses_phase, color=theme.BLUE, linewidth=4, label="learnable phase φ")
    ax.semilogy(
        steps,
        p.losses_plain,
        color=theme.ORANGE,
        linewidth=1.6,
        linestyle="--",
        label="plain sine, bias lr × 2",
    )
    ax.set_xlabel("gradient step")
    ax.set_ylabel("mean squared error")
    theme.legend(ax, loc="upper right")
    return theme.png_bytes(fig)


def gradient_figure(flows: dict[str, GradientFlow], factors: GradientFlow) -> bytes:
    """Left: ‖∂y/∂a‖ layer by layer, one line per network. Right: one network's factors."""
    fig = theme.new_figure((9.0, 4.5))
    a1, a2 = fig.subplots(1, 2)
    theme.style(a1, "gradient norm, going back through the layers")
    for (label, flow), color in zip(flows.items(), theme.SERIES, strict=False):
        k = np.arange(len(flow.norms))
        a1.semilogy(k, flow.norms, color=color, linewidth=1.8, label=label)
    k = np.arange(len(factors.norms))
    a1.semilogy(
        k, factors.norms[0] * 0.25**k, "--", color=theme.MUTED, label="$(1/4)^k$: σ' ≤ ¼ alone"
    )
    a1.set_xlabel("layers back from the output")
    a1.set_ylabel("‖∂y/∂a‖")
    a1.set_ylim(1e-22, 1e3)
    theme.legend(a1, loc="lower left")
    theme.style(a2, "per layer, sigmoid net: the weights count too")
    layer = np.arange(1, len(factors.ratios) + 1)
    a2.semilogy(layer, factors.weight_norms, "o", color=theme.BLUE, markersize=4, label="‖W‖₂")
    a2.semilogy(layer, factors.slopes, "s", color=theme.ORANGE, markersize=4, label="max σ'(z)")
    product = np.array(factors.weight_norms) * np.array(factors.slopes)
    a2.semilogy(layer, product, "^", color=theme.PINK, markersize=4, label="‖W‖₂ · max σ' (bound)")
    a2.semilogy(layer, factors.ratios, "D", color=theme.GREEN, markersize=4, label="actual ratio")
    a2.set_xlabel("layers back from the output")
    a2.set_ylabel("factor per layer")
    a2.set_ylim(0.05, 20)
    theme.legend(a2, loc="upper left", ncols=2)
    return theme.png_bytes(fig)
