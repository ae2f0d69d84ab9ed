"""Collapse against theory and exact arithmetic, never against another SVD of the product.

Oracles: ranks modulo a prime and with `Fraction` elimination (a nonzero minor mod p is a
nonzero integer, so rank_p ≤ rank; rank ≤ the narrowest width always), singular values
from one-sided Jacobi in 120-digit `Decimal` on the exact dyadic product.
"""

from __future__ import annotations

import decimal
import itertools
from fractions import Fraction

import numpy as np
import pytest

from bot.errors import UserError
from bot.lab.collapse import (
    AFFINE_TOL,
    UNDEFINED,
    Kind,
    Small,
    collapse,
    collapse_numbers,
    forward,
    homogeneous,
    layer_shapes,
    make_layers,
    sample_inputs,
)
from bot.lab.rank import condition_number, exact_product_rank, product_rank

P = 2**61 - 1  # a Mersenne prime


def dyadic(W: np.ndarray) -> list[list[int]]:
    """2^e · W as integers, computed here with Fraction (not the lab's helper)."""
    F = [[Fraction(float(v)) for v in row] for row in W]
    den = max(f.denominator for row in F for f in row)
    return [[int(f * den) for f in row] for row in F]


def rank_mod_p(Ws: list[np.ndarray]) -> int:
    """rank of the exact product over F_p: a lower bound on the rank over Q."""
    M = [[x % P for x in row] for row in dyadic(Ws[0])]
    for W in Ws[1:]:
        Z = dyadic(W)
        M = [
            [sum(z * M[k][j] for k, z in enumerate(row)) % P for j in range(len(M[0]))] for row in Z
        ]
    rank, rows = 0, [list(r) for r in M]
    for col in range(len(rows[0])):
        piv = next((r for r in range(rank, len(rows)) if rows[r][col]), None)
        if piv is None:
            continue
        rows[rank], rows[piv] = rows[piv], rows[rank]
        inv = pow(rows[rank][col], P - 2, P)
        for r in range(len(rows)):
            if r != rank and rows[r][col]:
                f = rows[r][col] * inv % P
                rows[r] = [(a - f * b) % P for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def fraction_rank(M: list[list[Fraction]]) -> int:
    rows, rank = [list(r) for r in M], 0
    for col in range(len(rows[0])):
        piv = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if piv is None:
            continue
        rows[rank], rows[piv] = rows[piv], rows[rank]
        for r in range(rank + 1, len(rows)):
            f = rows[r][col] / rows[rank][col]
            rows[r] = [a - f * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def fraction_product(Ws: list[np.ndarray]) -> list[list[Fraction]]:
    M = [[Fraction(float(v)) for v in row] for row in Ws[0]]
    for W in Ws[1:]:
        Z = [[Fraction(float(v)) for v in row] for row in W]
        M = [[sum(z * M[k][j] for k, z in enumerate(row)) for j in range(len(M[0]))] for row in Z]
    return M


def exact_singular_values(Ws: list[np.ndarray]) -> list[decimal.Decimal]:
    """Singular values of the exact product, one-sided Jacobi in 120 digits, largest first."""
    with decimal.localcontext() as ctx:
        ctx.prec = 120
        M = fraction_product(Ws)
        cols = [
            [decimal.Decimal(r[j].numerator) / r[j].denominator for r in M]
            for j in range(len(M[0]))
        ]
        tol = decimal.Decimal(10) ** -100
        for _ in range(60):
            rotated = False
            for p in range(len(cols)):
                for q in range(p + 1, len(cols)):
                    a = sum(x * x for x in cols[p])
                    b = sum(x * x for x in cols[q])
                    g = sum(x * y for x, y in zip(cols[p], cols[q], strict=True))
                    if g == 0 or abs(g) <= tol * (a * b).sqrt():
                        continue
                    rotated = True
                    z = (b - a) / (2 * g)
                    t = (1 if z >= 0 else -1) / (abs(z) + (1 + z * z).sqrt())
                    c = 1 / (1 + t * t).sqrt()
                    s = c * t
                    cols[p], cols[q] = (
                        [c * x - s * y for x, y in zip(cols[p], cols[q], strict=True)],
                        [s * x + c * y for x, y in zip(cols[p], cols[q], strict=True)],
                    )
            if not rotated:
                break
        return sorted((sum(x * x for x in col).sqrt() for col in cols), reverse=True)


def weights(layers, width, bottleneck=None, seed=0):
    return [W for W, _ in make_layers(layer_shapes(layers, width, bottleneck), True, seed)]


# ---- one matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("layers", [1, 2, 5, 64])
@pytest.mark.parametrize("width", [1, 4, 16])
@pytest.mark.parametrize("bias", [False, True])
def test_linear_layers_are_one_matrix(layers, width, bias):
    c = collapse(layers=layers, width=width, bias=bias, seed=layers * width)
    assert c.verdict.kind is Kind.ONE_MATRIX
    assert c.values["relative"] < 1e-12


def test_squash_over_64_layers_compares_relative_to_outputs_near_1e_189():
    """63 squashes of 1e-3 scale the output by 1e-189 (no underflow: floats reach 1e-308),
    so the absolute gap is meaningless and the relative one, to max |output|, is rounding."""
    v = collapse_numbers(layers=64, width=16, bias=False, between="squash", seed=0)
    assert 1e-195 < v["max_output"] < 1e-183
    assert v["relative"] < 1e-12 and v["max_abs_diff"] < 1e-12 * v["max_output"]


def test_homogeneous_product_equals_manual_affine_composition():
    net = make_layers(layer_shapes(2, 3, None), bias=True, seed=5)
    (W1, b1), (W2, b2) = net
    M = homogeneous(W2, b2) @ homogeneous(W1, b1)
    assert np.allclose(M[:-1, :-1], W2 @ W1)
    assert np.allclose(M[:-1, -1], W2 @ b1 + b2)
    assert np.array_equal(M[-1], [0, 0, 0, 1])


@pytest.mark.parametrize("between", ["tanh", "relu"])
def test_one_layer_has_nothing_between(between):
    c = collapse(layers=1, width=4, between=between, seed=3)
    assert c.verdict.kind is Kind.ONE_LAYER and c.exact
    assert c.values["max_abs_diff"] == 0.0  # x @ W.T + b either way


# ---- rank and condition ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("layers", "width", "bottleneck"),
    [(64, 16, 12), (64, 16, 1), (64, 16, 16), (2, 16, 3), (3, 1, 1), (1, 7, None), (64, 2, None)],
)
def test_rank_matches_the_exact_product(layers, width, bottleneck):
    """The issue's case: 64 × 16 with bottleneck 12 has rank 12 (it used to say 10)."""
    Ws = weights(layers, width, bottleneck)
    k = bottleneck or width
    assert rank_mod_p(Ws) == k  # so the exact rank is ≥ k, and ≤ k as the narrowest width
    assert product_rank(Ws) == k
    assert collapse_numbers(layers, width, bottleneck, True, "none", 0)["rank"] == k


@pytest.mark.parametrize(
    "Ws",
    [
        [np.array([[1.0, 2.0], [2.0, 4.0]]), np.eye(2)],  # a singular factor
        [np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]).T, np.array([[0.0, 0.0, 1.0]])],  # 2→3→1
        [np.array([[1.0, 0.0, 0.0]]).T, np.array([[0.0, 3.0, 0.0], [0.0, 0.0, 1.0]])],  # kills it
        [np.array([[0.5, -0.25], [0.0, 0.0]]), np.array([[2.0, 1.0], [4.0, 2.0]])],
        [np.zeros((3, 2)), np.ones((2, 3))],
    ],
)
def test_rank_outside_the_theorem_is_exact_integer_arithmetic(Ws):
    assert product_rank(Ws) == exact_product_rank(Ws) == fraction_rank(fraction_product(Ws))


