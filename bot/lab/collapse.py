"""Stacked linear layers are one matrix; a nonlinearity between them is not.

Layer l maps x ↦ W_l x + b_l. In homogeneous coordinates that is the matrix
M_l = [[W_l, b_l], [0, 1]] acting on [x; 1], so L affine layers are the single
product M = M_L ⋯ M_1: applying them one by one or all at once agrees to rounding.
A linear "squash" x/1000 is just another matrix (I/1000) in the product. A bottleneck
of width k caps the rank at k (see `product_rank` in bot/lab/rank.py). With tanh or
ReLU in between no single matrix exists in general; we measure how far the best affine
fit stays off, and say when the stack is affine after all (one layer, dead units).

`collapse_numbers` is the kernel: the card prints its dict and Show code runs its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from bot.errors import UserError
from bot.lab import check_seed
from bot.lab.rank import condition_number, product_rank
from bot.options import LAYERS, WIDTH

BETWEEN = ("none", "squash", "tanh", "relu")
SQUASH = 1e-3  # the argument's y' = y/1000
SMALL_SCALE = 1e-2  # "tiny inputs": the same inputs times this
N_FIT, N_TEST = 400, 200
AFFINE_TOL = 1e-9  # a residual below this is "exactly affine" (rounding is ~1e-15)
CONSTANT_TOL = 1e-12  # an output whose spread is below this share of its size is constant
COND_REACH = 1e16  # beyond this a condition number is not resolvable in float64
UNDEFINED = "undefined (constant output)"


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
        raise UserError(f"between must be one of {', '.join(BETWEEN)} (got {between[:20]!r}).")
    check_seed(seed)


def layer_shapes(layers: int, width: int, bottleneck: int | None) -> list[tuple[int, int]]:
    """(out, in) of each W_l: width × width, except the middle hidden width is the bottleneck."""
    dims = [width] * (layers + 1)  # dims[l] = width entering layer l
    if bottleneck is not None:
        dims[layers // 2 if layers > 1 else 1] = bottleneck
    return [(dims[i + 1], dims[i]) for i in range(layers)]


def make_layers(
    shapes: list[tuple[int, int]], bias: bool, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """W ~ N(0, 1/fan-in) keeps the signal's scale through many layers; b ~ N(0, 0.1²) or 0."""
    rng = np.random.default_rng(seed)
    net = []
    for n_out, n_in in shapes:
        W = rng.normal(size=(n_out, n_in)) / np.sqrt(n_in)  # (out, in)
        b = rng.normal(scale=0.1, size=n_out) if bias else np.zeros(n_out)  # (out,)
        net.append((W, b))
    return net


