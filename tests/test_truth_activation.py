"""/activation is true by construction: its script prints the card, its claims fit the theory.

Options are drawn at random: any registry name or alias, or a random valid formula
from the parser's grammar (sums, products, powers, every allowed function, constants).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cards.activation import activation_card
from bot.errors import UserError
from bot.lab.activation_report import Linearity, describe, describe_custom
from bot.lab.activations import ALIASES, REGISTRY
from bot.lab.expr import parse
from tests.formulas import FORMULAS
from tests.scripts import run_script

NAMES = st.sampled_from(sorted(REGISTRY) + sorted(ALIASES))
EDGE_FORMULAS = st.sampled_from(
    [
        "tan(x)",
        "1/x",
        "floor(x)",
        "log(x)",
        "log(-1-x*x)",
        "sqrt(-1-abs(x))",
        "0/0",
        "x/x",
        "sqrt(x)^2",
        "exp(x*x)",
        "9**9**9**9",
        "tanh(x)",
        "sigmoid(x)",
        "2*x+3",
        "x/1000",
        "x" + "*x" * 99,
        "1e308*x",
        "sign(x)",
        "x**1000",
        "exp(exp(x))",
        "exp(x)/exp(x)",
        "exp(200*x)/exp(200*x)",
        "1/exp(-200*x)",
        "log(exp(-200*x))",
    ]
)
OPTIONS = st.one_of(
    NAMES.map(lambda n: {"name": n}),
    st.one_of(FORMULAS, EDGE_FORMULAS).map(lambda f: {"custom": f}),
)


def _card(options):
    try:
        return activation_card(**options, figure=False)
    except UserError:  # a formula too deep for the parser: refused, never a crash
        return None


@pytest.mark.fuzz
@given(options=OPTIONS)
def test_the_script_prints_exactly_the_card_numbers(options, tmp_path_factory):
    card = _card(options)
    if card is None:
        return
    assert run_script(card.code, tmp_path_factory.mktemp("s")) == list(card.numbers)


NAN_OR_INF = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


def _shown(card) -> list[str]:
    return [card.verdict, *(f.value for f in card.fields), *(t for _, t in card.numbers)]


@pytest.mark.fuzz
@given(options=OPTIONS)
def test_no_nan_or_inf_is_shown_and_verdicts_follow_the_theory(options):
    card = _card(options)
    if card is None:
        return
    for text in _shown(card):
        labelled = text.replace("undefined (nan or ±inf)", "undefined")
        assert not NAN_OR_INF.search(labelled), text  # undefined values say "undefined"
    r = describe_custom(options["custom"]) if "custom" in options else describe(options["name"])
    if r.entry is not None:
        assert (r.linearity is Linearity.LINEAR) == r.entry.linear
        assert r.linearity in (Linearity.LINEAR, Linearity.NONLINEAR)
        return
    e = parse(options["custom"])
    if r.linearity in (Linearity.UNDEFINED, Linearity.OVERFLOW):
        assert "adds a nonlinearity" not in card.verdict
        assert ("overflow" in card.verdict) == (r.linearity is Linearity.OVERFLOW)
        return
    a, b = r.numbers["pair_a"], r.numbers["pair_b"]
    fa, fb, fm = e(np.array([a, b, (a + b) / 2]))
    assert np.isfinite([fa, fb, fm]).all()  # the example is where f is defined and finite
    gap = fm - (fa + fb) / 2
    if r.linearity is Linearity.NONLINEAR:
        assert gap == r.numbers["midpoint_gap"] != 0  # a real counterexample to affinity
        assert "adds a nonlinearity" in card.verdict
    else:
        assert "adds no nonlinearity" in card.verdict


@pytest.mark.fuzz
@given(
    st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: v != 0),
    st.floats(-1e3, 1e3, allow_nan=False),
)
def test_affine_formulas_are_called_affine(a, b):
    """Theory: a·x + b adds no nonlinearity; linear exactly when b = 0."""
    r = describe_custom(f"{a!r}*x + {b!r}".replace("+ -", "- "))
    expected = Linearity.LINEAR if b == 0 else Linearity.AFFINE
    assert r.linearity is expected


@pytest.mark.parametrize(
    "formula", ["x*x", "sin(x)", "abs(x)", "max(x, 0)", "exp(x)", "floor(x)", "x^3"]
)
def test_known_nonlinear_formulas_are_called_nonlinear(formula):
    assert describe_custom(formula).linearity is Linearity.NONLINEAR


@pytest.mark.parametrize("formula", ["log(-1-x*x)", "sqrt(-1-abs(x))", "0/0", "log(-abs(x)-1)"])
def test_undefined_everywhere_adds_nothing(formula):
    card = activation_card(custom=formula, figure=False)
    assert "undefined at every x" in card.verdict and "adds a nonlinearity" not in card.verdict
    nonlinear = next(f for f in card.fields if f.name == "Does it add a nonlinearity?")
    assert nonlinear.value.startswith("No: f is undefined")


@pytest.mark.parametrize(
    ("formula", "points"),
    [
        ("tan(x)", list((np.arange(-2, 2) + 0.5) * np.pi)),  # poles at ±π/2, ±3π/2
        ("floor(x)", list(np.arange(-5.0, 7.0))),  # jumps at the integers (grid points)
        ("1/(x-0.31)", [0.31]),  # a pole between grid points
        ("sign(x-0.31)", [0.31]),
        ("tanh(x)", []),
        ("x*x", []),
        ("tanh(100*x)", []),  # steep is not a jump
    ],
)
def test_curves_break_exactly_at_poles_and_jumps(formula, points):
    """The figure lifts the pen over one interval per jump or pole of f, and only there."""
    r = describe_custom(formula)
    assert int(r.f_breaks.sum()) == len(points), r.x[np.flatnonzero(r.f_breaks)]
    assert not np.any(r.f_breaks & ~_near(r.x, points))
    assert np.all(r.df_breaks[r.f_breaks])  # f' is never drawn across them either


@pytest.mark.parametrize(
    ("name", "f_jumps", "df_jumps"),
    [
        ("relu", [], [0.0]),
        ("hardtanh", [], [-1.0, 1.0]),
        ("step", [0.0], [0.0]),
        ("tanh", [], []),
        ("gelu", [], []),
        ("selu", [], [0.0]),
    ],
)
def test_registry_curves_break_where_f_or_f_prime_jumps(name, f_jumps, df_jumps):
    """One broken interval per jump of f or f' (a kink on a grid point breaks one side)."""
    r = describe(name)
    for breaks, points in ((r.f_breaks, f_jumps), (r.df_breaks, df_jumps)):
        assert int(breaks.sum()) == len(points), (name, r.x[np.flatnonzero(breaks)])
        assert not np.any(breaks & ~_near(r.x, points))


