"""/train's lab against independent computations: the best line, the training, the scores."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.errors import UserError
from bot.lab.activation_fns import relu, relu_df, sin, tanh, unit_pair
from bot.lab.batch import train_batch
from bot.lab.datasets import DATASETS, dataset_points
from bot.lab.train import (
    ACTIVATIONS,
    FRAMES,
    GRID,
    INIT,
    LIMIT,
    Outcome,
    best_line,
    blown_up_at,
    check_args,
    frame_epochs,
    train,
    train_in_frames,
    train_numbers,
)


def sweep_best_line(X, y, angles=40000):
    """Independent: for many directions, sort the projections and try every threshold."""
    t = np.linspace(0, 2 * np.pi, angles, endpoint=False)
    u = X @ np.array([np.cos(t), np.sin(t)])  # (n, A) projections
    ones = (y == 1)[np.argsort(u, axis=0)]  # (n, A) labels in projection order
    # class 1 above the threshold: the zeros below it plus the ones above it are right
    zeros_below = np.vstack([np.zeros(angles), np.cumsum(~ones, axis=0)])
    ones_above = np.vstack([np.cumsum(ones[::-1], axis=0)[::-1], np.zeros(angles)])
    return int(np.max(zeros_below + ones_above))


@pytest.mark.parametrize("seed", range(4))
def test_best_line_matches_a_sweep_over_directions(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(11, 2))
    y = rng.integers(0, 2, 11)
    assert best_line(X, y) == sweep_best_line(X, y)


def test_best_line_knows_xor_and_separable_data():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    assert best_line(X, np.array([0, 0, 1, 1])) == 3  # XOR: 3 of 4, the classic bound
    rng = np.random.default_rng(1)
    P = rng.uniform(-1, 1, (50, 2))
    assert best_line(P, (P @ [1.0, -2.0] > 0.1).astype(int)) == 50  # a half-plane's labels


def test_noise_none_keeps_each_dataset_and_noise_jitters_it():
    for name in DATASETS:
        X0, y0 = dataset_points(name, 3)
        X1, y1 = dataset_points(name, 3, 0.1)
        assert np.array_equal(y0, y1) and X0.shape == X1.shape == (200, 2)
        assert 0.05 < np.std(X1 - X0) < 0.15
    X, y = dataset_points("circle", 0, 0.0)
    r = np.hypot(*X.T)  # noise 0: the disc and the ring never touch
    assert r[y == 1].max() <= 0.45 < 0.6 <= r[y == 0].min()


def plain_gd(f, df, X, y, W1, b1, W2, b2, epochs, lr):
    """An independent 2-H-1 trainer: BCE through σ, gradients written out, one network."""
    W1, b1, W2 = W1.copy(), b1.copy(), W2.copy()
    n = len(y)
    for _ in range(epochs):
        z1 = X @ W1 + b1
        h = f(z1)
        z2 = h @ W2 + b2
        g = (1 / (1 + np.exp(-z2)) - y) / n  # dL/dz2
        d1 = np.outer(g, W2) * df(z1)
        W1, b1 = W1 - lr * X.T @ d1, b1 - lr * d1.sum(axis=0)
        W2, b2 = W2 - lr * h.T @ g, b2 - lr * g.sum()
    z2 = f(X @ W1 + b1) @ W2 + b2
    loss = np.mean(np.logaddexp(0, -(2 * y - 1) * z2))
    return z2, loss


@pytest.mark.parametrize(("dataset", "name"), [("moons", "tanh"), ("circle", "relu")])
def test_scores_and_losses_match_an_independent_trainer(dataset, name):
    f, df = unit_pair(name)
    n = train_numbers(dataset, (name,), 5, 60, 0.5, 2, None)
    X, y = dataset_points(dataset, 2)
    rng = np.random.default_rng(2)  # the normal init, drawn by hand: W1 ~ N(0, 1), W2 ~ N(0, 1/H)
    W1 = rng.normal(size=(2, 5))
    W2 = rng.normal(size=5) / np.sqrt(5)
    z2, loss = plain_gd(f, df, X, y, W1, np.zeros(5), W2, 0.0, 60, 0.5)
    assert n[f"{name}_loss"] == pytest.approx(loss, rel=1e-10)
    assert n[f"{name}_right"] == int(np.sum((z2 > 0) == (y == 1)))
    assert n[f"{name}_undecided"] == 0


def test_frames_resume_bit_for_bit_and_stop_at_forty():
    X, y = dataset_points("spiral", 1)
    marks = frame_epochs(500)
    assert len(marks) == FRAMES and marks[0] == 0 and marks[-1] == 500
    assert list(frame_epochs(12)) == list(range(13))
    weights, curve, diverged, dead_at = train_in_frames(sin, np.cos, X, y, 6, 500, 1.0, [1])
    whole = train_batch(sin, np.cos, X, y, "bce", 6, [1], 500, 1.0, INIT, losses=True)
    assert len(weights) == FRAMES and diverged[0] == -1 and (dead_at == -1).all()  # cos ≠ 0
    assert np.array_equal(weights[-1][0], whole["W1"]) and np.array_equal(
        weights[-1][3], whole["b2"]
    )
    assert np.array_equal(curve, whole["losses"])


@pytest.mark.parametrize(
    ("dataset", "hidden", "epochs", "lr"), [("moons", 4, 30, 1.0), ("circle", 8, 300, 10.0)]
)
def test_compare_trains_each_activation_exactly_as_alone(dataset, hidden, epochs, lr):
    """Every number, bit for bit. At lr 10 a single ulp grows into another score: the tanh
    column once used NumPy's tanh, a run alone train_batch's table (at 1000 epochs: 152 vs 155
    right)."""
    both = train_numbers(dataset, ACTIVATIONS, hidden, epochs, lr, 0, None)
    for name in ACTIVATIONS:
        alone = train_numbers(dataset, (name,), hidden, epochs, lr, 0, None)
        assert alone == {k: v for k, v in both.items() if k in alone}, name


def dead_by_hand(X, y, hidden, epochs, lr, seed):
    """Independent: one unsegmented run per epoch count; the first epoch from which a unit's
    relu' = (z1 > 0) is 0 at every point in every later epoch, −1 if alive at the end."""
    alive = []
    for t in range(epochs + 1):
        run = train_batch(relu, relu_df, X, y, "bce", hidden, [seed], t, lr, INIT)
        alive.append((run["z1"][:, :, 0] > 0).any(axis=0))  # (H,) at epoch t
    alive = np.array(alive)  # (epochs + 1, H)
    last = np.array([np.flatnonzero(a).max() if a.any() else -1 for a in alive.T])
    return np.where(alive[-1], -1, last + 1)


