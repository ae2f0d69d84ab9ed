"""/explain topics and /help, through the sandbox and as cards."""

from __future__ import annotations

import functools
import math
import re

import pytest

from bot import limits
from bot.cards import num
from bot.cards.explain import MAX_TEXT, TOPICS, explain_card
from bot.lab.activation_report import describe
from bot.lab.activations import REGISTRY
from bot.lab.approx import approximate_sine
from bot.lab.gradients import gradient_flow
from bot.replies import card_embed
from cogs.help import HELP, command_names


def test_at_least_eight_topics():
    assert len(TOPICS) >= 8


@functools.cache
def _card(key):
    return explain_card(key)


@pytest.mark.parametrize("key", list(TOPICS))
def test_topic_card_fits_and_teaches(key):
    card = _card(key)
    assert len(card.body) <= MAX_TEXT
    embed, files = card_embed(card)
    data = {f.filename: f.fp.read() for f in files}
    assert limits.message_problems({"embeds": [embed.to_dict()]}, data) == []
    assert card.image.data.startswith(b"\x89PNG\r\n\x1a\n")
    tries = next(f for f in card.fields if f.name == "Try it yourself").value
    assert tries.count("`/") >= 2
    refs = next(f for f in card.fields if f.name == "References").value
    for line in refs.splitlines():  # "• Authors YEAR, Title": a year a reader can look up
        assert re.match(r"^• \S.* (\d+-)?(19[5-9]\d|20[0-2]\d), \S", line), line


def test_universal_names_its_measures():
    body, a = _card("universal").body, approximate_sine()
    # the best line in the max norm, not the least-squares line's max error
    assert f"best line in the max norm (Chebyshev) misses sin by {num(a.chebyshev_error)}" in body
    assert f"the least-squares line by {num(a.lsq_line_error)}" in body
    assert num(a.chebyshev_error) == "0.68246"
    # the step: the floor theory gives (half the jump), reached, while the RMS error falls
    assert "at least ½, half the jump" in body
    assert f"reaches exactly that ({num(0.5)} at every" in body
    assert all(num(e) == "0.5" for e in a.step_max_errors)
    assert f"{num(a.step_rms_errors[0])} at N = 2, {num(a.step_rms_errors[-1])} at N = 128" in body


def test_vanishing_says_the_weights_multiply_in():
    body = _card("vanishing").body
    sig = REGISTRY["sigmoid"]
    assert "the weights multiply in too" in body
    assert "W_lᵀ·diag(f'(z_l))" in body
    base, big = gradient_flow(sig.f, sig.df), gradient_flow(sig.f, sig.df, gain=8.0)
    assert f"is {num(base.shrink)} times the one leaving the output for sigmoid" in body
    assert f"with 8× larger weights {num(big.shrink)}" in body


def test_tanh_says_which_saturation_point_is_whose():
    body = _card("tanh").body
    sat = {s.dtype: s for s in describe("tanh").saturation}
    assert f"NumPy's float32 tanh returns exactly 1.0 from x = {num(sat['float32'].x)}" in body
    assert f"its float64 tanh from x = {num(sat['float64'].x)}" in body
    # the nearest float to tanh(x) is 1.0 once 1 − tanh x = 2/(e^{2x} + 1) ≤ half the gap
    # below 1, 2^−(p+1) for p mantissa bits: x ≥ ½·ln(2^(p+2) − 1)
    assert 0.5 * math.log(2.0**26 - 1) < sat["float32"].x  # float32: correct rounding first
    assert 0.5 * math.log(2.0**55 - 1) > sat["float64"].x  # float64: NumPy first
    assert "in float32 the nearest float to tanh(x) is 1.0 before x = 10" in body
    assert num(sat["float32"].x) == "10" and "0.99999994" in body


def test_xor_error_surface_is_cited_with_its_years():
    card = _card("training")
    refs = next(f for f in card.fields if f.name == "References").value
    assert "Hamey 1998" in refs
    assert "Sprinkhuizen-Kuyper & Boers 1998, The Error Surface of the 2-2-1 XOR" in refs
    assert "Sprinkhuizen-Kuyper & Boers 1999, The Local Minima of the Error Surface" in refs
    assert "(Hamey 1998; Sprinkhuizen-Kuyper & Boers 1998, 1999)" in card.body


@pytest.mark.parametrize("key", list(TOPICS))
async def test_every_topic_through_the_sandbox(harness, key):
    reply = await harness.driver.invoke(f"/explain topic:{key}")
    assert reply.embed["title"] == TOPICS[key].title
    name = reply.embed["image"]["url"].removeprefix("attachment://")
    assert reply.files[name].startswith(b"\x89PNG")


async def test_every_try_it_command_parses(harness):
    for topic in TOPICS.values():
        for command in topic.tries:
            harness.driver.parse(command)


async def test_unknown_topic_is_explained(harness):
    reply = await harness.driver.invoke("/explain topic:magic")
    assert reply.ephemeral and "Topics:" in reply.content


async def test_topic_autocomplete(harness):
    choices = await harness.driver.autocomplete("/explain topic:grad", "topic")
    assert {c["value"] for c in choices} == {"vanishing"}


async def test_help_lists_every_registered_command(harness):
    reply = await harness.driver.invoke("/help")
    assert reply.ephemeral
    listed = [f["name"].removeprefix("/") for f in reply.embed["fields"]]
    assert listed == command_names(harness.bot.tree)
    assert "Start here" in reply.embed["description"]


async def test_every_command_has_a_help_line(harness):
    missing = [n for n in command_names(harness.bot.tree) if n not in HELP]
    assert not missing, f"add a HELP line for: {missing}"
    for _purpose, example in HELP.values():
        harness.driver.parse(example)


def test_every_explanation_points_to_claim():
    from bot.cards.explain import tries_text

    for topic in TOPICS.values():
        assert tries_text(topic).endswith(
            "Settle a claim: `/claim`, or right-click a message → Apps → Settle this"
        )
