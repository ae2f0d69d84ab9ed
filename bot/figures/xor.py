"""XOR pictures: the four corners, a model's output over the plane, and where it decides.

A unit's decision boundary is drawn where its output crosses ½ (a contour: a band for
sin or the Gaussian), not the line w·x + b = 0. Corners a model gets wrong are ringed
in red, undecided ones (output within 1e-9 of ½) in yellow; labels sit on dark boxes so
they read on the grey middle of the colour map.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from bot.figures import theme
from bot.lab.activation_fns import sigmoid
from bot.lab.mlp import MLPRun
from bot.lab.neuron import NeuronRun
from bot.lab.xor import TIE, X, Y

LIM = (-0.5, 1.5)
BOX = {"boxstyle": "round,pad=0.2", "facecolor": theme.BG, "edgecolor": "none", "alpha": 0.8}
# 16 hidden units stay apart: 8 colours × 2 line styles, and each line carries its number
UNIT_COLORS = (
    theme.GREEN,
    theme.YELLOW,
    theme.PINK,
    "#111111",
    "#b7f36b",
    "#c9a0ff",
    "#7ff0ff",
    "#ffb070",
)
UNIT_STYLES = ("-", (0, (4, 2)))


def _grid(n: int = 161) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = np.linspace(*LIM, n)
    g1, g2 = np.meshgrid(g, g)
    return g1, g2, np.column_stack([g1.ravel(), g2.ravel()])  # (n*n, 2)


def _status(outputs) -> list[str]:
    """'right', 'wrong' or 'undecided' for each corner (threshold ½, ties within 1e-9)."""
    out = []
    for p, y in zip(outputs, Y, strict=True):
        if not np.isfinite(p) or abs(p - 0.5) < TIE:
            out.append("undecided")
        else:
            out.append("right" if (p > 0.5) == (y > 0.5) else "wrong")
    return out


def _points(ax, outputs=None) -> None:
    """The corners (o: label 1, X: label 0); wrong ones ringed red, undecided yellow."""
    status = _status(outputs) if outputs is not None else ["right"] * 4
    for (x1, x2), y, st in zip(X, Y, status, strict=True):
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
        text, color = f"y={int(y)}", theme.FG
        if st != "right":
            ring = theme.RED if st == "wrong" else theme.YELLOW
            ax.scatter([x1], [x2], s=520, zorder=6, facecolor="none", edgecolor=ring, lw=2.2)
            text, color = f"y={int(y)}: {st}", ring
        ax.annotate(
            text,
            (x1, x2),
            xytext=(0, -15),
            textcoords="offset points",
            ha="center",
            va="top",
            color=color,
            fontsize=9,
            zorder=7,
            bbox=BOX,
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


def _boundary(ax, g1, g2, values: np.ndarray) -> bool:
    """The contour where the output is ½; False if the output never crosses ½ in view."""
    finite = values[np.isfinite(values)]
    if not finite.size or finite.min() >= 0.5 or finite.max() <= 0.5:
        return False
    if np.max(np.abs(finite - 0.5)) < TIE:  # flat at ½: any contour would trace rounding noise
        return False
    ax.contour(g1, g2, values, levels=[0.5], colors=[theme.FG], linewidths=2.2, zorder=4)
    return True


def _line(ax, w1: float, w2: float, b: float, **style) -> tuple[float, float] | None:
    """Draw w1·x1 + w2·x2 + b = 0 across the view; the point where it leaves it."""
    t = np.linspace(*LIM, 200)
    if abs(w2) > 1e-12 and abs(w2) >= abs(w1):
        x, y = t, -(w1 * t + b) / w2
    elif abs(w1) > 1e-12:
        x, y = -(w2 * t + b) / w1, t
    else:
        return None
    inside = (x >= LIM[0]) & (x <= LIM[1]) & (y >= LIM[0]) & (y <= LIM[1])
    if not inside.any():
        return None
    # above the ½ contour (4, drawn wider), below the corner markers (5): a unit whose line
    # runs along the decision boundary would otherwise vanish under it
    ax.plot(x, y, linewidth=1.6, zorder=4.5, **style)
    k = np.flatnonzero(inside)[-1]
    return float(x[k]), float(y[k])


def _flat(ax, text: str) -> None:
    """Say so when an output sits at ½ everywhere (no boundary to draw)."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=theme.FG,
        fontsize=9,
        bbox=BOX,
        zorder=8,
    )