def test_dead_units_and_when_they_died_match_a_run_epoch_by_epoch():
    X, y = dataset_points("circle", 0)
    _, _, _, dead_at = train_in_frames(relu, relu_df, X, y, 8, 40, 10.0, [0])
    expected = dead_by_hand(X, y, 8, 40, 10.0, 0)
    assert np.array_equal(dead_at[:, 0], expected) and (expected >= 0).all()
    n = train_numbers("circle", ("relu",), 8, 40, 10.0, 0, None)
    assert n["relu_dead_units"] == 8
    assert (n["relu_dead_from"], n["relu_all_dead_from"]) == (expected.min(), expected.max())


def test_all_units_dead_is_its_own_outcome_and_the_relu_network_is_one_constant():
    """lr 10 kills all 8 ReLU units by epoch 8: every unit is 0 on every point, the output
    is one constant, so the score is one class's count; 2000 epochs change nothing."""
    r = train("circle", "relu", 8, 1000, 10.0, 0, frames=False)
    assert r.outcomes == (Outcome.DEAD,) and r.numbers["relu_all_dead_from"] == 8
    run = train_batch(relu, relu_df, r.X, r.y, "bce", 8, [0], 1000, 10.0, INIT)
    assert (run["z1"][:, :, 0] <= 0).all()  # relu(z1) = 0 = relu'(z1) everywhere
    out = run["out"][:, 0]
    assert np.all(out == out[0]) and out[0] != 0.5
    assert r.numbers["relu_right"] == np.count_nonzero(r.y == (out[0] > 0.5))
    longer = train("circle", "relu", 8, 2000, 10.0, 0, frames=False)
    assert longer.outcomes == (Outcome.DEAD,)
    assert longer.numbers["relu_right"] == r.numbers["relu_right"]
    # the same network at lr 5 keeps 7 of its 8 units and fits: not a dead outcome
    alive = train("circle", "relu", 8, 1000, 5.0, 0, frames=False)
    assert alive.outcomes == (Outcome.FIT,) and alive.numbers["relu_dead_units"] == 1


