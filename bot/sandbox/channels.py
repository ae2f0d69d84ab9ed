"""Sandbox routes for the channel: messages and pins (permission and the 250 limit)."""

from __future__ import annotations

import time

from aiohttp import web

from bot import limits
from bot.sandbox.responses import error, json_response


class ChannelRoutes:
    """Part of Sandbox (uses its guild, messages, pins, violation, _notify, _message)."""

    def _channel_ok(self, cid: str) -> bool:
        return int(cid) == self.guild.channel_id

    async def _get_channel(self, request, cid) -> web.Response:
        if not self._channel_ok(cid):
            return error(404, "Unknown Channel", 10003)
        return json_response(self.guild.channel_payload())

    async def _get_message(self, request, cid, mid) -> web.Response:
        msg = self.messages.get(int(mid))
        if not self._channel_ok(cid) or msg is None or msg.ephemeral or msg.payload.get("deleted"):
            return error(404, "Unknown Message", 10008)
        return json_response(msg.payload)

    async def _post_message(self, request, cid) -> web.Response:
        if not self._channel_ok(cid):
            return error(404, "Unknown Channel", 10003)
        data, files = await self._read_message_body(request)
        if self._check_message("channel message", data, files):
            return error(400, "Invalid Form Body", 50035)
        msg = self._message(None, data, files)
        await self._notify()
        return json_response(msg.payload)

    async def _list_pins(self, request, cid) -> web.Response:
        """Newest first, `limit` (1-50) per page, `before` an ISO pinned_at: like Discord."""
        if not self._channel_ok(cid):
            return error(404, "Unknown Channel", 10003)
        try:
            limit = int(request.query.get("limit", 50))
        except ValueError:
            return error(400, "Invalid Form Body", 50035)
        if not 1 <= limit <= 50:
            self.violation(f"pins listed with limit={limit} (Discord allows 1-50)")
            return error(400, "Invalid Form Body", 50035)
        before = request.query.get("before")
        pinned = sorted(self.pins[int(cid)], key=lambda p: p[1], reverse=True)
        if before:
            pinned = [p for p in pinned if p[1] < before]
        page = pinned[:limit]
        items = [{"pinned_at": at, "message": self.messages[m].payload} for m, at in page]
        return json_response({"items": items, "has_more": len(pinned) > limit})

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
            return error(404, "Unknown Message", 10008)
        if not self.guild.can_pin(self.guild.bot):
            self.violation("pin attempted without the Pin Messages permission (check first)")
            return error(403, "Missing Permissions", 50013)
        if msg.ephemeral:
            self.violation("tried to pin an ephemeral message")
            return error(400, "Cannot execute action on this message", 50021)
        pins = self.pins[int(cid)]
        if int(mid) not in [m for m, _ in pins]:
            if len(pins) >= limits.PINS_PER_CHANNEL:
                self.violation("pin over the 250-pin limit of the channel (check first)")
                return error(400, "Maximum number of pins reached (250)", 30003)
            pins.append((int(mid), self.pin_stamp()))
        msg.payload["pinned"] = True
        await self._notify()
        return web.Response(status=204)

    async def _unpin(self, request, cid, mid) -> web.Response:
        if not self.guild.can_pin(self.guild.bot):
            self.violation("unpin attempted without the Pin Messages permission")
            return error(403, "Missing Permissions", 50013)
        pins = self.pins.get(int(cid), [])
        for entry in [p for p in pins if p[0] == int(mid)]:
            pins.remove(entry)
            self.messages[int(mid)].payload["pinned"] = False
        return web.Response(status=204)
