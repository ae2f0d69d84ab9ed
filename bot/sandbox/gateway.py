"""The sandbox gateway: one websocket per connection, speaking Discord's opcodes.

Sharding (events/gateway "Sharding"): a connection that IDENTIFYs with `shard: [i, n]`
gets READY/GUILD_CREATE and events only for guilds with (guild_id >> 22) % n == i, and
events without a guild (DMs) only when i == 0; without `shard` it gets everything. A
shard outside 0 … n-1 is closed with 4010 (Invalid Shard), and a guild-scoped opcode
sent on a connection that does not serve that guild is a violation.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

from bot.sandbox.responses import PRIVILEGED_INTENTS

GUILD_OPS = {4: "VOICE_STATE_UPDATE", 8: "REQUEST_GUILD_MEMBERS"}  # carry d.guild_id


def shard_of(guild_id: int | None, num_shards: int) -> int:
    """events/gateway "Sharding Formula"; events without a guild go to shard 0."""
    return 0 if guild_id is None else (guild_id >> 22) % num_shards


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
        self.shard: tuple[int, int] = (0, 1)  # [shard_id, num_shards] from IDENTIFY

    def covers(self, guild_id: int | None) -> bool:
        """Does Discord route this guild's events (None: DMs) to this connection?"""
        shard_id, num_shards = self.shard
        return shard_of(guild_id, num_shards) == shard_id

    @property
    def live(self) -> bool:
        return self.ready and not self.ws.closed

    async def send(self, frame: dict) -> None:
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(frame))

    async def dispatch(self, event: str, data: dict) -> None:
        gid = data.get("id") if event == "GUILD_CREATE" else data.get("guild_id")
        if event not in ("READY", "RESUMED") and not self.covers(int(gid) if gid else None):
            self.sb.violation(
                f"{event} for guild {gid or '(none: a DM)'} went to shard {list(self.shard)}, "
                f"but Discord routes it to shard {shard_of(int(gid) if gid else None, self.shard[1])}"
            )
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
            elif op in GUILD_OPS:
                self._check_guild_op(op, d)

    def _check_guild_op(self, op: int, d) -> None:
        """A guild-scoped opcode must go on the connection that serves that guild."""
        gid = str(d.get("guild_id", "")) if isinstance(d, dict) else ""
        if gid.isdigit() and not self.covers(int(gid)):
            self.sb.violation(
                f"{GUILD_OPS[op]} for guild {gid} sent on shard {list(self.shard)}, "
                "which does not serve that guild"
            )

    async def _identify(self, d: dict) -> None:
        if d.get("token") != self.sb.token:
            await self.close(4004)  # Authentication failed
            return
        intents = int(d.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS & ~self.sb.granted_intents:
            await self.close(4014)  # Disallowed intent(s)
            return
        shard = d.get("shard")
        if shard is not None:
            if not (
                isinstance(shard, list)
                and len(shard) == 2
                and all(type(x) is int for x in shard)
                and 0 <= shard[0] < shard[1]
            ):
                self.sb.violation(f"IDENTIFY with an invalid shard {shard!r}: want [id, count]")
                await self.close(4010)  # Invalid Shard
                return
            self.shard = (shard[0], shard[1])
        self.ready = True
        self.sb.resumable[self.session_id] = self
        guilds = [g for g in self.sb.installed if self.covers(g.id)]
        ready = {
            "v": 10,
            "user": {**self.sb.guild.bot.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": self.session_id,
            "resume_gateway_url": self.sb.gateway_url,
            "application": {"id": str(self.sb.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        if shard is not None:  # events/gateway-events "Ready": only if sent in IDENTIFY
            ready["shard"] = shard
        await self.dispatch("READY", ready)
        for g in guilds:
            await self.dispatch("GUILD_CREATE", g.create_payload())
        self.sb.identified.set()
        await self.sb._notify()

    async def _resume(self, d: dict) -> None:
        old = self.sb.resumable.get(d.get("session_id", ""))
        if d.get("token") != self.sb.token or old is None:
            await self.send({"op": 9, "d": False})  # invalid session: identify again
            return
        self.session_id, self.seq, self.sent = old.session_id, old.seq, old.sent
        self.shard, old.ready = old.shard, False  # the old connection gets nothing more
        self.sb.resumable[self.session_id] = self
        for s, frame in self.sent:
            if s > int(d.get("seq") or 0):
                await self.send(frame)
        self.ready = True
        self.resumed = True
        await self.dispatch("RESUMED", {})
        await self.sb._notify()
