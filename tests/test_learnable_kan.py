"""kind:kan is a KAN layer: a learnable function on every edge, checked against an
independent forward pass (np.interp), the linear network it starts as, and its card."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.cards.learnable import learnable_card
from bot.lab.activations import REGISTRY
from bot.lab.batch import train_batch
from bot.lab.learnable import train_learnable
from bot.lab.xor import X, Y
from tests.scripts import run_script

X1 = np.linspace(-2, 2, 20)[:, None]
Y1 = np.sin(2 * X1[:, 0])
TASKS = [((X, Y), "bce", 1.0), ((X1, Y1), "mse", 0.05)]
HIDDEN_KNOTS = np.arange(-3.0, 4.0)  # the spec: 7 knots one apart on [−3, 3]


def _line(x, t, d):
    """The piecewise-linear function through (t_k, d_k), the end segments extended."""
    lo = d[0] + (d[1] - d[0]) * (x - t[0]) / (t[1] - t[0])
    hi = d[-2] + (d[-1] - d[-2]) * (x - t[-2]) / (t[-1] - t[-2])
    return np.where(x < t[0], lo, np.where(x > t[-1], hi, np.interp(x, t, d)))


def _kan_loss(params, Xd, Yd, loss):
    """The KAN written out edge by edge: z_j = Σ_i (W1_ij·x_i + g_ij(x_i)) + b1_j with g_ij
    through 7 knots evenly over x_i's range, output Σ_j W2_j·(z_j + g_j(z_j)) + b2."""
    W1, b1, W2, b2, th, D = params  # (d, H), (H,), (H,), (), (7, H), (d, 7, H)
    d, H = W1.shape
    knots = [np.linspace(Xd[:, i].min(), Xd[:, i].max(), 7) for i in range(d)]
    z1 = np.array(
        [
            sum(W1[i, j] * Xd[:, i] + _line(Xd[:, i], knots[i], D[i, :, j]) for i in range(d))
            + b1[j]
            for j in range(H)
        ]
    ).T  # (N, H)
    h = z1 + np.array([_line(z1[:, j], HIDDEN_KNOTS, th[:, j]) for j in range(H)]).T
    z2 = h @ W2 + b2
    if loss == "bce":
        return np.mean(np.logaddexp(0, -(2 * Yd - 1) * z2))
    return np.mean((z2 - Yd) ** 2)


NAMES = ("W1", "b1", "W2", "b2", "theta", "theta_in")


@pytest.mark.parametrize(("data", "loss", "lr"), TASKS)
def test_every_kan_parameter_gradient_matches_finite_differences(data, loss, lr):
    """One step with lr = 1 moves every parameter by −∂L/∂p: weights, biases, the hidden
    edges' knots and the input edges' knots, at a generic point (every knot nonzero)."""
    rng = np.random.default_rng(11)
    d, H = data[0].shape[1], 3
    th, D = rng.uniform(-0.5, 0.5, (7, H)), rng.uniform(-0.5, 0.5, (d, 7, H))
    args = (*data, loss, H, [5])
    run0 = train_learnable("kan", *args, 0, 1.0, "normal", theta=th, theta_in=D)
    run1 = train_learnable("kan", *args, 1, 1.0, "normal", theta=th, theta_in=D)
    params = [np.array(run0[k][..., 0]) for k in NAMES]
    assert np.array_equal(params[4], th) and np.array_equal(params[5], D)
    for p, name in enumerate(NAMES):
        grad = params[p] - run1[name][..., 0]
        fd = np.zeros_like(params[p])
        for idx in np.ndindex(fd.shape):
            hi, lo = [q.copy() for q in params], [q.copy() for q in params]
            hi[p][idx] += 1e-6
            lo[p][idx] -= 1e-6
            fd[idx] = (_kan_loss(hi, *data, loss) - _kan_loss(lo, *data, loss)) / 2e-6
        assert np.allclose(grad, fd, rtol=1e-5, atol=1e-8), name
        assert np.any(np.abs(fd) > 1e-3), name  # the check has something to check


