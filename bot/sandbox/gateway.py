"""The sandbox gateway: one websocket per connection, speaking Discord's opcodes."""

from __future__ import annotations

import contextlib
import json
import secrets
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

from bot.sandbox.responses import PRIVILEGED_INTENTS

if TYPE_CHECKING:
    from bot.sandbox.server import Sandbox


class GatewaySession:
    """One websocket connection: HELLO, IDENTIFY/RESUME, heartbeats, dispatches."""

    def __init__(self, sandbox: Sandbox, ws: web.WebSocketResponse) -> None:
        self.sb = sandbox
        self.ws = ws
        self.seq = 0
        self.ready = False
        self.resumed = False  # became live through RESUME rather than IDENTIFY
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
