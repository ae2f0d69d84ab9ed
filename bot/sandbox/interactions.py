"""Sandbox routes for interactions: the callback, @original, follow-ups.

A mixin of Sandbox: it checks the one-acknowledgement and 3-second rules, the
15-minute token, message limits, the five follow-ups of a user install, and flags
the deprecated "first follow-up after a deferral edits the thinking message" path.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from aiohttp import web

from bot import limits
from bot.sandbox.model import InteractionRecord, Message, iso_now, snowflake
from bot.sandbox.responses import EPHEMERAL, LOADING, error, invalid_body, json_response


class InteractionRoutes:
    """Part of Sandbox (uses its guild, messages, interactions, violation, _notify)."""

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
        place = rec.place if rec is not None and rec.place is not None else self.place()
        payload = {
            "id": str(mid),
            "channel_id": str(place.channel.id),
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
        if place.guild is not None:
            payload["guild_id"] = str(place.guild.id)
        if rec is not None:
            payload["interaction_metadata"] = {
                "id": str(rec.id),
                "type": rec.kind,
                "user": rec.user.payload(),
                "authorizing_integration_owners": rec.owners,
            }
        msg = Message(payload, dict(files), rec.id if rec else None, place)
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
            return error(404, "Unknown interaction", 10062)
        body, files = await self._read_message_body(request)
        now = time.monotonic()
        if rec.acked is not None:  # one initial response per interaction (code 40060)
            self.violation(f"interaction {rec.label} acknowledged twice")
            return error(400, "Interaction has already been acknowledged.", 40060)
        # receiving-and-responding "Responding to an Interaction": the initial response
        # within 3 seconds, else the token is invalidated
        if now - rec.dispatched > self.deadline:
            self.violation(
                f"interaction {rec.label} answered after {now - rec.dispatched:.2f} s "
                f"(Discord allows {self.deadline:g} s): the user saw 'The application did not respond'"
            )
            return error(404, "Unknown interaction", 10062)
        rtype = int(body.get("type", 0))
        data = body.get("data") or {}
        if rtype == 8:
            choices = data.get("choices") or []
            if rec.kind != 4 or len(choices) > 25:
                self.violation(f"bad autocomplete answer for {rec.label}")
                return error(400, "Invalid Form Body", 50035)
            rec.acked = rec.final = now
            rec.ack_type, rec.autocomplete = 8, choices
            await self._notify()
            return web.Response(status=204)
        # "Interaction Callback Type": DEFERRED_UPDATE_MESSAGE / UPDATE_MESSAGE only for components
        if rtype in (6, 7) and rec.kind != 3:
            self.violation(f"{rec.label}: response type {rtype} is only for component interactions")
            return error(400, "Invalid Form Body", 50035)
        if rtype not in (4, 5, 6, 7):
            self.violation(f"{rec.label}: unsupported response type {rtype}")
            return error(400, "Invalid Form Body", 50035)
        problems = (
            self._check_message(f"response to {rec.label}", data, files) if rtype in (4, 7) else []
        )
        if problems:
            return invalid_body(problems, ("data",))  # the message sits under `data` here
        rec.acked, rec.ack_type = now, rtype
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        if rtype in (4, 5) and not ephemeral and rec.place.forces_ephemeral(rec.user):
            ephemeral = rec.forced_ephemeral = True  # resources/application "User Context"
        resource: dict[str, Any] = {"type": rtype}
        if rtype == 4:
            msg = self._message(rec, data, files, ephemeral=ephemeral)
            rec.original_id, rec.ephemeral, rec.final = msg.id, ephemeral, now
            resource["message"] = msg.payload
        elif rtype == 5:
            # receiving-and-responding "Interaction Callback Resource Object": `message` only
            # for CHANNEL_MESSAGE_WITH_SOURCE and UPDATE_MESSAGE, not for a deferral
            msg = self._message(rec, {}, {}, loading=True, ephemeral=ephemeral)
            rec.original_id, rec.ephemeral = msg.id, ephemeral
        elif rtype == 7:
            target = self._component_message(rec)
            if target is None:
                return error(404, "Unknown Message", 10008)
            self._apply_edit(target, data, files)
            rec.original_id, rec.final = target.id, now
            rec.message_ids.append(target.id)
            resource["message"] = target.payload
        else:  # 6: deferred update, nothing visible yet
            rec.original_id = (m := self._component_message(rec)) and m.id
        await self._notify()
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        return json_response(
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
        mid = rec.source_message_id
        return self.messages.get(mid) if mid else None

    def _apply_edit(self, msg: Message, data: dict, files: dict[str, bytes]) -> None:
        p = msg.payload
        for key in ("content", "embeds", "components"):
            if key in data:
                p[key] = data[key] if data[key] is not None else ([] if key != "content" else "")
        if files or "attachments" in data:
            msg.files = self._files_after_edit(msg, data, files)
            p["attachments"] = self._attachments(msg.files)
        p["flags"] = p.get("flags", 0) & ~LOADING
        p["edited_timestamp"] = iso_now()

    @staticmethod
    def _files_after_edit(msg: Message, data: dict, files: dict[str, bytes]) -> dict[str, bytes]:
        """An edit keeps the attachments it lists (all of them if it lists none), plus new files."""
        if "attachments" in data:
            keep = {str(a.get("id")) for a in data["attachments"] or []}
            listed = [a["filename"] for a in msg.payload.get("attachments", []) if a["id"] in keep]
            kept = {name: msg.files[name] for name in listed if name in msg.files}
        else:
            kept = dict(msg.files)
        return {**kept, **files}

    def _webhook_target(
        self, app: str, token: str, mid: str
    ) -> tuple[InteractionRecord, Message] | web.Response:
        """The interaction and its message for /webhooks/{app}/{token}/messages/{mid}."""
        rec = self._webhook_record(app, token)
        if isinstance(rec, web.Response):
            return rec
        msg = self._target(rec, mid)
        return (rec, msg) if msg is not None else error(404, "Unknown Message", 10008)

    def _webhook_record(self, app: str, token: str) -> InteractionRecord | web.Response:
        rec = self.by_token.get(token)
        if rec is None or int(app) != self.app_id:
            self.violation("webhook call with an unknown interaction token")
            return error(401, "Invalid Webhook Token", 50027)
        # "Followup Messages": interaction tokens are valid for 15 minutes
        if time.monotonic() - rec.dispatched > limits.TOKEN_LIFETIME_SECONDS:
            self.violation(f"{rec.label}: interaction token used after 15 minutes")
            return error(401, "Invalid Webhook Token", 50027)
        if rec.acked is None:
            self.violation(
                f"{rec.label}: follow-up or edit before the interaction was acknowledged"
            )
            return error(404, "Unknown Webhook", 10015)
        return rec

    def _target(self, rec: InteractionRecord, mid: str) -> Message | None:
        target = rec.original_id if mid == "@original" else int(mid)
        msg = self.messages.get(target) if target else None
        if msg is None or (mid != "@original" and msg.interaction_id != rec.id):
            return None
        return msg

    async def _get_webhook_message(self, request, app, token, mid) -> web.Response:
        found = self._webhook_target(app, token, mid)
        return found if isinstance(found, web.Response) else json_response(found[1].payload)

    async def _edit_webhook_message(self, request, app, token, mid) -> web.Response:
        found = self._webhook_target(app, token, mid)
        if isinstance(found, web.Response):
            return found
        rec, msg = found
        data, files = await self._read_message_body(request)
        after = ({**msg.payload, **data}, self._files_after_edit(msg, data, files))
        if problems := self._check_message(f"edit of {rec.label}", *after):
            return invalid_body(problems)
        self._apply_edit(msg, data, files)
        if msg.id not in rec.message_ids:
            rec.message_ids.append(msg.id)  # e.g. the clicked message after a deferred update
        if msg.id == rec.original_id and rec.final is None:
            rec.final = time.monotonic()
        await self._notify()
        return json_response(msg.payload)

    async def _delete_webhook_message(self, request, app, token, mid) -> web.Response:
        found = self._webhook_target(app, token, mid)
        if isinstance(found, web.Response):
            return found
        rec, msg = found
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
        if problems := self._check_message(f"follow-up to {rec.label}", data, files):
            return invalid_body(problems)
        original = self.messages.get(rec.original_id) if rec.original_id else None
        now = time.monotonic()
        if set(rec.owners) == {"1"} and rec.followups >= limits.USER_INSTALL_FOLLOWUPS:
            # receiving-and-responding "Create Followup Message": 5 per interaction when
            # only a user install authorized it
            self.violation(f"{rec.label}: more than 5 follow-ups from a user-installed app")
            return error(400, "Maximum number of follow-up messages reached", 40094)
        if rec.ack_type == 5 and original is not None and original.payload.get("deleted"):
            # what a follow-up does after the deferred placeholder was deleted is not
            # documented: don't rely on it (edit the placeholder, then follow up)
            self.violation(
                f"{rec.label}: follow-up after deleting the deferred placeholder "
                "(undocumented; edit @original first)"
            )
            return error(404, "Unknown Message", 10008)
        if rec.ack_type == 5 and original is not None and original.loading:
            # receiving-and-responding "Create Followup Message": directly after a deferral
            # this edits the loading message instead, for backwards compatibility only.
            # "This behavior is deprecated": use PATCH .../messages/@original.
            self.violation(
                f"{rec.label}: the first follow-up after a deferral edited the thinking "
                "message (deprecated: use edit-original-response)"
            )
            self._apply_edit(
                original, {"content": "", "embeds": [], "components": [], **data}, files
            )
            msg = original
        else:
            ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
            msg = self._message(rec, data, files, ephemeral=ephemeral)
        rec.followups += 1
        if rec.final is None:
            rec.final = now
        await self._notify()
        return json_response(msg.payload)

    # channels and pins
