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
    footer = reply.embed["footer"]["text"]
    assert footer.startswith("Every option is optional except /claim's claim;"), footer


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


# ---- the README's Commands table against the synced commands -----------------------------

README = (__import__("pathlib").Path(__file__).parent.parent / "README.md").read_text()


def _readme_rows() -> dict[str, str]:
    """'/xor neuron' → the options cell of its row in the README's Commands table."""
    table = README.split("## Commands", 1)[1].strip().split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if m := re.fullmatch(r"`(/[a-z ]+)`", cells[0]):
            rows[m[1].removeprefix("/")] = cells[1]
    return rows


def _segments(cell: str) -> dict[str, str]:
    """Option name → the text after its first `name` up to the next option's."""
    names = [m for m in re.finditer(r"`([a-z_]+)`", cell)]
    out: dict[str, str] = {}
    for m, nxt in zip(names, [*names[1:], None], strict=True):
        out.setdefault(m[1], cell[m.end() : nxt.start() if nxt else len(cell)])
    return out


def _listed(segment: str) -> list[str] | None:
    """The items of a list right after an option: '(a, b, [−1, 1]; typed as x, y)' or 'a/b/c'."""
    if m := re.match(r"\s*\(([^()]*)\)", segment):
        body = m[1]
    elif m := re.match(r"\s*([a-z]+(?:/[a-z]+)+)", segment):
        body = m[1].replace("/", ", ")
    else:
        return None
    body = body.removeprefix("autocomplete:")  # /explain's topics: listed after the colon
    if not re.search(r",|/", body) or body.startswith(("autocomplete", "default", "required")):
        return None  # prose, not a list of choices
    return re.findall(r"\[[^\]]*\]|[\w.]+", body)


async def test_readme_commands_table_matches_the_synced_commands(harness):
    """Every row names exactly the command's options; a stated range is the option's
    min-max (or length); a stated list is its choices (names or values); a required option
    says so, and the header does not call every option optional."""
    rows = _readme_rows()
    leaves = {path: leaf for path, leaf in harness.driver._leaves()}
    assert set(rows) == set(leaves)
    header = next(line for line in README.splitlines() if line.startswith("| command |"))
    assert "all optional" not in header or not any(
        o.get("required") for leaf in leaves.values() for o in leaf.get("options") or []
    )
    for path, cell in rows.items():
        options = {o["name"]: o for o in leaves[path].get("options") or []}
        segments = _segments(cell)
        assert set(segments) == set(options), path
        for name, seg in segments.items():
            o, where = options[name], f"/{path} {name}: {seg!r}"
            assert seg.lstrip().startswith("(required") == bool(o.get("required")), where
            if m := re.match(r"\s*(\d[\d.]*)-(\d[\d.]*)", seg):
                assert (float(m[1]), float(m[2])) == (o["min_value"], o["max_value"]), where
            if m := re.search(r"≤ (\d+) chars", seg):
                assert int(m[1]) == o["max_length"], where
            if m := re.match(r"\s*\((\d+) choices\)", seg):
                assert int(m[1]) == len(o["choices"]), where
            elif (items := _listed(seg)) is not None:
                choices = o.get("choices") or []
                names = {c["name"] for c in choices} or None
                values = {str(c["value"]) for c in choices} or None
                if name == "topic":  # autocompleted, not choices: the topics themselves
                    names = values = set(TOPICS)
                assert values, where
                filler = {"typed", "as"}
                assert names <= set(items) or values <= set(items), where
                assert set(items) <= names | values | filler, where