def _near(x: np.ndarray, points: list[float]) -> np.ndarray:
    """(N − 1,) intervals touching one of the points (inside or at an end)."""
    p = np.array(points)
    return np.array([np.any((p >= a - 1e-12) & (p <= b + 1e-12)) for a, b in itertools.pairwise(x)])


def _text(card) -> str:
    return "\n".join(_shown(card))


def test_an_overflow_is_said_to_be_one_and_never_undefined():
    """x^1000 is defined everywhere and E Z^1000 = 999!! exists: float64 just overflows."""
    card = activation_card(custom="x**1000", figure=False)
    text = _text(card)
    assert "undefined" not in text and "does not exist" not in text
    assert "float64 overflows at 398" in text  # |x| > 2^1.024 ≈ 2.0335 on the 601 points
    centred = next(f.value for f in card.fields if f.name == "Properties")
    assert "float64 overflows" in centred.split("zero-centred:")[1]
    assert "adds a nonlinearity" in card.verdict


@pytest.mark.parametrize(
    ("formula", "says", "never"),
    [
        # E f(Z) of a pole: the ±12 grids disagree, which an integrable singularity
        # (|x|**-0.75) also does, so the card says "not settled" rather than guess
        ("1/x", ["undefined at 1 of 601", "not settled"], ["overflow"]),
        ("log(x)", ["undefined at 301 of 601"], ["overflow"]),
        ("sqrt(x)", ["undefined at 300 of 601"], ["overflow"]),
        ("x**-2", ["undefined at 1 of 601"], ["overflow"]),
        ("tan(x)", ["not settled"], ["overflow", "undefined at"]),
        # 1 wherever float64 can divide; ∞/∞ and 0/0 past ±3.6 are float64's, not f's
        ("exp(200*x)/exp(200*x)", ["affine where float64 can compute it"], ["undefined"]),
        ("exp(x)", ["f'(10000.5) = float64 overflow"], ["undefined"]),
        ("9**9**9**9", ["float64 computes no value"], ["undefined", "adds"]),
    ],
)
def test_each_missing_value_is_named_by_its_cause(formula, says, never):
    text = _text(activation_card(custom=formula, figure=False))
    for phrase in says:
        assert phrase in text
    for phrase in never:
        assert phrase not in text
