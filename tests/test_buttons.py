"""Buttons through the sandbox: Show code, New seed, Pin (and its refusals), restarts."""

from __future__ import annotations

import discord
import pytest

from bot import jobspec
from bot.jobs import Job
from bot.limits import MANAGE_MESSAGES
from bot.sandbox.model import (
    ATTACH_FILES,
    EMBED_LINKS,
    EVERYONE_PERMS,
    PIN_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Overwrite,
)
from tests.scripts import run_script

LONG = "/activation custom:" + "x*" * 99 + "x"  # 199 characters, all markdown stars


def _labels(reply):
    return [b["label"] for b in reply.buttons()]


def _script_of(reply) -> str:
    if "reproduce.py" in reply.files:
        return reply.files["reproduce.py"].decode()
    return reply.content.split("```py\n", 1)[1].rsplit("```", 1)[0]


@pytest.mark.parametrize(
    ("command", "expect"),
    [
        ("/xor linear", ["Show code", "Pin"]),
        ("/xor mlp", ["Show code", "New seed", "Pin"]),
        ("/collapse 5", ["Show code", "New seed", "Pin"]),
        ("/activation custom:max(x, 0.1*x)", ["Show code", "Pin"]),
        ("/explain xor", ["Pin"]),
        ("/xor squash private:true", ["Show code", "New seed"]),
    ],
)
async def test_each_result_carries_its_buttons(harness, command, expect):
    reply = await harness.driver.invoke(command)
    assert _labels(reply) == expect
    assert all(len(b["custom_id"]) <= 100 for b in reply.buttons())


@pytest.mark.parametrize(
    "command",
    [
        "/xor linear",
        "/xor mlp hidden:3 activation:gelu",
        "/collapse layers:64 width:16 between:tanh",
        "/activation custom:max(x, 0.1*x)",
        "/xor squash seed:5",
        LONG,
    ],
)
async def test_show_code_is_ephemeral_and_reproduces_the_card(harness, command, tmp_path):
    from bot.cards.activation import activation_card
    from bot.cards.collapse import collapse_card
    from bot.cards.xor import linear_card, mlp_card, squash_card

    expected = {
        "/xor linear": linear_card,
        "/xor mlp hidden:3 activation:gelu": lambda figure: mlp_card(3, "gelu", figure=figure),
        "/collapse layers:64 width:16 between:tanh": lambda figure: collapse_card(
            64, 16, None, True, "tanh", figure=figure
        ),
        "/activation custom:max(x, 0.1*x)": lambda figure: activation_card(
            custom="max(x, 0.1*x)", figure=figure
        ),
        "/xor squash seed:5": lambda figure: squash_card(5, figure=figure),
        LONG: lambda figure: activation_card(custom=LONG.split(":", 1)[1], figure=figure),
    }[command](figure=False)  # only its numbers are compared
    reply = await harness.driver.invoke(command)
    code = await harness.driver.click(reply, "Show code")
    assert code.ephemeral
    # in the suite's clean script interpreter; tests/test_cards.py runs each kind's script
    # in a new process
    assert run_script(_script_of(code), tmp_path) == list(expected.numbers)


async def test_new_seed_posts_the_next_seed(harness):
    reply = await harness.driver.invoke("/collapse 4 seed:41")
    again = await harness.driver.click(reply, "New seed")
    assert not again.ephemeral
    assert again.message.id != reply.message.id
    assert again.embed["footer"]["text"].startswith("seed 42 ")
    assert "/collapse layers:4" in (await harness.driver.click(again, "Show code")).content


async def test_new_seed_wraps_at_the_largest_seed(harness):
    reply = await harness.driver.invoke("/xor neuron seed:2147483647 epochs:10")
    again = await harness.driver.click(reply, "New seed")
    assert again.embed["footer"]["text"].startswith("seed 0 ")


async def test_a_moderator_pins_and_the_button_says_who(harness):
    reply = await harness.driver.invoke("/xor linear")
    pinned = await harness.driver.click(reply, "Pin", user="moderator")
    msg = harness.sandbox.messages[reply.message.id]
    assert msg.payload["pinned"]
    button = next(b for b in pinned.buttons() if b["custom_id"] == "nl:pin")
    assert button["label"] == "Pinned by moderator" and button["disabled"]
    assert list(msg.files) == ["xor-linear.png"]  # relabelling the button keeps the plot


async def test_a_member_cannot_pin(harness):
    reply = await harness.driver.invoke("/xor linear")
    refused = await harness.driver.click(reply, "Pin", user="member")
    assert refused.ephemeral and "only moderators can pin" in refused.content
    assert not harness.sandbox.messages[reply.message.id].payload["pinned"]


async def test_manage_messages_alone_does_not_let_a_member_pin(harness):
    """Since 2026-02-23 only Pin Messages pins (change-log, February 2026 permissions)."""
    g = harness.sandbox.guild
    g.moderators.permissions = EVERYONE_PERMS | MANAGE_MESSAGES
    reply = await harness.driver.invoke("/xor linear")
    refused = await harness.driver.click(reply, "Pin", user="moderator")
    assert refused.ephemeral and "Pin Messages" in refused.content
    assert "Manage Messages no longer" in refused.content
    assert harness.sandbox.pin_requests == []


