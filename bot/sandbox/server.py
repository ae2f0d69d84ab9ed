"""The sandbox server: Discord's REST v10 and gateway on 127.0.0.1, stricter than Discord.

The bot is in two servers, `guild` on shard 0 and `guild2` on shard 1 of the `shards`
that GET /gateway/bot recommends (2), so a sharded bot must route both (see gateway.py).

Every rule breach is recorded in `violations` with a readable message (and answered
with Discord's status and error code); every route Discord would not know is a 404
recorded in `unhandled`. Tests fail on either.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from typing import Any, ClassVar

from aiohttp import web

from bot import limits
from bot.sandbox.channels import ChannelRoutes
from bot.sandbox.commands import CommandRoutes
from bot.sandbox.gateway import GatewaySession, shard_of
from bot.sandbox.interactions import InteractionRoutes
from bot.sandbox.model import (
    BOT_DEFAULT_PERMS,
    DM,
    GROUP_DM,
    Channel,
    Guild,
    InteractionRecord,
    Message,
    User,
    snowflake,
    snowflake_on_shard,
)
from bot.sandbox.places import GUILD_INSTALL, USER_INSTALL, Place
from bot.sandbox.responses import API, error, json_response, rate_limited

log = logging.getLogger(__name__)


class Sandbox(InteractionRoutes, ChannelRoutes, CommandRoutes):
    """Start with `await sandbox.start()`; point discord.py at `rest_base` / `gateway_url`."""

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_permissions: int = BOT_DEFAULT_PERMS,
        granted_intents: int = 0,
        deadline: float = limits.INITIAL_RESPONSE_SECONDS,
        shards: int = 2,
    ) -> None:
        self.token = (
            token
            or f"{secrets.token_urlsafe(24)}.{secrets.token_urlsafe(6)}.{secrets.token_urlsafe(27)}"
        )
        self.app_id = snowflake()
        self.shards = shards  # what GET /gateway/bot recommends
        on = lambda shard: snowflake_on_shard(shard % shards, shards)  # noqa: E731
        self.guild = Guild(self.app_id, "Nonlinear", bot_permissions, id=on(0))
        # the same people in a second server with the bot, on the other shard
        self.guild2 = Guild(self.app_id, "Nonlinear", bot_permissions, id=on(1), name="Sandbox 2")
        self.guild2.adopt(self.guild.users)
        # a server the bot is not in, where people can still use a user-installed app
        self.foreign = Guild(self.app_id, "Nonlinear", 0, installed=False, id=on(1))
        self.foreign.adopt(self.guild.users)
        people = list(self.guild.users.values())
        self.dms = {u.id: Channel(snowflake(), DM, None, recipients=[u]) for u in people}
        self.group_dm = Channel(snowflake(), GROUP_DM, "friends", recipients=people)
        self.latency = 0.0  # seconds added to every REST call (Discord is not instant)
        self.limited: list[tuple[str, re.Pattern, dict]] = []  # injected 429s
        self.rate_limit_hits: list[str] = []
        self.pin_requests: list[int] = []  # message ids the bot asked to pin
        self.granted_intents = granted_intents
        self.deadline = deadline
        self.violations: list[str] = []
        self.unhandled: list[str] = []
        self.commands: dict[int | None, list[dict]] = {None: []}
        self.command_ids: dict[tuple, int] = {}
        self.creates_today: dict[int | None, int] = {}
        self.sync_log: list[int | None] = []  # scope of every accepted bulk overwrite
        self.messages: dict[int, Message] = {}
        self.pins: dict[int, list[tuple[int, str]]] = {
            c: [] for g in self.installed for c in g.channels
        }
        self.interactions: dict[int, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}
        self.sessions: list[GatewaySession] = []
        self.resumable: dict[str, GatewaySession] = {}  # session_id → its last connection
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
        session = GatewaySession(self, ws)
        self.sessions.append(session)
        try:
            await session.run()
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
        return ws

    @property
    def installed(self) -> list[Guild]:
        """The servers the bot is in (GUILD_CREATE goes to the shard serving each)."""
        return [self.guild, self.guild2]

    def session(self) -> GatewaySession:
        live = [s for s in self.sessions if s.live]
        if not live:
            raise RuntimeError("no bot is connected to the sandbox gateway")
        return live[-1]

    def sessions_for(self, guild_id: int | None) -> list[GatewaySession]:
        """Every live connection Discord would send this guild's events (None: DMs) to."""
        live = [s for s in self.sessions if s.live and s.covers(guild_id)]
        if not live:
            shard = shard_of(guild_id, self.shards)
            raise RuntimeError(
                f"no bot connection serves {'DMs' if guild_id is None else f'guild {guild_id}'}"
                f" (shard {shard} of {self.shards}, or the only connection if unsharded)"
            )
        return live

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
        return error(404, "404: Not Found")

    def rate_limit(
        self, method: str, path_regex: str, *, retry_after: float, times: int = 1, **kw
    ) -> None:
        """Answer the next `times` matching requests with a 429 as Discord does."""
        self.limited.append(
            (method, re.compile(path_regex), {"retry_after": retry_after, "times": times, **kw})
        )

    def _limited(self, method: str, path: str) -> web.Response | None:
        for m, pattern, spec in self.limited:
            if m == method and pattern.search(path) and spec["times"] > 0:
                spec["times"] -= 1
                self.rate_limit_hits.append(f"{method} {path}")
                return rate_limited(
                    spec["retry_after"], global_=spec.get("global_", False), code=spec.get("code")
                )
        return None

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        if self.latency:
            await asyncio.sleep(self.latency)
        if (limited := self._limited(request.method, path)) is not None:
            return limited
        if request.headers.get("Authorization") != f"Bot {self.token}" and not path.startswith(
            ("/interactions/", "/webhooks/")
        ):
            return error(401, "401: Unauthorized")
        for method, pattern, handler in self.ROUTES:
            m = pattern.match(path)
            if m and method == request.method:
                return await getattr(self, handler)(request, **m.groupdict())
        self.unhandled.append(f"{request.method} {API}{path}")
        return error(404, "404: Not Found")

    async def _me(self, request: web.Request) -> web.Response:
        return json_response({**self.guild.bot.payload(), "verified": True, "mfa_enabled": False})

    async def _application(self, request: web.Request) -> web.Response:
        return json_response(
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
        return json_response(
            {
                "url": self.gateway_url,
                "shards": self.shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    # a large bot's: its shards may IDENTIFY at once (one per 5 s per bucket)
                    "max_concurrency": 16,
                },
            }
        )

    async def _gateway_plain(self, request: web.Request) -> web.Response:
        return json_response({"url": f"ws://{self.host}:{self.port}"})

    # interactions
    # ---- dispatching interactions ------------------------------------------------------
    def place(self, where: str = "guild", user: User | None = None, channel=None) -> Place:
        """The Place for one of the four surfaces (see bot.sandbox.places)."""
        if where == "guild":
            return Place(where, 0, channel or self.guild.general, self.guild, GUILD_INSTALL)
        if where == "guild2":
            return Place(where, 0, channel or self.guild2.general, self.guild2, GUILD_INSTALL)
        if where == "user-guild":
            return Place(where, 0, channel or self.foreign.general, self.foreign, USER_INSTALL)
        if where == "dm":
            user = user or self.guild.member
            return Place(where, 1, self.dms[user.id], None, USER_INSTALL)
        if where == "gdm":
            return Place(where, 2, self.group_dm, None, USER_INSTALL)
        raise ValueError(f"no place {where!r}: guild, guild2, user-guild, dm or gdm")

    def channel(self, cid: int) -> tuple[Channel, Guild | None] | None:
        for g in (*self.installed, self.foreign):
            if cid in g.channels:
                return g.channels[cid], g
        for c in [*self.dms.values(), self.group_dm]:
            if c.id == cid:
                return c, None
        return None

    # ---- dispatching interactions ------------------------------------------------------
    async def dispatch(
        self,
        kind: int,
        data: dict,
        user: User,
        label: str,
        message: Message | None = None,
        place: Place | None = None,
        command: dict | None = None,
    ) -> InteractionRecord:
        """Send INTERACTION_CREATE to the connected bot and start its clocks."""
        iid, token = snowflake(), "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
        place = place or (message.place if message is not None else None) or self.place()
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.app_id),
            "type": kind,
            "token": token,
            "version": 1,
            "attachment_size_limit": limits.FILE_SIZE_DEFAULT,
            "locale": "en-US",
            "entitlements": [],
            "data": data,
            **place.payload(user, self.guild.bot, command),
        }
        if message is not None:
            payload["message"] = message.payload
        rec = InteractionRecord(iid, token, kind, user, time.monotonic(), label)
        rec.place = place
        rec.owners = payload["authorizing_integration_owners"]
        if message is not None:
            rec.source_message_id = message.id
        self.interactions[iid] = rec
        self.by_token[token] = rec
        # events/gateway "Sharding": to the shard serving the guild; DMs to shard 0
        for session in self.sessions_for(place.guild.id if place.guild else None):
            await session.dispatch("INTERACTION_CREATE", payload)
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
