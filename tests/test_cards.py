"""Cards: within Discord's limits, and each snippet prints exactly the card's numbers."""

from __future__ import annotations

import re
from functools import partial

import pytest

from bot import limits
from bot.cards.activation import activation_card
from bot.cards.approximate import approximate_card
from bot.cards.collapse import collapse_card
from bot.cards.regions import regions_card
from bot.cards.stats import stats_card
from bot.cards.train import train_card
from bot.cards.xor import linear_card, mlp_card, neuron_card, squash_card
from bot.lab.activations import REGISTRY
from bot.replies import card_embed
from tests.scripts import run_script, run_script_fresh

CASES = {
    "xor linear": partial(linear_card),
    "xor squash": partial(squash_card, seed=3),
    "xor neuron sin": partial(neuron_card, "sin", seed=1, epochs=500, lr=0.5),
    "xor neuron relu": partial(neuron_card, "relu"),
    "xor mlp tanh": partial(mlp_card, 2, "tanh", 0, 2000, 1.0),
    "xor mlp relu 16": partial(mlp_card, 16, "relu", 5, 5000, 10.0),
    "xor mlp gelu": partial(mlp_card, 3, "gelu", 2, 300, 0.3),
    "xor neuron identity diverges": partial(neuron_card, "identity"),
    "xor neuron step untrained": partial(neuron_card, "step", epochs=5000, lr=10.0),
    "xor mlp tanh hidden 1": partial(mlp_card, 1, "tanh"),
    "xor mlp identity diverges": partial(mlp_card, 8, "identity", 0, 2000, 10.0),
    "collapse default": partial(collapse_card),
    "collapse big": partial(collapse_card, 64, 16, 1, True, "none", 2**31 - 1),
    "collapse squash": partial(collapse_card, 64, 16, None, False, "squash", 0),
    "collapse tanh": partial(collapse_card, 8, 16, 3, True, "tanh", 1),
    "collapse relu": partial(collapse_card, 3, 4, None, False, "relu", 0),
    "collapse bottleneck 12": partial(collapse_card, 64, 16, 12, True, "none", 0),
    "collapse one layer tanh": partial(collapse_card, 1, 4, None, True, "tanh", 0),
    "collapse dead relu": partial(collapse_card, 10, 1, None, True, "relu", 0),
    "collapse tanh width 1": partial(collapse_card, 64, 1, None, True, "tanh", 2),
    "activation custom": partial(activation_card, custom="max(x, 0.1*x)"),
    "activation custom long": partial(activation_card, custom="x*" * 99 + "x"),
    "activation custom affine": partial(activation_card, custom="2*x+3"),
    "activation custom pole": partial(activation_card, custom="tan(x)"),
    "activation custom 1/x": partial(activation_card, custom="1/x"),
    "activation custom floor": partial(activation_card, custom="floor(x)"),
    "activation custom log": partial(activation_card, custom="log(x)"),
    "activation custom undefined": partial(activation_card, custom="log(-1-x*x)"),
    "activation custom tanh": partial(activation_card, custom="tanh(x)"),
    "approximate default": partial(approximate_card),
    "approximate step max": partial(
        approximate_card, "step", 256, "tanh", "random", "5", 2**31 - 1
    ),
    "approximate custom long": partial(
        approximate_card, "custom", 7, interval="1", custom="x*" * 99 + "x"
    ),
    "approximate training": partial(approximate_card, "sin", 12, "relu", "training", "pi", 1),
    "regions default": partial(regions_card),
    "regions trained": partial(regions_card, 16, 3, 5, "spiral"),
    "train linear diverges": partial(train_card, "xor", "linear", 16, 10, 10.0),
    "train compare": partial(
        train_card, "moons", hidden=3, epochs=30, lr=2.0, noise=0.1, compare=True
    ),
}
CASES |= {f"activation {n}": partial(activation_card, n) for n in REGISTRY}


@pytest.fixture(scope="module")
def cards():
    """Every case without its picture: what these tests check is the text, the numbers and
    the script. Each kind is also built with its picture once, below, and
    tests/test_figures.py checks the figures themselves."""
    return {k: make(figure=False) for k, make in CASES.items()}


def _problems(card) -> list[str]:
    embed, files = card_embed(card)
    payload = {"embeds": [embed.to_dict()]}
    data = {f.filename: f.fp.read() for f in files}
    return limits.message_problems(payload, data)


@pytest.mark.parametrize("case", CASES)
def test_card_fits_discord(cards, case):
    assert _problems(cards[case]) == []


# the cases whose pictures are edges for the drawing code (runs that diverge, formulas with
# poles or nowhere defined, zero singular values, long titles, many units, no data points):
# built with their picture too. The other cases draw what tests/test_figures.py draws.
PICTURED = [
    "xor neuron identity diverges",
    "xor mlp identity diverges",
    "collapse dead relu",
    "collapse tanh width 1",
    "activation custom long",
    "activation custom pole",
    "activation custom 1/x",
    "activation custom floor",
    "activation custom undefined",
    "approximate step max",
    "approximate custom long",
    "regions default",
]


