"""The sandbox server: Discord's REST v10 and gateway on 127.0.0.1, stricter than Discord.

Every rule breach is recorded in `violations` with a readable message (and answered
with Discord's status and error code); every route Discord would not know is a 404
recorded in `unhandled`. Tests fail on either.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
from typing import Any, ClassVar

import aiohttp
from aiohttp import web

from bot import limits
from bot.sandbox.model import (
    BOT_DEFAULT_PERMS,
    Guild,
    InteractionRecord,
    Message,
    User,
    iso_now,
    snowflake,
)

log = logging.getLogger(__name__)

API = "/api/v10"
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
EPHEMERAL, LOADING = 64, 128
JSON = "application/json"


def _json(data: Any, status: int = 200) -> web.Response:
    # exactly application/json: with a charset suffix discord.py treats the body as text
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": JSON}
    )


def _error(status: int, message: str, code: int = 0, errors: Any = None) -> web.Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return _json(body, status)


class Sandbox:
    """Start with `await sandbox.start()`; point discord.py at `rest_base` / `gateway_url`."""

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_permissions: int = BOT_DEFAULT_PERMS,
        granted_intents: int = 0,
        deadline: float = limits.INITIAL_RESPONSE_SECONDS,
    ) -> None:
        self.token = (
            token
            or f"{secrets.token_urlsafe(24)}.{secrets.token_urlsafe(6)}.{secrets.token_urlsafe(27)}"
        )
        self.app_id = snowflake()
        self.guild = Guild(self.app_id, "Nonlinear", bot_permissions)
        self.granted_intents = granted_intents
        self.deadline = deadline
        self.violations: list[str] = []
        self.unhandled: list[str] = []
        self.commands: dict[int | None, list[dict]] = {None: []}
        self.command_ids: dict[tuple, int] = {}
        self.creates_today: dict[int | None, int] = {}
        self.sync_log: list[int | None] = []  # scope of every accepted bulk overwrite
        self.messages: dict[int, Message] = {}
        self.pins: dict[int, list[tuple[int, str]]] = {self.guild.channel_id: []}  # (id, pinned_at)
        self.interactions: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}
        self.sessions: list[_GatewaySession] = []
        self.resumable: dict[str, _GatewaySession] = {}  # session_id → its last connection
        self.identified = asyncio.Event()
        self.changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle -------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=limits.REQUEST_SIZE + 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.host = host

    async def stop(self) -> None:
        for s in list(self.sessions):
            await s.close(1000)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def rest_base(self) -> str:
        return f"http://{self.host}:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    def violation(self, text: str) -> None:
        log.warning("sandbox violation: %s", text)
        self.violations.append(text)

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    # ---- gateway ---------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=0)
        await ws.prepare(request)
        session = _GatewaySession(self, ws)
        self.sessions.append(session)
        try:
            await session.run()
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
        return ws

    def session(self) -> _GatewaySession:
        live = [s for s in self.sessions if s.ready]
        if not live:
            raise RuntimeError("no bot is connected to the sandbox gateway")
        return live[-1]

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client should reconnect and RESUME."""
        await self.session().send({"op": 7, "d": None})

    # ---- REST ------------------------------------------------------------------------
    ROUTES: ClassVar[list[tuple[str, re.Pattern, str]]] = [
        (m, re.compile("^" + p + "$"), h)
        for m, p, h in [
            ("GET", r"/users/@me", "_me"),
            ("GET", r"/oauth2/applications/@me", "_application"),
            ("GET", r"/applications/@me", "_application"),
            ("GET", r"/gateway/bot", "_gateway_bot"),
            ("GET", r"/gateway", "_gateway_plain"),
            ("PUT", r"/applications/(?P<app>\d+)/commands", "_put_commands"),
            ("GET", r"/applications/(?P<app>\d+)/commands", "_get_commands"),
            ("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands", "_put_commands"),
            ("GET", r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands", "_get_commands"),
            ("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", "_callback"),
            (
                "GET",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)",
                "_get_webhook_message",
            ),
            (
                "PATCH",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)",
                "_edit_webhook_message",
            ),
            (
                "DELETE",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)",
                "_delete_webhook_message",
            ),
            ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", "_followup"),
            ("GET", r"/channels/(?P<cid>\d+)/messages/pins", "_list_pins"),
            ("PUT", r"/channels/(?P<cid>\d+)/messages/pins/(?P<mid>\d+)", "_pin"),
            ("DELETE", r"/channels/(?P<cid>\d+)/messages/pins/(?P<mid>\d+)", "_unpin"),
            ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", "_get_message"),
            ("POST", r"/channels/(?P<cid>\d+)/messages", "_post_message"),
            ("GET", r"/channels/(?P<cid>\d+)", "_get_channel"),
        ]
    ]

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unhandled.append(f"{request.method} {request.path}")
        return _error(404, "404: Not Found")

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        if request.headers.get("Authorization") != f"Bot {self.token}" and not path.startswith(
            ("/interactions/", "/webhooks/")
        ):
            return _error(401, "401: Unauthorized")
        for method, pattern, handler in self.ROUTES:
            m = pattern.match(path)
            if m and method == request.method:
                return await getattr(self, handler)(request, **m.groupdict())
        self.unhandled.append(f"{request.method} {API}{path}")
        return _error(404, "404: Not Found")

    async def _me(self, request: web.Request) -> web.Response:
        return _json({**self.guild.bot.payload(), "verified": True, "mfa_enabled": False})

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(self.app_id),
                "name": "Nonlinear",
                "icon": None,
                "description": "",
                "summary": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.guild.owner.payload(),
                "verify_key": "0" * 64,
                "team": None,
                "flags": 0,
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "bot": self.guild.bot.payload(),
            }
        )

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        return _json(
            {
                "url": f"ws://{self.host}:{self.port}",
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _gateway_plain(self, request: web.Request) -> web.Response:
        return _json({"url": f"ws://{self.host}:{self.port}"})

    # commands
    def _scope(self, app: str, guild: str | None) -> int | web.Response | None:
        if int(app) != self.app_id:
            return _error(403, "Missing Access", 50001)
        if guild is None:
            return None
        if int(guild) != self.guild.id:
            self.violation(f"commands synced to guild {guild}, which the bot is not in")
            return _error(403, "Missing Access", 50001)
        return int(guild)

    async def _put_commands(
        self, request: web.Request, app: str, guild: str | None = None
    ) -> web.Response:
        scope = self._scope(app, guild)
        if isinstance(scope, web.Response):
            return scope
        payload = await request.json()
        if not isinstance(payload, list):
            return _error(400, "Invalid Form Body", 50035)
        problems = limits.commands_problems(payload)
        if problems:
            for p in problems:
                self.violation(f"command sync rejected: {p}")
            return _error(
                400, "Invalid Form Body", 50035, {"_errors": [{"message": p} for p in problems]}
            )
        new = [c for c in payload if (scope, c["name"], c.get("type", 1)) not in self.command_ids]
        self.creates_today[scope] = self.creates_today.get(scope, 0) + len(new)
        if self.creates_today[scope] > 200:
            self.violation("over 200 command creates in a day")
            return _error(429, "You are being rate limited.", 30034)
        out = []
        for c in payload:
            key = (scope, c["name"], c.get("type", 1))
            cid = self.command_ids.setdefault(key, snowflake())
            out.append(
                {
                    "id": str(cid),
                    "application_id": str(self.app_id),
                    "version": str(snowflake()),
                    "type": c.get("type", 1),
                    "default_member_permissions": None,
                    "dm_permission": True,
                    "nsfw": False,
                    "integration_types": [0],
                    "contexts": None,
                    "description": "",
                    **c,
                    **({"guild_id": str(scope)} if scope else {}),
                }
            )
        self.commands[scope] = out
        self.sync_log.append(scope)
        await self._notify()
        return _json(out)

    async def _get_commands(
        self, request: web.Request, app: str, guild: str | None = None
    ) -> web.Response:
        scope = self._scope(app, guild)
        if isinstance(scope, web.Response):
            return scope
        return _json(self.commands.get(scope, []))

    # interactions
    async def _read_message_body(self, request: web.Request) -> tuple[dict, dict[str, bytes]]:
        """JSON body, or multipart with payload_json and files[n]."""
        if request.content_type.startswith("multipart/"):
            payload: dict = {}
            uploads: dict[int, tuple[str, bytes]] = {}
            reader = await request.multipart()
            async for part in reader:
                name = part.name or ""
                data = await part.read()  # type: ignore[union-attr]
                if name == "payload_json":
                    payload = json.loads(data)
                elif (m := re.fullmatch(r"files\[(\d+)\]", name)) is not None:
                    uploads[int(m.group(1))] = (part.filename or f"file{m.group(1)}", bytes(data))
            files: dict[str, bytes] = {}
            for idx, (filename, data) in uploads.items():
                att = next(
                    (a for a in payload.get("attachments") or [] if str(a.get("id")) == str(idx)),
                    None,
                )
                files[(att or {}).get("filename") or filename] = data
            return payload, files
        body = await request.json() if request.can_read_body else {}
        return body or {}, {}

    def _message(
        self,
        rec: InteractionRecord | None,
        data: dict,
        files: dict[str, bytes],
        *,
        loading: bool = False,
        ephemeral: bool = False,
    ) -> Message:
        flags = int(data.get("flags") or 0)
        if ephemeral:
            flags |= EPHEMERAL
        if loading:
            flags |= LOADING
        mid = snowflake()
        payload = {
            "id": str(mid),
            "channel_id": str(self.guild.channel_id),
            "guild_id": str(self.guild.id),
            "author": self.guild.bot.payload(),
            "content": data.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(files),
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "pinned": False,
            "type": 20 if rec else 0,
            "flags": flags,
            "webhook_id": str(self.app_id) if rec else None,
            "application_id": str(self.app_id),
        }
        if rec is not None:
            payload["interaction_metadata"] = {
                "id": str(rec.id),
                "type": rec.kind,
                "user": rec.user.payload(),
                "authorizing_integration_owners": {"0": str(self.guild.id)},
            }
        msg = Message(payload, dict(files), rec.id if rec else None)
        self.messages[mid] = msg
        if rec is not None:
            rec.message_ids.append(mid)
        return msg

    def _attachments(self, files: dict[str, bytes]) -> list[dict]:
        out = []
        for name, data in files.items():
            aid = snowflake()
            url = f"http://{self.host}:{self.port}/attachments/{aid}/{name}"
            ctype = {
                "png": "image/png",
                "gif": "image/gif",
                "txt": "text/plain; charset=utf-8",
                "py": "text/x-python; charset=utf-8",
            }.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
            out.append(
                {
                    "id": str(aid),
                    "filename": name,
                    "size": len(data),
                    "url": url,
                    "proxy_url": url,
                    "content_type": ctype,
                }
            )
        return out

    def _check_message(self, what: str, data: dict, files: dict[str, bytes]) -> list[str]:
        problems = limits.message_problems(data, files)
        for p in problems:
            self.violation(f"{what}: {p}")
        return problems

    async def _callback(self, request: web.Request, iid: str, token: str) -> web.Response:
        rec = self.interactions.get(int(iid))
        if rec is None or rec.token != token:
            self.violation(f"callback for unknown interaction {iid}")
            return _error(404, "Unknown interaction", 10062)
        body, files = await self._read_message_body(request)
        now = time.monotonic()
        if rec.acked is not None:
            self.violation(f"interaction {rec.label} acknowledged twice")
            return _error(400, "Interaction has already been acknowledged.", 40060)
        if now - rec.dispatched > self.deadline:
            self.violation(
                f"interaction {rec.label} answered after {now - rec.dispatched:.2f} s "
                f"(Discord allows {self.deadline:g} s): the user saw 'The application did not respond'"
            )
            return _error(404, "Unknown interaction", 10062)
        rtype = int(body.get("type", 0))
        data = body.get("data") or {}
        if rtype == 8:
            choices = data.get("choices") or []
            if rec.kind != 4 or len(choices) > 25:
                self.violation(f"bad autocomplete answer for {rec.label}")
                return _error(400, "Invalid Form Body", 50035)
            rec.acked = rec.final = now
            rec.ack_type, rec.autocomplete = 8, choices
            await self._notify()
            return web.Response(status=204)
        if rtype in (6, 7) and rec.kind != 3:
            self.violation(f"{rec.label}: response type {rtype} is only for component interactions")
            return _error(400, "Invalid Form Body", 50035)
        if rtype not in (4, 5, 6, 7):
            self.violation(f"{rec.label}: unsupported response type {rtype}")
            return _error(400, "Invalid Form Body", 50035)
        if rtype in (4, 7) and self._check_message(f"response to {rec.label}", data, files):
            return _error(400, "Invalid Form Body", 50035)
        rec.acked, rec.ack_type = now, rtype
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        resource: dict[str, Any] = {"type": rtype}
        if rtype == 4:
            msg = self._message(rec, data, files, ephemeral=ephemeral)
            rec.original_id, rec.ephemeral, rec.final = msg.id, ephemeral, now
            resource["message"] = msg.payload
        elif rtype == 5:
            msg = self._message(rec, {}, {}, loading=True, ephemeral=ephemeral)
            rec.original_id, rec.ephemeral = msg.id, ephemeral
            resource["message"] = msg.payload
        elif rtype == 7:
            target = self._component_message(rec)
            if target is None:
                return _error(404, "Unknown Message", 10008)
            self._apply_edit(target, data, files)
            rec.original_id, rec.final = target.id, now
            rec.message_ids.append(target.id)
            resource["message"] = target.payload
        else:  # 6: deferred update, nothing visible yet
            rec.original_id = (m := self._component_message(rec)) and m.id
        await self._notify()
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        return _json(
            {
                "interaction": {
                    "id": str(rec.id),
                    "type": rec.kind,
                    "activity_instance_id": None,
                    "response_message_id": str(rec.original_id) if rec.original_id else None,
                    "response_message_loading": rtype == 5,
                    "response_message_ephemeral": ephemeral,
                },
                "resource": resource,
            }
        )

    def _component_message(self, rec: InteractionRecord) -> Message | None:
        mid = getattr(rec, "source_message_id", None)
        return self.messages.get(mid) if mid else None

    def _apply_edit(self, msg: Message, data: dict, files: dict[str, bytes]) -> None:
        p = msg.payload
        for key in ("content", "embeds", "components"):
            if key in data:
                p[key] = data[key] if data[key] is not None else ([] if key != "content" else "")
        if files or "attachments" in data:
            kept = {
                a["filename"]: msg.files[a["filename"]]
                for a in p.get("attachments", [])
                if any(str(x.get("id")) == a["id"] for x in data.get("attachments") or [])
                and a["filename"] in msg.files
            }
            kept.update(files)
            msg.files = kept
            p["attachments"] = self._attachments(kept)
        p["flags"] = p.get("flags", 0) & ~LOADING
        p["edited_timestamp"] = iso_now()

    def _webhook_record(self, app: str, token: str) -> InteractionRecord | web.Response:
        rec = self.by_token.get(token)
        if rec is None or int(app) != self.app_id:
            self.violation("webhook call with an unknown interaction token")
            return _error(401, "Invalid Webhook Token", 50027)
        if time.monotonic() - rec.dispatched > limits.TOKEN_LIFETIME_SECONDS:
            self.violation(f"{rec.label}: interaction token used after 15 minutes")
            return _error(401, "Invalid Webhook Token", 50027)
        if rec.acked is None:
            self.violation(
                f"{rec.label}: follow-up or edit before the interaction was acknowledged"
            )
            return _error(404, "Unknown Webhook", 10015)
        return rec

    def _target(self, rec: InteractionRecord, mid: str) -> Message | None:
        target = rec.original_id if mid == "@original" else int(mid)
        msg = self.messages.get(target) if target else None
        if msg is None or (mid != "@original" and msg.interaction_id != rec.id):
            return None
        return msg

    async def _get_webhook_message(self, request, app, token, mid) -> web.Response:
        rec = self._webhook_record(app, token)
        if isinstance(rec, web.Response):
            return rec
        msg = self._target(rec, mid)
        return _json(msg.payload) if msg else _error(404, "Unknown Message", 10008)

    async def _edit_webhook_message(self, request, app, token, mid) -> web.Response:
        rec = self._webhook_record(app, token)
        if isinstance(rec, web.Response):
            return rec
        msg = self._target(rec, mid)
        if msg is None:
            return _error(404, "Unknown Message", 10008)
        data, files = await self._read_message_body(request)
        merged = {**msg.payload, **data}
        merged_files = {
            **{
                a["filename"]: msg.files.get(a["filename"], b"")
                for a in msg.payload.get("attachments", [])
            },
            **files,
        }
        if "attachments" in data:
            keep = {str(a.get("id")) for a in data["attachments"] or []}
            merged_files = {
                a["filename"]: msg.files.get(a["filename"], b"")
                for a in msg.payload.get("attachments", [])
                if a["id"] in keep
            }
            merged_files.update(files)
        if self._check_message(f"edit of {rec.label}", merged, merged_files):
            return _error(400, "Invalid Form Body", 50035)
        self._apply_edit(msg, data, files)
        if msg.id == rec.original_id and rec.final is None:
            rec.final = time.monotonic()
        await self._notify()
        return _json(msg.payload)

    async def _delete_webhook_message(self, request, app, token, mid) -> web.Response:
        rec = self._webhook_record(app, token)
        if isinstance(rec, web.Response):
            return rec
        msg = self._target(rec, mid)
        if msg is None:
            return _error(404, "Unknown Message", 10008)
        msg.payload["deleted"] = True
        if rec.final is None:
            rec.final = time.monotonic()
        await self._notify()
        return web.Response(status=204)

    async def _followup(self, request: web.Request, app: str, token: str) -> web.Response:
        rec = self._webhook_record(app, token)
        if isinstance(rec, web.Response):
            return rec
        data, files = await self._read_message_body(request)
        if self._check_message(f"follow-up to {rec.label}", data, files):
            return _error(400, "Invalid Form Body", 50035)
        original = self.messages.get(rec.original_id) if rec.original_id else None
        now = time.monotonic()
        if (
            rec.ack_type == 5
            and original is not None
            and original.loading
            and not original.payload.get("deleted")
        ):
            # Discord: the first follow-up after a deferral edits the "thinking" message
            self._apply_edit(
                original, {"content": "", "embeds": [], "components": [], **data}, files
            )
            msg = original
        else:
            ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
            msg = self._message(rec, data, files, ephemeral=ephemeral)
        if rec.final is None:
            rec.final = now
        await self._notify()
        return _json(msg.payload)

    # channels and pins
    def _channel_ok(self, cid: str) -> bool:
        return int(cid) == self.guild.channel_id

    async def _get_channel(self, request, cid) -> web.Response:
        if not self._channel_ok(cid):
            return _error(404, "Unknown Channel", 10003)
        return _json(self.guild.channel_payload())

    async def _get_message(self, request, cid, mid) -> web.Response:
        msg = self.messages.get(int(mid))
        if not self._channel_ok(cid) or msg is None or msg.ephemeral or msg.payload.get("deleted"):
            return _error(404, "Unknown Message", 10008)
        return _json(msg.payload)

    async def _post_message(self, request, cid) -> web.Response:
        if not self._channel_ok(cid):
            return _error(404, "Unknown Channel", 10003)
        data, files = await self._read_message_body(request)
        if self._check_message("channel message", data, files):
            return _error(400, "Invalid Form Body", 50035)
        msg = self._message(None, data, files)
        await self._notify()
        return _json(msg.payload)

    async def _list_pins(self, request, cid) -> web.Response:
        """Newest first, `limit` (1-50) per page, `before` an ISO pinned_at: like Discord."""
        if not self._channel_ok(cid):
            return _error(404, "Unknown Channel", 10003)
        try:
            limit = int(request.query.get("limit", 50))
        except ValueError:
            return _error(400, "Invalid Form Body", 50035)
        if not 1 <= limit <= 50:
            self.violation(f"pins listed with limit={limit} (Discord allows 1-50)")
            return _error(400, "Invalid Form Body", 50035)
        before = request.query.get("before")
        pinned = sorted(self.pins[int(cid)], key=lambda p: p[1], reverse=True)
        if before:
            pinned = [p for p in pinned if p[1] < before]
        page = pinned[:limit]
        items = [{"pinned_at": at, "message": self.messages[m].payload} for m, at in page]
        return _json({"items": items, "has_more": len(pinned) > limit})

    def pin_stamp(self) -> str:
        """A strictly increasing ISO timestamp for pinned_at (pagination orders by it)."""
        self._pin_clock = getattr(self, "_pin_clock", 0) + 1
        base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        return f"{base}.{self._pin_clock:06d}+00:00"

    def fill_pins(self, n: int) -> None:
        """Test helper: n pinned channel messages, as if pinned long ago."""
        for i in range(n):
            msg = self._message(None, {"content": f"old pin {i}"}, {})
            msg.payload["pinned"] = True
            self.pins[self.guild.channel_id].append((msg.id, f"2020-01-01T00:00:00.{i:06d}+00:00"))

    async def _pin(self, request, cid, mid) -> web.Response:
        msg = self.messages.get(int(mid))
        if not self._channel_ok(cid) or msg is None or msg.payload.get("deleted"):
            return _error(404, "Unknown Message", 10008)
        if not self.guild.can_pin(self.guild.bot):
            self.violation("pin attempted without the Pin Messages permission (check first)")
            return _error(403, "Missing Permissions", 50013)
        if msg.ephemeral:
            self.violation("tried to pin an ephemeral message")
            return _error(400, "Cannot execute action on this message", 50021)
        pins = self.pins[int(cid)]
        if int(mid) not in [m for m, _ in pins]:
            if len(pins) >= limits.PINS_PER_CHANNEL:
                self.violation("pin over the 250-pin limit of the channel (check first)")
                return _error(400, "Maximum number of pins reached (250)", 30003)
            pins.append((int(mid), self.pin_stamp()))
        msg.payload["pinned"] = True
        await self._notify()
        return web.Response(status=204)

    async def _unpin(self, request, cid, mid) -> web.Response:
        if not self.guild.can_pin(self.guild.bot):
            self.violation("unpin attempted without the Pin Messages permission")
            return _error(403, "Missing Permissions", 50013)
        pins = self.pins.get(int(cid), [])
        for entry in [p for p in pins if p[0] == int(mid)]:
            pins.remove(entry)
            self.messages[int(mid)].payload["pinned"] = False
        return web.Response(status=204)

    # ---- dispatching interactions ------------------------------------------------------
    async def dispatch(
        self, kind: int, data: dict, user: User, label: str, message: Message | None = None
    ) -> InteractionRecord:
        """Send INTERACTION_CREATE to the connected bot and start its clocks."""
        iid, token = snowflake(), "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
        perms = self.guild.permissions(user)
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.app_id),
            "type": kind,
            "token": token,
            "version": 1,
            "attachment_size_limit": limits.FILE_SIZE_DEFAULT,
            "guild_id": str(self.guild.id),
            "channel_id": str(self.guild.channel_id),
            "channel": self.guild.channel_payload(),
            "guild": {"id": str(self.guild.id), "locale": "en-US", "features": []},
            "member": user.member_payload(perms),
            "app_permissions": str(self.guild.permissions(self.guild.bot)),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild.id)},
            "context": 0,
            "data": data,
        }
        if message is not None:
            payload["message"] = message.payload
        rec = InteractionRecord(iid, token, kind, user, time.monotonic(), label)
        if message is not None:
            rec.source_message_id = message.id  # type: ignore[attr-defined]
        self.interactions[iid] = rec
        self.by_token[token] = rec
        await self.session().dispatch("INTERACTION_CREATE", payload)
        return rec

    async def wait_for(self, predicate, timeout: float) -> bool:
        """Wait until predicate() is true (re-checked on every change)."""

        async def waiter():
            async with self.changed:
                await self.changed.wait_for(predicate)

        try:
            await asyncio.wait_for(waiter(), timeout)
            return True
        except TimeoutError:
            return False