@pytest.mark.parametrize("dataset", DATASETS)
def test_a_linear_net_never_beats_the_best_line(dataset):
    r = train(dataset, "linear", 4, 200, 2.0, 0, compare=False, frames=False)
    n = r.numbers
    assert n["linear_right"] <= n["best_line_right"] < n["points"]
    assert r.outcomes == (Outcome.HALF_PLANE,)
    one = train(dataset, "relu", 1, 200, 2.0, 0, frames=False)  # one monotone unit: a half-plane
    assert one.numbers["relu_right"] <= one.numbers["best_line_right"]
    assert one.outcomes == (Outcome.HALF_PLANE,)


def test_outcomes_are_decided_by_theory_first():
    r = train("circle", "tanh", 8, 300, 2.0, 0, frames=False)
    assert r.numbers["tanh_right"] == 200 and r.outcomes == (Outcome.FIT,)
    r = train("spiral", compare=True, hidden=1, epochs=50, frames=False)
    kinds = dict(zip(r.activations, r.outcomes, strict=True))
    assert {kinds[a] for a in ("relu", "tanh", "sigmoid", "linear")} == {Outcome.HALF_PLANE}
    assert kinds["sin"] in (Outcome.PARTIAL, Outcome.FIT)  # a sine unit draws stripes


def test_grids_are_the_network_on_the_square():
    r = train("xor", "relu", 3, 30, 1.0, 4)
    assert r.grids[0].shape == (31, GRID, GRID)
    assert r.scores[0][-1] == r.numbers["relu_right"]
    assert r.curves[0].shape == (31,) and np.isnan(r.curves[0]).sum() == 0
    u = np.linspace(-LIMIT, LIMIT, GRID)
    X, y = dataset_points("xor", 4)
    run = train_batch(relu, relu_df, X, y, "bce", 3, [4], 30, 1.0, INIT)
    for row, col in [
        (0, 0),
        (50, 7),
        (100, 100),
        (13, 88),
    ]:  # σ of the trained net at (u[col], u[row])
        h = np.maximum(np.array([u[col], u[row]]) @ run["W1"][..., 0] + run["b1"][:, 0], 0)
        sigma = 1 / (1 + np.exp(-(h @ run["W2"][:, 0] + run["b2"][0])))
        assert r.grids[0][-1, row, col] == pytest.approx(sigma, abs=1e-5)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("mnist", "tanh", 8, 100, 1.0, 0, None), "dataset"),
        (("xor", "gelu", 8, 100, 1.0, 0, None), "activation"),
        (("xor", "tanh", 17, 100, 1.0, 0, None), "between 1 and 16"),
        (("xor", "tanh", 8, 9, 1.0, 0, None), "between 10 and 2000"),
        (("xor", "tanh", 8, 100, 11.0, 0, None), "lr"),
        (("xor", "tanh", 8, 100, 1.0, 0, 0.6), "noise"),
        (("xor", "tanh", 8, 100, 1.0, -1, None), "seed"),
    ],
)
def test_bad_arguments_say_what_is_allowed(args, says):
    with pytest.raises(UserError, match=says):
        check_args(*args)


def test_functions_used_are_the_registry_ones():
    assert unit_pair("relu")[0] is relu and unit_pair("tanh")[0] is tanh


def test_divergence_is_a_loss_that_ends_blown_up_checked_on_both_sides_of_the_edge():
    L0 = 0.7
    edge = 100 * L0  # BLOWUP times the start: at the edge is not yet diverged
    curves = {
        "ends at the edge": ([L0, 5.0, 30.0, edge], -1),
        "ends just above it": ([L0, 5.0, 30.0, np.nextafter(edge, np.inf)], 3),
        "spikes and comes back": ([L0, 2 * edge, 3 * edge, 0.5], -1),
        "spikes, recovers, blows up for good": ([L0, 2 * edge, 1.0, 2 * edge, 1e10], 3),
        "NaN after blowing up": ([L0, 1.0, 1e3, 1e9, np.nan, np.nan], 2),
        "inf at once": ([L0, np.inf, np.nan], 1),
        "falls": ([L0, 0.5, 0.1], -1),
    }
    for name, (curve, want) in curves.items():
        assert blown_up_at(np.array(curve)[:, None])[0] == want, name


