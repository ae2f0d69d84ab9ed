"""Learnable activations: frozen = fixed exactly, the phase identity, gradients of θ."""

from __future__ import annotations

import numpy as np
import pytest

from bot.lab.activations import REGISTRY
from bot.lab.batch import train_batch
from bot.lab.learnable import KINDS, theta0, train_learnable, unit
from bot.lab.xor import X, Y

X1 = np.linspace(-2, 2, 20)[:, None]
Y1 = np.sin(2 * X1[:, 0])
FIXED = {  # kind, θ at which it is a registry activation
    "prelu": ("leaky_relu", [0.01]),
    "swish": ("silu", [1.0]),
    "sine_phase": ("sin", [0.0]),
    "fourier": ("sin", None),
    "rational": ("identity", None),
    "kan": ("identity", None),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("data", "loss"), [((X, Y), "bce"), ((X1, Y1), "mse")])
def test_frozen_learnable_activation_trains_exactly_like_the_fixed_one(kind, data, loss):
    name, theta = FIXED[kind]
    act = REGISTRY[name]
    seeds = [0, 3, 11]
    lr = 0.5 if loss == "bce" else 0.05
    frozen = train_learnable(kind, *data, loss, 3, seeds, 200, lr, "glorot", 0.0, theta=theta)
    fixed = train_batch(act.f, act.df, *data, loss, 3, seeds, 200, lr, "glorot", losses=True)
    assert np.all(np.isfinite(fixed["losses"]))
    for key in ("W1", "b1", "W2", "b2", "out", "losses"):
        assert np.array_equal(frozen[key], fixed[key]), key


def test_learnable_phase_is_plain_sine_with_the_bias_step_doubled():
    """φ and b1 get the same gradient, so b1 + φ moves with twice the step."""
    seeds = list(range(20))
    phase = train_learnable("sine_phase", X, Y, "bce", 3, seeds, 2000, 1.0, "normal")
    doubled = train_learnable(
        "sine_phase", X, Y, "bce", 3, seeds, 2000, 1.0, "normal", lr_theta=0.0, bias_scale=2.0
    )
    assert np.max(np.abs(phase["out"] - doubled["out"])) < 1e-10
    assert np.max(np.abs(phase["losses"] - doubled["losses"])) < 1e-10
    assert np.max(np.abs(phase["b1"] + phase["theta"][0] - doubled["b1"])) < 1e-10
    assert np.max(np.abs(phase["W1"] - doubled["W1"])) < 1e-10
    assert np.max(np.abs(phase["theta"])) > 0.01  # the phase did move


def _loss(kind, th, Xd, Yd, loss, W1, b1, W2, b2):
    z1 = Xd @ W1 + b1  # (N, H)
    h = unit(kind, z1[..., None], th[..., None])[0][..., 0]
    z2 = h @ W2 + b2
    if loss == "bce":
        p = 1 / (1 + np.exp(-z2))
        return -np.mean(Yd * np.log(p) + (1 - Yd) * np.log(1 - p))
    return np.mean((z2 - Yd) ** 2)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("data", "loss"), [((X, Y), "bce"), ((X1, Y1), "mse")])
