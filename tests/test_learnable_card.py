"""/learnable: verdict rules against theory, bounds, and the card's numbers == its script."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cards.learnable import learnable_card
from bot.errors import UserError
from bot.lab import learnable_compare as lab
from bot.lab.learnable import KINDS, theta0
from tests.scripts import run_script


def test_the_phase_is_absorbed_and_shown_on_the_reply():
    card = learnable_card("sine_phase", "xor", 3, 20, 500, 1.0, "normal", figure=False)
    diff = float(dict(card.numbers)["phase vs doubled bias max diff"])
    assert diff < 1e-10
    assert "bias in disguise" in card.verdict
    assert any(f.name == "Phase identity" for f in card.fields)


def test_frozen_rational_is_the_identity_and_never_solves_xor():
    """Theory: frozen at its initial θ the rational unit is f(z) = z, a linear network."""
    c = lab.learnable_comparison("rational", "xor", 4, 30, 300, 1.0, "normal")
    assert c.values["frozen solved"] == 0


def test_a_learnable_prelu_slope_helps_on_xor():
    """The domain fact (DESIGN §5): a genuine shape parameter can help; PReLU vs slope ¼."""
    c = lab.learnable_comparison("prelu", "xor", 2, 200, 1000, 1.0, "normal")
    assert c.verdict.outcome == "helps"


def test_parameter_counts():
    v = lab.learnable_comparison("fourier", "sin", 3, 10, 5, 0.05, "he").values
    assert v["weights"] == 1 * 3 + 3 + 3 + 1
    assert v["theta"] == 6 * 3


def test_kan_card_counts_the_knots_and_says_what_frozen_means():
    """7 knot values per edge (2·3 input edges, 3 hidden ones), side by side with the
    weights; frozen with every knot 0 the network is linear, so no frozen seed solves XOR
    (theory, not the seed)."""
    card = learnable_card("kan", "xor", 3, 20, 300, 1.0, "normal", figure=False)
    v = dict(card.numbers)
    assert (v["weights"], v["theta"]) == ("13", "63")  # 2·3 + 3 + 3 + 1 weights, 7·(6 + 3) knots
    assert v["frozen solved"] == "0"
    params = next(f.value for f in card.fields if f.name == "Parameters")
    assert params == (
        "weights 13 · edge knots 63: 42 on the input edges, 21 on the hidden ones "
        "(learned: 76, frozen: 13)"
    )
    assert "63 knot values on top of 13 weights (all knots 0: a linear network)" in card.verdict


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("bspline", "xor", 2, 20, 10, 1.0, "normal"), "kind"),
        (("prelu", "cubic", 2, 20, 10, 1.0, "normal"), "task"),
        (("prelu", "xor", 17, 20, 10, 1.0, "normal"), "hidden"),
        (("prelu", "xor", 2, 5, 10, 1.0, "normal"), "seeds"),
        (("prelu", "xor", 2, 20, 0, 1.0, "normal"), "epochs"),
        (("prelu", "xor", 2, 20, 10, 11.0, "normal"), "lr"),
        (("prelu", "xor", 2, 20, 10, 1.0, "xavier"), "init"),
        (("fourier", "sin", 16, 1000, 5000, 0.1, "he"), "at most"),
    ],
)
def test_bad_options_are_refused(args, says):
    with pytest.raises(UserError, match=says):
        lab.check_options(*args)


def test_the_budget_weighs_each_kind_and_names_the_most_epochs_allowed():
    """Every kind has a cost weight; the default fits; over the budget, the refusal names
    the largest epochs that fit, and that many are accepted (one more is not)."""
    assert set(lab.KIND_COST) == set(KINDS)
    for kind in KINDS:  # the defaults fit for every kind and task
        for task in lab.TASKS:
            lab.check_options(kind, task, 2, 200, 1000, 1.0, "normal")
    for kind in KINDS:
        with pytest.raises(UserError, match=r"at most (\d+) epochs \(got 5000\)") as caught:
            lab.check_options(kind, "sin", 16, 1000, 5000, 0.1, "he")
        most = int(caught.value.message.split("at most ")[1].split()[0])
        assert most >= 10
        lab.check_options(kind, "sin", 16, 1000, most, 0.1, "he")
        with pytest.raises(UserError, match="at most"):
            lab.check_options(kind, "sin", 16, 1000, most + 1, 0.1, "he")


@pytest.mark.parametrize("kind", KINDS)
def test_a_refusal_over_budget_names_the_most_seeds_at_the_epochs_asked(kind):
    """At 1000 epochs, 16 units and 1000 seeds are over every kind's budget on sin; the
    refusal also names the most seeds that fit at 1000 epochs: that many are accepted, one
    more is refused, and the budget's formula (written out here) agrees."""
    with pytest.raises(UserError) as caught:
        lab.check_options(kind, "sin", 16, 1000, 1000, 0.1, "he")
    text = caught.value.message
    most = int(re.search(r"1000 epochs allow at most (\d+) seeds \(got 1000\)", text)[1])
    assert 10 <= most < 1000
    lab.check_options(kind, "sin", 16, most, 1000, 0.1, "he")
    with pytest.raises(UserError, match="too much training"):
        lab.check_options(kind, "sin", 16, most + 1, 1000, 0.1, "he")
    P = len(theta0(kind, 1, 1))
    cost = lambda s: lab.KIND_COST[kind] * 2 * 24 * (16 * (P + 1) + 2) * s * 1000  # noqa: E731
    assert cost(most) <= lab.BUDGET < cost(most + 1)


