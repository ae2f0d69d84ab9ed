"""/regions is true by construction: its Show code prints the card's numbers, for any options."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cards.regions import regions_card
from bot.lab import SEED_MAX
from bot.lab.regions import DATASETS, DEPTH_MAX, WIDTH_MAX, Verdict, regions
from tests.scripts import run_script

shapes = st.one_of(
    st.tuples(st.integers(1, WIDTH_MAX), st.integers(1, 2)),
    st.tuples(st.integers(1, 12), st.integers(1, DEPTH_MAX)),
    st.sampled_from([(1, 1), (1, DEPTH_MAX), (WIDTH_MAX, 1), (2, DEPTH_MAX)]),
)
options = st.fixed_dictionaries(
    {
        "shape": shapes,
        "seed": st.one_of(st.sampled_from([0, SEED_MAX]), st.integers(0, SEED_MAX)),
        "dataset": st.sampled_from(DATASETS),
    }
)


# each example trains, counts regions and runs the script (about a second): `make test`
# tries 10 (the largest network has its own test below), `make fuzz` its thousands
EXAMPLES = (
    settings() if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else settings(max_examples=10)
)


@pytest.mark.fuzz
@EXAMPLES
@given(o=options)
def test_show_code_prints_the_card_numbers_and_counts_respect_theory(o, tmp_path_factory):
    (width, depth), seed, dataset = o["shape"], o["seed"], o["dataset"]
    card = regions_card(width, depth, seed, dataset, figure=False)
    assert run_script(card.code, tmp_path_factory.mktemp("s")) == list(card.numbers)
    r = regions(width, depth, seed, dataset, polygons=False)
    n = r.numbers
    assert n["first_layer"] <= n["plane_bound_one_layer"]
    assert n["regions"] >= n["first_layer"]  # deeper layers only cut the first layer's regions
    if depth == 1:
        assert n["regions"] == n["first_layer"] and r.verdict is Verdict.ONE_LAYER
    if r.verdict is Verdict.FAR_BELOW:
        assert 10 * n["regions"] <= n["montufar_max"]
    if dataset != "none":
        parts = [int(p.split()[0]) for p in n["train_accuracy"].split(", ")]
        assert sum(parts) == 200
    text = card.verdict + "".join(f.name + f.value for f in card.fields) + card.title
    assert not re.search(r"\b(nan|inf)\b", text.lower())


def test_the_largest_network_reproduces(tmp_path):
    card = regions_card(WIDTH_MAX, DEPTH_MAX, SEED_MAX, "spiral", figure=False)
    assert run_script(card.code, tmp_path) == list(card.numbers)


def test_one_unit_is_named_in_the_singular():
    assert regions_card(1, 1, 0, "none", figure=False).title.startswith(
        "Linear regions: 1 layer of 1 ReLU unit, "
    )
    assert "2 layers of 3 ReLU units" in regions_card(3, 2, 0, "none", figure=False).title


@pytest.mark.parametrize(
    ("width", "depth", "dataset", "says"),
    [
        (8, 3, "spiral", "; the 3×8 network above was briefly trained on a spiral."),
        (8, 2, "none", "; the 2×8 network above has 16 neurons."),
        (6, 1, "xor", "; the 1×6 network above has 6 neurons and was briefly trained on XOR."),
        (4, 6, "none", "seeds (seed, 0…2))."),  # the sweep's own 24 neurons, untrained
    ],
)
def test_the_sweep_says_it_is_its_own_untrained_experiment(width, depth, dataset, says):
    card = regions_card(width, depth, 0, dataset, figure=False)
    sweep = next(f for f in card.fields if f.name.startswith("Depth against width"))
    assert "untrained" in sweep.name
    assert "The sweep's networks are its own (random, untrained, seeds" in sweep.value
    assert sweep.value.endswith(says), sweep.value
    trained = "this briefly trained network" in card.verdict
    assert trained == (dataset != "none" and "far fewer" in card.verdict)