def test_integer_fallback_agrees_with_fractions_on_random_chains():
    rng = np.random.default_rng(0)
    for _ in range(20):
        dims = rng.integers(1, 5, size=rng.integers(2, 6))
        Ws = [rng.integers(-2, 3, size=(o, i)) * 0.25 for i, o in itertools.pairwise(dims)]
        assert exact_product_rank(Ws) == fraction_rank(fraction_product(Ws))


@pytest.mark.parametrize(
    ("layers", "width", "bottleneck"),
    [
        (3, 4, None),
        (12, 8, None),
        (20, 6, 2),
        (40, 3, None),
        (8, 16, 12),
        (64, 2, None),
        (30, 8, 4),
    ],
)
def test_condition_number_matches_exact_singular_values(layers, width, bottleneck):
    Ws = weights(layers, width, bottleneck, seed=layers)
    s = exact_singular_values(Ws)
    k = bottleneck or width
    exact = float(s[0] / s[k - 1])
    shown = collapse_numbers(layers, width, bottleneck, True, "none", layers)["condition"]
    if exact < 1e16:
        assert condition_number(Ws) == pytest.approx(exact, rel=1e-6)
        assert shown == pytest.approx(exact, rel=1e-6)
    else:
        assert shown == "> 1e16"


def test_a_condition_beyond_float64_is_shown_as_a_bound():
    """64 layers of width 16: the exact product's σ_max/σ_min is far beyond 1e16."""
    v = collapse_numbers(layers=64, width=16, seed=0)
    assert v["condition"] == "> 1e16" and v["rank"] == 16
    Ws = weights(20, 16, seed=0)
    s = exact_singular_values(Ws)
    assert s[0] / s[-1] > decimal.Decimal(10) ** 16
    assert collapse_numbers(20, 16, None, True, "none", 0)["condition"] == "> 1e16"


