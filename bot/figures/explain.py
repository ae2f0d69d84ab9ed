"""Figures for /explain topics that no command draws: approximation and learnable phase."""

from __future__ import annotations

import numpy as np

from bot.figures import theme
from bot.lab.approx import Approximation
from bot.lab.phase import PhaseRun


def approx_figure(a: Approximation) -> bytes:
    """Left: sin and an 8-kink ReLU network. Right: max error against kinks, log-log."""
    fig = theme.new_figure()
    a1, a2 = fig.subplots(1, 2)
    theme.style(a1, "one hidden ReLU layer, 8 kinks")
    a1.plot(a.x, a.target, color=theme.BLUE, linewidth=2.4, label="sin x")
    a1.plot(a.x, a.fit, color=theme.ORANGE, linewidth=1.6, label="ReLU network")
    a1.set_xlabel("x")
    theme.legend(a1, loc="upper left")
    theme.style(a2, f"max error falls like N^{a.slope:.2f}")
    n = np.array(a.kinks)
    a2.loglog(n, a.max_errors, "o-", color=theme.GREEN, label="ReLU, N kinks")
    a2.loglog(n, a.max_errors[0] * (n / n[0]) ** -2.0, "--", color=theme.MUTED, label="∝ N⁻²")
    a2.axhline(a.best_line_error, color=theme.RED, linestyle=":", label="linear units: best line")
    a2.set_xlabel("hidden units N")
    a2.set_ylabel("max |error|")
    theme.legend(a2, loc="lower left")
    return theme.png_bytes(fig)


def phase_figure(p: PhaseRun) -> bytes:
    """The two loss curves lie on top of each other."""
    fig = theme.new_figure()
    ax = fig.subplots(1, 1)
    theme.style(ax, "sin(w·x + b + φ) vs sin(w·x + b′) with b′'s learning rate doubled")
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
