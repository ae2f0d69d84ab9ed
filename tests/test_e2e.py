"""End to end: the real discord.py client against the local sandbox, every command."""

from __future__ import annotations

import asyncio

import pytest

from bot.errors import UserError
from bot.sandbox.driver import DriverError

COMMANDS = [
    "/xor linear",
    "/xor squash",
    "/xor squash seed:2147483647",
    "/xor neuron",
    "/xor neuron activation:sin seed:3 epochs:1 lr:0.0001",
    "/xor neuron activation:step epochs:5000 lr:10",
    "/xor mlp",
    "/xor mlp hidden:1 activation:identity epochs:1",
    "/xor mlp hidden:16 activation:relu seed:2147483647 epochs:5000 lr:10",
    "/collapse",
    "/collapse 5",
    "/collapse layers:1 width:1",
    "/collapse layers:64 width:16 bottleneck:16 bias:false between:squash seed:0",
    "/collapse layers:64 width:16 between:tanh",
    "/collapse layers:2 width:3 bottleneck:1 between:relu",
    "/activation",
    "/activation tanh",
    "/activation name:gelu_tanh",
    "/activation custom:x*sin(x)",
    "/activation custom:x/1000",
    "/activation custom:" + "x*" * 99 + "x",
]


def _check_image(reply):
    embed = reply.embed
    assert embed is not None, reply.content
    name = embed["image"]["url"].removeprefix("attachment://")
    assert reply.files[name].startswith(b"\x89PNG\r\n\x1a\n")
    assert embed["title"] and embed["description"]


@pytest.mark.parametrize("command", COMMANDS)
async def test_command_replies_with_an_embed_and_png(harness, command):
    reply = await harness.driver.invoke(command)
    assert not reply.timed_out
    assert not reply.ephemeral
    _check_image(reply)
    assert reply.record.ack_ms < 3000  # the sandbox also flags a late first response


async def test_private_answers_are_ephemeral(harness):
    reply = await harness.driver.invoke("/collapse 3 private:true")
    assert reply.ephemeral
    _check_image(reply)


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/activation custom:x.__class__", "unexpected character"),
        ("/activation custom:__import__('os')", "not"),
        ("/activation name:nonsense", "unknown activation"),
        ("/activation name:tnah", "did you mean `tanh`"),
        ("/explain topic:xr", "did you mean `xor`"),
        ("/collapse layers:3 width:4 bottleneck:9", "bottleneck"),
        ("/collapse layers:1 bottleneck:1", "bottleneck"),
    ],
)
async def test_bad_input_gets_a_short_ephemeral_message(harness, command, says):
    reply = await harness.driver.invoke(command)
    assert reply.ephemeral
    assert reply.embed is None
    assert says.lower() in reply.content.lower() or "allowed" in reply.content.lower()
    assert len(reply.content) < 600


async def test_slow_jobs_defer_then_answer(harness):
    reply = await _invoke_with_pool(harness, _SlowPool(harness.bot.pool, 1.6), "/xor linear")
    assert reply.record.ack_type == 5  # deferred ("thinking…")
    assert reply.record.ack_ms < 3000
    assert reply.record.final_ms > 1600
    _check_image(reply)
    assert len(reply.messages) == 1  # edit-original-response replaced the thinking message


async def test_autocomplete_suggests_matching_activations(harness):
    choices = await harness.driver.autocomplete("/activation name:gel", "name")
    assert [c["value"] for c in choices][:2] == ["gelu", "gelu_tanh"]


def test_driver_checks_options_against_the_synced_schema(harness):
    d = harness.driver
    with pytest.raises(DriverError, match="between 1 and 64"):
        d.parse("/collapse layers:65")
    with pytest.raises(DriverError, match="Did you mean 'collapse'"):
        d.parse("/colapse 5")
    with pytest.raises(DriverError, match="one of"):
        d.parse("/collapse between:sigmoid")
    with pytest.raises(DriverError, match="subcommand"):
        d.parse("/xor")
    data, _ = d.parse("/collapse 5 between:tanh")
    assert {o["name"]: o["value"] for o in data["options"]} == {"layers": 5, "between": "tanh"}


def _given(d, text: str) -> dict:
    data, _ = d.parse(text)
    leaf = data
    while leaf.get("options") and leaf["options"][0]["type"] in (1, 2):  # (sub)commands
        leaf = leaf["options"][0]
    return {o["name"]: o["value"] for o in leaf.get("options") or []}


