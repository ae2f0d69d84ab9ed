"""Every /xor reply true for random valid options (issue 7 §5 and the §1 invariants).

1. The Show-code script, run in a clean `python -I`, prints exactly the card's numbers.
2. Whatever the options: no nan/inf is shown; right + wrong + undecided = 4; the verdict
   says "impossible" exactly when theory (decided here independently, from a grid)
   rules XOR out, and then never blames the seed; a diverged run shows no result.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cards import xor as cards
from bot.lab import SEED_MAX
from bot.lab.activations import REGISTRY
from bot.lab.decision import is_monotone, numeric_decision_set
from bot.lab.neuron import LR_MAX, LR_MIN
from tests.scripts import run_script

SEEDS = st.one_of(st.sampled_from([0, 1, SEED_MAX]), st.integers(0, SEED_MAX))
EPOCHS = st.one_of(st.integers(1, 200), st.sampled_from([1, 5000]))  # 5000: the upper edge
LRS = st.one_of(
    st.sampled_from([LR_MIN, 0.001, 1.0, LR_MAX]),
    st.floats(-4, 1).map(lambda e: min(LR_MAX, max(LR_MIN, 10.0**e))),
)


@st.composite
def xor_options(draw) -> tuple[str, dict]:
    """A random valid /xor command: every activation, edge seeds, 1 or 5000 epochs, huge lr."""
    command = draw(st.sampled_from(["linear", "squash", "neuron", "neuron", "mlp", "mlp"]))
    if command == "linear":
        return command, {}
    if command == "squash":
        return command, {"seed": draw(SEEDS)}
    options = {
        "activation": draw(st.sampled_from(sorted(REGISTRY))),
        "seed": draw(SEEDS),
        "epochs": draw(EPOCHS),
        "lr": draw(LRS),
    }
    if command == "mlp":
        options["hidden"] = draw(st.integers(1, 16))
    return command, options


def _card(command: str, options: dict):
    return getattr(cards, f"{command}_card")(**options, figure=False)


def _text(card) -> str:
    parts = [card.title, card.verdict, card.body, card.footer]
    parts += [f.name + "\n" + f.value for f in card.fields]
    parts += [a.data.decode() for a in card.files if a.filename.endswith(".txt")]
    return "\n".join(parts)


@pytest.mark.fuzz
@given(xor_options())
def test_show_code_prints_exactly_the_card_numbers(case):
    command, options = case
    card = _card(command, options)
    with tempfile.TemporaryDirectory() as folder:
        assert run_script(card.code, Path(folder)) == list(card.numbers), (command, options)


def _impossible(command: str, options: dict) -> bool:
    """Theory, decided independently of the lab's closed forms (grid + bisection)."""
    act = REGISTRY[options["activation"]]
    if command == "neuron":
        return not numeric_decision_set(act.f).reachable
    return act.linear or (options["hidden"] == 1 and is_monotone(act.f))


@pytest.mark.fuzz
@given(xor_options())
def test_every_reply_keeps_the_rules(case):
    command, options = case
    card = _card(command, options)
    text = _text(card)
    numbers = dict(card.numbers)
    assert not re.search(r"\b(nan|inf|infinity)\b", text, re.IGNORECASE), text
    assert not re.search(r"\b(nan|inf)\b", " ".join(numbers.values()), re.IGNORECASE)
    if command == "linear":
        assert (numbers["right"], numbers["wrong"], numbers["undecided"]) == ("0", "0", "4")
        assert "0/4 right, 4 undecided" in card.verdict
        return
    if command == "squash":
        for n in ("tanh", "sigmoid"):
            right, wrong, undecided = (
                int(numbers[f"{n}_{k}"]) for k in ("right", "wrong", "undecided")
            )
            assert right + wrong + undecided == 4 and right <= 3
        assert "impossible at any seed" in card.verdict
        return
    if "diverged_at_epoch" in numbers:
        epoch, lr = numbers["diverged_at_epoch"], numbers["lr"]
        assert f"Training diverged at epoch {epoch} (lr {lr})" in card.verdict
        assert not card.fields  # no weights, outputs or accuracy from a diverged run
    else:
        right, wrong, undecided = (int(numbers[k]) for k in ("right", "wrong", "undecided"))
        assert right + wrong + undecided == 4
        assert f"{right} right, {wrong} wrong, {undecided} undecided" in text
        shown = f"{right}/4 right" + (f", {undecided} undecided" if undecided else "")
        assert shown in card.verdict
        if _impossible(command, options):
            assert right <= 3
    impossible = _impossible(command, options)
    says = re.search(r"Impossible|at most 3/4|Whatever lr", card.verdict) is not None
    assert says == impossible, card.verdict
    if impossible:
        assert "another seed" not in card.verdict and "from this seed" not in card.verdict.replace(
            "without diverging from this seed", ""
        )


@pytest.mark.parametrize(
    "name", [n for n, a in sorted(REGISTRY.items()) if not a.linear and a.saturates != "flat"]
)
def test_a_solved_network_says_line_only_for_a_monotone_unit(name):
    """Each unit's output is f(w·x + b): a monotone f is larger on one side of a line, any
    other f rises and falls across parallel lines. Monotone is decided here from a grid."""
    for seed in range(6):
        card = cards.mlp_card(2, name, seed, 2000, 1.0, figure=False)
        if card.verdict.startswith("2 "):  # "2 … hidden units solve XOR, 4/4 right"
            break
    assert "solve XOR, 4/4 right" in card.verdict, (name, card.verdict)
    monotone = is_monotone(REGISTRY[name].f)
    assert ("each draws a line" in card.verdict) == monotone, card.verdict
    assert ("parallel lines" in card.verdict) != monotone, card.verdict
    decisions = [f.name for f in card.fields if "w·x + b = 0" in f.name or "Decisions" in f.name]
    assert len(decisions) == 1
    assert (decisions[0] == "Decisions: which side of each unit's line") == monotone, decisions