def sample_inputs(width: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """N_FIT inputs to fit on, N_TEST held out; an input stream independent of the weights."""
    rng = np.random.default_rng(seed + 1)
    return rng.normal(size=(N_FIT, width)), rng.normal(size=(N_TEST, width))


def homogeneous(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[[W, b], [0, 1]]: the affine map x ↦ Wx + b as one matrix on [x; 1]."""
    n_out, n_in = W.shape
    M = np.zeros((n_out + 1, n_in + 1))
    M[:n_out, :n_in] = W
    M[:n_out, n_in] = b
    M[n_out, n_in] = 1.0
    return M


def between_layers(kind: str, z: np.ndarray) -> np.ndarray:
    """What sits between two layers (never after the last one)."""
    if kind == "squash":
        return z * SQUASH
    if kind == "tanh":
        return np.tanh(z)
    if kind == "relu":
        return np.maximum(z, 0.0)
    return z


def forward(net: list, between: str, x: np.ndarray) -> np.ndarray:
    """Apply the layers one by one; `between` sits between consecutive layers. x: (n, in)."""
    a = x
    for i, (W, b) in enumerate(net):
        a = a @ W.T + b  # (n, out)
        if i < len(net) - 1:
            a = between_layers(between, a)
    return a


def collapse_product(net: list, between: str) -> np.ndarray:
    """M_L · S · M_{L−1} · S ⋯ M_1 with S = diag(1/1000, …, 1/1000, 1) for the squash."""
    M = np.eye(net[0][0].shape[1] + 1)
    for i, (W, b) in enumerate(net):
        M = homogeneous(W, b) @ M
        if i < len(net) - 1 and between == "squash":
            S = np.eye(M.shape[0]) * SQUASH
            S[-1, -1] = 1.0
            M = S @ M
    return M


def affine_fit(
    net: list, between: str, x_fit: np.ndarray, x_test: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares affine map fitted on x_fit, evaluated on x_test: (Y_test, Ŷ_test)."""
    A = np.column_stack([x_fit, np.ones(len(x_fit))])  # (n, in + 1)
    coef = np.linalg.lstsq(A, forward(net, between, x_fit), rcond=None)[0]  # (in + 1, out)
    return forward(net, between, x_test), np.column_stack([x_test, np.ones(len(x_test))]) @ coef


def relative_spread(Y: np.ndarray) -> float:
    """‖Y − Ȳ‖/‖Y‖: how much the outputs vary, as a share of their size (0 if all equal)."""
    if np.all(Y - Y[0] == 0):
        return 0.0  # exactly equal (the mean of equal floats may round: don't compute it)
    return float(np.linalg.norm(Y - Y.mean(axis=0)) / np.linalg.norm(Y))


def dead_layer(net: list, between: str) -> int:
    """First layer l ≥ 2 (1-based) whose ReLUs are all off for every input, else 0.

    After a ReLU every input is ≥ 0, so a unit with weights ≤ 0 and bias ≤ 0 never fires;
    if a whole layer is like that, everything after it sees 0: the output is constant.
    """
    if between != "relu":
        return 0
    for i, (W, b) in enumerate(net[1:-1], start=2):
        if np.all(W <= 0) and np.all(b <= 0):
            return i
    return 0


def collapse_numbers(
    layers: int = 3,
    width: int = 4,
    bottleneck: int | None = None,
    bias: bool = True,
    between: str = "none",
    seed: int = 0,
) -> dict:
    """What /collapse prints: the gap between the layers and one map, and the rank.

    Exact cases (nothing or x/1000 between, or one layer): max |sequential − one matrix|
    on held-out inputs, absolute and relative to max |output|. Nonlinear cases: the best
    affine fit's ‖Y − Ŷ‖/‖Y − Ȳ‖ (share of the spread; squared, of the variance), for the
    inputs and for them ×SMALL_SCALE, or UNDEFINED where the output is constant.
    """
    net = make_layers(layer_shapes(layers, width, bottleneck), bias, seed)
    x_fit, x_test = sample_inputs(width, seed)  # (N_FIT, width), (N_TEST, width)
    M = collapse_product(net, between)  # (width + 1, width + 1)
    out = {}
    if between in ("none", "squash") or layers == 1:
        seq = forward(net, between, x_test)  # (N_TEST, width)
        one = (np.column_stack([x_test, np.ones(N_TEST)]) @ M.T)[:, :-1]  # (N_TEST, width)
        diff = float(np.max(np.abs(seq - one)))
        top = float(np.max(np.abs(seq)))
        out["max_abs_diff"] = diff
        out["max_output"] = top
        out["relative"] = diff / top if top > 0 else 0.0  # top = 0 only if both are all 0
    else:
        dead = dead_layer(net, between)
        if dead:
            out["dead_layer"] = dead
        for scale, key in ((1.0, "residual"), (SMALL_SCALE, "residual_small")):
            Y, Y_hat = affine_fit(net, between, x_fit * scale, x_test * scale)  # (N_TEST, width)
            spread = relative_spread(Y)
            if spread <= CONSTANT_TOL:  # constant to rounding: ‖Y − Ȳ‖ would be 0/0-prone
                out[key] = UNDEFINED
                out["spread" if scale == 1.0 else "spread_small"] = spread
            else:
                r = float(np.linalg.norm(Y - Y_hat) / np.linalg.norm(Y - Y.mean(axis=0)))
                out[key] = r
                out["variance_missed" if scale == 1.0 else "variance_missed_small"] = r * r
    Ws = [W for W, _ in net]
    out["rank"] = product_rank(Ws)
    out["svd_rank"] = int(np.linalg.matrix_rank(M[:-1, :-1]))
    kappa = condition_number(Ws)
    out["condition"] = kappa if kappa < COND_REACH else f"> {COND_REACH:.0e}".replace("+", "")
    return out


class Kind(Enum):
    """What the stack is, decided from theory and the measured gap."""

    ONE_MATRIX = "one matrix"  # nothing or a linear squash between: exactly one affine map
    ONE_LAYER = "one layer"  # a nonlinearity asked for, but one layer has nothing between
    CONSTANT = "constant"  # the output does not vary: a constant map is affine
    AFFINE_HERE = "affine on these inputs"  # residual < AFFINE_TOL: no kink crossed, say
    NOT_AFFINE = "not affine"


class Small(Enum):
    """What the stack does with inputs ×SMALL_SCALE (nonlinear stacks only)."""

    CONSTANT = "constant"
    EXACT = "exactly affine there"  # residual < AFFINE_TOL (ReLUs stay on their bias's side)
    HOMOGENEOUS = "same residual"  # ReLU without biases: f(αx) = α f(x) for α > 0
    SHRINKS = "shrinks"  # at most half the full-scale residual
    STAYS = "stays"


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    small: Small | None = None  # only for nonlinear stacks of ≥ 2 layers
    dead_layer: int = 0  # a certified all-dead ReLU layer (1-based), else 0


def decide(values: dict, layers: int, bias: bool, between: str) -> Verdict:
    """The verdict from theory (which cases are exactly affine) and the kernel's numbers."""
    if between in ("none", "squash"):
        return Verdict(Kind.ONE_MATRIX)
    if layers == 1:
        return Verdict(Kind.ONE_LAYER)
    res, small = values["residual"], values["residual_small"]
    if small == UNDEFINED:
        s = Small.CONSTANT
    elif small < AFFINE_TOL:
        s = Small.EXACT
    elif between == "relu" and not bias:
        s = Small.HOMOGENEOUS
    elif res != UNDEFINED and small <= 0.5 * res:
        s = Small.SHRINKS
    else:
        s = Small.STAYS
    dead = values.get("dead_layer", 0)
    if res == UNDEFINED:
        return Verdict(Kind.CONSTANT, s, dead)
    return Verdict(Kind.AFFINE_HERE if res < AFFINE_TOL else Kind.NOT_AFFINE, s, dead)


@dataclass(frozen=True)
class Collapse:
    layers: int
    width: int
    bottleneck: int | None
    bias: bool
    between: str
    seed: int
    values: dict  # collapse_numbers(...): exactly what the card prints
    verdict: Verdict
    shapes: tuple[tuple[int, int], ...]  # each W_l: (out, in)
    matrices: tuple[np.ndarray, ...]  # each homogeneous M_l: (out + 1, in + 1)
    product: np.ndarray  # M = M_L ⋯ M_1 (ignores a nonlinearity between)
    samples: np.ndarray  # (N_TEST, 2): output coordinate 1, layer by layer vs the one map

    @property
    def exact(self) -> bool:
        return self.verdict.kind in (Kind.ONE_MATRIX, Kind.ONE_LAYER)

    @property
    def max_abs_diff(self) -> float:
        """Exact cases only (KeyError otherwise: there is no one matrix to compare with)."""
        return self.values["max_abs_diff"]

    @property
    def rel_diff(self) -> float:
        return self.values["relative"]


def collapse(
    layers: int = 3,
    width: int = 4,
    bottleneck: int | None = None,
    bias: bool = True,
    between: str = "none",
    seed: int = 0,
) -> Collapse:
    """The kernel's numbers, the verdict they support, and what the figure draws."""
    check_args(layers, width, bottleneck, between, seed)
    values = collapse_numbers(layers, width, bottleneck, bias, between, seed)
    verdict = decide(values, layers, bias, between)
    shapes = layer_shapes(layers, width, bottleneck)
    net = make_layers(shapes, bias, seed)
    x_fit, x_test = sample_inputs(width, seed)
    M = collapse_product(net, between)
    if verdict.kind in (Kind.ONE_MATRIX, Kind.ONE_LAYER):
        Y, Y_hat = forward(net, between, x_test), np.column_stack([x_test, np.ones(N_TEST)]) @ M.T
    else:
        Y, Y_hat = affine_fit(net, between, x_fit, x_test)
    return Collapse(
        layers=layers,
        width=width,
        bottleneck=bottleneck,
        bias=bias,
        between=between,
        seed=seed,
        values=values,
        verdict=verdict,
        shapes=tuple(shapes),
        matrices=tuple(homogeneous(W, b) for W, b in net),
        product=M,
        samples=np.column_stack([Y[:, 0], Y_hat[:, 0]]),
    )