class _GatewaySession:
    """One websocket connection: HELLO, IDENTIFY/RESUME, heartbeats, dispatches."""

    def __init__(self, sandbox: Sandbox, ws: web.WebSocketResponse) -> None:
        self.sb = sandbox
        self.ws = ws
        self.seq = 0
        self.ready = False
        self.session_id = secrets.token_hex(16)
        self.sent: list[tuple[int, dict]] = []  # (seq, frame) for resume replay

    async def send(self, frame: dict) -> None:
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(frame))

    async def dispatch(self, event: str, data: dict) -> None:
        self.seq += 1
        frame = {"op": 0, "t": event, "s": self.seq, "d": data}
        self.sent.append((self.seq, frame))
        await self.send(frame)

    async def close(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close(code=code)

    async def run(self) -> None:
        await self.send({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for msg in self.ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op, d = frame.get("op"), frame.get("d")
            if op == 1:
                await self.send({"op": 11})
            elif op == 2:
                await self._identify(d or {})
            elif op == 6:
                await self._resume(d or {})

    async def _identify(self, d: dict) -> None:
        if d.get("token") != self.sb.token:
            await self.close(4004)  # Authentication failed
            return
        intents = int(d.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS & ~self.sb.granted_intents:
            await self.close(4014)  # Disallowed intent(s)
            return
        self.ready = True
        self.sb.resumable[self.session_id] = self
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": {**self.sb.guild.bot.payload(), "verified": True, "mfa_enabled": False},
                "guilds": [{"id": str(self.sb.guild.id), "unavailable": True}],
                "session_id": self.session_id,
                "resume_gateway_url": self.sb.gateway_url,
                "application": {"id": str(self.sb.app_id), "flags": 0},
                "shard": [0, 1],
                "private_channels": [],
                "relationships": [],
            },
        )
        await self.dispatch("GUILD_CREATE", self.sb.guild.create_payload())
        self.sb.identified.set()
        await self.sb._notify()

    async def _resume(self, d: dict) -> None:
        old = self.sb.resumable.get(d.get("session_id", ""))
        if d.get("token") != self.sb.token or old is None:
            await self.send({"op": 9, "d": False})  # invalid session: identify again
            return
        self.session_id, self.seq, self.sent = old.session_id, old.seq, old.sent
        self.sb.resumable[self.session_id] = self
        for s, frame in self.sent:
            if s > int(d.get("seq") or 0):
                await self.send(frame)
        self.ready = True
        self.resumed = True
        await self.dispatch("RESUMED", {})
        await self.sb._notify()