async def test_the_pin_acknowledges_first_and_a_full_channel_is_explained(harness):
    sb = harness.sandbox
    sb.fill_pins(250)
    reply = await harness.driver.invoke("/xor linear")
    sb.latency = 0.7  # each REST call: the old count of 250 pins would take 5 × 0.7 s
    refused = await harness.driver.click(reply, "Pin", user="owner")
    sb.latency = 0.0
    assert refused.record.ack_type == 6 and refused.record.ack_ms < 3000  # deferred update
    assert refused.ephemeral and "250 pins" in refused.content and "unpin" in refused.content
    assert "went wrong" not in refused.content


async def test_a_private_thread_the_bot_is_not_in_is_explained(harness):
    thread = harness.sandbox.guild.private_thread
    reply = await harness.driver.invoke("/xor linear", channel=thread)
    refused = await harness.driver.click(reply, "Pin", user="moderator")
    assert refused.ephemeral and "private thread" in refused.content
    assert "went wrong" not in refused.content


async def test_an_archived_thread_is_explained(harness):
    thread = harness.sandbox.guild.thread
    reply = await harness.driver.invoke("/xor linear", channel=thread)
    thread.archived = True
    refused = await harness.driver.click(reply, "Pin", user="moderator")
    assert refused.ephemeral and "archived" in refused.content


def test_discords_pin_refusals_have_answers():
    from bot.buttons import BOT_CANT, pin_refusal

    class Response:
        status, reason = 403, "Forbidden"

    def refusal(code):
        return pin_refusal(discord.HTTPException(Response(), {"code": code, "message": "m"}))

    assert refusal(50013) == BOT_CANT and "Pin Messages" in BOT_CANT
    assert "250" in refusal(30003) and "archived" in refusal(50083)
    assert "private thread" in refusal(50001)
    assert refusal(99999) is None  # unknown: an incident, not a guess


async def test_buttons_work_after_a_restart(harness):
    reply = await harness.driver.invoke("/xor mlp seed:7")
    custom = await harness.driver.invoke("/activation custom:x*sin(x)")
    await harness.restart_bot()
    again = await harness.driver.click(reply, "New seed")
    assert again.embed["footer"]["text"].startswith("seed 8 ")
    code = await harness.driver.click(custom, "Show code")
    assert "np.multiply(x, np.sin(np.asarray(x, dtype=float)))" in _script_of(code)
    pinned = await harness.driver.click(reply, "Pin", user="moderator")
    assert "Pinned by moderator" in [b["label"] for b in pinned.buttons()]


def test_job_specs_round_trip_and_fit_a_custom_id():
    jobs = [
        Job(
            "xor.mlp",
            {
                "hidden": 16,
                "activation": "leaky_relu",
                "seed": 2**31 - 1,
                "epochs": 5000,
                "lr": 0.0001,
            },
        ),
        Job(
            "collapse",
            {
                "layers": 64,
                "width": 16,
                "bottleneck": 16,
                "bias": False,
                "between": "squash",
                "seed": 2**31 - 1,
            },
        ),
        Job("activation", {"name": "gelu_tanh"}),
        Job("xor.neuron", {"activation": "selu", "seed": 0, "epochs": 1, "lr": 9.87654321}),
    ]
    for job in jobs:
        spec = jobspec.encode(job)
        assert len("nl:code:" + spec) <= 100
        assert jobspec.decode(spec) == Job(job.kind, {k: v for k, v in job.options.items()})
    assert jobspec.encode(Job("activation", {"custom": "x, y=1"})) == "ac:f=@"
    for bad in ["zz:", "co:q=1", "co:l=abc", "co:l"]:
        with pytest.raises(jobspec.SpecError):
            jobspec.decode(bad)


class TestBotWithManageMessagesButNotPinMessages:
    @pytest.fixture
    def harness_options(self):
        perms = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
        perms |= MANAGE_MESSAGES
        assert not perms & PIN_MESSAGES
        return {"bot_permissions": perms}

    async def test_the_missing_permission_is_named(self, harness):
        reply = await harness.driver.invoke("/xor linear")
        refused = await harness.driver.click(reply, "Pin", user="moderator")
        assert refused.ephemeral and "Pin Messages" in refused.content
        assert "Manage Messages is not enough" in refused.content
        assert not harness.sandbox.messages[reply.message.id].payload["pinned"]
        assert harness.sandbox.pin_requests == []  # app_permissions said no: not even tried

    async def test_a_channel_overwrite_granting_pin_is_honoured(self, harness):
        g = harness.sandbox.guild
        g.general.overwrites.append(Overwrite(g.bot_role.id, 0, allow=PIN_MESSAGES))
        reply = await harness.driver.invoke("/xor linear")
        pinned = await harness.driver.click(reply, "Pin", user="moderator")
        assert "Pinned by moderator" in [b["label"] for b in pinned.buttons()]