def test_a_refusal_says_when_even_the_fewest_seeds_are_too_many():
    with pytest.raises(UserError) as caught:
        lab.check_options("fourier", "sin", 16, 1000, 5000, 0.1, "he")
    assert "at 5000 epochs even the fewest seeds (10) are too many" in caught.value.message
    with pytest.raises(UserError, match="too much training"):
        lab.check_options("fourier", "sin", 16, 10, 5000, 0.1, "he")


@pytest.mark.fuzz
@given(
    kind=st.sampled_from(KINDS),
    task=st.sampled_from(lab.TASKS),
    hidden=st.integers(1, 16),
    seeds=st.integers(10, 20),
    epochs=st.integers(1, 30),
    lr=st.sampled_from([1e-4, 0.05, 1.0, 10.0]),
    init=st.sampled_from(("normal", "glorot", "he")),
)
def test_show_code_prints_the_card_numbers(
    tmp_path_factory, kind, task, hidden, seeds, epochs, lr, init
):
    card = learnable_card(kind, task, hidden, seeds, epochs, lr, init, figure=False)
    pairs = dict(card.numbers)
    for name in ("learned", "frozen"):
        if task == "xor":
            assert 0 <= int(pairs[f"{name} solved"]) <= seeds
    undefined = int(pairs["learned diverged"]) + int(pairs["frozen diverged"])
    if not undefined:
        assert not any(re.search(r"\b(nan|inf)\b", t) for t in [card.verdict, *pairs.values()])
    assert run_script(card.code, tmp_path_factory.mktemp("l")) == list(card.numbers)


def test_when_every_learned_run_diverges_the_verdict_says_so_and_compares_nothing():
    """kan on |x| at lr 1: all learned runs blow up; no sign test over NaNs, no 'helps'."""
    card = learnable_card("kan", "abs", 2, 20, 200, 1.0, "normal", figure=False)
    v = dict(card.numbers)
    assert v["learned diverged"] == "20"
    assert card.verdict.startswith("Every learned run diverged (20 of 20; frozen: ")
    assert "nothing to compare" in card.verdict and "smaller lr" in card.verdict
    assert "no clear difference" not in card.verdict and "helps" not in card.verdict


