"""XOR pictures: the four corners, a model's output as a heat map, and its lines."""

from __future__ import annotations

import numpy as np

from bot.figures import theme
from bot.lab.activations import sigmoid
from bot.lab.mlp import MLPRun
from bot.lab.neuron import NeuronRun
from bot.lab.xor import X, Y

LIM = (-0.5, 1.5)


def _grid(n: int = 161) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = np.linspace(*LIM, n)
    g1, g2 = np.meshgrid(g, g)
    return g1, g2, np.column_stack([g1.ravel(), g2.ravel()])  # (n*n, 2)


def _points(ax) -> None:
    for (x1, x2), y in zip(X, Y, strict=True):
        ax.scatter(
            [x1],
            [x2],
            s=180,
            zorder=5,
            marker="o" if y else "X",
            color=theme.ORANGE if y else theme.BLUE,
            edgecolor=theme.FG,
            linewidth=1.2,
        )
        ax.annotate(
            f"y={int(y)}",
            (x1, x2),
            xytext=(9, 9),
            textcoords="offset points",
            color=theme.FG,
            fontsize=9,
        )
    ax.set_xlim(*LIM)
    ax.set_ylim(*LIM)
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")


def _heat(ax, fig, values: np.ndarray, label: str, vmin=0.0, vmax=1.0) -> None:
    im = ax.imshow(
        values,
        origin="lower",
        extent=(*LIM, *LIM),
        cmap=theme.CMAP,
        vmin=vmin,
        vmax=vmax,
        alpha=0.85,
        interpolation="bilinear",
    )
    cb = fig.colorbar(im, ax=ax, shrink=0.8)
    cb.set_label(label, color=theme.FG)
    cb.ax.tick_params(colors=theme.MUTED, labelsize=8)


def _line(ax, w1: float, w2: float, b: float, color: str, label: str) -> None:
    """Draw w1·x1 + w2·x2 + b = 0 across the view."""
    t = np.linspace(*LIM, 2)
    if abs(w2) > 1e-12:
        ax.plot(t, -(w1 * t + b) / w2, color=color, linewidth=2, label=label)
    elif abs(w1) > 1e-12:
        ax.plot([-b / w1] * 2, LIM, color=color, linewidth=2, label=label)


def linear_figure(best_line: tuple[float, float, float]) -> bytes:
    """Left: the least-squares plane (0.5 everywhere). Right: the best line gets 3 of 4."""
    fig = theme.new_figure()
    a1, a2 = fig.subplots(1, 2)
    g1, _g2, _ = _grid()
    theme.style(a1, "least squares: y = 0.5 everywhere")
    _heat(a1, fig, np.full_like(g1, 0.5), "w1·x1 + w2·x2 + b")
    _points(a1)
    theme.style(a2, "the best any line can do: 3 of 4")
    _line(a2, *best_line, theme.GREEN, "x1 + x2 = 0.5")
    g = np.linspace(*LIM, 2)
    a2.fill_between(g, -g + 0.5, LIM[1], color=theme.ORANGE, alpha=0.15)
    _points(a2)
    theme.legend(a2, loc="lower left")
    return theme.png_bytes(fig)


def neuron_figure(run: NeuronRun, f) -> bytes:
    """The trained unit's output over the plane, its line, and the loss curve."""
    fig = theme.new_figure()
    a1, a2 = fig.subplots(1, 2)
    g1, _, pts = _grid()
    with np.errstate(all="ignore"):
        out = f(pts @ np.array(run.w) + run.b).reshape(g1.shape)
    theme.style(a1, f"{run.activation} unit: {run.correct}/4 correct")
    finite = out[np.isfinite(out)]
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    _heat(a1, fig, np.clip(out, -1, 2), "output", vmin=max(low, -1.0), vmax=1.0)
    _line(a1, *run.w, run.b, theme.GREEN, "w·x + b = 0")
    _points(a1)
    _loss(a2, run.losses, "mean squared error")
    return theme.png_bytes(fig)


def mlp_figure(run: MLPRun, f) -> bytes:
    """Output probability over the plane with every hidden unit's line, and the loss."""
    fig = theme.new_figure()
    a1, a2 = fig.subplots(1, 2)
    g1, _, pts = _grid()
    W1, b1, W2 = np.array(run.W1), np.array(run.b1), np.array(run.W2)
    with np.errstate(all="ignore"):
        p = sigmoid(f(pts @ W1 + b1) @ W2 + run.b2).reshape(g1.shape)
    theme.style(a1, f"2-{run.hidden}-1 {run.activation}: {run.correct}/4 correct")
    _heat(a1, fig, p, "p(y = 1)")
    for j in range(run.hidden):
        color = theme.SERIES[(j + 2) % len(theme.SERIES)]
        _line(a1, W1[0, j], W1[1, j], b1[j], color, f"unit {j + 1}" if j < 6 else None)
    _points(a1)
    if run.hidden <= 6:
        theme.legend(a1, loc="lower left")
    _loss(a2, run.losses, "cross-entropy")
    return theme.png_bytes(fig)


def _loss(ax, losses, label: str) -> None:
    theme.style(ax, "training loss")
    ls = np.asarray(losses)
    ax.plot(np.arange(len(ls)), ls, color=theme.BLUE, linewidth=2)
    if np.all(ls > 0) and ls.max() / max(ls.min(), 1e-300) > 50:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(label)


def squash_figure(sq) -> bytes:
    from bot.lab.activations import REGISTRY

    return neuron_figure(sq.tanh, REGISTRY["tanh"].f)