@pytest.mark.parametrize(("data", "loss", "lr"), TASKS)
def test_kan_at_its_initial_knots_is_the_linear_network_bit_for_bit(data, loss, lr):
    """Every knot 0: each edge is linear, so the KAN is the 2-H-1 net with the identity.
    Frozen, it trains bit for bit like that net and its knots stay exactly 0; learning,
    its first step moves the weights exactly as that net's first step does."""
    ident, seeds = REGISTRY["identity"], [0, 3, 11]
    fixed = train_batch(ident.f, ident.df, *data, loss, 3, seeds, 150, lr, "glorot", losses=True)
    frozen = train_learnable("kan", *data, loss, 3, seeds, 150, lr, "glorot", 0.0)
    for key in ("W1", "b1", "W2", "b2", "out", "losses"):
        assert np.array_equal(frozen[key], fixed[key]), key
    assert not np.any(frozen["theta"]) and not np.any(frozen["theta_in"])
    one = train_batch(ident.f, ident.df, *data, loss, 3, seeds, 1, lr, "glorot", losses=True)
    learned = train_learnable("kan", *data, loss, 3, seeds, 1, lr, "glorot")
    for key in ("W1", "b1", "W2", "b2"):
        assert np.array_equal(learned[key], one[key]), key
    assert np.array_equal(learned["losses"][0], one["losses"][0])
    assert np.any(learned["theta"]) and np.any(learned["theta_in"])  # the knots did learn


@pytest.mark.parametrize(("data", "loss", "lr"), TASKS)
def test_kan_batch_equals_single_runs_bit_for_bit(data, loss, lr):
    seeds = [2, 7, 0, 13, 5]
    batch = train_learnable("kan", *data, loss, 3, seeds, 120, lr, "he")
    for i, s in enumerate(seeds):
        single = train_learnable("kan", *data, loss, 3, [s], 120, lr, "he")
        for key, v in single.items():
            assert np.array_equal(v[..., 0], batch[key][..., i], equal_nan=True), (s, key)


def test_on_xor_only_the_end_knots_of_an_input_edge_ever_move():
    """XOR's inputs are 0 and 1, the input edges' end knots: the hat functions of the five
    inner knots are exactly 0 there, so those knots get no gradient, exactly."""
    run = train_learnable("kan", X, Y, "bce", 3, range(10), 300, 1.0, "normal")
    assert not np.any(run["theta_in"][:, 1:6])
    assert np.all(np.abs(run["theta_in"][:, [0, 6]]) > 0)


@pytest.mark.parametrize(("task", "hidden"), [("xor", 3), ("sin", 4)])
def test_kan_card_counts_every_edge_and_says_what_the_kan_is(task, hidden):
    card = learnable_card("kan", task, hidden, 10, 20, 0.05, "normal", figure=False)
    v = dict(card.numbers)
    Xd = X if task == "xor" else X1
    run = train_learnable("kan", Xd, Y if task == "xor" else Y1, "bce", hidden, [0], 0, 1, "he")
    weights = sum(run[k][..., 0].size for k in ("W1", "b1", "W2", "b2"))
    knots_in, knots_out = run["theta_in"][..., 0].size, run["theta"][..., 0].size
    d = Xd.shape[1]
    assert (weights, knots_in, knots_out) == (
        d * hidden + hidden + hidden + 1,
        7 * d * hidden,
        7 * hidden,
    )
    assert (v["weights"], v["theta"]) == (str(weights), str(knots_in + knots_out))
    assert (v["input edge knots"], v["hidden edge knots"]) == (str(knots_in), str(knots_out))
    params = next(f.value for f in card.fields if f.name == "Parameters")
    assert params == (
        f"weights {weights} · edge knots {knots_in + knots_out}: {knots_in} on the input edges, "
        f"{knots_out} on the hidden ones (learned: {weights + knots_in + knots_out}, frozen: "
        f"{weights})"
    )
    assert "Every edge learns its own function" in card.verdict
    assert "W1·x + g(x) on each input → hidden edge" in card.verdict
    assert not re.search(r"only (on )?the (output|hidden)|hidden layer is linear", card.verdict)
    frozen = next(f.value for f in card.fields if f.name == "Frozen counterpart")
    assert "whole network is linear" in frozen


@pytest.mark.parametrize(("task", "lr"), [("xor", 1.0), ("sin", 0.05)])
def test_kan_show_code_prints_the_card_numbers(tmp_path, task, lr):
    card = learnable_card("kan", task, 3, 12, 60, lr, "glorot", figure=False, seed=4)
    assert "def edge_features" in card.code and "def kan_unit" in card.code
    assert run_script(card.code, tmp_path) == list(card.numbers)


def test_kan_figure_draws_both_edge_layers():
    from bot.figures.learnable import learnable_figure
    from bot.lab.learnable_compare import learnable_comparison

    c = learnable_comparison("kan", "sin", 2, 10, 100, 0.05, "normal")
    x, start, learned = c.input_edge
    assert np.array_equal(x[[0, -1]], [-2.0, 2.0]) and start.shape == learned.shape == (6, 121)
    assert np.allclose(start[:, -1], -start[:, 0])  # W1·x: a line through 0
    assert not np.allclose(start, learned)
    png = learnable_figure(c)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[16:24] == (800).to_bytes(4, "big") + (450).to_bytes(4, "big")