def test_one_side_all_diverged_is_its_own_finding_in_the_lab():
    from bot.lab.learnable_compare import _verdict

    base = {"learned better": 0, "frozen better": 0, "learned rate": 0.0, "frozen rate": 0.0}
    base |= {"learned se": 0.0, "frozen se": 0.0}
    learned = _verdict("kan", "abs", base | {"learned diverged": 20, "frozen diverged": 3}, 20, 2)
    frozen = _verdict("prelu", "xor", base | {"learned diverged": 2, "frozen diverged": 20}, 20, 2)
    both = _verdict("kan", "abs", base | {"learned diverged": 20, "frozen diverged": 20}, 20, 2)
    assert (learned.outcome, learned.destabilised) == ("learned diverged", True)
    assert (frozen.outcome, frozen.destabilised) == ("frozen diverged", False)
    assert both.outcome == "diverged"


def test_regression_tasks_default_to_lr_0_1_where_lr_1_bounces():
    """Squared error at lr 1 bounces or diverges on the regressions (prelu on sin: median MSE
    above sin's own variance); without an lr they train at 0.1 and the footer says so."""
    assert lab.DEFAULT_LR == {"xor": 1.0, "sin": 0.1, "abs": 0.1, "step": 0.1, "custom": 0.1}
    card = learnable_card("prelu", "sin", seeds=20, epochs=300, figure=False)
    assert "lr 0.1" in card.footer
    assert dict(card.numbers) == dict(
        learnable_card("prelu", "sin", seeds=20, epochs=300, lr=0.1, figure=False).numbers
    )
    assert "lr 1 " in learnable_card("prelu", "xor", seeds=20, epochs=30, figure=False).footer


@pytest.mark.parametrize(
    ("kind", "hidden", "cannot"),
    [
        ("rational", 3, "linear"),
        ("kan", 2, "linear"),
        ("prelu", 1, "monotone"),
        ("prelu", 2, None),
        ("swish", 1, None),
        ("sine_phase", 1, None),
        ("fourier", 1, None),
    ],
)
def test_frozen_twins_that_cannot_solve_xor_are_named_from_theory(kind, hidden, cannot):
    """A linear network, or one monotone unit, draws one line: 0 of any number of seeds, and
    the card says so instead of a rate; one SiLU or sine unit (not monotone) can, and does."""
    assert lab.frozen_cannot(kind, "xor", hidden) == cannot
    assert lab.frozen_cannot(kind, "sin", hidden) is None  # a regression has no "cannot"
    c = lab.learnable_comparison(kind, "xor", hidden, 60, 1000, 1.0, "normal")
    assert c.verdict.frozen_cannot == cannot
    if cannot:
        assert c.values["frozen solved"] == 0
        card = learnable_card(kind, "xor", hidden, 60, 1000, 1.0, "normal", figure=False)
        assert "as theory says it must" in card.verdict
    else:
        assert c.values["frozen solved"] > 0


def test_one_leaky_relu_unit_is_a_half_plane_at_any_weights():
    """The 'monotone' reason checked by brute force: random weights, small and huge, of one
    leaky-ReLU (slope ¼) unit never put all four XOR points on their sides of ½."""
    from bot.lab.xor import X, Y

    rng = np.random.default_rng(7)
    w = rng.normal(size=(200_000, 2)) * rng.choice([0.1, 1, 100], size=(200_000, 1))
    b, v, c = (rng.normal(size=200_000) * 10 for _ in range(3))
    z = X @ w.T + b  # (4, M)
    out = v * np.where(z > 0, z, 0.25 * z) + c  # the logit; σ(out) > ½ ⟺ out > 0
    right = np.where(Y[:, None] > 0.5, out > 0, out < 0).all(axis=0)
    assert not right.any()
    # a learned negative slope (−1: |z|) is not monotone, and one such unit solves XOR
    z = X @ np.array([1.0, 1.0]) - 1.0  # −1, 0, 0, 1
    assert np.array_equal(-(np.abs(z)) + 0.5 > 0, Y > 0.5)


