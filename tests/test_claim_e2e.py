"""/claim and "Settle this" end to end: the real discord.py client against the sandbox,
message commands included (type-2 interactions with data.type 3, target_id, resolved)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.claims import BY_ID, CLAIMS
from bot.sandbox.message_commands import MessageCommandError, message_command_data

SETTLE = "Settle this"
ARGUMENT = "\n".join(
    text
    for line in (Path(__file__).parent / "claims_corpus" / "argument.txt").read_text().splitlines()
    if not line.startswith("#") and (text := line.partition(" | ")[2])
)


def _embeds(reply) -> list[dict]:
    return reply.message.payload["embeds"]


def _labels(reply) -> list[str]:
    return [b.get("label") for b in reply.buttons()]


def _experiment_png(reply) -> bytes:
    below = _embeds(reply)[1]
    return reply.files[below["image"]["url"].removeprefix("attachment://")]


def test_experiments_parse_and_the_message_command_is_synced(harness):
    for claim in CLAIMS:
        for e in claim.experiments:
            harness.driver.parse(e.command)
    cmds = [c for c in harness.sandbox.commands[harness.sandbox.guild.id] if c["type"] == 3]
    assert [c["name"] for c in cmds] == [SETTLE]


async def test_claim_answers_a_verdict_and_its_experiment_with_buttons(harness):
    reply = await harness.driver.invoke("/claim claim:linear-squash")
    assert not reply.ephemeral and not reply.timed_out
    top, below = _embeds(reply)
    assert top["title"] == f"“{BY_ID['linear-squash'].wording}”"
    assert top["description"].startswith("**❌ FALSE**")
    assert "Minsky" in next(f["value"] for f in top["fields"] if f["name"] == "Reference")
    assert "/collapse layers:4 between:squash" in top["fields"][0]["value"]
    assert below["title"].startswith("Collapse")
    assert _experiment_png(reply).startswith(b"\x89PNG\r\n\x1a\n")
    assert _labels(reply) == ["Show code", "New seed", "Pin", "/xor squash"]
    code = await harness.driver.click(reply, "Show code")
    assert code.ephemeral and ("```py" in code.content or "reproduce.py" in code.files)
    other = await harness.driver.click(reply, "/xor squash")
    assert _embeds(other)[0]["title"] == top["title"]
    assert "XOR" in _embeds(other)[1]["title"]
    seed = await harness.driver.click(reply, "New seed")
    assert seed.embed["title"].startswith("Collapse") and "seed 1" in str(seed.embed)


async def test_claim_takes_typed_text_autocompletes_and_refuses_nonsense(harness):
    d = harness.driver
    reply = await d.invoke("/claim claim:deeper is always better private:true")
    assert reply.ephemeral
    assert _embeds(reply)[0]["title"] == f"“{BY_ID['deeper-better'].wording}”"
    assert "Pin" not in _labels(reply)
    bad = await d.invoke("/claim claim:qwzx")
    assert bad.ephemeral and bad.embed is None and "don't know" in bad.content
    assert len(await d.autocomplete("/claim claim:a", "claim")) <= 25
    choices = await d.autocomplete("/claim claim:sigmoid", "claim")
    assert "sigmoid-tanh" in {c["value"] for c in choices}
    assert all(len(c["name"]) <= 100 for c in choices)
    assert await d.autocomplete("/claim claim:qwzx", "claim") == []


async def test_settle_the_whole_argument(harness):
    target = harness.driver.post(ARGUMENT[:4000], user="member")
    reply = await harness.driver.apps(SETTLE, target, user="moderator")
    assert not reply.ephemeral and not reply.timed_out
    top = _embeds(reply)[0]
    assert top["title"].startswith("Settling ") and "claims" in top["title"]
    assert str(target.id) in top["fields"][0]["value"]  # the jump link
    assert "❌ FALSE" in top["description"] and "heard:" in top["description"]
    assert _experiment_png(reply).startswith(b"\x89PNG")
    labels = _labels(reply)
    assert labels[:3] == ["Show code", "New seed", "Pin"] and len(labels) > 5
    other = await harness.driver.click(reply, "XOR by a line?")
    assert _embeds(other)[0]["description"].startswith("**❌ FALSE**")
    assert "XOR" in _embeds(other)[1]["title"]
    pinned = await harness.driver.click(reply, "Pin", user="moderator")
    assert any("Pinned by" in (b.get("label") or "") for b in pinned.buttons())


async def test_settle_one_claim_nothing_and_its_own_reply(harness):
    d = harness.driver
    reply = await d.apps(SETTLE, d.post("honestly, XOR can be fit by a line if you try hard"))
    top, below = _embeds(reply)
    assert top["title"] == "Settling 1 claim"
    assert top["description"].startswith("**❌ FALSE: XOR can be fit by a line")
    assert below["title"].startswith("XOR")
    assert _labels(reply) == ["Show code", "Pin"]  # no other claims: no claim buttons
    mine = await d.apps(SETTLE, reply.message)
    assert mine.ephemeral and "my own answer" in mine.content
    nothing = await d.apps(SETTLE, d.post("good morning everyone!"))
    assert nothing.ephemeral and nothing.embed is None
    assert "no claim" in nothing.content and "/claim" in nothing.content
    assert BY_ID["xor-line"].wording in nothing.content


async def test_code_only_and_other_languages_get_a_private_reason(harness):
    for content, says in [
        ("```py\nstacked = linear(linear(x))  # stacking linear layers adds power\n```", "code"),
        ("Tiefere Netze sind immer besser, das weiß doch jeder hier im Kanal.", "English"),
        ("深いネットワークは常に優れている", "English"),
    ]:
        reply = await harness.driver.apps(SETTLE, harness.driver.post(content))
        assert reply.ephemeral and says in reply.content and "/claim" in reply.content


async def test_code_quotes_embeds_and_long_messages(harness):
    d = harness.driver
    text = "tanh squashes everything to less than 1\n```py\nprint(np.tanh(30))\n```"
    top = _embeds(await d.apps(SETTLE, d.post(text)))[0]
    assert "code blocks were skipped" in top["fields"][0]["value"]
    assert "TRUE, BUT" in top["description"]

    text = "> tanh squashes everything to less than 1\nthis is what they keep saying"
    top = _embeds(await d.apps(SETTLE, d.post(text)))[0]
    assert "in a quote: someone else's words" in top["description"]
    assert "quoting someone else" in top["fields"][0]["value"]

    preview = {"title": "Why deep learning works", "description": "Deeper is always better."}
    top = _embeds(await d.apps(SETTLE, d.post("", embeds=[preview])))[0]
    assert "Deeper networks are always better" in top["description"]
    assert "its embed was read" in top["fields"][0]["value"]

    filler = "We talked about this for a while and nobody agreed on anything at all. "
    reply = await d.apps(SETTLE, d.post((filler * 40 + ARGUMENT)[:4000]))
    assert not reply.ephemeral and len(_embeds(reply)) == 2  # the sandbox checked the limits


async def test_slow_experiments_defer_then_answer(harness):
    from tests.test_e2e import _SlowPool

    real = harness.bot.pool
    harness.bot.pool = _SlowPool(real, 1.6)  # a slow worker pool: the reply must defer first
    try:
        reply = await harness.driver.apps(SETTLE, harness.driver.post("deeper is always better"))
    finally:
        harness.bot.pool = real
    assert reply.record.ack_type == 5 and reply.record.ack_ms < 3000
    assert len(_embeds(reply)) == 2


def test_the_sandbox_refuses_what_discord_would(harness):
    d = harness.driver
    with pytest.raises(MessageCommandError, match="no message command"):
        message_command_data(harness.sandbox, "Nope", d.post("hi"))
    with pytest.raises(MessageCommandError, match="4000"):
        d.post("x" * 4001)
    with pytest.raises(MessageCommandError, match="content or an embed"):
        d.post("")


# ---- a long message is read in the worker pool, off the event loop --------------------

CHATTER = "We talked about this for a while and nobody agreed on anything at all. " * 40


class GatedReads:
    """The real worker pool, except that a reading (`call`) waits for `gate` first."""

    def __init__(self, pool) -> None:
        self.pool, self.workers = pool, pool.workers
        self.gate = asyncio.Event()
        self.reads = 0

    async def run(self, job):
        return await self.pool.run(job)

    async def call(self, fn, *args):
        self.reads += 1
        await self.gate.wait()
        return await self.pool.call(fn, *args)


@pytest.fixture
def gated(harness):
    real, harness.bot.pool = harness.bot.pool, GatedReads(harness.bot.pool)
    yield harness.bot.pool
    harness.bot.pool = real


def _deferred(harness) -> list:
    return [r for r in harness.sandbox.interactions.values() if r.ack_type == 5]


async def test_a_long_message_is_read_in_a_worker_not_in_the_bot(harness, monkeypatch):
    """Matching runs in a worker process: the bot's own copy of the matcher is never called
    (in the worker it is a fresh import the patch does not reach)."""
    import bot.claims.settle

    calls = []
    real = bot.claims.settle.find_claims
    monkeypatch.setattr(bot.claims.settle, "find_claims", lambda t: calls.append(t) or real(t))
    d = harness.driver
    reply = await d.apps(SETTLE, d.post(ARGUMENT[:4000]))
    assert calls == []
    top = _embeds(reply)[0]
    assert top["title"].startswith("Settling ") and "❌ FALSE" in top["description"]
    short = await d.apps(SETTLE, d.post("honestly, XOR can be fit by a line if you try hard"))
    assert len(calls) == 1  # a short message is read in the bot (INLINE_CHARS)
    assert _embeds(short)[0]["title"] == "Settling 1 claim"


async def test_while_a_long_message_is_read_the_bot_acks_in_time_and_answers_others(harness, gated):
    d = harness.driver
    task = asyncio.create_task(d.apps(SETTLE, d.post(ARGUMENT[:4000])))
    # the reading is held in the pool: the interaction is acknowledged anyway
    assert await harness.sandbox.wait_for(lambda: _deferred(harness), 10)
    assert gated.reads == 1 and not task.done()
    assert _deferred(harness)[0].ack_ms < 3000
    # and the event loop is free: another command is answered meanwhile
    other = await d.invoke("/claim claim:tanh-range")
    assert _embeds(other)[0]["title"] == f"“{BY_ID['tanh-range'].wording}”"
    assert not task.done()
    gated.gate.set()
    reply = await task
    assert reply.record.ack_type == 5 and not reply.ephemeral
    assert len(reply.messages) == 1  # the answer replaced the "thinking…" placeholder
    assert _embeds(reply)[0]["title"].startswith("Settling ")


async def test_nothing_found_after_a_deferral_is_still_private(harness, gated):
    d = harness.driver
    task = asyncio.create_task(d.apps(SETTLE, d.post(CHATTER)))
    assert await harness.sandbox.wait_for(lambda: _deferred(harness), 10)
    gated.gate.set()
    reply = await task
    await harness.sandbox.wait_for(lambda: len(reply.record.message_ids) >= 2, 5)
    msgs = [harness.sandbox.messages[m] for m in reply.record.message_ids]
    placeholder, answer = msgs[0], msgs[-1]
    assert placeholder.payload.get("deleted")
    assert answer.ephemeral and "no claim" in answer.payload["content"]
