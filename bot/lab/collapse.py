"""Stacked linear layers are one matrix; a nonlinearity between them is not.

Layer l maps x ↦ W_l x + b_l. In homogeneous coordinates that is the matrix
M_l = [[W_l, b_l], [0, 1]] acting on [x; 1], so L affine layers are the single
product M = M_L ⋯ M_1: applying them one by one or all at once agrees to rounding
(~1e-15). A linear "squash" x/1000 is just another matrix (I/1000) in the product.
A bottleneck of width k forces rank(W) ≤ k. With tanh or ReLU in between no single
matrix exists; we measure how far the best affine fit stays off.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.lab import check_seed
from bot.options import LAYERS, WIDTH

BETWEEN = ("none", "squash", "tanh", "relu")
SQUASH = 1e-3  # the argument's y' = y/1000


@dataclass(frozen=True)
class Collapse:
    layers: int
    width: int
    bottleneck: int | None
    bias: bool
    between: str
    seed: int
    shapes: tuple[tuple[int, int], ...]  # each W_l: (out, in)
    matrices: tuple[np.ndarray, ...]  # each homogeneous M_l: (out + 1, in + 1)
    product: np.ndarray  # M = M_L ⋯ M_1 (linear part only when between is nonlinear)
    rank: int  # of the linear part of M: min over the factors' ranks (exact for these factors)
    numerical_rank: int  # what an SVD of the float product resolves above rounding
    condition: float  # σ_max/σ_min of the product's linear part
    max_abs_diff: float  # sequential vs product, on held-out inputs (linear cases)
    rel_diff: float  # the same, relative to max |output|
    residual: float  # nonlinear: ‖Y − Ŷ‖/‖Y − Ȳ‖ of the best affine fit, held out
    residual_small: float  # the same with inputs scaled by SMALL_SCALE
    samples: np.ndarray  # (n, 2): one output coordinate, sequential vs single map

    @property
    def exact(self) -> bool:
        return self.between in ("none", "squash")


SMALL_SCALE = 1e-2
N_FIT, N_TEST = 400, 200


def check_args(layers: int, width: int, bottleneck: int | None, between: str, seed: int) -> None:
    """Server-side bounds (Discord enforces the same ones in the client)."""
    if not LAYERS.low <= layers <= LAYERS.high:
        raise UserError(f"layers must be between {LAYERS.low} and {LAYERS.high} (got {layers}).")
    if not WIDTH.low <= width <= WIDTH.high:
        raise UserError(f"width must be between {WIDTH.low} and {WIDTH.high} (got {width}).")
    if bottleneck is not None and not 1 <= bottleneck <= width:
        raise UserError(f"bottleneck must be between 1 and width ({width}) (got {bottleneck}).")
    if bottleneck is not None and layers < 2:
        raise UserError("a bottleneck needs at least 2 layers (it is a hidden layer's width).")
    if between not in BETWEEN:
        raise UserError(f"between must be one of {', '.join(BETWEEN)} (got {between!r}).")
    check_seed(seed)


def layer_shapes(layers: int, width: int, bottleneck: int | None) -> list[tuple[int, int]]:
    """All layers width × width, except the middle hidden layer narrowed to the bottleneck."""
    dims = [width] * (layers + 1)  # dims[l] = width entering layer l
    if bottleneck is not None:
        dims[layers // 2 if layers > 1 else 1] = bottleneck
    return [(dims[i + 1], dims[i]) for i in range(layers)]


def make_layers(shapes, bias: bool, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """W ~ N(0, 1/in) keeps the signal's scale through many layers; b ~ N(0, 0.1²)."""
    rng = np.random.default_rng(seed)
    out = []
    for n_out, n_in in shapes:
        W = rng.normal(size=(n_out, n_in)) / np.sqrt(n_in)  # (out, in)
        b = rng.normal(scale=0.1, size=n_out) if bias else np.zeros(n_out)  # (out,)
        out.append((W, b))
    return out