def test_better_counts_treat_rounding_as_a_tie_and_a_diverged_run_as_a_loss():
    a = np.array([1.0, 1.0 + 1e-15, 0.5, np.nan, np.inf, np.nan, 2.0])
    b = np.array([1.0, 1.0, 0.6, 0.1, 1.0, np.nan, 1.0 + 1e-9])
    assert lab.better_counts(a, b) == (1, 3)  # a: 0.5 < 0.6; b: finite vs NaN/inf, 1 < 2
    assert lab.better_counts(b, a) == (3, 1)


def test_the_phase_card_reports_equal_runs_as_equal():
    """Learned phase = plain sine with the bias step doubled: on sin both reach the same
    minimum, to rounding. No seed is 'better' by 1e-16: they are equal to 6 digits."""
    card = learnable_card("sine_phase", "sin", 2, 20, 300, 0.1, "normal", figure=False)
    field = next(f.value for f in card.fields if f.name.startswith("Learned vs frozen"))
    v = dict(card.numbers)
    assert f"learned in {v['learned better']}, frozen in {v['frozen better']}" in field
    assert int(v["learned better"]) + int(v["frozen better"]) < 20
    assert "median MSE" in card.verdict and "adds no capacity" in card.verdict


def test_all_diverged_sides_and_singular_units_read_right():
    card = learnable_card("rational", "sin", 1, 10, 1, 10.0, "normal", figure=False)
    assert "· 1 hidden unit ·" in card.footer and "· 1 epoch ·" in card.footer
    card = learnable_card("rational", "sin", 2, 10, 300, 10.0, "normal", figure=False)
    field = next(f.value for f in card.fields if f.name.startswith("Learned vs frozen"))
    assert field.splitlines()[:2] == ["learned: all 10 diverged", "frozen: all 10 diverged"]
    assert "lower final MSE" not in field


def test_a_batch_must_end_at_or_below_the_largest_seed():
    """/learnable also runs seeds seed … seed + seeds − 1: the largest first seed for 200
    seeds is 2³¹ − 200, accepted; one more is refused and the refusal names it."""
    lab.check_options("prelu", "xor", 2, 200, 5, 1.0, "normal", seed=2**31 - 200)
    with pytest.raises(UserError, match=r"the first seed can be at most 2147483448\."):
        lab.check_options("prelu", "xor", 2, 200, 5, 1.0, "normal", seed=2**31 - 199)


@pytest.mark.parametrize(
    ("better", "medians", "outcome"),
    [
        ((150, 40), (0.10, 0.20), "helps"),
        ((150, 40), (0.23, 0.21), "mixed"),  # more wins, yet the typical error is higher
        ((40, 150), (0.30, 0.20), "hurts"),
        ((40, 150), (0.18, 0.20), "mixed"),
        ((100, 90), (0.30, 0.20), "same"),  # within 2 SD of a fair coin: medians not asked
    ],
)
def test_a_regression_verdict_needs_the_seed_count_and_the_medians_to_agree(
    better, medians, outcome
):
    from bot.lab.learnable_compare import _verdict

    v = {"learned diverged": 0, "frozen diverged": 0, "learned better": better[0]}
    v |= {"frozen better": better[1], "learned median mse": medians[0]}
    v |= {"frozen median mse": medians[1], "best constant mse": 1.0}
    assert _verdict("prelu", "sin", v, 200, 2).outcome == outcome


def test_a_real_mixed_result_says_so():
    """prelu on x·sin(3x): learned is lower in 142 of 200 seeds (most by a hair, in the same
    basin), but its median final MSE is higher (0.233 vs 0.21): not 'helps'."""
    card = learnable_card(custom="x*sin(3*x)", figure=False)
    n = dict(card.numbers)
    assert (n["learned better"], n["frozen better"]) == ("142", "47")
    assert float(n["learned median mse"]) > float(n["frozen median mse"])
    assert "mixed — learned is lower in more seeds, but its median error is higher" in card.verdict
    assert "helps" not in card.verdict


