"""Self-tests of the sandbox with raw HTTP: every rule rejects what it must."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from bot.limits import MANAGE_MESSAGES, PIN_MESSAGES
from bot.sandbox import Sandbox
from bot.sandbox.model import EVERYONE_PERMS, READ_MESSAGE_HISTORY, VIEW_CHANNEL, Overwrite

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
async def sb():
    s = Sandbox()
    await s.start()
    yield s
    await s.stop()


@pytest.fixture
async def http(sb):
    async with aiohttp.ClientSession(headers={"Authorization": f"Bot {sb.token}"}) as session:
        yield session


async def _put(http, sb, payload):
    url = f"{sb.rest_base}/applications/{sb.app_id}/guilds/{sb.guild.id}/commands"
    async with http.put(url, json=payload) as r:
        return r.status, await r.json()


async def test_login_routes_and_json_content_type(sb, http):
    async with http.get(f"{sb.rest_base}/users/@me") as r:
        assert r.status == 200 and r.headers["Content-Type"] == "application/json"
    async with aiohttp.ClientSession() as anon, anon.get(f"{sb.rest_base}/users/@me") as r:
        assert r.status == 401


async def test_unknown_routes_are_404_and_recorded(sb, http):
    async with http.get(f"{sb.rest_base}/guilds/1/bans") as r:
        assert r.status == 404
    assert sb.unhandled == ["GET /api/v10/guilds/1/bans"]


@pytest.mark.parametrize(
    "command",
    [
        {"name": "Upper", "description": "d"},
        {"name": "x" * 33, "description": "d"},
        {"name": "ok", "description": ""},
        {"name": "ok", "description": "d" * 101},
        {
            "name": "ok",
            "description": "d",
            "options": [{"name": f"o{i}", "description": "d", "type": 3} for i in range(26)],
        },
        {
            "name": "ok",
            "description": "d",
            "options": [
                {
                    "name": "o",
                    "description": "d",
                    "type": 3,
                    "choices": [{"name": str(i), "value": str(i)} for i in range(26)],
                }
            ],
        },
        {
            "name": "ok",
            "description": "d",
            "options": [
                {
                    "name": "o",
                    "description": "d",
                    "type": 3,
                    "choices": [{"name": "", "value": "v"}],
                }
            ],
        },
        {
            "name": "ok",
            "description": "d",
            "options": [
                {
                    "name": "g",
                    "description": "d",
                    "type": 2,
                    "options": [
                        {
                            "name": "h",
                            "description": "d",
                            "type": 2,
                            "options": [{"name": "s", "description": "d", "type": 1}],
                        }
                    ],
                }
            ],
        },
        {
            "name": "ok",
            "description": "d",
            "options": [
                {
                    "name": f"o{i}",
                    "description": "d" * 100,
                    "type": 3,
                    "choices": [{"name": "c" * 100, "value": "v" * 100} for _ in range(3)],
                }
                for i in range(25)
            ],
        },
    ],
)
async def test_command_rules(sb, http, command):
    status, body = await _put(http, sb, [command])
    assert status == 400 and body["code"] == 50035
    assert sb.violations


async def test_a_valid_command_syncs(sb, http):
    status, body = await _put(http, sb, [{"name": "ok", "description": "fine", "options": []}])
    assert status == 200 and body[0]["id"] and not sb.violations


class _FakeSession:
    ready = live = True

    def covers(self, guild_id):  # an unsharded connection: every guild, and DMs
        return True

    def __init__(self):
        self.frames = []

    async def dispatch(self, event, data):
        self.frames.append((event, data))

    async def close(self, code):
        pass


async def _interaction(sb, http):
    sb.sessions.append(_FakeSession())
    await _put(http, sb, [{"name": "ok", "description": "fine"}])
    data = {"id": sb.commands[sb.guild.id][0]["id"], "name": "ok", "type": 1}
    return await sb.dispatch(2, data, sb.guild.member, "/ok")


async def _callback(http, sb, rec, body, files=None):
    url = f"{sb.rest_base}/interactions/{rec.id}/{rec.token}/callback?with_response=1"
    if files:
        form = aiohttp.FormData()
        form.add_field("payload_json", json.dumps(body), content_type="application/json")
        for i, (name, data) in enumerate(files.items()):
            form.add_field(f"files[{i}]", data, filename=name)
        body["data"]["attachments"] = [{"id": i, "filename": n} for i, n in enumerate(files)]
        form = aiohttp.FormData()
        form.add_field("payload_json", json.dumps(body), content_type="application/json")
        for i, (name, data) in enumerate(files.items()):
            form.add_field(f"files[{i}]", data, filename=name)
        async with http.post(url, data=form) as r:
            return r.status, (await r.json() if r.status != 204 else None)
    async with http.post(url, json=body) as r:
        return r.status, (await r.json() if r.status != 204 else None)


async def test_a_good_reply_is_recorded_with_the_response_body(sb, http):
    rec = await _interaction(sb, http)
    embed = {"title": "t", "image": {"url": "attachment://a.png"}}
    status, body = await _callback(
        http, sb, rec, {"type": 4, "data": {"embeds": [embed]}}, {"a.png": PNG}
    )
    assert status == 200, body
    assert body["interaction"]["response_message_id"] == body["resource"]["message"]["id"]
    assert sb.messages[int(body["interaction"]["response_message_id"])].files["a.png"] == PNG
    assert not sb.violations


@pytest.mark.parametrize(
    ("data", "files", "rule"),
    [
        ({"content": "x" * 2001}, None, "content"),
        ({"embeds": [{"title": "t" * 257}]}, None, "title"),
        ({"embeds": [{"description": "d" * 4097}]}, None, "description"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, None, "value"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, None, "fields"),
        (
            {
                "embeds": [
                    {"description": "d" * 4000, "fields": [{"name": "n", "value": "v" * 1000}] * 3}
                ]
            },
            None,
            "total",
        ),
        ({"embeds": [{"image": {"url": "attachment://missing.png"}}]}, None, "not uploaded"),
        ({"embeds": [{"image": {"url": "attachment://a.txt"}}]}, {"a.txt": b"hi"}, "png"),
        ({"content": "x"}, {"a.png": b"GIF89a not a png"}, "not a PNG"),
        ({"content": "x"}, {"a.gif": PNG}, "not a GIF"),
        ({"content": "x"}, {f"f{i}.txt": b"x" for i in range(11)}, "files"),
        (
            {
                "content": "x",
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {"type": 2, "style": 1, "label": "a", "custom_id": "c" * 101}
                        ],
                    }
                ],
            },
            None,
            "custom_id",
        ),
        (
            {
                "content": "x",
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {"type": 2, "style": 1, "label": "l" * 81, "custom_id": "c"}
                        ],
                    }
                ],
            },
            None,
            "label",
        ),
        (
            {
                "content": "x",
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {"type": 2, "style": 1, "label": "a", "custom_id": "same"},
                            {"type": 2, "style": 1, "label": "b", "custom_id": "same"},
                        ],
                    }
                ],
            },
            None,
            "unique",
        ),
        ({}, None, "needs"),
    ],
)
async def test_message_rules(sb, http, data, files, rule):
    rec = await _interaction(sb, http)
    status, _body = await _callback(http, sb, rec, {"type": 4, "data": data}, files)
    assert status == 400
    assert any(rule.lower() in v.lower() for v in sb.violations), sb.violations


async def test_double_acknowledgement_is_rejected(sb, http):
    rec = await _interaction(sb, http)
    assert (await _callback(http, sb, rec, {"type": 5, "data": {}}))[0] == 200
    status, body = await _callback(http, sb, rec, {"type": 4, "data": {"content": "x"}})
    assert status == 400 and body["code"] == 40060
    assert any("twice" in v for v in sb.violations)


async def test_late_first_response_is_a_violation(sb, http):
    rec = await _interaction(sb, http)
    rec.dispatched = time.monotonic() - 3.5
    status, body = await _callback(http, sb, rec, {"type": 4, "data": {"content": "x"}})
    assert status == 404 and body["code"] == 10062
    assert any("did not respond" in v for v in sb.violations)


async def test_follow_up_rules(sb, http):
    rec = await _interaction(sb, http)
    url = f"{sb.rest_base}/webhooks/{sb.app_id}/{rec.token}"
    async with http.post(url, json={"content": "too early"}) as r:
        assert r.status == 404
    assert any("before the interaction was acknowledged" in v for v in sb.violations)
    sb.violations.clear()
    await _callback(http, sb, rec, {"type": 5, "data": {}})
    async with http.patch(url + "/messages/@original", json={"content": "done"}) as r:
        edited = await r.json()
    assert edited["id"] == str(rec.original_id) and not sb.violations  # the documented path
    async with http.post(url, json={"content": "more"}) as r:
        assert (await r.json())["id"] != str(rec.original_id)  # a real, new follow-up
    assert not sb.violations
    rec.dispatched -= 16 * 60
    async with http.post(url, json={"content": "late"}) as r:
        assert r.status == 401
    assert any("15 minutes" in v for v in sb.violations)


async def test_the_deprecated_follow_up_edit_of_a_deferral_is_flagged(sb, http):
    """interactions "Create Followup Message": a first follow-up after a deferral edits the
    loading message, for backwards compatibility only; the sandbox does it and flags it."""
    rec = await _interaction(sb, http)
    await _callback(http, sb, rec, {"type": 5, "data": {}})
    url = f"{sb.rest_base}/webhooks/{sb.app_id}/{rec.token}"
    async with http.post(url, json={"content": "done"}) as r:
        first = await r.json()
    assert first["id"] == str(rec.original_id)  # what Discord does...
    assert any("deprecated" in v for v in sb.violations)  # ...and must not be relied on


async def test_a_follow_up_after_deleting_the_placeholder_is_flagged(sb, http):
    rec = await _interaction(sb, http)
    await _callback(http, sb, rec, {"type": 5, "data": {}})
    url = f"{sb.rest_base}/webhooks/{sb.app_id}/{rec.token}"
    async with http.delete(url + "/messages/@original") as r:
        assert r.status == 204
    async with http.post(url, json={"content": "x", "flags": 64}) as r:
        assert r.status == 404
    assert any("undocumented" in v for v in sb.violations)


async def test_a_deferral_returns_no_message_resource(sb, http):
    rec = await _interaction(sb, http)
    status, body = await _callback(http, sb, rec, {"type": 5, "data": {}})
    assert status == 200 and "message" not in body["resource"]
    assert body["interaction"]["response_message_loading"] is True


async def _public_message(sb, http, text="pin me"):
    rec = await _interaction(sb, http)
    _, body = await _callback(http, sb, rec, {"type": 4, "data": {"content": text}})
    return body["resource"]["message"]["id"]


def _pin_url(sb, mid, channel=None):
    return f"{sb.rest_base}/channels/{(channel or sb.guild.general).id}/messages/pins/{mid}"


async def test_pins_need_pin_messages_and_respect_the_limit(sb, http):
    mid = await _public_message(sb, http)
    async with http.put(_pin_url(sb, mid)) as r:
        assert r.status == 204
    assert sb.messages[int(mid)].payload["pinned"]
    sb.fill_pins(249)
    mid2 = await _public_message(sb, http, "one more")
    async with http.put(_pin_url(sb, mid2)) as r:
        assert r.status == 400 and (await r.json())["code"] == 30003
    assert not sb.violations  # Discord's refusal, for the bot to explain


async def test_manage_messages_no_longer_pins(sb, http):
    """change-log "Permission Changes Going into Effect February 2026": since 2026-02-23
    Manage Messages alone no longer grants pinning; Pin Messages does."""
    sb.guild.set_bot_permissions(VIEW_CHANNEL | READ_MESSAGE_HISTORY | MANAGE_MESSAGES)
    mid = await _public_message(sb, http)
    async with http.put(_pin_url(sb, mid)) as r:
        assert r.status == 403 and (await r.json())["code"] == 50013
    sb.guild.moderators.permissions = EVERYONE_PERMS | MANAGE_MESSAGES
    assert not sb.guild.can_pin(sb.guild.moderator)


async def test_a_channel_overwrite_can_deny_pinning(sb, http):
    g = sb.guild
    g.general.overwrites.append(Overwrite(g.bot_role.id, 0, deny=PIN_MESSAGES))
    mid = await _public_message(sb, http)
    async with http.put(_pin_url(sb, mid)) as r:
        assert r.status == 403 and (await r.json())["code"] == 50013
    g.general.overwrites.append(Overwrite(g.bot.id, 1, allow=PIN_MESSAGES))  # member wins
    async with http.put(_pin_url(sb, mid)) as r:
        assert r.status == 204


async def test_threads_archived_and_private(sb, http):
    mid = await _public_message(sb, http)
    msg = sb.messages[int(mid)]
    for channel, code in [(sb.guild.thread, 50083), (sb.guild.private_thread, 50001)]:
        msg.payload["channel_id"] = str(channel.id)
        sb.guild.thread.archived = True
        async with http.put(_pin_url(sb, mid, channel)) as r:
            assert (await r.json())["code"] == code


async def test_an_undeferred_slow_pin_is_caught(sb, http):
    """A Pin button that pages through 250 pins before answering misses Discord's 3 s."""
    mid = await _public_message(sb, http)
    sb.fill_pins(250)
    sb.latency = 0.7  # per REST call, as from a far-away bot
    rec = await sb.dispatch(
        3,
        {"custom_id": "nl:pin", "component_type": 2},
        sb.guild.moderator,
        "[Pin]",
        message=sb.messages[int(mid)],
    )
    before = ""
    while True:  # the old Pin: count every pin first
        url = f"{sb.rest_base}/channels/{sb.guild.general.id}/messages/pins?limit=50{before}"
        async with http.get(url) as r:
            page = await r.json()
        if not page["has_more"]:
            break
        before = f"&before={page['items'][-1]['pinned_at']}"
    status, body = await _callback(http, sb, rec, {"type": 6})
    assert status == 404 and body["code"] == 10062
    assert any("did not respond" in v for v in sb.violations)