def test_train_reports_divergence_by_the_independent_trainer_and_an_lr_that_trains():
    """/train xor linear hidden:16 lr:10: the plain loop's loss passes 100× its start at
    epoch 4 and stays there; lr 5, the first halving, trains."""
    X, y = dataset_points("xor", 0)
    rng = np.random.default_rng(0)
    W1, W2 = rng.normal(size=(2, 16)), rng.normal(size=16) / 4.0
    ident, one = (lambda z: z), (lambda z: np.ones_like(z))
    with np.errstate(all="ignore"):
        plain = [
            plain_gd(ident, one, X, y, W1, np.zeros(16), W2, 0.0, t, 10.0)[1] for t in range(11)
        ]
    above = np.array(plain) > 100 * plain[0]
    assert not above[:4].any() and above[4:].all()  # epoch 4 on, by the independent loop
    n = train_numbers("xor", ("linear",), 16, 10, 10.0, 0, None)
    assert n["linear_loss"] == "diverged at epoch 4" and n["linear_right"] == "no result"
    assert n["linear_end_loss"] == pytest.approx(plain[-1], rel=1e-9)
    assert n["linear_start_loss"] == pytest.approx(plain[0], rel=1e-12)
    assert n["linear_converging_lr"] == 5.0
    with np.errstate(all="ignore"):
        slow = [plain_gd(ident, one, X, y, W1, np.zeros(16), W2, 0.0, t, 5.0)[1] for t in range(11)]
    assert max(slow) <= 100 * slow[0] and slow[-1] < slow[0]  # the other side of the edge
    again = train("xor", "linear", 16, 10, 5.0, 0, frames=False)
    assert again.outcomes == (Outcome.HALF_PLANE,) and again.diverged_at == (-1,)
    assert again.numbers["linear_loss"] == pytest.approx(slow[-1], rel=1e-9)


def test_a_loss_that_spikes_and_recovers_is_not_divergence():
    r = train("spiral", "sin", 16, 2000, 10.0, 0, frames=False)  # spikes to ~14× at epoch 7
    c = r.curves[0]
    assert c.max() > 5 * c[0] and c[-1] < c[0]
    assert r.outcomes == (Outcome.FIT,) and r.diverged_at == (-1,)


def test_the_card_says_all_units_died_and_that_more_epochs_cannot_help(tmp_path):
    from bot.cards.train import train_card
    from tests.scripts import run_script

    card = train_card("circle", "relu", 8, 1000, 10.0, 0, figure=False)
    assert card.verdict.startswith(
        "All 8 ReLU units died by epoch 8: each is 0 on every point, so no gradient reaches "
        "them again and the network predicts one constant: 100/200 right"
    )
    assert "More epochs can't change that" in card.verdict and "more epochs," not in card.verdict
    assert "dead units (f' = 0 on every point): 8" in card.fields[0].value
    printed = dict(run_script(card.code, tmp_path))  # Show code prints the same numbers
    assert printed == dict(card.numbers)
    assert (printed["relu_dead_units"], printed["relu_all_dead_from"]) == ("8", "8")
    both = train_card("circle", "relu", 8, 1000, 10.0, 0, compare=True, figure=False)
    assert "ReLU: all 8 units dead by epoch 8 (f' = 0 on every point)" in both.verdict


def test_a_partly_dead_network_says_which_part_no_longer_trains():
    from bot.cards.train import train_card

    card = train_card("moons", "relu", 4, 300, 1.0, 0, figure=False)
    assert card.verdict.endswith(
        "1 of 4 units died on the way (f' = 0 on every point from epoch 93): its first-layer "
        "weights no longer train."
    )
    n = dict(card.numbers)
    assert (n["relu_dead_units"], n["relu_dead_from"]) == ("1", "93")