def _linear_net_diverges(seed: int, epochs: int, lr: float) -> bool:
    """Frozen kan on XOR is the linear 2-2-1 net x·W1 + b1 ↦ ·W2 + b2 (normal init, BCE);
    trained here with plain NumPy: does its loss stop being finite?"""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    Y = np.array([0, 1, 1, 0], dtype=float)
    rng = np.random.default_rng(seed)
    W1, W2 = rng.normal(size=(2, 2)), rng.normal(size=2) / np.sqrt(2)
    b1, b2 = np.zeros(2), 0.0
    with np.errstate(all="ignore"):
        for _ in range(epochs + 1):
            h = X @ W1 + b1
            z2 = h @ W2 + b2
            if not np.isfinite(np.mean(np.logaddexp(0, -(2 * Y - 1) * z2))):
                return True
            d2 = (1 / (1 + np.exp(-z2)) - Y) / 4
            d1 = np.outer(d2, W2)
            W1, b1 = W1 - lr * X.T @ d1, b1 - lr * d1.sum(0)
            W2, b2 = W2 - lr * h.T @ d2, b2 - lr * d2.sum()
    return False


def test_frozen_all_diverged_does_not_say_only_learned_trains_when_learned_diverged_too():
    """kan on XOR at lr 10, seeds 175-184: every frozen run (a linear network) diverges, and
    so do 9 of the 10 learned ones (only seed 180 stays finite). 'Only the learned shape
    trains at all' would be false: the reply counts the finite runs and advises a smaller lr."""
    card = learnable_card("kan", "xor", 2, 10, 1000, 10.0, "normal", figure=False, seed=175)
    v = dict(card.numbers)
    assert (v["frozen diverged"], v["learned diverged"]) == ("10", "9")
    assert all(_linear_net_diverges(s, 1000, 10.0) for s in range(175, 185))  # independently
    assert "only the learned shape trains" not in card.verdict
    assert "kept 1 of 10 runs finite" in card.verdict and "smaller lr" in card.verdict


def test_the_shapes_drawn_are_finite_seeds_of_the_whole_batch():
    """prelu on sin at lr 1, seeds 44-63: the first 6 learned runs all diverge, but seed 50
    stays finite. The figure drew nothing and said 'no seed stayed finite' while the card
    counted 19 of 20 diverged; it now draws the first finite seeds of the batch, so it
    says no seed stayed finite only when every learned run diverged."""
    c = lab.learnable_comparison("prelu", "sin", 2, 20, 1000, 1.0, "normal", seed=44)
    assert c.seeds - c.values["learned diverged"] == 1
    assert c.shown == (50,)
    z, _, learned = c.shapes
    assert learned.shape == (1, len(z)) and np.isfinite(learned).all()


def test_a_regression_neither_side_learned_is_not_weighed():
    """prelu on sin at lr 1: 152 of 200 seeds diverged on both sides and the finite runs
    ended above the variance of sin(2x) on the grid (what predicting the mean scores): the
    reply says so instead of weighing learned against frozen."""
    from bot.lab.learnable_compare import GRID

    card = learnable_card("prelu", "sin", lr=1.0, figure=False)
    n = dict(card.numbers)
    assert float(n["best constant mse"]) == pytest.approx(np.var(np.sin(2 * GRID)), rel=1e-3)
    assert card.verdict.startswith("Most runs diverged on both sides at lr 1 (184 learned, 155")
    assert "no better than predicting the mean" in card.verdict
    assert "helps" not in card.verdict and "hurts" not in card.verdict


