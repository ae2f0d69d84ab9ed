"""Discord's limits, as data and as validators of the JSON Discord would receive.

discord.py leaves most of these unchecked (embed sizes, custom_id lengths, file sizes,
...). The cards and the local sandbox validate messages with these functions, so one
table rules them all; bot.schema validates command payloads against the same numbers.
Each validator returns a list of human-readable problems; empty means valid.
"""

from __future__ import annotations

from typing import Any

NAME_LEN = 32
DESCRIPTION_LEN = 100
OPTIONS_PER_COMMAND = 25
CHOICES_PER_OPTION = 25
CHOICE_NAME_LEN = 100
COMMAND_TOTAL_CHARS = 8000
COMMANDS_PER_SCOPE = 100  # chat-input commands, global or per guild

CONTENT_LEN = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
FILES_PER_MESSAGE = 10
FILE_SIZE_DEFAULT = 10 * 1024 * 1024  # the interaction's attachment_size_limit by default
REQUEST_SIZE = 25 * 1024 * 1024
EMBED_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".webp", ".gif")
ACTION_ROWS = 5
BUTTONS_PER_ROW = 5
CUSTOM_ID_LEN = 100
BUTTON_LABEL_LEN = 80
PINS_PER_CHANNEL = 250
INITIAL_RESPONSE_SECONDS = 3.0
TOKEN_LIFETIME_SECONDS = 15 * 60
USER_INSTALL_FOLLOWUPS = 5  # follow-ups per interaction authorized by a user install only
PIN_MESSAGES = 1 << 51
MANAGE_MESSAGES = 1 << 13


class Problem(str):
    """A readable problem, plus where Discord would report it in an Invalid Form Body
    (50035) answer: the JSON path and an error code name."""

    path: tuple[str, ...]
    code: str

    def __new__(cls, text: str, path=(), code: str = "BASE_TYPE_INVALID") -> Problem:
        self = super().__new__(cls, text)
        self.path = tuple(str(p) for p in path)
        self.code = code
        return self


def form_errors(problems: list[str]) -> dict:
    """The nested `errors` object of a 50035 answer (topics/opcodes-and-status-codes "Example
    JSON Error Response"): {"0": {"name": {"_errors": [{"code", "message"}]}}}."""
    out: dict = {}
    for p in problems:
        node = out
        for key in getattr(p, "path", ()):
            node = node.setdefault(key, {})
        code = getattr(p, "code", "BASE_TYPE_INVALID")
        node.setdefault("_errors", []).append({"code": code, "message": str(p)})
    return out


def _trimmed(text: Any) -> str:
    return (text or "").strip()


def embed_length(e: dict) -> int:
    """Characters counted toward the 6000 (resources/message "Embed Limits"), each text
    counted after trimming surrounding whitespace, as Discord does."""
    total = len(_trimmed(e.get("title"))) + len(_trimmed(e.get("description")))
    total += len(_trimmed((e.get("footer") or {}).get("text")))
    total += len(_trimmed((e.get("author") or {}).get("name")))
    for f in e.get("fields") or []:
        total += len(_trimmed(f.get("name"))) + len(_trimmed(f.get("value")))
    return total


def embed_problems(e: dict, i: int = 0) -> list[Problem]:
    """resources/message "Embed Limits"; a field's name and value are required, and a
    whitespace-only one is empty once trimmed (Discord answers BASE_TYPE_REQUIRED)."""
    out: list[Problem] = []
    path = ("embeds", i)
    checks = [
        ("title", len(_trimmed(e.get("title"))), EMBED_TITLE, ("title",)),
        ("description", len(_trimmed(e.get("description"))), EMBED_DESCRIPTION, ("description",)),
        (
            "footer",
            len(_trimmed((e.get("footer") or {}).get("text"))),
            FOOTER_TEXT,
            ("footer", "text"),
        ),
        (
            "author",
            len(_trimmed((e.get("author") or {}).get("name"))),
            AUTHOR_NAME,
            ("author", "name"),
        ),
        ("fields", len(e.get("fields") or []), EMBED_FIELDS, ("fields",)),
        ("total", embed_length(e), EMBED_TOTAL, ()),
    ]
    out += [
        Problem(f"embed {i} {what}: {n} > {cap}", (*path, *sub), "BASE_TYPE_MAX_LENGTH")
        for what, n, cap, sub in checks
        if n > cap
    ]
    for j, f in enumerate(e.get("fields") or []):
        for key, cap in (("name", FIELD_NAME), ("value", FIELD_VALUE)):
            n = len(_trimmed(f.get(key)))
            if n == 0:
                out.append(
                    Problem(
                        f"embed {i} field {j} {key} is empty or only whitespace",
                        (*path, "fields", j, key),
                        "BASE_TYPE_REQUIRED",
                    )
                )
            elif n > cap:
                out.append(
                    Problem(
                        f"embed {i} field {j} {key} must be 1-{cap} characters (has {n})",
                        (*path, "fields", j, key),
                        "BASE_TYPE_BAD_LENGTH",
                    )
                )
    return out