def _caption(ax, text: str) -> None:
    """A note in the middle of a panel that has no result to show."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=theme.FG,
        fontsize=10,
        wrap=True,
        bbox=BOX,
    )
    ax.set_xticks([])
    ax.set_yticks([])


def accuracy(right: int, undecided: int) -> str:
    return f"{right}/4 right" + (f", {undecided} undecided" if undecided else "")


def linear_figure(best_line: tuple[float, float, float]) -> bytes:
    """Left: least squares, 0.5 everywhere (all undecided). Right: the best line gets 3 of 4."""
    fig = theme.new_figure()
    a1, a2 = fig.subplots(1, 2)
    g1, _g2, pts = _grid()
    theme.style(a1, "least squares: all 4 undecided")
    _heat(a1, fig, np.full_like(g1, 0.5), "w1·x1 + w2·x2 + b")
    _points(a1, np.full(4, 0.5))
    w1, w2, b = best_line
    side = (pts @ np.array([w1, w2]) + b > 0).reshape(g1.shape)
    corner = (X @ np.array([w1, w2]) + b > 0).astype(float)
    theme.style(a2, f"the best any line can do: {accuracy(int(np.sum(corner == Y)), 0)}")
    a2.contourf(g1, _g2, side.astype(float), levels=[0.5, 1.5], colors=[theme.ORANGE], alpha=0.18)
    _line(a2, w1, w2, b, color=theme.GREEN)
    a2.text(
        1.45,
        -0.4,
        "x1 + x2 = 0.5: answer 1 above",
        color=theme.GREEN,
        ha="right",
        fontsize=9,
        bbox=BOX,
    )
    _points(a2, corner)
    return theme.png_bytes(fig)


def _diverged_panel(ax, losses, lr: float) -> None:
    theme.style(ax, "no result")
    _caption(ax, f"training diverged at epoch {len(losses) - 1}\n(lr {lr:g}): nothing to show")


def neuron_figure(run: NeuronRun, f) -> bytes:
    """The unit's output over the plane, its ½ contour, marked corners, and the loss."""
    fig = theme.new_figure()
    a1, a2 = fig.subplots(1, 2)
    v = run.verdict
    if v is not None and v.diverged_at is not None:
        _diverged_panel(a1, run.losses, run.lr)
    else:
        g1, g2, pts = _grid()
        with np.errstate(all="ignore"):
            out = np.asarray(f(pts @ np.array(run.w) + run.b), dtype=float).reshape(g1.shape)
        state = "untrained (f' = 0)" if v is not None and v.frozen else "trained"
        theme.style(a1, f"{run.activation} unit, {state}:\n{accuracy(run.correct, run.undecided)}")
        finite = out[np.isfinite(out)]
        low = max(-1.0, min(0.0, float(finite.min()))) if finite.size else 0.0
        _heat(a1, fig, np.clip(out, -1, 2), "f(w·x + b)", vmin=low, vmax=1.0)
        drawn = _boundary(a1, g1, g2, out)
        _points(a1, run.outputs)
        if np.all(np.abs(finite - 0.5) < TIE):
            _flat(a1, "f(w·x + b) = ½ on the whole plane")
        if drawn:
            a1.plot([], [], color=theme.FG, lw=2.2, label="f(w·x + b) = ½")
            theme.legend(a1, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1)
    _loss(a2, run.losses, "mean squared error", run)
    return theme.png_bytes(fig)


