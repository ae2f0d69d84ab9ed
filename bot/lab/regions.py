"""Linear regions of a ReLU network on the square [−1, 1]², counted exactly by cutting polygons.

On each region the pattern of active units is fixed, so the network is one affine map there
and every unit's pre-activation is affine in x: its zero set is a straight line inside the
region. Start from the square; for each unit in turn, cut every region its line crosses into
two convex polygons (both keep the region's affine maps; the sides differ in that unit's bit);
after a layer, each region's map gains that layer's ReLU mask. The regions that remain are
exactly the activation regions (convex, so one polygon each): no grid, no sampling.

One layer of w units draws w lines: in the plane at most 1 + w + w(w−1)/2 regions, and inside a
convex set exactly 1 + (lines that cross it) + (crossings inside it) in general position.
Deeper networks can make exponentially many (Montúfar et al. 2014), but at initialisation
they make about as many as the total number of neurons suggests (Hanin & Rolnick 2019).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from bot.errors import UserError
from bot.lab import check_seed
from bot.lab.datasets import dataset_points
from bot.options import DEPTH, REGIONS_WIDTH

WIDTH_MAX = int(REGIONS_WIDTH.high)  # bot.options: the one place a bound is written
DEPTH_MAX = int(DEPTH.high)
BIAS_SD = 0.3  # biases N(0, 0.3²); weights N(0, 2/fan-in) (He): lines cross the square
TOL = 1e-12  # a unit's line must pass more than TOL·scale inside a region to cut it
DATASETS = ("none", "circle", "moons", "spiral", "xor")
TRAIN_STEPS = 300
TRAIN_LR = 0.05
TIE = 4e-9  # |output| below this: σ(output) is within 1e-9 of ½, undecided
SWEEP_BUDGET = 24  # neurons shared out between depth and width in the sweep
SWEEP_DEPTHS = (1, 2, 3, 4, 6)  # widths 24, 12, 8, 6, 4


def init_layers(width, depth, seed):
    """He-initialised hidden layers [(W (w, fan-in), b (w,)), ...] and the output (v (w,), c)."""
    rng = np.random.default_rng(seed)
    layers, fan_in = [], 2
    for _ in range(depth):
        W = rng.normal(0.0, np.sqrt(2.0 / fan_in), (width, fan_in))
        layers.append((W, rng.normal(0.0, BIAS_SD, width)))
        fan_in = width
    return layers, rng.normal(0.0, np.sqrt(1.0 / width), width), 0.0


def forward(layers, X):
    """Hidden activations of every layer for inputs X (n, 2): [(n, w), ...]."""
    hs, h = [], X
    for W, b in layers:
        h = np.maximum(h @ W.T + b, 0.0)
        hs.append(h)
    return hs


def train(layers, v, c, X, y):
    """Full-batch gradient descent on the mean cross-entropy of σ(v·h + c): a brief training."""
    layers = [(W.copy(), b.copy()) for W, b in layers]
    for _ in range(TRAIN_STEPS):
        hs = forward(layers, X)
        p = 1 / (1 + np.exp(-(hs[-1] @ v + c)))  # (n,)
        g = (p - y) / len(y)  # d loss / d output pre-activation
        gv, gc = hs[-1].T @ g, np.sum(g)
        delta = np.outer(g, v) * (hs[-1] > 0)  # (n, w)
        for i in range(len(layers) - 1, -1, -1):
            W, b = layers[i]
            below = hs[i - 1] if i > 0 else X
            gW, gb = delta.T @ below, delta.sum(axis=0)
            if i > 0:
                delta = (delta @ W) * (below > 0)
            layers[i] = (W - TRAIN_LR * gW, b - TRAIN_LR * gb)
        v, c = v - TRAIN_LR * gv, c - TRAIN_LR * gc
    return layers, v, c


def split(V, n, s):
    """Cut convex polygons V (K, M, 2) with n (K,) vertices where s (K, M) changes sign.

    Returns the parts where s ≥ 0 and where s < 0, each as (vertices (K, M + 2, 2), counts).
    """
    K, M = s.shape
    t = np.arange(M)
    valid = t < n[:, None]
    pos = (s >= 0) & valid
    nxt = (t + 1) % n[:, None]  # (K, M) index of the next vertex, cyclically
    pos_next = np.take_along_axis(pos, nxt, axis=1)
    enter = np.argmax(valid & ~pos & pos_next, axis=1)  # edge from s < 0 into s ≥ 0
    leave = np.argmax(pos & ~pos_next, axis=1)  # edge from s ≥ 0 into s < 0
    rows = np.arange(K)

    def cut(i):  # the point where s = 0 on the edge from vertex i to the next one
        j = nxt[rows, i]
        si, sj = s[rows, i], s[rows, j]
        w = (si / (si - sj))[:, None]
        return V[rows, i] + w * (V[rows, j] - V[rows, i])

    p_leave, p_enter = cut(leave), cut(enter)
    m = pos.sum(axis=1)  # positive vertices, consecutive from the one after `enter`
    T = np.arange(M + 2)
    rolled = np.take_along_axis(
        V, ((enter[:, None] + 1 + np.minimum(T[:-2], M - 1)) % n[:, None])[:, :, None], axis=1
    )  # (K, M, 2): vertices in cyclic order starting after the entering edge
    first = np.concatenate([rolled, rolled[:, :2]], axis=1)  # (K, M + 2, 2)
    plus = first.copy()
    plus[rows, m] = p_leave
    plus[rows, m + 1] = p_enter
    shift = np.take_along_axis(first, np.minimum(T + m[:, None], M + 1)[:, :, None], axis=1)
    minus = shift.copy()
    minus[rows, n - m] = p_enter
    minus[rows, n - m + 1] = p_leave
    unused = T[None, :, None] >= (m + 2)[:, None, None]
    plus = np.where(unused, plus[:, :1], plus)  # spare slots repeat vertex 0: max/min unchanged
    unused = T[None, :, None] >= (n - m + 2)[:, None, None]
    minus = np.where(unused, minus[:, :1], minus)
    return (plus, m + 2), (minus, n - m + 2)


def linear_regions(layers):
    """The activation regions of a ReLU stack on [−1, 1]²: polygons (P, M, 2), counts (P,).

    Spare vertex slots repeat vertex 0, so a maximum or minimum over all slots is exact.
    A unit is tested only against the polygons inside regions its line may cross: those
    whose bounding circle (at the layer's start) it meets.
    """
    V = np.zeros((1024, 4, 2))  # (capacity, M, 2); rows [:P] are the polygons
    V[0] = [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]]
    n, root, P = np.zeros(1024, dtype=int), np.zeros(1024, dtype=int), 1
    n[0] = 4
    A, c = np.eye(2)[None], np.zeros((1, 2))  # on each region the layer's input is A·x + c
    for depth, (W, b) in enumerate(layers, start=1):
        G = np.tensordot(A, W, axes=([1], [1])).transpose(0, 2, 1)  # (R, w, 2): one GEMM
        # on region r, unit j's pre-activation is G_rj·x + z_rj
        z = c @ W.T + b  # (R, w)
        centre = V[:P].mean(axis=1)  # (R, 2) and the radius of a circle holding each region
        radius = np.sqrt(np.max(np.sum((V[:P] - centre[:, None]) ** 2, axis=2), axis=1))
        near = np.abs(np.einsum("rjd,rd->rj", G, centre) + z) <= (
            np.sqrt(np.sum(G * G, axis=2)) * radius[:, None] * (1 + 1e-9) + 1e-12
        )  # (R, w): unit j's line may cross region r
        Gx, Gy, zt, near_t = (X.T.copy() for X in (G[:, :, 0], G[:, :, 1], z, near))  # (w, R)
        root[:P] = np.arange(P)
        for j in range(W.shape[0]):
            cand = np.flatnonzero(near_t[j][root[:P]])  # polygons that may be cut
            if cand.size == 0:
                continue
            r = root[cand]
            gx, gy, zj = Gx[j][r], Gy[j][r], zt[j][r]  # (K,) each
            Vc = V[cand]  # (K, M, 2)
            s = Vc[:, :, 0] * gx[:, None] + Vc[:, :, 1] * gy[:, None] + zj[:, None]  # (K, M)
            scale = TOL * (np.abs(gx) + np.abs(gy) + np.abs(zj))
            hit = (s.max(axis=1) > scale) & (s.min(axis=1) < -scale)
            cross = cand[hit]
            K = cross.size
            if K == 0:
                continue
            (Vp, n_plus), (Vm, n_minus) = split(V[cross], n[cross], s[hit])
            M = max(V.shape[1], int(n_plus.max()), int(n_minus.max()))
            if V.shape[1] < M or len(V) < P + K:  # grow: more vertex slots, more rows
                cap = max(len(V), 2 * (P + K))
                V = _slots(np.concatenate([V, np.zeros((cap - len(V), V.shape[1], 2))]), M)
                n, root = (
                    np.concatenate([X, np.zeros(cap - len(X), dtype=int)]) for X in (n, root)
                )
            V[cross], V[P : P + K] = _slots(Vp, M), _slots(Vm, M)
            n[cross], n[P : P + K] = n_plus, n_minus
            root[P : P + K] = root[cross]
            P += K
        if depth == len(layers):
            break  # the last layer's masks feed nothing
        inner = V[:P].mean(axis=1)  # (P, 2): a point inside each polygon
        Gp, zp = G[root[:P]], z[root[:P]]  # (P, w, 2), (P, w)
        on = np.einsum("pjd,pd->pj", Gp, inner) + zp > 0  # no line crosses: one sign inside
        A, c = Gp * on[:, :, None], zp * on  # ReLU: inactive units output 0
    return V[:P], n[:P]


def _slots(V, M):
    """V (P, m, 2) with exactly M vertex slots (spare ones repeat vertex 0)."""
    if V.shape[1] >= M:
        return V[:, :M]
    return np.concatenate([V, np.repeat(V[:, :1], M - V.shape[1], axis=1)], axis=1)


def one_layer_exact(W, b):
    """Regions of w lines W·x + b = 0 in the square: 1 + (lines crossing it) + (crossings inside)."""
    corners = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])
    s = corners @ W.T + b  # (4, w)
    crossing = (s.max(axis=0) > 0) & (s.min(axis=0) < 0)
    inside = 0
    for i in range(len(b)):
        for j in range(i + 1, len(b)):
            det = W[i, 0] * W[j, 1] - W[i, 1] * W[j, 0]
            if det != 0:
                x = (-b[i] * W[j, 1] + b[j] * W[i, 1]) / det
                y = (-W[i, 0] * b[j] + W[j, 0] * b[i]) / det
                inside += int(abs(x) < 1 and abs(y) < 1)
    return 1 + int(crossing.sum()) + inside


def plane_bound(width):
    """At most 1 + w + w(w−1)/2 regions for w lines in the plane (general position: equality)."""
    return 1 + width + width * (width - 1) // 2


def montufar_bound(width, depth):
    """Regions some network of this shape reaches (Montúfar et al. 2014, 2 inputs, width ≥ 2)."""
    return (width // 2) ** (2 * (depth - 1)) * plane_bound(width)


def width_one_bound(depth):
    """Most regions one unit per layer makes, in the whole plane: depth + 1. Every unit after
    the first is a monotone function of z1 = w·x + b (ReLUs and affine maps of one variable
    compose monotone), so its pre-activation crosses 0 at most once: each layer adds at most
    one cut parallel to the first line. relu(… relu(relu(z1) − t₁) … − t) reaches it."""
    return depth + 1


def network(width, depth, seed, dataset):
    """The hidden layers to look at: at initialisation, or after brief training on `dataset`."""
    layers, v, c = init_layers(width, depth, seed)
    if dataset == "none":
        return layers, v, c
    X, y = dataset_points(dataset, seed)
    return train(layers, v, c, X, y)


def sweep_counts(seed):
    """Mean region count over three networks (seeds [seed, k]) per depth at SWEEP_BUDGET neurons."""
    out = []
    for d in SWEEP_DEPTHS:
        counts = [
            len(linear_regions(init_layers(SWEEP_BUDGET // d, d, [seed, k])[0])[1])
            for k in range(3)
        ]
        out.append(sum(counts) / 3)
    return tuple(out)


def regions_numbers(width, depth, seed, dataset, keep=None):
    """What /regions prints: the exact count, the bounds, the sweep, and any training's accuracy.

    `keep`, if a dict, receives the polygons too (the figure draws them; no second count).
    """
    layers, v, c = network(width, depth, seed, dataset)
    accuracy = "untrained"
    if dataset != "none":
        X, y = dataset_points(dataset, seed)
        out = forward(layers, X)[-1] @ v + c  # σ(out) within 1e-9 of ½: undecided
        decided = np.abs(out) >= TIE
        right = int(np.sum(decided & ((out > 0) == (y == 1))))
        undecided = int(np.sum(~decided))
        accuracy = f"{right} right, {len(y) - right - undecided} wrong, {undecided} undecided"
    V, n = linear_regions(layers)
    if keep is not None:
        keep["polygons"], keep["counts"] = V, n
    numbers = {
        "regions": len(n),
        "first_layer": one_layer_exact(*layers[0]),
        "plane_bound_one_layer": plane_bound(width),
        "montufar_max": montufar_bound(width, depth) if width >= 2 else "needs width ≥ 2",
        "train_accuracy": accuracy,
        "sweep": sweep_counts(seed),
    }
    if width == 1:
        numbers["width_one_max"] = width_one_bound(depth)
    return numbers


class Verdict(Enum):
    """What the count says, decided from the bounds it is compared with."""

    ONE_LAYER = "one layer"  # lines: 1 + crossing + crossings inside, ≤ 1 + w + C(w, 2)
    FAR_BELOW = "far below"  # deeper: ≤ a tenth of what some network of this shape reaches
    NOT_FAR = "not far"  # deeper, but within a factor 10 of Montúfar's construction (small nets)


def verdict(depth, numbers) -> Verdict:
    if depth == 1:
        return Verdict.ONE_LAYER
    most = numbers["montufar_max"]
    if isinstance(most, int) and 10 * numbers["regions"] <= most:
        return Verdict.FAR_BELOW
    return Verdict.NOT_FAR


@dataclass(frozen=True)
class Regions:
    """The regions of one network; `numbers` is exactly what regions_numbers returned."""

    width: int
    depth: int
    seed: int
    dataset: str
    numbers: dict
    verdict: Verdict
    polygons: np.ndarray  # (P, M, 2) vertices (spare slots repeat vertex 0)
    counts: np.ndarray  # (P,) vertices per polygon
    points: np.ndarray  # (n, 2) training points (empty when untrained)
    labels: np.ndarray  # (n,)


def check_args(width, depth, seed, dataset):
    """Server-side bounds (the slash command declares the same)."""
    if not 1 <= width <= WIDTH_MAX:
        raise UserError(f"width must be between 1 and {WIDTH_MAX} (got {width}).")
    if not 1 <= depth <= DEPTH_MAX:
        raise UserError(f"depth must be between 1 and {DEPTH_MAX} (got {depth}).")
    if dataset not in DATASETS:
        raise UserError(f"dataset must be one of {', '.join(DATASETS)}.")
    check_seed(seed)


def regions(width=8, depth=2, seed=0, dataset="none", polygons=True) -> Regions:
    """Count (through the kernel) and, for the figure, the polygons themselves."""
    check_args(width, depth, seed, dataset)
    kept: dict = {}
    numbers = regions_numbers(width, depth, seed, dataset, keep=kept)
    V, n = (kept["polygons"], kept["counts"]) if polygons else (np.zeros((0, 3, 2)), np.zeros(0))
    X, y = dataset_points(dataset, seed) if dataset != "none" else (np.zeros((0, 2)), np.zeros(0))
    return Regions(
        width=width,
        depth=depth,
        seed=seed,
        dataset=dataset,
        numbers=numbers,
        verdict=verdict(depth, numbers),
        polygons=V,
        counts=n,
        points=X,
        labels=y,
    )
