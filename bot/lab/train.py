"""Watch a 2-H-1 network learn a 2-D dataset, and see why a linear one can't.

The network p = σ(f(x W1 + b1) W2 + b2) is trained by full-batch gradient descent on the
binary cross-entropy (bot.lab.batch, one seed), in FRAMES − 1 segments so the weights at
each frame are kept: a segment resumes from the last one's weights, so the run is bit for
bit the unsegmented one. What theory decides before any training:

- linear f: the network is one affine map w·x + c, so it predicts class 1 exactly on a
  half-plane. No weights beat the best straight line, whose score is computed exactly:
  an optimal line can be moved, without changing any other point's side, until it passes
  through two data points, and those two can then be put on either side by a tiny turn.
- one hidden unit and a monotone f (relu, tanh, sigmoid): v·f(u) + c > 0 is a half-line
  in u = w·x + b, so again a half-plane, bounded by the same line.
- sin, or two or more nonlinear units: no such bound here; what training reaches is measured
  (a score short of all the points says nothing about what this size could do).

A run has diverged when its loss ends NaN, ±inf or above BLOWUP (100) times its starting
value: the rule /xor uses, except that a loss which spikes and comes back is not counted,
since this run keeps training and shows where it ended. It diverged at the first epoch of
that final blown-up stretch; halving lr (as /xor does) finds one that trains.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from bot.errors import UserError
from bot.lab import check_seed
from bot.lab.activation_fns import (
    identity,
    identity_df,
    relu,
    relu_df,
    sigmoid,
    sin,
    sin_df,
    unit_pair,
)
from bot.lab.batch import init_batch, tanh_as_trained, train_batch
from bot.lab.datasets import DATASETS, DEFAULT_NOISE, dataset_points
from bot.lab.neuron import BLOWUP, converging_lr
from bot.options import HIDDEN, LR, NOISE, TRAIN_EPOCHS

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "sin")  # compare: all five, this order
MONOTONE = ("relu", "tanh", "sigmoid", "linear")
FRAMES = 40  # at most: frames at evenly spaced epochs, the first at 0 and the last at the end
GRID = 101  # points per side of the plotted square
LIMIT = 1.25  # the square [−LIMIT, LIMIT]² the figure shows
TIE = 4e-9  # |logit| below this: σ is within 1e-9 of ½, the point is undecided
INIT = "normal"  # W1 ~ N(0, 1), W2 ~ N(0, 1/H), biases 0 (bot.lab.batch)


def frame_epochs(epochs):
    """The epochs a frame shows: at most FRAMES, evenly spaced from 0 to `epochs`."""
    return np.unique(np.round(np.linspace(0, epochs, min(FRAMES, epochs + 1))).astype(int))


def compared(z):
    """The five activations of a comparison side by side: network k (z1[..., k]) uses
    ACTIVATIONS[k]. Elementwise, so each column gets the very bits its own run would (tanh
    as train_batch computes it alone: from its table, not NumPy's tanh)."""
    return np.concatenate(
        [relu(z[..., :1]), tanh_as_trained(z[..., 1:2]), sigmoid(z[..., 2:3]),
         identity(z[..., 3:4]), sin(z[..., 4:])], axis=-1,
    )  # fmt: skip


def compared_df(z):
    """f'(z1) for compared(z1), column by column, as a run alone forms it from h = f(z1):
    tanh' as 1 − h·h and σ' as σ(1 − σ) (the same bits)."""
    t = tanh_as_trained(z[..., 1:2])
    s = sigmoid(z[..., 2:3])
    return np.concatenate(
        [relu_df(z[..., :1]), 1 - t * t, s * (1 - s), identity_df(z[..., 3:4]),
         sin_df(z[..., 4:])], axis=-1,
    )  # fmt: skip


def batch_fns(activations):
    """(f, f', seeds per run): one network, or all five in one batch with the same init."""
    if len(activations) == 1:
        return (*unit_pair(activations[0]), 1)
    if tuple(activations) != ACTIVATIONS:
        raise ValueError("a comparison trains all of ACTIVATIONS, in that order")
    return compared, compared_df, len(ACTIVATIONS)


def train_in_frames(f, df, X, y, hidden, epochs, lr, seeds):
    """Train S = len(seeds) networks at once, keeping their weights at every frame epoch.

    Returns the weights [(W1 (2, H, S), b1 (H, S), W2 (H, S), b2 (S,)), ...] per frame, the
    loss per epoch (epochs + 1, S), per network the first epoch whose loss was NaN or ±inf
    (−1 if none), and per unit `dead_at` (H, S): the epoch from which its f' was 0 at every
    point through the end (−1 if alive at the end). Such a unit's first-layer weights get no
    gradient, so it stays dead: the first segment that ends with it dead says when it died.
    A network that diverged stays NaN; the others train on unaffected (no sum runs across
    networks).
    """
    marks = frame_epochs(epochs)
    start = init_batch(X.shape[1], hidden, seeds, INIT)  # what train_batch would draw
    weights, curve = [start], [np.full(len(seeds), np.nan)]
    diverged = np.full(len(seeds), -1)
    dead_at = np.full((hidden, len(seeds)), -1)
    for k in range(1, len(marks)):
        t0, t1 = marks[k - 1], marks[k]
        run = train_batch(f, df, X, y, "bce", hidden, seeds, int(t1 - t0), lr, INIT,
                          losses=True, start=start, dead=True)  # fmt: skip
        curve[-1:] = list(run["losses"])  # the segment's first loss is the last one's final
        new = (diverged < 0) & (run["diverged_at"] >= 0)
        diverged[new] = t0 + run["diverged_at"][new]
        since = run["dead_since"]  # (H, S) within this segment, −1: alive at its end
        dead_at = np.where(since < 0, -1, np.where(dead_at >= 0, dead_at, t0 + since))
        start = (run["W1"], run["b1"], run["W2"], run["b2"])
        weights.append(start)
    return weights, np.array(curve), diverged, dead_at


def blown_up_at(curve):
    """Per network (column of `curve`, (E, S)): the first epoch from which the loss stays NaN,
    ±inf or above BLOWUP times its first value to the end, or −1 if it ends below that."""
    curve = np.asarray(curve, dtype=float)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(curve) & (curve <= BLOWUP * curve[:1])  # (E, S)
    last_ok = len(curve) - 1 - np.argmax(ok[::-1], axis=0)  # (S,) the last epoch within bounds
    last_ok = np.where(ok.any(axis=0), last_ok, -1)
    return np.where(ok[-1], -1, last_ok + 1)


def trains_without_diverging(f, df, X, y, hidden, epochs, seed):
    """For converging_lr: one network's fit at a trial lr, ending in (losses, grad, diverged)."""

    def fit(lr):
        run = train_batch(f, df, X, y, "bce", hidden, [seed], epochs, lr, INIT, losses=True)
        losses = run["losses"][:, 0]
        bad = max(int(blown_up_at(losses[:, None])[0]), int(run["diverged_at"][0]))
        return losses, float(run["grad_norm"][0]), bad

    return fit


def logits(f, W1, b1, W2, b2, X):
    """z2 = f(X W1 + b1) W2 + b2 for points X (n, 2): (n,)."""
    return f(X @ W1 + b1) @ W2 + b2


def score(z, y):
    """(right, wrong, undecided): a logit within TIE of 0 decides nothing."""
    decided = np.abs(z) >= TIE
    right = int(np.sum(decided & ((z > 0) == (y == 1))))
    undecided = int(np.sum(~decided))
    return right, len(y) - right - undecided, undecided


def best_line(X, y):
    """The most points any straight line classifies correctly: the best over lines through
    two data points and both orientations, points on the line counted right. Exact for
    points in general position (no three on a line), an upper bound otherwise."""
    n = len(y)
    if n < 3:
        return n
    i, j = np.triu_indices(n, 1)  # (P,) every pair
    normal = (X[j] - X[i]) @ np.array([[0.0, 1.0], [-1.0, 0.0]])  # (P, 2) the direction turned
    side = X @ normal.T - np.sum(normal * X[i], axis=1)  # (n, P): normal·(x − X[i])
    side[i, np.arange(len(i))] = 0.0  # X[i] and X[j] lie on their line (rounding aside)
    side[j, np.arange(len(i))] = 0.0
    side = np.sign(side)  # (n, P): +1 on the normal's side, −1 on the other, 0 on the line
    agree = (2.0 * y - 1) @ side  # (P,) right minus wrong when class 1 is the normal's side
    off = np.count_nonzero(side, axis=0)  # (P,) points off the line
    return int(np.max((off + np.abs(agree)) / 2 + (n - off)))


def train_numbers(dataset, activations, hidden, epochs, lr, seed, noise, keep=None):
    """What /train prints: per activation, the final loss and score; and the best line's score.

    `keep`, if a dict, receives the data, the weights per frame, the loss curves and the
    frame epochs (the figure draws them; no second training).
    """
    X, y = dataset_points(dataset, seed, noise)
    f, df, S = batch_fns(activations)
    weights, curve, nan_at, dead_at = train_in_frames(f, df, X, y, hidden, epochs, lr, [seed] * S)
    blown = blown_up_at(curve)  # a NaN loss stays NaN: this catches it, from where it blew up
    diverged = np.where(blown >= 0, blown, nan_at)  # nan_at alone: only a weight overflowed
    numbers = {"points": len(y), "best_line_right": best_line(X, y)}
    for k, name in enumerate(activations):
        if diverged[k] >= 0:
            numbers[f"{name}_loss"] = f"diverged at epoch {diverged[k]}"
            numbers[f"{name}_right"] = numbers[f"{name}_undecided"] = "no result"
            numbers[f"{name}_start_loss"] = float(curve[0, k])
            end = float(curve[-1, k])
            numbers[f"{name}_end_loss"] = end if np.isfinite(end) else "overflowed"
            fit = trains_without_diverging(*unit_pair(name), X, y, hidden, epochs, seed)
            numbers[f"{name}_converging_lr"] = converging_lr(fit, lr)
            continue
        W1, b1, W2, b2 = (w[..., k] for w in weights[-1])
        right, _, undecided = score(logits(unit_pair(name)[0], W1, b1, W2, b2, X), y)
        numbers[f"{name}_loss"] = float(curve[-1, k])
        if curve[-1, k] > curve[0, k]:  # see rose(): shown only when the loss went up
            numbers[f"{name}_start_loss"] = float(curve[0, k])
        numbers[f"{name}_right"] = right
        numbers[f"{name}_undecided"] = undecided
        dead = dead_at[:, k][dead_at[:, k] >= 0]
        numbers[f"{name}_dead_units"] = len(dead)  # f' = 0 at every point since, to the end
        if len(dead):
            numbers[f"{name}_dead_from"] = int(dead.min())  # the epoch the first one died
        if len(dead) == hidden:
            numbers[f"{name}_all_dead_from"] = int(dead.max())  # ... and the last one
    if keep is not None:
        keep.update(X=X, y=y, epochs=frame_epochs(epochs), weights=weights, curves=curve)
        keep["diverged"] = diverged
    return numbers


def rose(numbers, name) -> bool:
    """Whether network `name` (not diverged) ended with a higher loss than it started with.
    Gradient descent with a small enough step never raises a smooth loss (for an L-smooth
    loss, lr < 2/L gives descent at every step), so a rise means the steps overshoot."""
    start = numbers.get(f"{name}_start_loss")
    return isinstance(numbers[f"{name}_loss"], float) and start is not None


class Outcome(Enum):
    """What a run shows, decided from theory first and measured only where theory is silent."""

    HALF_PLANE = "half-plane"  # linear f, or one monotone unit: at most the best line's score
    LINE_FITS = "line fits"  # a half-plane, but this data is linearly separable: it can fit
    FIT = "fit"  # every point decided and right
    PARTIAL = "partial"  # not every point; whether this size can is not what the run settles
    # not every point, and every hidden unit has f' = 0 at every point: no gradient reaches
    # the first layer again, so more epochs cannot change where the units switch
    DEAD = "dead"
    DIVERGED = "diverged"  # the loss ended NaN, ±inf or over BLOWUP × its start: no result


def half_plane(name, hidden) -> bool:
    """True if every such network predicts a half-plane (theory, whatever the weights)."""
    return name == "linear" or (hidden == 1 and name in MONOTONE)


def outcome(name, hidden, n, right, diverged_at, best, dead=0) -> Outcome:
    if diverged_at >= 0:
        return Outcome.DIVERGED
    if half_plane(name, hidden):
        return Outcome.LINE_FITS if best == n else Outcome.HALF_PLANE
    if right == n:
        return Outcome.FIT
    return Outcome.DEAD if dead == hidden else Outcome.PARTIAL


@dataclass(frozen=True)
class Training:
    """One /train run; `numbers` is exactly what train_numbers returned."""

    dataset: str
    activations: tuple[str, ...]
    hidden: int
    epochs: int
    lr: float
    seed: int
    noise: float  # the jitter actually used
    numbers: dict
    outcomes: tuple[Outcome, ...]  # per activation
    X: np.ndarray  # (n, 2) points
    y: np.ndarray  # (n,) labels 0/1
    frame_epochs: np.ndarray  # (F,) the epoch of each frame
    curves: tuple[np.ndarray, ...]  # per activation: loss per epoch, (epochs + 1,) or shorter
    grids: tuple[np.ndarray, ...]  # per activation: σ(logit) on the square, (F', GRID, GRID)
    scores: tuple[np.ndarray, ...]  # per activation: right answers at each frame, (F',)
    diverged_at: tuple[int, ...]  # per activation: the epoch it diverged at, −1 if never


def check_args(dataset, activation, hidden, epochs, lr, seed, noise):
    """Server-side bounds (the slash command declares the same)."""
    if dataset not in DATASETS:
        raise UserError(f"dataset must be one of {', '.join(DATASETS)}.")
    if activation not in ACTIVATIONS:
        raise UserError(f"activation must be one of {', '.join(ACTIVATIONS)}.")
    if not HIDDEN.low <= hidden <= HIDDEN.high:
        raise UserError(f"hidden must be between {HIDDEN.low} and {HIDDEN.high} (got {hidden}).")
    if not TRAIN_EPOCHS.low <= epochs <= TRAIN_EPOCHS.high:
        raise UserError(
            f"epochs must be between {TRAIN_EPOCHS.low} and {TRAIN_EPOCHS.high} (got {epochs})."
        )
    if not LR.low <= lr <= LR.high:
        raise UserError(f"lr must be between {LR.low:g} and {LR.high:g} (got {lr:g}).")
    if noise is not None and not NOISE.low <= noise <= NOISE.high:
        raise UserError(f"noise must be between {NOISE.low:g} and {NOISE.high:g} (got {noise:g}).")
    check_seed(seed)


def square():
    """The plotted square's grid: (GRID², 2) points, row by row from the bottom."""
    u = np.linspace(-LIMIT, LIMIT, GRID)
    gx, gy = np.meshgrid(u, u)
    return np.column_stack([gx.ravel(), gy.ravel()])


def square_sigma(f, frames):
    """σ(network) on the plotted square at every frame, (F, GRID, GRID), in float32: a picture,
    not a number anyone reads (the scores use float64 on the data)."""
    with np.errstate(all="ignore"):  # a diverged network is NaN or inf: the figure shows it grey
        W1, b1, W2, b2 = (np.array([w[i] for w in frames], dtype=np.float32) for i in range(4))
        h = f(square().astype(np.float32) @ W1 + b1[:, None, :])  # (F, GRID², H)
        z = np.einsum("fph,fh->fp", h, W2) + b2[:, None]  # (F, GRID²)
        return (1 / (1 + np.exp(-z))).reshape(-1, GRID, GRID)


def train(
    dataset="circle",
    activation="tanh",
    hidden=8,
    epochs=1000,
    lr=1.0,
    seed=0,
    noise=None,
    compare=False,
    frames=True,
) -> Training:
    """Train (through the kernel) and, for the figure, σ on the square at every frame."""
    check_args(dataset, activation, hidden, epochs, lr, seed, noise)
    names = ACTIVATIONS if compare else (activation,)
    kept: dict = {}
    numbers = train_numbers(dataset, names, hidden, epochs, lr, seed, noise, keep=kept)
    X, y = kept["X"], kept["y"]
    grids, scores, curves = [], [], []
    for k, name in enumerate(names):
        f = unit_pair(name)[0]
        frames_k = [tuple(w[..., k] for w in ws) for ws in kept["weights"]]
        grids.append(square_sigma(f, frames_k) if frames else np.zeros((0, GRID, GRID)))
        with np.errstate(all="ignore"):  # a diverged network's frames overflow: scored, not shown
            scores.append(np.array([score(logits(f, *w, X), y)[0] for w in frames_k]))
        curves.append(kept["curves"][:, k])
    n, best = numbers["points"], numbers["best_line_right"]
    outcomes = tuple(
        outcome(
            name,
            hidden,
            n,
            numbers[f"{name}_right"],
            int(kept["diverged"][k]),
            best,
            numbers.get(f"{name}_dead_units", 0),
        )
        for k, name in enumerate(names)
    )
    return Training(
        dataset=dataset,
        activations=names,
        hidden=hidden,
        epochs=epochs,
        lr=lr,
        seed=seed,
        noise=DEFAULT_NOISE[dataset] if noise is None else noise,
        numbers=numbers,
        outcomes=outcomes,
        X=X,
        y=y,
        frame_epochs=kept["epochs"],
        curves=tuple(curves),
        grids=tuple(grids),
        scores=tuple(scores),
        diverged_at=tuple(int(d) for d in kept["diverged"]),
    )