def components_problems(rows: list[dict]) -> list[str]:
    out: list[str] = []
    if len(rows) > ACTION_ROWS:
        out.append(f"{len(rows)} action rows, at most {ACTION_ROWS}")
    ids: list[str] = []
    for r, row in enumerate(rows):
        items = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(items) <= BUTTONS_PER_ROW:
            out.append(f"row {r}: must be an action row with 1-{BUTTONS_PER_ROW} components")
        for b in items:
            cid = b.get("custom_id")
            if b.get("style") != 5:  # every non-link button needs a custom_id
                if not isinstance(cid, str) or not 1 <= len(cid) <= CUSTOM_ID_LEN:
                    out.append(f"row {r}: custom_id must be 1-{CUSTOM_ID_LEN} characters")
                else:
                    ids.append(cid)
            if len(b.get("label") or "") > BUTTON_LABEL_LEN:
                out.append(f"row {r}: button label over {BUTTON_LABEL_LEN} characters")
    if len(set(ids)) != len(ids):
        out.append("custom_id values must be unique within a message")
    return out


def message_problems(
    payload: dict, files: dict[str, bytes] | None = None, size_limit: int = FILE_SIZE_DEFAULT
) -> list[str]:
    """Validate a message payload plus its uploaded files (filename → bytes)."""
    files = files or {}
    out: list[str] = []
    content = payload.get("content") or ""
    if len(content) > CONTENT_LEN:
        out.append(f"content is {len(content)} characters, at most {CONTENT_LEN}")
    embeds = payload.get("embeds") or []
    if len(embeds) > EMBEDS_PER_MESSAGE:
        out.append(f"{len(embeds)} embeds, at most {EMBEDS_PER_MESSAGE}")
    if sum(embed_length(e) for e in embeds) > EMBED_TOTAL:
        out.append(f"embeds total over {EMBED_TOTAL} characters")
    for i, e in enumerate(embeds):
        out += embed_problems(e, i)
        for key in ("image", "thumbnail"):
            url = (e.get(key) or {}).get("url") or ""
            if url.startswith("attachment://"):
                name = url.removeprefix("attachment://")
                if name not in files:
                    out.append(f"embed {i} {key} refers to {name}, which was not uploaded")
                if not name.lower().endswith(EMBED_IMAGE_EXT):
                    out.append(f"embed {i} {key}: attachment:// needs a png/jpg/webp/gif name")
    if len(files) > FILES_PER_MESSAGE:
        out.append(f"{len(files)} files, at most {FILES_PER_MESSAGE}")
    for name, data in files.items():
        if len(data) > size_limit:
            out.append(f"file {name} is {len(data)} bytes, over the {size_limit} limit")
        low = name.lower()
        if low.endswith(".png") and not data.startswith(b"\x89PNG\r\n\x1a\n"):
            out.append(f"file {name} is not a PNG")
        if low.endswith(".gif") and data[:6] not in (b"GIF87a", b"GIF89a"):
            out.append(f"file {name} is not a GIF")
    if sum(len(d) for d in files.values()) > REQUEST_SIZE:
        out.append("files exceed 25 MiB in one request")
    out += components_problems(payload.get("components") or [])
    if not (content or embeds or files or payload.get("components")):
        out.append("a message needs content, an embed, a file or components")
    return out