# ---- nonlinear stacks ------------------------------------------------------------------


def ols_variance_missed(layers, width, bottleneck, bias, between, seed, scale=1.0):
    """1 − R² of the pooled outputs, from the normal equations (not lstsq)."""
    net = make_layers(layer_shapes(layers, width, bottleneck), bias, seed)
    x_fit, x_test = (x * scale for x in sample_inputs(width, seed))
    A = np.column_stack([x_fit, np.ones(len(x_fit))])
    coef = np.linalg.solve(A.T @ A, A.T @ forward(net, between, x_fit))
    Y = forward(net, between, x_test)
    Yh = np.column_stack([x_test, np.ones(len(x_test))]) @ coef
    return float(((Y - Yh) ** 2).sum() / ((Y - Y.mean(axis=0)) ** 2).sum())


@pytest.mark.parametrize(
    "opts",
    [(4, 6, None, True, "tanh", 1), (3, 4, None, False, "relu", 0), (9, 8, 2, True, "relu", 4)],
)
def test_residual_is_a_share_of_spread_and_its_square_of_variance(opts):
    v = collapse_numbers(*opts)
    assert v["variance_missed"] == pytest.approx(ols_variance_missed(*opts), rel=1e-8)
    assert v["residual"] == pytest.approx(v["variance_missed"] ** 0.5, rel=1e-12)
    assert v["residual"] > 0.05 and collapse(*opts).verdict.kind is Kind.NOT_AFFINE


@pytest.mark.parametrize("seed", range(4))
def test_relu_without_bias_is_positively_homogeneous(seed):
    """f(αx) = α·f(x), and the least-squares fit scales with it: same residual at any scale."""
    v = collapse_numbers(5, 6, None, False, "relu", seed)
    assert v["residual_small"] == pytest.approx(v["residual"], rel=1e-9)
    assert collapse(5, 6, None, False, "relu", seed).verdict.small is Small.HOMOGENEOUS


