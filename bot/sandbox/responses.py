"""JSON responses the way Discord sends them, and the protocol constants they share."""

from __future__ import annotations

import json
import secrets
import time
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


def invalid_body(problems: list, prefix: tuple = ()) -> web.Response:
    """400 Invalid Form Body (50035) with Discord's nested `errors` object."""
    from bot.limits import Problem, form_errors

    located = [
        Problem(str(p), (*prefix, *getattr(p, "path", ())), getattr(p, "code", "BASE_TYPE_INVALID"))
        for p in problems
    ]
    return error(400, "Invalid Form Body", 50035, form_errors(located))


def rate_limited(retry_after: float, *, global_: bool = False, code: int | None = None):
    """A 429 as Discord sends it (topics/rate-limits "Exceeding A Rate Limit"): the JSON
    body with message, retry_after, global (and code for some limits), the X-RateLimit-*
    headers, and `Via` (discord.py treats a 429 without it as a Cloudflare ban)."""
    body: dict[str, Any] = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": global_,
    }
    if code is not None:
        body["code"] = code
    headers = {
        "Content-Type": JSON,
        "Retry-After": str(max(1, round(retry_after))),
        "Via": "1.1 google",
        "X-RateLimit-Scope": "global" if global_ else "user",
    }
    if global_:
        headers["X-RateLimit-Global"] = "true"
    else:
        headers.update(
            {
                "X-RateLimit-Limit": "1",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Bucket": "sandbox-" + secrets.token_hex(4),
            }
        )
    return web.Response(status=429, body=json.dumps(body).encode(), headers=headers)