def test_permissions_come_from_roles_and_overwrites(sb):
    g = sb.guild
    assert g.can_pin(g.moderator) and g.can_pin(g.owner)
    assert not g.can_pin(g.member)
    g.general.overwrites.append(Overwrite(g.id, 0, allow=PIN_MESSAGES))  # @everyone may pin
    assert g.can_pin(g.member) and g.can_pin(g.member, g.thread)  # threads follow the parent
    g.general.overwrites.append(Overwrite(g.member.id, 1, deny=VIEW_CHANNEL))
    assert g.permissions(g.member) == 0 and g.can_pin(g.owner)


async def test_gateway_rejects_a_wrong_token_and_privileged_intents(sb):
    async with aiohttp.ClientSession() as s:
        async with s.ws_connect(sb.gateway_url) as ws:
            hello = await ws.receive_json()
            assert hello["op"] == 10
            await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0}})
            await ws.receive()
            assert ws.close_code == 4004
        async with s.ws_connect(sb.gateway_url) as ws:
            await ws.receive_json()
            await ws.send_json({"op": 2, "d": {"token": sb.token, "intents": 1 << 15}})
            await ws.receive()
            assert ws.close_code == 4014
        async with s.ws_connect(sb.gateway_url) as ws:
            await ws.receive_json()
            await ws.send_json({"op": 1, "d": None})
            assert (await ws.receive_json())["op"] == 11
            await ws.send_json({"op": 2, "d": {"token": sb.token, "intents": 1}})
            ready = await asyncio.wait_for(ws.receive_json(), 5)
            assert ready["t"] == "READY" and ready["d"]["session_id"]
            assert (await ws.receive_json())["t"] == "GUILD_CREATE"


