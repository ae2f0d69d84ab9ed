"""Sandbox routes for application commands: bulk overwrite and list, per scope.

A bulk overwrite is validated by bot.schema (application-commands "Application Command
Structure") and answered with Discord's 50035 shape; creates count toward the daily 200.
"""

from __future__ import annotations

from aiohttp import web

from bot import limits, schema
from bot.sandbox.model import snowflake
from bot.sandbox.responses import error, json_response, rate_limited


class CommandRoutes:
    """Part of Sandbox (uses its app_id, guild, commands, command_ids, violation, _notify)."""

    def _scope(self, app: str, guild: str | None) -> int | web.Response | None:
        if int(app) != self.app_id:
            return error(403, "Missing Access", 50001)
        if guild is None:
            return None
        if int(guild) not in (g.id for g in self.installed):
            self.violation(f"commands synced to guild {guild}, which the bot is not in")
            return error(403, "Missing Access", 50001)
        return int(guild)

    async def _put_commands(
        self, request: web.Request, app: str, guild: str | None = None
    ) -> web.Response:
        scope = self._scope(app, guild)
        if isinstance(scope, web.Response):
            return scope
        payload = await request.json()
        if not isinstance(payload, list):
            return error(400, "Invalid Form Body", 50035)
        problems = schema.commands_problems(payload)
        if problems:
            for p in problems:
                self.violation(f"command sync rejected: {p}")
            return error(400, "Invalid Form Body", 50035, limits.form_errors(problems))
        new = [c for c in payload if (scope, c["name"], c.get("type", 1)) not in self.command_ids]
        self.creates_today[scope] = self.creates_today.get(scope, 0) + len(new)
        if self.creates_today[scope] > 200:
            # opcodes-and-status-codes 30034: max number of daily application command creates
            self.violation("over 200 command creates in a day")
            return rate_limited(86400.0, code=30034)
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
        return json_response(out)

    async def _get_commands(
        self, request: web.Request, app: str, guild: str | None = None
    ) -> web.Response:
        scope = self._scope(app, guild)
        if isinstance(scope, web.Response):
            return scope
        return json_response(self.commands.get(scope, []))
