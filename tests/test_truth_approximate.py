"""/approximate is true by construction: its Show code prints the card's numbers, for any options."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cards.approximate import approximate_card
from bot.lab import SEED_MAX
from bot.lab.approximate import ACTIVATIONS, INTERVALS, METHODS, UNITS_MAX, Kind, approximate
from tests.scripts import run_script

FORMULAS = [
    "x*sin(3*x)",
    "sign(x)",
    "2",
    "-x",
    "abs(x)",
    "min(1/0, x)",
    "sigmoid(10*x)",
    "x^3 - x",
    "floor(2*x)",
    "exp(-x^2)*1e5",
    "sqrt(x*x + 1e-8)",
    "x*" * 99 + "x",
]

options = st.fixed_dictionaries(
    {
        "target": st.sampled_from(["sin", "abs", "step", "sawtooth", "bump", "custom"]),
        "units": st.one_of(st.sampled_from([1, 2, UNITS_MAX]), st.integers(1, UNITS_MAX)),
        "activation": st.sampled_from(ACTIVATIONS),
        "method": st.sampled_from([m for m in METHODS if m != "training"]),  # seconds each:
        # method:training has its own checks in tests/test_approximate_train.py
        "interval": st.sampled_from(sorted(INTERVALS)),
        "seed": st.one_of(st.sampled_from([0, SEED_MAX]), st.integers(0, SEED_MAX)),
        "custom": st.sampled_from(FORMULAS),
    }
)


def _valid(o: dict) -> dict:
    if o["target"] != "custom":
        return {**o, "custom": None}
    if o["custom"].startswith("x*x*") and o["interval"] != "1":
        return {**o, "interval": "1"}  # x^100 exceeds the value bound beyond |x| ≤ 1
    return o


@pytest.mark.fuzz
@given(o=options)
def test_show_code_prints_the_card_numbers_and_the_verdict_agrees_with_theory(o, tmp_path_factory):
    """One example, both checks: each card costs a ladder of least-squares fits."""
    o = _valid(o)
    card = approximate_card(**o, figure=False)
    assert run_script(card.code, tmp_path_factory.mktemp("s")) == list(card.numbers)
    text = card.verdict + "".join(f.name + f.value for f in card.fields) + card.title
    assert not re.search(r"\b(nan|inf)\b", text.lower())
    r = approximate(**o, curves=False)
    n, kind = r.numbers, r.finding.kind
    if kind is Kind.EXACT:
        assert n["max_error"] < 1e-8 * (1 + max(abs(v) for v in (1.0, r.a)) * 1e6)
    if kind is Kind.LINE:
        assert min(n["ladder_max"]) >= n["best_line_error"] - 1e-12
    if kind is Kind.JUMP:
        assert n["max_error"] >= r.finding.half_jump - 1e-12
    if kind is Kind.KINKS:
        assert -2.3 < r.finding.slope < -1.7
    if o["activation"] == "linear":
        assert kind in (Kind.LINE, Kind.EXACT)
    if o["target"] in ("step", "sawtooth"):
        assert kind is (Kind.LINE if o["activation"] == "linear" else Kind.JUMP)


def test_the_largest_options_reproduce(tmp_path):
    card = approximate_card(
        "custom", UNITS_MAX, "sigmoid", "random", "5", SEED_MAX, "x*sin(3*x)", figure=False
    )
    assert run_script(card.code, tmp_path) == list(card.numbers)


@pytest.mark.parametrize(("target", "bound"), [("step", "0.5000"), ("sawtooth", "1.0000")])
def test_a_jump_card_says_why_no_n_beats_the_line(target, bound, tmp_path):
    """The user's case: /approximate target:step units:64 has max error 0.544 > the line's
    0.5. The card gives the bound (half the jump) as a number, says the line meets it and
    the fit overshoots, and does not read the slope as a rate; Show code prints the bound."""
    card = approximate_card(target, 64, figure=False)
    r = approximate(target, 64, curves=False)
    assert r.numbers["max_error"] > r.numbers["best_line_error"]  # what puzzled the user
    assert f"at least half the jump ({bound})" in card.verdict
    assert "No N beats the best straight line" in card.verdict
    assert "already misses by exactly that" in card.verdict
    assert "overshoots" in card.verdict
    slope = next(f.value for f in card.fields if f.name.startswith("Fitted slope"))
    assert f"not a rate of convergence: no N gets the max error below {bound}" in slope
    assert ("half_jump", bound) in card.numbers
    assert run_script(card.code, tmp_path) == list(card.numbers)


def test_a_smooth_target_card_has_no_jump_words():
    card = approximate_card("sin", 64, figure=False)
    text = card.verdict + "".join(f.value for f in card.fields)
    assert "jump" not in text and "rate of convergence" not in text
    assert all(key != "half_jump" for key, _ in card.numbers)


def test_linear_units_are_not_said_to_have_kinks():
    """A linear unit x − c has no kink: the construction places them where ReLU kinks would
    go, and their sum is one line (the verdict's point), so 'kinks' would contradict it."""
    card = approximate_card("sin", 4, "linear", figure=False)
    built = dict((f.name, f.value) for f in card.fields)["How the network is built"]
    assert "kinks at" not in built and "no kinks, so their sum is one line" in built


def test_a_line_target_is_not_told_its_best_line_is_not_the_least_squares_line():
    """For f(x) = 3x − 1 the Chebyshev line and the least-squares line are both f itself
    (error 0), so 'not the least-squares line' would be false; the note says 'in general'."""
    card = approximate_card("custom", custom="3*x-1", figure=False)
    best = dict((f.name, f.value) for f in card.fields)["Best straight line (max norm, Chebyshev)"]
    assert "max |error| = 0.0000" in best
    assert "\nnot the least-squares line" not in best and "in general" in best


def test_the_footer_mentions_jump_points_only_for_targets_that_jump():
    from bot.cards.approximate import approximate_card
    from bot.lab.approximate import INTERVALS, grid, jumps_of

    for target, custom in (("sin", None), ("bump", None), ("custom", "sign(x)")):
        card = approximate_card(target, 4, custom=custom, figure=False)
        assert "jump" not in card.footer, target
    step = approximate_card("step", 4, figure=False)
    assert "(plus both sides of each jump)" in step.footer
    a = INTERVALS["pi"]
    assert len(grid(a, jumps_of("step", a))) > len(grid(a, ()))  # the extra points exist