def _cmd(**option) -> dict:
    return {
        "name": "ok",
        "description": "d",
        "options": [{"name": "o", "description": "d", **option}],
    }


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        # application-commands "Application Command Naming"
        ({"name": "two words", "description": "d"}, "name"),
        ({"name": "Über", "description": "d"}, "name"),  # a letter with a lowercase variant
        ({"name": "", "description": "d"}, "name"),
        ({"name": "a" * 33, "description": "d"}, "name"),
        # "Option Choice Structure": a string value up to 100 characters
        (_cmd(type=3, choices=[{"name": "n", "value": "v" * 101}]), "choice value"),
        # "Option Structure": min_length 0-6000, max_length 1-6000, STRING only
        (_cmd(type=3, min_length=6001), "min_length"),
        (_cmd(type=3, max_length=0), "max_length"),
        (_cmd(type=4, min_length=1), "only on STRING"),
        (_cmd(type=3, min_length=5, max_length=2), "above"),
        # "Option Type": INTEGER within ±(2^53 - 1), NUMBER within ±2^53
        (_cmd(type=4, max_value=2**53), "max_value"),
        (_cmd(type=10, min_value=-(2**53) - 2), "min_value"),
        (_cmd(type=4, choices=[{"name": "big", "value": 2**53}]), "choice value"),
        (_cmd(type=3, min_value=1), "only on INTEGER"),
        # "Subcommands and Subcommand Groups": no base command beside subcommands
        (
            {
                "name": "ok",
                "description": "d",
                "options": [
                    {"name": "sub", "description": "d", "type": 1},
                    {"name": "plain", "description": "d", "type": 3},
                ],
            },
            "mixed",
        ),
    ],
)
async def test_documented_command_rules(sb, http, command, rule):
    status, body = await _put(http, sb, [command])
    assert status == 400 and body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert any(rule in v for v in sb.violations), sb.violations
    assert body["errors"]["0"]  # located: errors → command index → field → _errors