def test_two_dead_units_are_both_not_all_2():
    """/train xor relu hidden:2 lr:10 seed:3 read 'All 2 ReLU units died by epoch 18', and
    compare:True at hidden:2 'ReLU: all 2 units dead by epoch 5'."""
    from bot.cards.train import train_card

    card = train_card("xor", "relu", 2, 1000, 10.0, 3, figure=False)
    assert dict(card.numbers)["relu_dead_units"] == "2"
    assert card.verdict.startswith("Both ReLU units died by epoch 18: each is 0 on every point")
    both = train_card("xor", "relu", 2, 1000, 10.0, 0, compare=True, figure=False)
    assert "ReLU: both units dead by epoch 5 (f' = 0 on every point)" in both.verdict
    assert not re.search(r"\ball 2 ", both.verdict.lower() + card.verdict.lower())


def test_a_loss_that_ended_above_its_start_is_said_to_overshoot():
    """/train circle tanh lr:10 ended at loss 2.899 from 0.698 at the start (the independent
    trainer ends above its start too, at 2.49: at lr 10 rounding differences grow), and the reply said only 'Whether 8 tanh units could get all 200
    this run doesn't settle: more epochs, units, another lr or seed may do better'. A loss
    that rose is steps overshooting: at lr 0.5 the same start descends."""
    from bot.cards.train import train_card

    X, y = dataset_points("circle", 0)
    rng = np.random.default_rng(0)
    W1, W2 = rng.normal(size=(2, 8)), rng.normal(size=8) / np.sqrt(8)
    f, df = unit_pair("tanh")
    start = plain_gd(f, df, X, y, W1, np.zeros(8), W2, 0.0, 0, 10.0)[1]
    end = plain_gd(f, df, X, y, W1, np.zeros(8), W2, 0.0, 1000, 10.0)[1]
    assert end > 2 * start and plain_gd(f, df, X, y, W1, np.zeros(8), W2, 0.0, 1000, 0.5)[1] < start
    card = train_card("circle", "tanh", 8, 1000, 10.0, 0, figure=False)
    n = dict(card.numbers)
    assert float(n["tanh_start_loss"]) == pytest.approx(start, rel=1e-3)
    assert float(n["tanh_loss"]) > 2 * start
    assert "Its loss ended above where it started (2.899 against 0.6982)" in card.verdict
    assert "Try a smaller lr" in card.verdict and "more epochs, units" not in card.verdict
    both = train_card("circle", "tanh", 8, 1000, 10.0, 0, compare=True, figure=False)
    assert "Tanh: its loss ended above where it started (2.899 against 0.6982)" in both.verdict
    calm = train_card("spiral", "tanh", 8, 1000, 1.0, 0, figure=False)  # 183/200, descending
    assert "tanh_start_loss" not in dict(calm.numbers) and "ended above" not in calm.verdict


def test_a_dead_network_whose_output_bias_bounces_says_so():
    """/train circle relu lr:10: every unit dies by epoch 8, so the output is σ(c) with only
    c training, c ← c − lr·(σ(c) − ½) on balanced classes. At lr 10 that map's fixed point is
    unstable (slope 1 − 10/4) and c settles on the 2-cycle ±c*, 2c* = 10·(σ(c*) − ½), whose
    loss −½·ln σ(c*) − ½·ln(1 − σ(c*)) = 1.044 is above ln 2, where the run started near:
    the card's 'loss 1.044' is that cycle, and the reply now says the steps overshoot."""
    from bot.cards.train import train_card

    lo, hi = 0.1, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 2 * mid < 10 * (1 / (1 + np.exp(-mid)) - 0.5) else (lo, mid)
    s = 1 / (1 + np.exp(-lo))
    cycle = -0.5 * np.log(s) - 0.5 * np.log(1 - s)
    card = train_card("circle", "relu", 8, 1000, 10.0, 0, figure=False)
    n = dict(card.numbers)
    assert n["relu_dead_units"] == "8" and n["relu_right"] == "100"
    assert float(n["relu_loss"]) == pytest.approx(cycle, rel=1e-3)
    assert float(n["relu_start_loss"]) < np.log(2) < cycle
    assert card.verdict.endswith(
        f"Its loss ended above where it started ({n['relu_loss']} against "
        f"{n['relu_start_loss']}), which gradient descent with small enough steps never does: "
        "at lr 10 the steps overshoot, even the output bias's."
    )
