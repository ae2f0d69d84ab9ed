"""The XOR lab against theory: least squares, the Farkas certificate, gradients."""

from __future__ import annotations

import numpy as np
import pytest

from bot.lab import xor
from bot.lab.activations import REGISTRY
from bot.lab.mlp import init, train_mlp
from bot.lab.neuron import neuron_descent, train_neuron
from bot.lab.verdicts import Advice, Limit, Outcome, Reach


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


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "sin"])
def test_neuron_descent_is_the_plain_loop_bit_for_bit(name):
    """neuron_descent takes f' of the logistic and tanh from the unit's output; it must be
    the textbook loop calling f and f' on z, to the last bit, losses and weights alike."""
    act = REGISTRY[name]
    w, b = np.random.default_rng(4).normal(size=2), 0.0
    losses = []
    for _ in range(300):
        z = xor.X @ w + b
        e = act.f(z) - xor.Y
        losses.append(np.add.reduce(e * e) / 4)
        dz = 0.5 * e * act.df(z)
        w, b = w - 1.0 * (xor.X.T @ dz), b - 1.0 * float(np.add.reduce(dz))
    losses.append(np.add.reduce((act.f(xor.X @ w + b) - xor.Y) ** 2) / 4)
    got_w, got_b, got_losses, _, bad = neuron_descent(act.f, act.df, 4, 300, 1.0)
    assert bad == -1
    assert np.array_equal(got_w, w) and got_b == b
    assert np.array_equal(got_losses, losses)


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


# --- issue 7 §1: the rules, each against theory --------------------------------------


def test_ties_are_undecided():
    p = np.array([0.5, 0.5 + 5e-10, 0.5 - 2e-9, 1.0])  # labels 0 1 1 0
    assert xor.score(p) == (0, 2, 2)  # 0.5 ± <1e-9 undecided; the other two decided wrong
    assert xor.score([np.nan, 1.0, 1.0, 0.0]) == (3, 0, 1)
    fit = xor.linear_fit()  # least squares predicts exactly 0.5: all undecided
    assert (fit.right, fit.wrong, fit.undecided) == (0, 0, 4)