async def test_invalid_form_body_has_discords_shape(sb, http):
    _, body = await _put(
        http, sb, [{"name": "ok", "description": "d"}, {"name": "Bad", "description": "d"}]
    )
    assert body["errors"] == {
        "1": {
            "name": {
                "_errors": [
                    {
                        "code": "APPLICATION_COMMAND_INVALID_NAME",
                        "message": "Bad: name must be 1-32 lowercase letters, digits, - _ or '",
                    }
                ]
            }
        }
    }


@pytest.mark.parametrize("name", ["größe", "it's", "名前", "कमांड", "คำสั่ง", "x_1-2"])
async def test_documented_names_are_accepted(sb, http, name):
    status, body = await _put(http, sb, [{"name": name, "description": "d"}])
    assert status == 200, body


@pytest.mark.parametrize(
    ("embed", "rule"),
    [
        ({"fields": [{"name": "n", "value": "   "}]}, "value is empty or only whitespace"),
        ({"fields": [{"name": " \n", "value": "v"}]}, "name is empty or only whitespace"),
        ({"title": "t" * 257}, "title"),
    ],
)
async def test_embed_text_is_judged_after_trimming(sb, http, embed, rule):
    rec = await _interaction(sb, http)
    status, body = await _callback(http, sb, rec, {"type": 4, "data": {"embeds": [embed]}})
    assert status == 400 and body["code"] == 50035
    assert any(rule in v for v in sb.violations), sb.violations
    assert "embeds" in body["errors"]["data"]  # errors → data → embeds → 0 → …


