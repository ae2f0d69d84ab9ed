"""Self-tests of the sandbox with raw HTTP: every rule rejects what it must."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from bot.sandbox import Sandbox

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
    ready = True

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
    await _callback(http, sb, rec, {"type": 5, "data": {}})
    async with http.post(url, json={"content": "done"}) as r:
        first = await r.json()
    assert first["id"] == str(rec.original_id)  # the first follow-up edits the thinking message
    rec.dispatched -= 16 * 60
    async with http.post(url, json={"content": "late"}) as r:
        assert r.status == 401
    assert any("15 minutes" in v for v in sb.violations)


async def test_pins_need_permission_and_respect_the_limit(sb, http):
    rec = await _interaction(sb, http)
    _, body = await _callback(http, sb, rec, {"type": 4, "data": {"content": "pin me"}})
    mid = body["resource"]["message"]["id"]
    url = f"{sb.rest_base}/channels/{sb.guild.channel_id}/messages/pins/{mid}"
    async with http.put(url) as r:
        assert r.status == 204
    assert sb.messages[int(mid)].payload["pinned"]
    sb.fill_pins(249)
    rec2 = await _interaction(sb, http)
    _, body2 = await _callback(http, sb, rec2, {"type": 4, "data": {"content": "one more"}})
    url2 = f"{sb.rest_base}/channels/{sb.guild.channel_id}/messages/pins/{body2['resource']['message']['id']}"
    async with http.put(url2) as r:
        assert r.status == 400 and (await r.json())["code"] == 30003
    sb.guild.set_bot_permissions(1 << 10 | 1 << 11)
    async with http.put(url2) as r:
        assert r.status == 403 and (await r.json())["code"] == 50013


def test_permissions_come_from_roles(sb):
    g = sb.guild
    assert g.can_pin(g.moderator) and g.can_pin(g.owner)
    assert not g.can_pin(g.member)


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