@pytest.mark.parametrize("name", ["identity", "linear_squash"])
@pytest.mark.parametrize("hidden", [1, 2, 16])
def test_a_linear_hidden_layer_is_one_line_at_any_width(name, hidden):
    """p = σ(x·(W1 W2) + b1·W2 + b2) exactly: one affine logit, so at most 3 of 4."""
    act = REGISTRY[name]
    for seed in range(3):
        run = train_mlp(act, hidden, seed, 300, 0.5)
        assert run.verdict.limit is Limit.LINEAR_HIDDEN and run.correct <= 3
        W1, b1, W2 = np.array(run.W1), np.array(run.b1), np.array(run.W2)
        scale = 1 / 1000 if name == "linear_squash" else 1.0
        logit = xor.X @ (W1 @ W2) * scale + (b1 @ W2) * scale + run.b2
        assert np.allclose(run.outputs, 1 / (1 + np.exp(-logit)), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", [n for n, a in REGISTRY.items() if a.saturates == "flat"])
@pytest.mark.parametrize(("seed", "lr"), [(0, 1.0), (5, 10.0), (2**31 - 1, 0.0001)])
def test_zero_gradient_units_never_move(name, seed, lr):
    act = REGISTRY[name]
    run = train_neuron(act, seed, 50, lr)
    assert run.w == run.w0 and run.b == 0.0  # bit for bit the seeded start
    assert run.verdict.frozen and run.verdict.advice is Advice.CHANGE_MODEL
    W1, b1, _, _ = init(3, seed)
    net = train_mlp(act, 3, seed, 50, lr)
    assert np.array_equal(np.array(net.W1), W1) and np.array_equal(np.array(net.b1), b1)


def test_divergence_follows_the_stability_bound_of_gradient_descent():
    """Identity unit: GD on L = ¼‖Aθ − y‖² is linear, stable iff lr < 2/λmax(½AᵀA)."""
    A = np.column_stack([xor.X, np.ones(4)])
    lr_crit = 2 / np.linalg.eigvalsh(0.5 * A.T @ A).max()
    for factor in (0.5, 0.9, 1.1, 2.5, 5.0):  # halvings never land on the bound itself
        run = train_neuron(REGISTRY["identity"], 0, 3000, factor * lr_crit)
        diverged = run.verdict.outcome is Outcome.DIVERGED
        assert diverged == (factor > 1), factor
        if diverged:
            found = run.verdict.converging_lr
            assert found == factor * lr_crit / 2 ** round(np.log2(factor * lr_crit / found))
            retry = train_neuron(REGISTRY["identity"], 0, 3000, found)
            assert retry.verdict.outcome is not Outcome.DIVERGED
            assert retry.losses[-1] < retry.losses[0] and found < lr_crit


@pytest.mark.parametrize(
    ("name", "hidden"), [("identity", 8), ("relu", 16), ("elu", 4), ("abs", 2)]
)
def test_a_diverged_network_reports_an_lr_that_trains(name, hidden):
    run = train_mlp(REGISTRY[name], hidden, 0, 500, 10.0)
    v = run.verdict
    if v.outcome is not Outcome.DIVERGED:
        assert np.all(np.isfinite(run.losses)) and run.losses[-1] < 100 * run.losses[0]
        return
    assert not np.all(np.isfinite(run.outputs)) or run.losses[-1] > 100 * run.losses[0]
    retry = train_mlp(REGISTRY[name], hidden, 0, 500, v.converging_lr)
    assert retry.verdict.outcome is not Outcome.DIVERGED
    assert np.all(np.isfinite(retry.losses)) and retry.losses[-1] < retry.losses[0]


def test_identity_network_at_lr_10_diverges():
    v = train_mlp(REGISTRY["identity"], 8, 0, 2000, 10.0).verdict
    assert v.outcome is Outcome.DIVERGED and v.diverged_at is not None
    assert v.converging_lr is not None and v.converging_lr < 10.0


@pytest.mark.parametrize(
    ("run", "advice", "fix"),
    [
        # stopped while the loss still fell: more epochs solve it
        (("tanh", 2, 0, 50, 1.0), Advice.MORE_EPOCHS, ("tanh", 2, 0, 2000, 1.0)),
        # lr at the bottom of its range: a larger lr solves it
        (("tanh", 2, 0, 2000, 0.0001), Advice.LARGER_LR, ("tanh", 2, 0, 2000, 1.0)),
        # a 3/4 plateau with a tiny gradient: more units solve it
        (("relu", 2, 0, 2000, 1.0), Advice.SEED_OR_UNITS, ("relu", 8, 0, 2000, 1.0)),
        # all units dead (the output one number everywhere): a smaller lr solves it
        (("relu", 16, 5, 5000, 10.0), Advice.DEAD_UNITS, ("relu", 16, 5, 5000, 1.0)),
    ],
)
def test_advice_fits_the_cause_and_following_it_works(run, advice, fix):
    name, *rest = run
    got = train_mlp(REGISTRY[name], *rest)
    assert got.correct < 4 and got.verdict.advice is advice
    losses = np.array(got.losses)
    if advice is Advice.MORE_EPOCHS:
        assert np.all(np.diff(losses[-10:]) < 0)  # still falling at the end
    if advice is Advice.SEED_OR_UNITS:
        assert dict(got.values)["grad_norm"] < 0.01
    name, *rest = fix
    assert train_mlp(REGISTRY[name], *rest).correct == 4


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_an_impossible_unit_is_never_blamed_on_the_seed(name):
    from bot.cards.xor import neuron_card

    for seed in (0, 1):
        run = train_neuron(REGISTRY[name], seed, 200, 1.0)
        if run.verdict.limit is None:
            continue
        assert run.correct <= 3 and run.verdict.advice in (Advice.CHANGE_MODEL, Advice.SMALLER_LR)
        assert run.verdict.advice is Advice.CHANGE_MODEL or run.verdict.diverged_at is not None
        text = neuron_card(name, seed, 200, 1.0, figure=False).verdict
        assert "seed" not in text.replace("any seed", "").replace("this seed (found", "")
        assert "any seed" in text or "Whatever lr" in text


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid", "identity", "step"])
def test_one_monotone_hidden_unit_is_impossible(name):
    for seed in range(3):
        run = train_mlp(REGISTRY[name], 1, seed, 300, 1.0)
        assert run.verdict.limit in (Limit.ONE_MONOTONE_UNIT, Limit.LINEAR_HIDDEN)
        assert run.correct <= 3 and run.verdict.advice is not Advice.SEED_OR_UNITS


@pytest.mark.parametrize("name", ["gelu", "silu", "mish", "sin", "gaussian", "abs"])
def test_one_non_monotone_hidden_unit_can_solve_xor(name):
    assert any(train_mlp(REGISTRY[name], 1, s, 2000, 1.0).correct == 4 for s in range(8)), name


def _plain_dead_since(f, df, hidden, seed, epochs, lr):
    """Independent: plain full-batch GD on the BCE, recording at each epoch which units have
    f'(z1) = 0 at all four corners; a unit's death epoch is where its final dead stretch began."""
    W1, b1, W2, b2 = init(hidden, seed)
    flat = []
    for _ in range(epochs + 1):
        z1 = xor.X @ W1 + b1  # (4, H)
        h = f(z1)
        p = 1 / (1 + np.exp(-(h @ W2 + b2)))
        g = (p - xor.Y) / 4  # dL/dz2
        d1 = np.outer(g, W2) * df(z1)
        flat.append(np.all(df(z1) == 0, axis=0))
        W1, b1 = W1 - lr * xor.X.T @ d1, b1 - lr * d1.sum(axis=0)
        W2, b2 = W2 - lr * h.T @ g, b2 - lr * g.sum()
    flat = np.array(flat)  # (epochs + 1, H)
    since = []
    for j in range(hidden):
        if not flat[-1, j]:
            since.append(-1)
            continue
        alive = np.flatnonzero(~flat[:, j])
        since.append(int(alive[-1]) + 1 if len(alive) else 0)
    return since


@pytest.mark.parametrize(
    ("name", "hidden", "seed", "lr"),
    [
        ("relu", 2, 2**31 - 1, 10.0),
        ("relu", 16, 5, 10.0),
        ("relu", 3, 1, 1.0),
        ("hardtanh", 2, 0, 10.0),
    ],
)
def test_dead_units_and_when_they_died_match_a_plain_loop(name, hidden, seed, lr):
    act = REGISTRY[name]
    run = train_mlp(act, hidden, seed, 300, lr)
    since = _plain_dead_since(act.f, act.df, hidden, seed, 300, lr)
    dead = run.verdict.dead
    assert dead is not None
    assert dead.units == tuple(j + 1 for j in range(hidden) if since[j] >= 0)
    assert dead.since == tuple(e for e in since if e >= 0)
    values = dict(run.values)
    assert list(values["dead_units"]) == list(dead.units)  # what Show code prints
    assert list(values["died_at_epoch"]) == list(dead.since)


def test_two_dead_relus_are_said_dead_not_blamed_on_lr():
    """The reported case: /xor mlp activation:relu hidden:2 lr:10 epochs:5000 seed:2147483647."""
    from bot.cards.xor import mlp_card

    run = train_mlp(REGISTRY["relu"], 2, 2**31 - 1, 5000, 10.0)
    z1 = xor.X @ np.array(run.W1) + np.array(run.b1)  # (4, 2)
    assert np.all(z1 <= 0)  # both units off at every corner: ReLU outputs 0, f' = 0
    assert len(set(run.outputs)) == 1  # so the network's output is one number everywhere
    v = run.verdict
    assert v.advice is Advice.DEAD_UNITS and v.dead.reach is Reach.CONSTANT
    assert v.dead.units == (1, 2) and v.dead.since == (3, 3) and v.dead.outputs == (0.0, 0.0)
    early = train_mlp(REGISTRY["relu"], 2, 2**31 - 1, 3, 10.0)
    assert early.W1 == run.W1 and early.b1 == run.b1  # dead at epoch 3: never moved again
    text = mlp_card(2, "relu", 2**31 - 1, 5000, 10.0, figure=False).verdict
    assert "both units are dead since epoch 3 of training at lr 10" in text
    assert "outputs 0 at every corner" in text and "steps jump" not in text
    assert train_mlp(REGISTRY["relu"], 2, 2**31 - 1, 5000, 1.0).correct == 4  # smaller lr


def test_one_live_relu_left_is_one_line_for_good():
    from bot.cards.xor import mlp_card

    short, long = (train_mlp(REGISTRY["relu"], 2, 2, e, 1.0) for e in (300, 5000))
    for run in (short, long):
        v = run.verdict
        assert v.dead.units == (2,) and v.dead.since == (0,) and v.dead.reach is Reach.ONE_LINE
        assert run.correct <= 3 and v.advice is Advice.DEAD_UNITS
        W1, b1 = init(2, 2)[:2]
        assert np.all(xor.X @ W1[:, 1] + b1[1] <= 0)  # unit 2 is off at every corner from the start
    text = mlp_card(2, "relu", 2, 300, 1.0, figure=False).verdict
    assert "1 of 2 units is dead from the seeded start" in text
    assert "3 of 4 is the most this run can reach" in text and "smaller lr" not in text


@pytest.mark.parametrize(
    ("name", "hidden", "seed", "lr"),
    [
        ("relu", 3, 1, 1.0),
        ("relu", 16, 0, 1.0),
        ("relu", 8, 3, 10.0),
        ("hardtanh", 3, 4, 1.0),
        ("hardtanh", 2, 1, 1.0),
        ("hardtanh", 4, 2, 10.0),
    ],
)
def test_the_card_counts_dead_and_saturated_units_from_the_shown_weights(name, hidden, seed, lr):
    """Independent: ReLU has f' = 0 exactly where z ≤ 0, hardtanh where |z| ≥ 1."""
    from bot.cards.xor import mlp_card

    card = mlp_card(hidden, name, seed, 300, lr, figure=False)
    run = train_mlp(REGISTRY[name], hidden, seed, 300, lr)
    z1 = xor.X @ np.array(run.W1) + np.array(run.b1)  # (4, H)
    flat = np.all(z1 <= 0, axis=0) if name == "relu" else np.all(np.abs(z1) >= 1, axis=0)
    constant = np.all(np.sign(z1) == np.sign(z1[0]), axis=0)  # hardtanh: all −1 or all +1
    dead = int(np.sum(flat & (constant | (name == "relu"))))
    saturated = int(np.sum(flat)) - dead
    text = card.verdict
    for n, state in ((dead, "dead"), (saturated, "saturated")):
        if n == 0:
            assert f" {state} " not in text
        elif n == hidden:
            assert f"units are {state}" in text or f"unit is {state}" in text
        else:
            assert f"{n} of {hidden} units {'is' if n == 1 else 'are'} {state}" in text


@pytest.mark.parametrize("lr", [0.001, 0.0005])
def test_larger_lr_advice_does_not_call_an_lr_above_the_minimum_the_bottom(lr):
    """lr ≤ 0.001 gets "try a larger lr", but the least allowed lr is 0.0001: the card must
    not say this lr is at the bottom of its range, and must name the real bounds."""
    from bot.cards.xor import neuron_card
    from bot.options import LR

    assert lr > LR.low
    run = train_neuron(REGISTRY["sin"], 0, 1, lr)
    assert run.verdict.advice is Advice.LARGER_LR
    text = neuron_card("sin", 0, 1, lr, figure=False).verdict
    assert "at the bottom of its range" not in text, text
    assert f"{LR.low:g}" in text and "0.001" in text, text