@pytest.mark.parametrize(
    ("diverged", "medians", "neither"),
    [
        ((101, 101), (0.1, 0.1), True),  # most diverged on both sides
        ((101, 100), (0.1, 0.1), False),
        ((0, 0), (0.5, 0.6), True),  # both no better than the mean's 0.5
        ((0, 0), (0.49, 0.6), False),
    ],
)
def test_neither_learned_counts_and_compares_exactly(diverged, medians, neither):
    v = {"learned diverged": diverged[0], "frozen diverged": diverged[1]}
    v |= {"learned median mse": medians[0], "frozen median mse": medians[1]}
    v["best constant mse"] = 0.5
    assert lab.neither_learned(v, 200) is neither


@pytest.mark.parametrize("formula", ["1", "sin(x)**2+cos(x)**2"])
def test_a_constant_target_learned_by_both_is_not_called_unlearned(formula):
    """custom:1: predicting the mean is exact (MSE 0), so every run is 'no better than the
    mean' and the reply said 'Neither side learned the target … Try a smaller lr' of runs
    that ended at median MSE 7e-6 and 2e-6. A constant is the output bias alone: both
    sides learned it, and the comparison is made as for any target."""
    from bot.lab.learnable_compare import GRID

    y = np.ones_like(GRID) if formula == "1" else np.sin(GRID) ** 2 + np.cos(GRID) ** 2
    assert np.var(y) < 1e-30  # the best constant is exact, to rounding
    card = learnable_card("prelu", "custom", custom=formula, figure=False)
    n = dict(card.numbers)
    assert float(n["learned median mse"]) < 1e-4 and float(n["frozen median mse"]) < 1e-4
    assert "Neither side learned" not in card.verdict and "smaller lr" not in card.verdict


def _nudged_sine_gap(lr: float, epochs: int = 300, seed: int = 0) -> float:
    """Independent: a 2-2-1 sine network on XOR by plain full-batch gradient descent on the
    BCE, run twice from starts 1e-15 apart; the largest output difference at the end."""
    from bot.lab.xor import X, Y

    def run(eps):
        rng = np.random.default_rng(seed)
        W1, b1 = rng.normal(size=(2, 2)) + eps, np.zeros(2)
        w2, b2 = rng.normal(size=2) / np.sqrt(2), 0.0
        for _ in range(epochs):
            z = X @ W1 + b1  # (4, 2)
            p = 1 / (1 + np.exp(-(np.sin(z) @ w2 + b2)))
            g = (p - Y) / len(Y)  # dL/d logit
            gz = np.outer(g, w2) * np.cos(z)
            W1, b1 = W1 - lr * X.T @ gz, b1 - lr * gz.sum(0)
            w2, b2 = w2 - lr * np.sin(z).T @ g, b2 - lr * g.sum()
        return p

    return float(np.max(np.abs(run(1e-15) - run(0.0))))


def test_a_phase_gap_beyond_rounding_is_said_to_be_amplified_rounding():
    """sine_phase on XOR at lr 10 showed 'trains exactly like a plain sine with the bias step
    doubled (max difference 0.00029)'. The identity is exact; at lr 10 training amplifies
    any 1e-16 difference (a 1e-15 nudge to a plain sine net's start ends that far apart
    too), at lr 1 it does not. The reply now says so when the gap is beyond rounding."""
    assert _nudged_sine_gap(10.0) > 1e-6 and _nudged_sine_gap(1.0) < 1e-12
    card = learnable_card("sine_phase", "xor", lr=10.0, figure=False)
    gap = float(dict(card.numbers)["phase vs doubled bias max diff"])
    assert 1e-6 < gap < 1e-2  # both sides solve XOR: the outputs end close, not equal
    assert "in exact arithmetic" in card.verdict and "amplifies" in card.verdict
    field = next(f.value for f in card.fields if f.name == "Phase identity")
    assert field.endswith("rounding amplified by training at lr 10")
    calm = learnable_card("sine_phase", "xor", lr=1.0, figure=False)
    assert float(dict(calm.numbers)["phase vs doubled bias max diff"]) < 1e-12
    assert "in exact arithmetic" not in calm.verdict


