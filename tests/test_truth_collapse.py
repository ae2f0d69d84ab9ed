"""/collapse is true by construction: Show code prints the card's numbers for any valid
options, and no card shows nan/inf or a verdict that theory rules out."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cards.collapse import collapse_card
from bot.lab import SEED_MAX
from bot.lab.collapse import AFFINE_TOL, BETWEEN, UNDEFINED, Kind, Small, collapse
from tests.scripts import run_script
from tests.test_lab_collapse import rank_mod_p


@st.composite
def options(draw) -> dict:
    """Valid /collapse options, edges drawn often: 1 and 64 layers, width 1 and 16, tight
    bottlenecks, no bias, every kind of `between`, the largest seed."""
    layers = draw(st.one_of(st.sampled_from([1, 2, 3, 63, 64]), st.integers(1, 64)))
    width = draw(st.one_of(st.sampled_from([1, 2, 16]), st.integers(1, 16)))
    bottleneck = None
    if layers > 1:
        bottleneck = draw(st.one_of(st.none(), st.sampled_from([1, width]), st.integers(1, width)))
    return dict(
        layers=layers,
        width=width,
        bottleneck=bottleneck,
        bias=draw(st.booleans()),
        between=draw(st.sampled_from(BETWEEN)),
        seed=draw(st.one_of(st.sampled_from([0, 1, SEED_MAX]), st.integers(0, SEED_MAX))),
    )


@pytest.mark.fuzz
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(o=options())
def test_show_code_prints_the_card_numbers(o, tmp_path):
    card = collapse_card(**o, figure=False)
    assert run_script(card.code, tmp_path) == list(card.numbers)


def _text(card) -> str:
    return " ".join(
        [card.verdict, card.body, card.footer, *(f.name + f.value for f in card.fields)]
    )


@pytest.mark.fuzz
@settings(deadline=None)
@given(o=options())
def test_every_card_is_true_to_theory(o):
    card = collapse_card(**o, figure=False)
    c = collapse(**o)
    v, d, text = c.values, c.verdict, _text(card)
    low = text.lower()
    assert "nan" not in low.replace("nonlinear", "") and "inf" not in low.replace("info", "")
    # which verdict: theory decides the exact cases, the measured gap the rest
    if o["between"] in ("none", "squash"):
        assert d.kind is Kind.ONE_MATRIX and v["relative"] < 1e-9
    elif o["layers"] == 1:
        assert d.kind is Kind.ONE_LAYER and "exactly one affine map" in card.verdict
    elif v["residual"] == UNDEFINED:
        assert d.kind is Kind.CONSTANT and "constant" in card.verdict
    else:
        assert (d.kind is Kind.AFFINE_HERE) == (v["residual"] < AFFINE_TOL)
        assert v["variance_missed"] == pytest.approx(v["residual"] ** 2)
    assert ("no single matrix" in card.verdict) == (d.kind is Kind.NOT_AFFINE)
    phrase = "exactly affine there" if o["between"] == "relu" else "affine to within"
    assert (phrase in text) == (d.kind is Kind.AFFINE_HERE or d.small is Small.EXACT)
    assert "exactly affine there" not in text or o["between"] == "relu"  # tanh never is
    if d.small is Small.EXACT:
        assert v["residual_small"] < AFFINE_TOL
    assert "% of" not in text  # shares are labelled as shares of spread or of variance
    # rank: the narrowest width, and an exact lower bound mod p agrees
    k = o["bottleneck"] or o["width"]
    assert v["rank"] == k
    if o["layers"] * o["width"] ** 2 <= 2048:  # big chains: test_lab_collapse's exact cases
        assert rank_mod_p([M[:-1, :-1] for M in c.matrices]) == k
    assert v["condition"] == "> 1e16" or 1.0 <= v["condition"] < 1e16
    fan_ins = {s[1] for s in c.shapes}
    assert all(f"1/{f}" in card.footer for f in fan_ins)


@pytest.mark.parametrize("bias", [True, False])
def test_one_layer_is_one_matrix_already_and_reads_so(bias):
    """Nothing collapses in a single layer: the card says it is its own matrix, in the singular."""
    card = collapse_card(layers=1, width=4, bias=bias, between="none", figure=False)
    assert card.verdict.startswith(
        "One affine layer is one matrix already" if bias else "One linear"
    )
    assert "layers with" not in card.verdict
    layers = next(f.value for f in card.fields if f.name == "Layers")
    assert layers.startswith("1 affine layer," if bias else "1 linear layer,")
