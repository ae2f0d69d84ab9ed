"""JSON responses the way Discord sends them, and the protocol constants they share."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

API = "/api/v10"
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
EPHEMERAL, LOADING = 64, 128
JSON = "application/json"


def json_response(data: Any, status: int = 200) -> web.Response:
    # exactly application/json: with a charset suffix discord.py treats the body as text
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": JSON}
    )


def error(status: int, message: str, code: int = 0, errors: Any = None) -> web.Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return json_response(body, status)