def test_one_diverged_run_is_singular():
    """swish on step at lr 0.3: exactly 1 learned run of 200 diverged (frozen: 0), and the
    reply read 'But it destabilised training: 1 runs diverged'."""
    c = lab.learnable_comparison("swish", "step", 2, 200, 1000, 0.3, "normal")
    assert (c.values["learned diverged"], c.values["frozen diverged"]) == (1, 0)
    card = learnable_card("swish", "step", lr=0.3, figure=False)
    assert "destabilised training: 1 run diverged (frozen: 0)" in card.verdict
    assert not re.search(r"\b1 runs\b", card.verdict)


def test_a_tie_on_xor_says_what_was_measured_not_that_the_weights_absorb_the_shape():
    """fourier on XOR: 200 of 200 solved on both sides, and the reply said 'no difference
    beyond 2 SE: the weights absorb it'. Weights rescale and shift a unit's input, but a
    learned sum of harmonics is no rescaled sine: sin z + sin 2z = sin z·(1 + 2 cos z) has
    zeros 2π/3, π/3, π/3, 2π/3 apart on [0, 2π], while c·sin(wz + b) has them evenly spaced.
    Nothing was shown to be absorbed: both sides simply solved every seed."""
    z = np.linspace(0, 2 * np.pi, 100001)
    f = np.sin(z) + np.sin(2 * z)
    zeros = z[np.flatnonzero(np.abs(f) < 1e-4)]
    zeros = zeros[np.r_[True, np.diff(zeros) > 1e-2]]  # one per zero
    assert np.allclose(np.diff(zeros), np.array([2, 1, 1, 2]) * np.pi / 3, atol=1e-3)
    c = lab.learnable_comparison("fourier", "xor", 2, 200, 1000, 1.0, "normal")
    assert c.values["learned solved"] == c.values["frozen solved"] == 200
    card = learnable_card("fourier", "xor", figure=False)
    assert "absorb" not in card.verdict
    assert card.verdict.endswith(
        "both solved every seed, so this budget leaves learning the shape nothing to add."
    )


def test_a_tiny_target_still_descending_is_not_told_to_lower_the_lr():
    """custom:0.001*sin(3*x): both sides ended above the target's variance (5.02e-7), and the
    reply said 'Try a smaller lr', but their error fell from ~0.24 at the start and was still
    falling: at 3000 epochs both medians are below the mean's. The lr is not the problem."""
    from bot.lab.batch import init_weights
    from bot.lab.learnable_compare import GRID

    y = 0.001 * np.sin(3 * GRID)
    starts = []
    for s in range(200):  # independent: each seed's untrained 1-2-1 leaky-ReLU (¼) net
        W1, b1, W2, b2 = init_weights(1, 2, s, "normal")
        z = np.outer(GRID, W1[0]) + b1
        starts.append(np.mean((np.where(z > 0, z, 0.25 * z) @ W2 + b2 - y) ** 2))
    card = learnable_card("prelu", "custom", custom="0.001*sin(3*x)", figure=False)
    n = dict(card.numbers)
    assert float(n["best constant mse"]) == pytest.approx(np.var(y), rel=1e-2)
    assert float(n["median start mse"]) == pytest.approx(np.median(starts), rel=1e-2)
    assert card.verdict.startswith("Neither side learned the target at lr 0.1")
    assert "though both fell from a median of 0.244 at the start" in card.verdict
    assert "smaller lr" not in card.verdict and "more epochs" in card.verdict
    longer = lab.learnable_comparison(
        "prelu", "custom", 2, 30, 3000, 0.1, "normal", 0, "0.001*sin(3*x)"
    )
    v = longer.values
    assert max(v["learned median mse"], v["frozen median mse"]) < v["best constant mse"]
    bouncing = learnable_card("fourier", "step", lr=1.0, figure=False)  # rose from its start
    assert bouncing.verdict.endswith("Try a smaller lr.")