@pytest.mark.parametrize("case", PICTURED)
def test_edge_pictures_are_drawn_and_fit_discord(cards, case):
    full = CASES[case]()
    assert full.image is not None and full.image.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert _problems(full) == []
    assert (full.code, full.numbers, full.fields) == (
        cards[case].code,
        cards[case].numbers,
        cards[case].fields,
    )


@pytest.mark.parametrize("case", CASES)
def test_snippet_prints_the_card_numbers(cards, case, tmp_path):
    """In the suite's long-lived clean interpreter (tests/scripts.py); the cards below run
    theirs in a new process each, one per kind, as a user would."""
    card = cards[case]
    assert run_script(card.code, tmp_path) == list(card.numbers)


@pytest.mark.parametrize("case", CASES)
def test_card_shows_the_numbers_it_claims(cards, case):
    card = cards[case]
    text = card.description + "".join(f.name + f.value for f in card.fields)
    text += "".join(a.data.decode() for a in card.files if a.filename.endswith(".txt"))
    for key, value in card.numbers:
        if key == "p":
            assert all(v in text for v in value.split())
        elif key == "max_abs_diff":
            assert f"{float(value):.3e}" in text
        else:
            assert value in text, (key, value)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_neuron_card_quotes_the_activation_formula_verbatim(name):
    """The body used to substitute every 'x', turning max(x, 0) into 'ma(w·x + b)(…)'."""
    from bot.cards.xor import neuron_card

    card = neuron_card(name, epochs=1, figure=False)
    assert REGISTRY[name].formula in card.body


@pytest.mark.parametrize(
    ("make", "kwargs"),
    [
        ("linear_card", {}),
        ("squash_card", {"seed": 4}),
        ("neuron_card", {"activation": "sin"}),
        ("mlp_card", {"hidden": 3}),
        ("collapse_card", {"between": "tanh"}),
        ("activation_card", {"custom": "x*sin(x)"}),
        ("approximate_card", {"target": "sin", "units": 4, "method": "training", "seed": 1}),
        ("regions_card", {"width": 16, "depth": 3, "seed": 5, "dataset": "spiral"}),
        ("train_card", {"dataset": "moons", "hidden": 3, "epochs": 30, "compare": True}),
    ],
)
def test_show_code_cards_skip_the_plot_and_keep_everything_else(make, kwargs, tmp_path):
    """One card of each kind with its picture: the picture fits Discord, and the card
    without it (what Show code and the tests above build) has the same text and numbers,
    and a script that reproduces them in a new process of its own."""
    import bot.cards.activation
    import bot.cards.approximate
    import bot.cards.collapse
    import bot.cards.regions
    import bot.cards.train
    import bot.cards.xor

    modules = (
        bot.cards.xor,
        bot.cards.collapse,
        bot.cards.activation,
        bot.cards.approximate,
        bot.cards.regions,
        bot.cards.train,
    )
    builder = next(getattr(m, make) for m in modules if hasattr(m, make))
    full, bare = builder(**kwargs), builder(**kwargs, figure=False)
    assert full.image is not None and bare.image is None
    assert full.image.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert _problems(full) == []
    # /train's picture comes with its animation: one more file and the field describing it
    extra = full.fields[len(bare.fields) :]
    assert [f.name for f in extra] == (["Animation"] if make == "train_card" else [])
    assert (bare.code, bare.numbers, bare.fields) == (
        full.code,
        full.numbers,
        full.fields[: len(bare.fields)],
    )
    assert (bare.title, bare.verdict, bare.body) == (full.title, full.verdict, full.body)
    assert run_script_fresh(full.code, tmp_path) == list(full.numbers)


ONE_OF = {
    "neuron, 1 epoch": partial(neuron_card, "tanh", 0, 1, 1.0),
    "mlp, 1 epoch": partial(mlp_card, 2, "tanh", 0, 1, 1.0),
    "regions 1×1": partial(regions_card, 1, 1),
    "stats, 1 epoch": partial(stats_card, "2", "tanh", 10, 1),
    "approximate, 1 ReLU unit": partial(approximate_card, "sin", 1),
    "approximate, 1 linear unit": partial(approximate_card, "sin", 1, "linear"),
}


@pytest.mark.parametrize("case", ONE_OF)
def test_a_count_of_one_is_singular(case):
    """'1 epochs', '1 neurons', '1 linear units' are what a sceptic screenshots."""
    card = ONE_OF[case](figure=False)
    text = "\n".join(
        [card.title, card.verdict, card.body, card.footer]
        + [t for f in card.fields for t in (f.name, f.value)]
    )
    assert not re.search(r"(?<![\d.])1 (?:\w+ )?(?:epochs|neurons|units|layers)\b", text), text