def homogeneous(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[[W, b], [0, 1]]: the affine map x ↦ Wx + b as one matrix on [x; 1]."""
    n_out, n_in = W.shape
    M = np.zeros((n_out + 1, n_in + 1))
    M[:n_out, :n_in] = W
    M[:n_out, n_in] = b
    M[n_out, n_in] = 1.0
    return M


def _between(kind: str, z: np.ndarray) -> np.ndarray:
    if kind == "squash":
        return z * SQUASH
    if kind == "tanh":
        return np.tanh(z)
    if kind == "relu":
        return np.maximum(z, 0.0)
    return z


def forward(layers, between: str, x: np.ndarray) -> np.ndarray:
    """Apply the layers one by one; `between` sits between consecutive layers. x: (n, in)."""
    a = x
    for i, (W, b) in enumerate(layers):
        a = a @ W.T + b  # (n, out)
        if i < len(layers) - 1:
            a = _between(between, a)
    return a


def collapse_product(layers, between: str) -> np.ndarray:
    """M_L · S · M_{L−1} · S ⋯ M_1 with S = diag(1/1000, …, 1/1000, 1) for the squash."""
    M = np.eye(layers[0][0].shape[1] + 1)
    for i, (W, b) in enumerate(layers):
        M = homogeneous(W, b) @ M
        if i < len(layers) - 1 and between == "squash":
            S = np.eye(M.shape[0]) * SQUASH
            S[-1, -1] = 1.0
            M = S @ M
    return M


def product_rank(Ws: list[np.ndarray]) -> int:
    """rank(W_L ⋯ W_1), exactly, for a chain of full-rank factors whose widths dip once.

    Full-rank factors that narrow (or keep) the width are onto, those that widen are
    one-to-one; onto maps compose to an onto map R^n → R^k and one-to-one maps keep
    rank, so the product has rank k = the smallest width. Multiplying 64 random
    matrices in floating point pushes small singular values below rounding, so an SVD
    of the product under-counts; the factors are each well conditioned.
    """
    dims = [Ws[0].shape[1]] + [W.shape[0] for W in Ws]  # widths along the chain
    low = int(np.argmin(dims))
    valley = all(a >= b for a, b in itertools.pairwise(dims)) and all(
        a <= b for a, b in zip(dims[low:-1], dims[low + 1 :], strict=True)
    )
    if valley and all(np.linalg.matrix_rank(W) == min(W.shape) for W in Ws):
        return int(dims[low])
    P = Ws[0]  # other shapes: fall back to the product's numerical rank
    for W in Ws[1:]:
        P = W @ P
    return int(np.linalg.matrix_rank(P))


def best_affine_residual(layers, between: str, x_fit, x_test) -> tuple[float, np.ndarray]:
    """Least-squares affine map fitted on x_fit; ‖Y − Ŷ‖_F/‖Y − Ȳ‖_F on x_test."""
    Y_fit = forward(layers, between, x_fit)
    Y_test = forward(layers, between, x_test)
    A_fit = np.column_stack([x_fit, np.ones(len(x_fit))])  # (n, in + 1)
    coef, *_ = np.linalg.lstsq(A_fit, Y_fit, rcond=None)  # (in + 1, out)
    Y_hat = np.column_stack([x_test, np.ones(len(x_test))]) @ coef
    spread = np.linalg.norm(Y_test - Y_test.mean(axis=0))
    res = np.linalg.norm(Y_test - Y_hat) / spread if spread > 0 else 0.0
    return float(res), Y_hat


def collapse(
    layers: int = 3,
    width: int = 4,
    bottleneck: int | None = None,
    bias: bool = True,
    between: str = "none",
    seed: int = 0,
) -> Collapse:
    """Build the seeded layers, collapse them, and measure the gap on held-out inputs."""
    check_args(layers, width, bottleneck, between, seed)
    shapes = layer_shapes(layers, width, bottleneck)
    net = make_layers(shapes, bias, seed)
    rng = np.random.default_rng(seed + 1)  # inputs: an independent stream
    x_fit = rng.normal(size=(N_FIT, width))  # (N_FIT, width)
    x_test = rng.normal(size=(N_TEST, width))  # (N_TEST, width)
    M = collapse_product(net, between)  # (width + 1, width + 1)
    seq = forward(net, between, x_test)  # (N_TEST, width)
    one = np.column_stack([x_test, np.ones(N_TEST)]) @ M.T  # (N_TEST, width + 1)
    rank = product_rank([W for W, _ in net])
    sv = np.linalg.svd(M[:-1, :-1], compute_uv=False)
    numerical_rank = int(np.linalg.matrix_rank(M[:-1, :-1]))
    condition = float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")
    if between in ("none", "squash"):
        diff = float(np.max(np.abs(seq - one[:, :-1])))
        scale = float(np.max(np.abs(seq)))
        rel = diff / scale if scale > 0 else 0.0
        residual, residual_small = 0.0, 0.0
        single = one[:, :-1]
    else:
        diff = rel = float("nan")
        residual, single = best_affine_residual(net, between, x_fit, x_test)
        residual_small, _ = best_affine_residual(
            net, between, x_fit * SMALL_SCALE, x_test * SMALL_SCALE
        )
    return Collapse(
        layers=layers,
        width=width,
        bottleneck=bottleneck,
        bias=bias,
        between=between,
        seed=seed,
        shapes=tuple(shapes),
        matrices=tuple(homogeneous(W, b) for W, b in net),
        product=M,
        rank=rank,
        numerical_rank=numerical_rank,
        condition=condition,
        max_abs_diff=diff,
        rel_diff=rel,
        residual=residual,
        residual_small=residual_small,
        samples=np.column_stack([seq[:, 0], single[:, 0]]),
    )