@pytest.mark.parametrize("seed", range(4))
def test_tanh_residual_shrinks_like_the_cubic_for_tiny_odd_stacks(seed):
    """Without biases tanh(z) = z − z³/3 + …: the miss falls like scale² (0.01² here)."""
    v = collapse_numbers(4, 6, None, False, "tanh", seed)
    assert v["residual_small"] < 1e-2 * v["residual"]  # 100 · 0.01², a linear fall would not
    assert collapse(4, 6, None, False, "tanh", seed).verdict.small is Small.SHRINKS


def sign_patterns_fixed(layers, width, bottleneck, bias, seed, scale):
    """True if a hidden layer is off on every sampled input (constant from there on), or no
    ReLU changes side across them: either way the stack is one affine map there."""
    net = make_layers(layer_shapes(layers, width, bottleneck), bias, seed)
    a = np.vstack(sample_inputs(width, seed)) * scale
    fixed = True
    for W, b in net[:-1]:
        z = a @ W.T + b  # (n, out)
        if np.all(z <= 0):
            return True
        fixed &= bool((np.all(z > 0, axis=0) | np.all(z <= 0, axis=0)).all())
        a = np.maximum(z, 0.0)
    return fixed


@pytest.mark.parametrize("seed", range(12))
def test_relu_exactly_affine_only_where_no_unit_changes_side(seed):
    layers, width = 2 + seed % 5, 1 + seed % 4
    c = collapse(layers, width, None, True, "relu", seed)
    for key, scale, affine in (
        ("residual", 1.0, c.verdict.kind in (Kind.AFFINE_HERE, Kind.CONSTANT)),
        ("residual_small", 0.01, c.verdict.small in (Small.EXACT, Small.CONSTANT)),
    ):
        fixed = sign_patterns_fixed(layers, width, None, True, seed, scale)
        assert affine == fixed, (key, c.values[key])
        if c.values[key] != UNDEFINED:
            assert (c.values[key] < AFFINE_TOL) == fixed


def dead_seeds(n):
    found = [
        s for s in range(200) if collapse_numbers(10, 1, None, True, "relu", s).get("dead_layer")
    ]
    return found[:n]


@pytest.mark.parametrize("seed", dead_seeds(3))
def test_a_dead_relu_layer_makes_the_output_constant_everywhere(seed):
    c = collapse(10, 1, None, True, "relu", seed)
    assert c.verdict.kind is Kind.CONSTANT and c.values["residual"] == UNDEFINED
    net = make_layers(layer_shapes(10, 1, None), True, seed)
    wild = np.array([[-1e6], [-3.0], [0.0], [0.5], [7.0], [1e6]])
    out = forward(net, "relu", wild)
    assert np.all(out == out[0])


def test_dead_layers_exist_in_width_one_stacks():
    assert len(dead_seeds(3)) == 3  # so the test above is not vacuous


def test_no_zero_over_zero_anywhere():
    with np.errstate(divide="raise", invalid="raise"):
        for opts in [(10, 1, None, True, "relu", s) for s in dead_seeds(2)] + [
            (3, 4, None, False, "relu", 0),
            (64, 16, 12, True, "tanh", 1),
            (64, 1, None, False, "squash", 2),
        ]:
            collapse_numbers(*opts)


def test_initialisation_is_n_0_one_over_fan_in():
    """The footer's claim: the layer after a bottleneck of 3 has variance 1/3, the rest 1/16."""
    net = make_layers(layer_shapes(64, 16, 3), True, 0)
    for W, _ in net:
        fan_in = W.shape[1]
        assert np.var(W * np.sqrt(fan_in)) == pytest.approx(1.0, abs=0.5)
    assert sorted({W.shape[1] for W, _ in net}) == [3, 16]


def test_bounds_are_enforced():
    for kw in [
        dict(layers=0),
        dict(layers=65),
        dict(width=17),
        dict(bottleneck=5, width=4),
        dict(bottleneck=2, layers=1),
        dict(between="sigmoid"),
        dict(seed=-1),
    ]:
        with pytest.raises(UserError):
            collapse(**kw)