def test_every_learnable_parameter_gradient_matches_finite_differences(kind, data, loss):
    """One step with lr = 1 moves θ by −∂L/∂θ; compare with central differences at a
    generic θ (no unit at a kink, q ≠ 0 for the rational)."""
    rng = np.random.default_rng(7)
    hidden = 3
    P = len(theta0(kind, 1, 1))
    theta = rng.uniform(0.2, 0.9, size=(P, hidden))
    run0 = train_learnable(kind, *data, loss, hidden, [5], 0, 1.0, "normal", theta=theta)
    run1 = train_learnable(kind, *data, loss, hidden, [5], 1, 1.0, "normal", theta=theta)
    weights = [run0[k][..., 0] for k in ("W1", "b1", "W2", "b2")]
    grad = theta - run1["theta"][..., 0]
    fd = np.zeros_like(theta)
    for idx in np.ndindex(theta.shape):
        hi, lo = theta.copy(), theta.copy()
        hi[idx] += 1e-6
        lo[idx] -= 1e-6
        fd[idx] = (
            _loss(kind, hi, *data, loss, *weights) - _loss(kind, lo, *data, loss, *weights)
        ) / 2e-6
    assert np.allclose(grad, fd, rtol=1e-5, atol=1e-8), kind
    # and the weights' step: the input-to-hidden weights through ∂f/∂z
    W1 = weights[0]
    step = W1 - run1["W1"][..., 0]
    fdw = np.zeros_like(W1)
    for idx in np.ndindex(W1.shape):
        hi, lo = [w.copy() for w in weights], [w.copy() for w in weights]
        hi[0][idx] += 1e-6
        lo[0][idx] -= 1e-6
        fdw[idx] = (
            _loss(kind, theta, *data, loss, *hi) - _loss(kind, theta, *data, loss, *lo)
        ) / 2e-6
    assert np.allclose(step, fdw, rtol=1e-5, atol=1e-8), kind


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        unit("siren", np.zeros((1, 1, 1)), np.zeros((1, 1, 1)))


def test_kan_edge_function_is_the_identity_plus_the_interpolated_knots():
    """f(z) = z + g(z), g through (t_k, d_k): np.interp inside the knots, the end segments'
    lines beyond; at d = 0 exactly the identity, with slope exactly 1."""
    from bot.lab.learnable import KAN_KNOTS

    rng = np.random.default_rng(4)
    z = rng.uniform(-5, 5, size=(50, 2, 3))
    d = rng.normal(size=(len(KAN_KNOTS), 2, 3))
    h, dz, _ = unit("kan", z, d)
    for j, s in np.ndindex(2, 3):
        t, dk, zz = KAN_KNOTS, d[:, j, s], z[:, j, s]
        inside = np.interp(zz, t, dk)
        lo = dk[0] + (dk[1] - dk[0]) * (zz - t[0]) / (t[1] - t[0])
        hi = dk[-2] + (dk[-1] - dk[-2]) * (zz - t[-2]) / (t[-1] - t[-2])
        g = np.where(zz < t[0], lo, np.where(zz > t[-1], hi, inside))
        assert np.allclose(h[:, j, s], zz + g, rtol=0, atol=1e-12)
    fd = (unit("kan", z + 1e-7, d)[0] - unit("kan", z - 1e-7, d)[0]) / 2e-7  # no z near a knot
    assert np.allclose(dz, fd, rtol=0, atol=1e-6)
    h0, dz0, _ = unit("kan", z, theta0("kan", 2, 3))
    assert np.array_equal(h0, z) and np.all(dz0 == 1)


def test_a_custom_target_is_the_formula_on_the_grid_and_a_named_one_written_out_is_that_task():
    """x*sin(3x) evaluated independently; sin(2*x) and abs(x)-1 typed as formulas train
    exactly the sin and abs tasks (the same values, so the same numbers to the last bit)."""
    from bot.lab.expr import parse
    from bot.lab.learnable_compare import GRID, learnable_numbers, task_data

    X, y, loss = task_data("custom", parse("x*sin(3*x)").tree)
    assert loss == "mse" and np.array_equal(X[:, 0], GRID)
    assert np.allclose(y, GRID * np.sin(3 * GRID), rtol=0, atol=1e-15)
    assert np.array_equal(task_data("custom", parse("1").tree)[1], np.ones(len(GRID)))
    for formula, task in (("sin(2*x)", "sin"), ("abs(x)-1", "abs")):
        tree = parse(formula).tree
        assert np.array_equal(task_data("custom", tree)[1], task_data(task)[1])
        mine = learnable_numbers("swish", "custom", 3, 10, 60, 0.1, "normal", 0, tree)
        assert mine == learnable_numbers("swish", task, 3, 10, 60, 0.1, "normal", 0)