async def test_surrounding_whitespace_does_not_count(sb, http):
    rec = await _interaction(sb, http)
    embed = {"description": "  " + "d" * 4096 + "\n", "fields": [{"name": " n ", "value": " v "}]}
    status, _ = await _callback(http, sb, rec, {"type": 4, "data": {"embeds": [embed]}})
    assert status == 200 and not sb.violations


async def test_channel_messages_need_the_bots_own_permissions(sb, http):
    """Outside interactions the bot's roles decide (resources/message "Create Message")."""
    g = sb.guild
    url = f"{sb.rest_base}/channels/{g.general.id}/messages"
    g.general.overwrites.append(Overwrite(g.bot_role.id, 0, deny=1 << 11))  # Send Messages
    async with http.post(url, json={"content": "hello"}) as r:
        assert r.status == 403 and (await r.json())["code"] == 50013
    g.general.overwrites.clear()
    async with http.post(url, json={"content": "hello"}) as r:  # @everyone may send
        assert r.status == 200
    async with http.post(url, json={"embeds": [{"title": "t"}]}) as r:  # nobody: Embed Links
        assert r.status == 403


async def test_places_the_bot_is_not_in_are_missing_access(sb, http):
    mid = await _public_message(sb, http)
    for channel in (sb.foreign.general, sb.group_dm):
        async with http.put(_pin_url(sb, mid, channel)) as r:
            assert r.status == 403 and (await r.json())["code"] == 50001


async def test_user_installs_get_five_follow_ups(sb, http):
    """receiving-and-responding "Create Followup Message": 5 when only USER_INSTALL."""
    sb.sessions.append(_FakeSession())
    await _put(
        http,
        sb,
        [{"name": "ok", "description": "fine", "integration_types": [0, 1], "contexts": [0, 1, 2]}],
    )
    sb.commands[None] = sb.commands[sb.guild.id]
    data = {"id": sb.commands[None][0]["id"], "name": "ok", "type": 1}
    rec = await sb.dispatch(2, data, sb.guild.member, "/ok", place=sb.place("gdm"))
    await _callback(http, sb, rec, {"type": 4, "data": {"content": "hi"}})
    url = f"{sb.rest_base}/webhooks/{sb.app_id}/{rec.token}"
    codes = []
    for i in range(6):
        async with http.post(url, json={"content": f"{i}"}) as r:
            codes.append(r.status)
    assert codes == [200] * 5 + [400]
    assert any("5 follow-ups" in v for v in sb.violations)


async def test_discord_forces_ephemeral_where_the_user_may_not_post(sb, http):
    """resources/application "User Context"."""
    from bot.sandbox.model import SEND_MESSAGES

    sb.sessions.append(_FakeSession())
    sb.foreign.everyone.permissions &= ~SEND_MESSAGES
    rec = await sb.dispatch(
        2,
        {"id": "1", "name": "ok", "type": 1},
        sb.guild.member,
        "/ok",
        place=sb.place("user-guild"),
    )
    status, body = await _callback(http, sb, rec, {"type": 4, "data": {"content": "public?"}})
    assert status == 200 and body["interaction"]["response_message_ephemeral"] is True
    assert rec.forced_ephemeral
