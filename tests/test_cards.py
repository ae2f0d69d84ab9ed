"""Cards: within Discord's limits, and each snippet prints exactly the card's numbers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot import limits
from bot.cards.activation import activation_card
from bot.cards.approximate import approximate_card
from bot.cards.collapse import collapse_card
from bot.cards.regions import regions_card
from bot.cards.train import train_card
from bot.cards.xor import linear_card, mlp_card, neuron_card, squash_card
from bot.lab.activations import REGISTRY
from bot.replies import card_embed

CASES = {
    "xor linear": lambda: linear_card(),
    "xor squash": lambda: squash_card(seed=3),
    "xor neuron sin": lambda: neuron_card("sin", seed=1, epochs=500, lr=0.5),
    "xor neuron relu": lambda: neuron_card("relu"),
    "xor mlp tanh": lambda: mlp_card(2, "tanh", 0, 2000, 1.0),
    "xor mlp relu 16": lambda: mlp_card(16, "relu", 5, 5000, 10.0),
    "xor mlp gelu": lambda: mlp_card(3, "gelu", 2, 300, 0.3),
    "xor neuron identity diverges": lambda: neuron_card("identity"),
    "xor neuron step untrained": lambda: neuron_card("step", epochs=5000, lr=10.0),
    "xor mlp tanh hidden 1": lambda: mlp_card(1, "tanh"),
    "xor mlp identity diverges": lambda: mlp_card(8, "identity", 0, 2000, 10.0),
    "collapse default": lambda: collapse_card(),
    "collapse big": lambda: collapse_card(64, 16, 1, True, "none", 2**31 - 1),
    "collapse squash": lambda: collapse_card(64, 16, None, False, "squash", 0),
    "collapse tanh": lambda: collapse_card(8, 16, 3, True, "tanh", 1),
    "collapse relu": lambda: collapse_card(3, 4, None, False, "relu", 0),
    "collapse bottleneck 12": lambda: collapse_card(64, 16, 12, True, "none", 0),
    "collapse one layer tanh": lambda: collapse_card(1, 4, None, True, "tanh", 0),
    "collapse dead relu": lambda: collapse_card(10, 1, None, True, "relu", 0),
    "collapse tanh width 1": lambda: collapse_card(64, 1, None, True, "tanh", 2),
    "activation custom": lambda: activation_card(custom="max(x, 0.1*x)"),
    "activation custom long": lambda: activation_card(custom="x*" * 99 + "x"),
    "activation custom affine": lambda: activation_card(custom="2*x+3"),
    "activation custom pole": lambda: activation_card(custom="tan(x)"),
    "activation custom 1/x": lambda: activation_card(custom="1/x"),
    "activation custom floor": lambda: activation_card(custom="floor(x)"),
    "activation custom log": lambda: activation_card(custom="log(x)"),
    "activation custom undefined": lambda: activation_card(custom="log(-1-x*x)"),
    "activation custom tanh": lambda: activation_card(custom="tanh(x)"),
    "approximate default": lambda: approximate_card(),
    "approximate step max": lambda: approximate_card("step", 256, "tanh", "random", "5", 2**31 - 1),
    "approximate custom long": lambda: approximate_card(
        "custom", 7, interval="1", custom="x*" * 99 + "x"
    ),
    "approximate training": lambda: approximate_card("sin", 12, "relu", "training", "pi", 1),
    "regions default": lambda: regions_card(),
    "regions trained": lambda: regions_card(16, 3, 5, "spiral"),
    "train compare": lambda: train_card(
        "moons", hidden=3, epochs=30, lr=2.0, noise=0.1, compare=True
    ),
}
CASES |= {f"activation {n}": (lambda n=n: activation_card(n)) for n in REGISTRY}


@pytest.fixture(scope="module")
def cards():
    return {k: make() for k, make in CASES.items()}


@pytest.mark.parametrize("case", CASES)
def test_card_fits_discord(cards, case):
    card = cards[case]
    embed, files = card_embed(card)
    payload = {"embeds": [embed.to_dict()]}
    data = {f.filename: f.fp.read() for f in files}
    assert limits.message_problems(payload, data) == []
    assert card.image is not None and card.image.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("case", CASES)
def test_snippet_prints_the_card_numbers(cards, case, tmp_path):
    card = cards[case]
    script = tmp_path / "reproduce.py"
    script.write_text(card.code)
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    printed = [tuple(line.split(": ", 1)) for line in out.stdout.strip().splitlines()]
    assert printed == list(card.numbers)
    assert "import bot" not in card.code and "from bot" not in card.code


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

    card = neuron_card(name, epochs=1)
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
    ],
)
def test_show_code_cards_skip_the_plot_and_keep_everything_else(make, kwargs):
    import bot.cards.activation
    import bot.cards.collapse
    import bot.cards.xor

    modules = (bot.cards.xor, bot.cards.collapse, bot.cards.activation)
    builder = next(getattr(m, make) for m in modules if hasattr(m, make))
    full, bare = builder(**kwargs), builder(**kwargs, figure=False)
    assert full.image is not None and bare.image is None
    assert (bare.code, bare.numbers, bare.fields) == (full.code, full.numbers, full.fields)
