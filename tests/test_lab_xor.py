"""The XOR lab against theory: least squares, the Farkas certificate, gradients."""

from __future__ import annotations

import numpy as np
import pytest

from bot.lab import xor
from bot.lab.activations import REGISTRY
from bot.lab.mlp import init, train_mlp
from bot.lab.neuron import train_neuron


def test_least_squares_matches_normal_equations():
    fit = xor.linear_fit()
    A = np.column_stack([xor.X, np.ones(4)])
    exact = np.linalg.solve(A.T @ A, A.T @ xor.Y)  # independent: normal equations
    assert np.allclose([*fit.w, fit.b], exact, atol=1e-12)
    assert fit.w == (0.0, 0.0) and fit.b == 0.5
    assert fit.predictions == (0.5, 0.5, 0.5, 0.5)
    assert fit.mse == 0.25


def test_certificate_sums_to_contradiction():
    cert = xor.certificate()
    assert all(m >= 0 for m in cert.multipliers) and any(cert.multipliers)
    assert cert.combination == (0.0, 0.0, 0.0)
    # any (w1, w2, b) violates at least one inequality: check on random samples
    rng = np.random.default_rng(0)
    A = np.column_stack([xor.X, np.ones(4)])
    s = np.array(cert.signs)
    for coef in rng.normal(size=(2000, 3)) * 10:
        assert np.any(s * (A @ coef) <= 0)
    assert cert.inequalities == ("b < 0", "w2 + b > 0", "w1 + b > 0", "w1 + w2 + b < 0")


def test_best_line_is_three_of_four_and_only_xor_labelings_are_unreachable():
    d = xor.linear_dichotomies(xor.X)
    assert len(d) == 14  # 16 labelings of a square's corners minus XOR and XNOR
    assert (0, 1, 1, 0) not in d and (1, 0, 0, 1) not in d
    assert xor.best_linear_threshold_correct(xor.X, xor.Y) == 3


def test_scaled_squash_changes_nothing():
    for s in xor.scaled_fits((1.0, 1e-3, -2.0, 1e6)):
        assert s.mse == pytest.approx(0.25, abs=1e-12)
        assert s.best_threshold_correct == 3


def test_sine_unit_solves_xor():
    u = xor.sine_unit()
    assert u.correct == 4
    assert u.max_error < 1e-15


@pytest.mark.parametrize("name", [n for n, a in REGISTRY.items() if a.monotone])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_monotone_unit_never_beats_three_quarters(name, seed):
    run = train_neuron(REGISTRY[name], seed=seed, epochs=300, lr=1.0)
    assert run.correct <= 3


def _bce(W1, b1, W2, b2, f):
    z = xor.X @ W1 + b1
    p = 1 / (1 + np.exp(-(f(z) @ W2 + b2)))
    return -np.mean(xor.Y * np.log(p) + (1 - xor.Y) * np.log(1 - p))


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "gelu", "softplus", "sin"])
def test_mlp_step_follows_the_finite_difference_gradient(name):
    """One gradient step equals −lr × the numerically differentiated loss."""
    act, lr, H = REGISTRY[name], 0.1, 3
    W1, b1, W2, b2 = init(H, seed=7)
    run = train_mlp(act, hidden=H, seed=7, epochs=1, lr=lr)
    step_W1 = (W1 - np.array(run.W1)) / lr
    step_W2 = (W2 - np.array(run.W2)) / lr
    h = 1e-6
    for i in range(2):
        for j in range(H):
            E = np.zeros_like(W1)
            E[i, j] = h
            fd = (_bce(W1 + E, b1, W2, b2, act.f) - _bce(W1 - E, b1, W2, b2, act.f)) / (2 * h)
            assert step_W1[i, j] == pytest.approx(fd, rel=1e-5, abs=1e-9)
    for j in range(H):
        E = np.zeros(H)
        E[j] = h
        fd = (_bce(W1, b1, W2 + E, b2, act.f) - _bce(W1, b1, W2 - E, b2, act.f)) / (2 * h)
        assert step_W2[j] == pytest.approx(fd, rel=1e-5, abs=1e-9)


def test_neuron_step_follows_the_finite_difference_gradient():
    act, lr = REGISTRY["tanh"], 0.1
    w0 = np.random.default_rng(3).normal(size=2)
    run = train_neuron(act, seed=3, epochs=1, lr=lr)
    step = (w0 - np.array(run.w)) / lr

    def loss(w):
        return np.mean((act.f(xor.X @ w) - xor.Y) ** 2)

    for i in range(2):
        e = np.zeros(2)
        e[i] = 1e-6
        assert step[i] == pytest.approx((loss(w0 + e) - loss(w0 - e)) / 2e-6, rel=1e-5)


def test_mlp_facts_from_the_design_notes():
    """Wide hidden layers always succeed here; linear hidden units never do."""
    assert all(train_mlp(REGISTRY["tanh"], 8, s, 1500, 1.0).correct == 4 for s in range(5))
    assert all(train_mlp(REGISTRY["identity"], 8, s, 500, 1.0).correct <= 3 for s in range(5))


def test_mlp_decisions_match_weights():
    run = train_mlp(REGISTRY["relu"], 4, 1, 200, 0.5)
    z = xor.X @ np.array(run.W1) + np.array(run.b1)
    assert run.decisions == tuple(tuple(int(v) for v in (z[:, j] > 0)) for j in range(4))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(epochs=0),
        dict(epochs=5001),
        dict(lr=0.0),
        dict(lr=0.00001),
        dict(lr=10.5),
        dict(lr=float("nan")),
        dict(seed=-1),
        dict(seed=2**31),
        dict(hidden=0),
        dict(hidden=17),
    ],
)
def test_training_bounds_are_enforced_server_side(kwargs):
    from bot.errors import UserError

    args = {"hidden": 2, "seed": 0, "epochs": 10, "lr": 1.0, **kwargs}
    with pytest.raises(UserError):
        train_mlp(REGISTRY["tanh"], **args)
