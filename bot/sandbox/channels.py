"""Sandbox routes for channels: messages and pins (permissions, threads, the 250 limit)."""

from __future__ import annotations

import time

from aiohttp import web

from bot import limits
from bot.sandbox.model import (
    ATTACH_FILES,
    EMBED_LINKS,
    PIN_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
)
from bot.sandbox.responses import error, invalid_body, json_response


class ChannelRoutes:
    """Part of Sandbox (uses its guild, messages, pins, violation, _notify, _message)."""

    def _bot_channel(self, cid: str) -> tuple[Channel, int] | web.Response:
        """The channel and the bot's permissions in it, or Discord's error for the bot."""
        found = self.channel(int(cid))
        if found is None:
            return error(404, "Unknown Channel", 10003)
        channel, guild = found
        if guild is None:
            bot_dm = channel.type == 1
            return (
                (channel, VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY)
                if bot_dm
                else (
                    error(403, "Missing Access", 50001)  # a group DM the bot user is not in
                )
            )
        if not guild.installed:
            return error(403, "Missing Access", 50001)  # a server the bot is not in
        perms = guild.permissions(guild.bot, channel)
        if not perms & VIEW_CHANNEL or (channel.type == 12 and not channel.bot_member):
            return error(403, "Missing Access", 50001)  # hidden, or a private thread
        return channel, perms

    def _channel_ok(self, cid: str) -> bool:
        return not isinstance(self._bot_channel(cid), web.Response)

    async def _get_channel(self, request, cid) -> web.Response:
        found = self._bot_channel(cid)
        return found if isinstance(found, web.Response) else json_response(found[0].payload())

    async def _get_message(self, request, cid, mid) -> web.Response:
        found = self._bot_channel(cid)
        if isinstance(found, web.Response):
            return found
        msg = self.messages.get(int(mid))
        if msg is None or msg.ephemeral or msg.payload.get("deleted"):
            return error(404, "Unknown Message", 10008)
        if msg.payload["channel_id"] != cid:
            return error(404, "Unknown Message", 10008)
        return json_response(msg.payload)

    async def _post_message(self, request, cid) -> web.Response:
        found = self._bot_channel(cid)
        if isinstance(found, web.Response):
            return found
        channel, perms = found
        data, files = await self._read_message_body(request)
        # resources/message "Create Message": SEND_MESSAGES, plus EMBED_LINKS / ATTACH_FILES
        # for embeds / files. (Interaction responses and follow-ups don't need these:
        # change-log 2022-06-29, their rights come from the interaction.)
        need = SEND_MESSAGES
        need |= EMBED_LINKS if data.get("embeds") else 0
        need |= ATTACH_FILES if files else 0
        if need & ~perms:
            return error(403, "Missing Permissions", 50013)
        if problems := self._check_message("channel message", data, files):
            return invalid_body(problems)
        msg = self._message(None, data, files)
        msg.payload["channel_id"] = str(channel.id)
        await self._notify()
        return json_response(msg.payload)

    async def _list_pins(self, request, cid) -> web.Response:
        """Newest first, `limit` (1-50) per page, `before` an ISO pinned_at: like Discord."""
        found = self._bot_channel(cid)
        if isinstance(found, web.Response):
            return found
        try:
            limit = int(request.query.get("limit", 50))
        except ValueError:
            return error(400, "Invalid Form Body", 50035)
        if not 1 <= limit <= 50:
            self.violation(f"pins listed with limit={limit} (Discord allows 1-50)")
            return error(400, "Invalid Form Body", 50035)
        before = request.query.get("before")
        pinned = sorted(self.pins.get(int(cid), []), key=lambda p: p[1], reverse=True)
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

    def fill_pins(self, n: int, channel: Channel | None = None) -> None:
        """Test helper: n pinned channel messages, as if pinned long ago."""
        cid = (channel or self.guild.general).id
        for i in range(n):
            msg = self._message(None, {"content": f"old pin {i}"}, {})
            msg.payload["channel_id"] = str(cid)
            msg.payload["pinned"] = True
            self.pins.setdefault(cid, []).append((msg.id, f"2020-01-01T00:00:00.{i:06d}+00:00"))

    async def _pin(self, request, cid, mid) -> web.Response:
        """resources/message "Pin Message": PUT .../messages/pins/{id}, PIN_MESSAGES alone
        (change-log "Permission Changes Going into Effect February 2026"), 250 per channel."""
        self.pin_requests.append(int(mid))
        found = self._bot_channel(cid)
        if isinstance(found, web.Response):
            return found
        channel, perms = found
        msg = self.messages.get(int(mid))
        if msg is None or msg.payload.get("deleted") or msg.payload["channel_id"] != cid:
            return error(404, "Unknown Message", 10008)
        if msg.ephemeral:
            self.violation("tried to pin an ephemeral message")
            return error(400, "Cannot execute action on this message", 50021)
        if channel.archived:
            return error(400, "Thread is archived", 50083)  # opcodes-and-status-codes 50083
        if not perms & PIN_MESSAGES:  # Manage Messages no longer counts
            return error(403, "Missing Permissions", 50013)
        pins = self.pins.setdefault(int(cid), [])
        if int(mid) not in [m for m, _ in pins]:
            if len(pins) >= limits.PINS_PER_CHANNEL:
                return error(400, "Maximum number of pins reached (250)", 30003)
            pins.append((int(mid), self.pin_stamp()))
        msg.payload["pinned"] = True
        await self._notify()
        return web.Response(status=204)

    async def _unpin(self, request, cid, mid) -> web.Response:
        found = self._bot_channel(cid)
        if isinstance(found, web.Response):
            return found
        if not found[1] & PIN_MESSAGES:
            return error(403, "Missing Permissions", 50013)
        pins = self.pins.get(int(cid), [])
        for entry in [p for p in pins if p[0] == int(mid)]:
            pins.remove(entry)
            self.messages[int(mid)].payload["pinned"] = False
        return web.Response(status=204)