def mlp_figure(run: MLPRun, f) -> bytes:
    """p(y = 1) over the plane, its ½ contour, each hidden unit's w·x + b = 0, and the loss.

    For a monotone f that line is the unit's own decision (its output is larger on one side);
    for a non-monotone f it is not, and the legend says so."""
    fig = theme.new_figure()
    a1, a2 = fig.subplots(1, 2)
    v = run.verdict
    if v is not None and v.diverged_at is not None:
        _diverged_panel(a1, run.losses, run.lr)
    else:
        g1, g2, pts = _grid()
        W1, b1, W2 = np.array(run.W1), np.array(run.b1), np.array(run.W2)
        with np.errstate(all="ignore"):
            p = sigmoid(f(pts @ W1 + b1) @ W2 + run.b2).reshape(g1.shape)  # (n, n)
        fixed = " (hidden fixed: f' = 0)" if v is not None and v.frozen else ""
        got = accuracy(run.correct, run.undecided)
        d = v.dead if v is not None else None
        if d is not None:  # f' = 0 at all four corners: constant ones dead, the rest saturated
            dead = sum(o is not None for o in d.outputs)
            for n, state in ((dead, "dead"), (len(d.units) - dead, "saturated")):
                got += f" · {n} of {run.hidden} {state}" if n else ""
        theme.style(a1, f"2-{run.hidden}-1 {run.activation}{fixed}: {got}")
        _heat(a1, fig, p, "p(y = 1)")
        for j in range(run.hidden):
            color = UNIT_COLORS[j % len(UNIT_COLORS)]
            style = UNIT_STYLES[(j // len(UNIT_COLORS)) % 2]
            if _line(a1, W1[0, j], W1[1, j], b1[j], color=color, linestyle=style):
                a1.plot([], [], color=color, linestyle=style, lw=1.6, label=f"unit {j + 1}")
        if _boundary(a1, g1, g2, p):
            a1.plot([], [], color=theme.FG, linewidth=2.2, label="p = ½")
        _points(a1, run.outputs)
        if np.all(np.abs(p - 0.5) < TIE):
            _flat(a1, "p = ½ on the whole plane")
        n = len(a1.get_legend_handles_labels()[1])
        leg = n and fig.legend(
            loc="outside lower center",
            ncol=min(n, 9),
            fontsize=7,
            facecolor=theme.PANEL,
            edgecolor=theme.GRID,
            title_fontsize=7,
            title="each unit's line w·x + b = 0, and the decision boundary"
            if run.monotone
            else "each unit's w·x + b = 0 (f not monotone: the unit's output rises and falls "
            "across parallel lines), and the decision boundary",
        )
        if leg:
            leg.get_title().set_color(theme.MUTED)
            for text in leg.get_texts():
                text.set_color(theme.FG)
    _loss(a2, run.losses, "cross-entropy", run)
    return theme.png_bytes(fig)


def _loss(ax, losses, label: str, run) -> None:
    theme.style(ax, "training loss")
    ls = np.asarray(losses, dtype=float)
    keep = np.isfinite(ls)
    ax.plot(np.arange(len(ls))[keep], ls[keep], color=theme.BLUE, linewidth=2)
    if np.all(ls[keep] > 0) and ls[keep].max() / max(ls[keep].min(), 1e-300) > 50:
        ax.set_yscale("log")
    v = run.verdict
    if v is not None and v.diverged_at is not None:
        ax.axvline(v.diverged_at, color=theme.RED, linestyle="--", linewidth=1.5)
        ax.set_title(
            f"diverged at epoch {v.diverged_at} (lr {run.lr:g})", color=theme.RED, fontsize=11
        )
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(label)


def squash_figure(sq) -> bytes:
    """The squash argument: the w3 sweep, the monotone units' half-lines, the sine unit."""
    fig = theme.new_figure((11.0, 4.2))
    a1, a2, a3 = fig.subplots(1, 3)
    # 1. w3·(w·x + b): the best fit is the same for every w3 ≠ 0
    theme.style(a1, "linear squash w3·y: same fit")
    w3, mse = np.array(sq.sweep).T
    a1.plot(w3, mse, "o-", color=theme.GREEN, linewidth=2)
    a1.set_xscale("symlog", linthresh=1e-3)
    a1.set_xticks([-1e3, -1, 0, 1, 1e3], ["−1000", "−1", "0", "1", "1000"])
    a1.minorticks_off()
    a1.set_ylim(0, 0.5)
    a1.set_xlabel("w3")
    a1.set_ylabel("least-squares MSE")
    a1.text(
        0.5,
        0.8,
        "MSE 0.25 and 3/4 at best,\nfor every w3 ≠ 0",
        transform=a1.transAxes,
        ha="center",
        color=theme.FG,
        fontsize=9,
        bbox=BOX,
    )
    # 2. tanh and σ: {u : f(u) > ½} is a half-line; the trained tanh unit's corners on u
    theme.style(a2, "monotone squash: f > ½ is a half-line")
    u = np.linspace(-4, 4, 400)
    for name, fn, color in (("tanh", np.tanh, theme.BLUE), ("σ", sigmoid, theme.PINK)):
        a2.plot(u, fn(u), color=color, linewidth=2, label=f"{name}(u)")
    a2.axhline(0.5, color=theme.FG, linestyle=":", linewidth=1.2)
    a2.axvspan(np.arctanh(0.5), 4, color=theme.BLUE, alpha=0.12)
    a2.axvspan(0, 4, color=theme.PINK, alpha=0.10)
    a2.text(-3.8, 0.55, "½", color=theme.FG, fontsize=10)
    a2.text(
        3.9,
        -0.9,
        "S = {u : f(u) > ½}:\nu > c, shaded",
        ha="right",
        color=theme.FG,
        fontsize=8,
        bbox=BOX,
    )
    u4 = np.clip(X @ np.array(sq.tanh.w) + sq.tanh.b, -4, 4)  # the trained tanh unit's corners
    for ui, y in zip(u4, Y, strict=True):
        a2.scatter(
            [ui],
            [np.tanh(ui)],
            s=90,
            zorder=5,
            marker="o" if y else "X",
            color=theme.ORANGE if y else theme.BLUE,
            edgecolor=theme.FG,
            linewidth=1,
        )
    a2.set_xlabel("u = w·x + b  (markers: trained tanh unit)", fontsize=9)
    a2.set_ylim(-1.1, 1.1)
    theme.legend(a2, loc="upper left")
    # 3. one sine unit sin(π/2·(x1 + x2)): the ½ contour is a band holding (0,1) and (1,0)
    g1, g2, pts = _grid()
    out = np.sin(np.pi / 2 * pts.sum(axis=1)).reshape(g1.shape)
    sine = np.sin(np.pi / 2 * X.sum(axis=1))
    theme.style(a3, f"sin(π/2·(x1 + x2)): {accuracy(int(np.sum((sine > 0.5) == (Y > 0.5))), 0)}")
    _heat(a3, fig, out, "output", vmin=-1.0, vmax=1.0)
    _boundary(a3, g1, g2, out)
    _points(a3, sine)
    return theme.png_bytes(fig)