def test_words_before_any_name_fill_the_options_in_order(harness):
    d = harness.driver
    assert _given(d, "/learnable kan abs") == {"kind": "kan", "task": "abs"}
    assert _given(d, "/collapse 5 16 seed:3") == {"layers": 5, "width": 16, "seed": 3}
    assert _given(d, "/xor mlp 4 sin") == {"hidden": 4, "activation": "sin"}
    # a free-text option takes the rest of the words, spaces and all
    assert _given(d, "/claim tanh squashes below one") == {"claim": "tanh squashes below one"}
    assert _given(d, "/xor stats 2, 3 seeds:10") == {"hidden": "2, 3", "seeds": 10}
    with pytest.raises(DriverError, match="hidden must be a whole number \\(got 'tanh'\\)"):
        d.parse("/xor mlp tanh 4")  # the order is the command's: hidden comes first
    with pytest.raises(DriverError, match="type activation:relu"):
        d.parse("/xor mlp relu")
    with pytest.raises(DriverError, match="'9' is one too many"):
        d.parse("/xor neuron sin 1 2000 1 true 9")
    # options given by name are skipped: the words fill the others
    assert _given(d, "/xor mlp identity hidden:8 lr:10") == {
        "hidden": 8,
        "activation": "identity",
        "lr": 10.0,
    }
    assert _given(d, "/collapse 6 layers:5") == {"layers": 5, "width": 6}
    with pytest.raises(DriverError, match="given twice"):
        d.parse("/collapse layers:5 layers:6")


async def test_reconnect_and_resume_keep_the_bot_answering(harness):
    await harness.sandbox.request_reconnect()
    ok = await harness.sandbox.wait_for(
        lambda: any(s.resumed for s in harness.sandbox.sessions), 10
    )
    assert ok
    reply = await harness.driver.invoke("/activation relu")
    _check_image(reply)


class _FailingPool:
    """Stands in for the worker pool: waits `delay` seconds, then raises `error`."""

    def __init__(self, error: Exception, delay: float = 0.0) -> None:
        self.error, self.delay = error, delay

    async def run(self, job):
        await asyncio.sleep(self.delay)
        raise self.error


class _SlowPool:
    """Stands in for the worker pool: waits `delay` seconds, then runs the job in `pool`."""

    def __init__(self, pool, delay: float) -> None:
        self.pool, self.delay = pool, delay

    async def run(self, job):
        await asyncio.sleep(self.delay)
        return await self.pool.run(job)


async def _invoke_with_pool(harness, pool, command: str):
    real = harness.bot.pool
    harness.bot.pool = pool
    try:
        return await harness.driver.invoke(command)
    finally:
        harness.bot.pool = real


async def test_unexpected_errors_get_an_incident_id_and_are_logged(harness):
    reply = await _invoke_with_pool(
        harness, _FailingPool(RuntimeError("worker exploded")), "/xor linear"
    )
    assert reply.ephemeral and "incident" in reply.content
    incident = reply.content.split("`")[1]
    logged = [r for r in harness.logged_errors if incident in r.getMessage()]
    assert logged and logged[0].exc_info and "worker exploded" in str(logged[0].exc_info[1])
    harness.logged_errors.clear()  # expected: the fixture fails on any other logged error
    assert "worker exploded" not in reply.content  # internals stay in the log


async def test_an_error_after_deferral_is_private_and_the_placeholder_goes(harness):
    pool = _FailingPool(UserError("that went wrong slowly"), delay=1.4)
    reply = await _invoke_with_pool(harness, pool, "/xor linear")
    await harness.sandbox.wait_for(lambda: len(reply.record.message_ids) >= 2, 5)
    msgs = [harness.sandbox.messages[m] for m in reply.record.message_ids]
    placeholder, error = msgs[0], msgs[-1]
    assert reply.record.ack_type == 5
    assert placeholder.payload.get("deleted")
    assert error.ephemeral and "went wrong slowly" in error.payload["content"]


async def test_a_wrong_name_gets_one_suggestion_or_the_list_once(harness):
    reply = await harness.driver.invoke("/activation name:tnah")
    assert "Did you mean `tanh`?" in reply.content
    assert "relu" not in reply.content  # a close name: the suggestion alone
    reply = await harness.driver.invoke("/activation name:zzz")
    assert reply.content.count("sigmoid") == 1 and "Did you mean" not in reply.content


async def test_activation_with_name_and_custom_says_which_it_used(harness):
    reply = await harness.driver.invoke("/activation name:gelu custom:x*sin(x)")
    assert "from `custom`" in reply.content and "`name:gelu` was not used" in reply.content
    assert reply.embed["title"] == "Activation: a custom formula"
