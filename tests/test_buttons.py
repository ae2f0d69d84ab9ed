"""Buttons through the sandbox: Show code, New seed, Pin (and its refusals), restarts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot import jobspec
from bot.jobs import Job
from bot.sandbox.model import (
    ATTACH_FILES,
    EMBED_LINKS,
    PIN_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
)

LONG = "/activation custom:" + "x*" * 99 + "x"  # 199 characters, all markdown stars


def _labels(reply):
    return [b["label"] for b in reply.buttons()]


def _numbers_from_script(code: str, tmp_path) -> list[tuple[str, str]]:
    script = tmp_path / "reproduce.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [tuple(line.split(": ", 1)) for line in out.stdout.strip().splitlines()]


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
        "/xor mlp hidden:3 activation:gelu": lambda: mlp_card(3, "gelu"),
        "/collapse layers:64 width:16 between:tanh": lambda: collapse_card(
            64, 16, None, True, "tanh"
        ),
        "/activation custom:max(x, 0.1*x)": lambda: activation_card(custom="max(x, 0.1*x)"),
        "/xor squash seed:5": lambda: squash_card(5),
        LONG: lambda: activation_card(custom=LONG.split(":", 1)[1]),
    }[command]()
    reply = await harness.driver.invoke(command)
    code = await harness.driver.click(reply, "Show code")
    assert code.ephemeral
    assert _numbers_from_script(_script_of(code), tmp_path) == list(expected.numbers)


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


async def test_a_full_channel_is_explained(harness):
    harness.sandbox.fill_pins(250)
    reply = await harness.driver.invoke("/xor linear")
    refused = await harness.driver.click(reply, "Pin", user="owner")
    assert refused.ephemeral and "250 pins" in refused.content and "unpin" in refused.content


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


class TestBotWithoutPinPermission:
    @pytest.fixture
    def harness_options(self):
        perms = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
        assert not perms & PIN_MESSAGES
        return {"bot_permissions": perms}

    async def test_the_missing_permission_is_named(self, harness):
        reply = await harness.driver.invoke("/xor linear")
        refused = await harness.driver.click(reply, "Pin", user="moderator")
        assert refused.ephemeral and "Pin Messages" in refused.content
        assert not harness.sandbox.messages[reply.message.id].payload["pinned"]
