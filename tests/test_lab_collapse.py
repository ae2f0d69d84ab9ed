"""Collapse against theory: exact products, rank caps, residuals of nonlinear stacks."""

from __future__ import annotations

import numpy as np
import pytest

from bot.errors import UserError
from bot.lab.collapse import collapse, homogeneous, layer_shapes, make_layers


@pytest.mark.parametrize("layers", [1, 2, 5, 64])
@pytest.mark.parametrize("width", [1, 4, 16])
@pytest.mark.parametrize("bias", [False, True])
def test_linear_layers_are_one_matrix(layers, width, bias):
    c = collapse(layers=layers, width=width, bias=bias, seed=layers * width)
    assert c.max_abs_diff < 1e-10 and c.rel_diff < 1e-12


def test_squash_between_layers_is_still_one_matrix():
    c = collapse(layers=6, width=5, between="squash", seed=2)
    assert c.rel_diff < 1e-12


@pytest.mark.parametrize("k", [1, 2, 3])
def test_bottleneck_caps_rank(k):
    c = collapse(layers=5, width=8, bottleneck=k, seed=k)
    assert c.rank <= k
    assert c.rank == np.linalg.matrix_rank(c.product[:-1, :-1])  # small chain: SVD agrees


def test_rank_of_a_long_chain_is_exact_where_the_svd_is_not():
    c = collapse(layers=64, width=16, seed=0)
    assert c.rank == 16  # every factor invertible
    assert c.numerical_rank <= 16 and c.condition > 1e10


def test_homogeneous_product_equals_manual_affine_composition():
    net = make_layers(layer_shapes(2, 3, None), bias=True, seed=5)
    (W1, b1), (W2, b2) = net
    M = homogeneous(W2, b2) @ homogeneous(W1, b1)
    assert np.allclose(M[:-1, :-1], W2 @ W1)
    assert np.allclose(M[:-1, -1], W2 @ b1 + b2)
    assert np.array_equal(M[-1], [0, 0, 0, 1])


@pytest.mark.parametrize("between", ["tanh", "relu"])
def test_nonlinear_stack_has_no_single_matrix(between):
    c = collapse(layers=4, width=6, between=between, seed=1)
    assert c.residual > 0.05


def test_tanh_residual_shrinks_for_tiny_inputs():
    c = collapse(layers=4, width=6, between="tanh", seed=1)
    assert c.residual_small < c.residual / 10


def test_bounds_are_enforced():
    for kw in [
        dict(layers=0),
        dict(layers=65),
        dict(width=17),
        dict(bottleneck=5, width=4),
        dict(between="sigmoid"),
        dict(seed=-1),
    ]:
        with pytest.raises(UserError):
            collapse(**kw)
