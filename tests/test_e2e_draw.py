"""/approximate and /regions end to end: the real client against the sandbox, buttons included."""

from __future__ import annotations

import pytest

from tests.scripts import run_script_fresh

PATIENCE = 90.0  # seconds: the machine is shared; speed is measured by `make bench`, not here

COMMANDS = [
    "/approximate",
    "/approximate target:step units:256",
    "/approximate target:abs units:1 activation:linear interval:1",
    "/approximate target:custom custom:x*sin(3*x) activation:sigmoid method:random "
    "interval:5 seed:2147483647",
    "/approximate custom:" + "x*" * 99 + "x interval:1",
    "/approximate method:training units:8 target:bump interval:1",
    "/regions",
    "/regions width:1 depth:1",
    "/regions width:64 depth:1",
    "/regions width:16 depth:3 dataset:spiral seed:2147483647",
]


def _check_image(reply, name):
    embed = reply.embed
    assert embed is not None, reply.content
    assert embed["image"]["url"] == f"attachment://{name}"
    assert reply.files[name].startswith(b"\x89PNG\r\n\x1a\n")
    assert embed["title"] and embed["description"]


@pytest.mark.parametrize("command", COMMANDS)
async def test_command_replies_with_an_embed_and_png(harness, command):
    reply = await harness.driver.invoke(command, timeout=PATIENCE)
    assert not reply.timed_out and not reply.ephemeral
    assert reply.record.ack_ms < 3000  # answered or deferred inside Discord's window
    _check_image(reply, command.split()[0][1:] + ".png")
    assert {"Show code", "Pin"} <= {b["label"] for b in reply.buttons()}


async def test_the_largest_network_answers_after_deferring(harness):
    reply = await harness.driver.invoke(
        "/regions width:64 depth:6 dataset:moons", timeout=2 * PATIENCE
    )
    assert not reply.timed_out
    _check_image(reply, "regions.png")
    assert reply.record.ack_ms < 3000


@pytest.mark.parametrize(
    "command",
    [
        "/approximate target:bump units:40 method:random seed:9",
        "/approximate method:training units:4 activation:tanh seed:5",
        "/approximate target:custom custom:" + "x*" * 99 + "x interval:1",
        "/regions width:8 depth:3 dataset:xor",
    ],
)
async def test_show_code_reproduces_the_card(harness, command, tmp_path):
    reply = await harness.driver.invoke(command, timeout=PATIENCE)
    code = await harness.driver.click(reply, "Show code", timeout=PATIENCE)
    assert code.ephemeral
    script = (
        code.files["reproduce.py"].decode()
        if "reproduce.py" in code.files
        else code.content.split("```py\n", 1)[1].rsplit("```", 1)[0]
    )
    shown = {f["name"]: f["value"] for f in reply.embed["fields"]}
    printed = dict(run_script_fresh(script, tmp_path))  # a new process, as a user runs it
    key = "max_error" if command.startswith("/approximate") else "regions"
    assert printed[key] in "".join(shown.values())
    if "method:training" in command:  # training's error, set beside the construction's
        assert printed["trained_max_error"] in "".join(shown.values())


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/approximate target:custom", "needs a formula"),
        ("/approximate target:custom custom:1/x", "undefined"),
        ("/approximate custom:x.__class__", "unexpected character"),
        ("/approximate target:custom custom:__import__('os')", "unexpected"),
        ("/approximate target:custom custom:exp(x*100)", "exceeds"),
    ],
)
async def test_bad_input_gets_a_short_ephemeral_message(harness, command, says):
    reply = await harness.driver.invoke(command)
    assert reply.ephemeral and reply.embed is None
    assert says.lower() in reply.content.lower()
    assert len(reply.content) < 600


def test_the_schema_declares_the_bounds(harness):
    from bot.sandbox.driver import DriverError

    d = harness.driver
    for bad, match in [
        ("/approximate units:257", "between 1 and 256"),
        ("/approximate units:0", "between 1 and 256"),
        ("/regions width:65", "between 1 and 64"),
        ("/regions depth:7", "between 1 and 6"),
        ("/regions dataset:mnist", "one of"),
        ("/approximate interval:3", "one of"),
    ]:
        with pytest.raises(DriverError, match=match):
            d.parse(bad)
