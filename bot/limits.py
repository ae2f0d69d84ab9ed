"""Discord's limits, as data and as validators of the JSON Discord would receive.

discord.py leaves most of these unchecked (description lengths, the 8000-character
command total, embed sizes, custom_id lengths, ...). The cards, the command-tree test
and the local sandbox all validate with these functions, so one table rules them all.
Each validator returns a list of human-readable problems; empty means valid.
"""

from __future__ import annotations

import re
from typing import Any

NAME_RE = re.compile(r"^[-_\w]{1,32}$")
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

SUBCOMMAND, GROUP = 1, 2


def _name_ok(name: Any) -> bool:
    return isinstance(name, str) and bool(NAME_RE.match(name)) and name == name.lower()


def _text_len(cmd: dict) -> int:
    """Characters Discord counts toward the 8000 total: names, descriptions, choices."""
    total = len(cmd.get("name", "")) + len(cmd.get("description", ""))
    for opt in cmd.get("options") or []:
        total += _text_len(opt)
        for ch in opt.get("choices") or []:
            total += len(str(ch.get("name", ""))) + len(str(ch.get("value", "")))
    return total


def command_problems(cmd: dict, where: str = "") -> list[str]:
    """Validate one application command (or option) payload, recursively."""
    out: list[str] = []
    name = cmd.get("name")
    here = f"{where}{name}"
    ctype = cmd.get("type", 1)
    is_chat = where != "" or ctype == 1
    if is_chat and not _name_ok(name):
        out.append(f"{here}: name must be 1-32 lowercase letters, digits, - or _")
    desc = cmd.get("description", "")
    if is_chat and not 1 <= len(desc) <= DESCRIPTION_LEN:
        out.append(f"{here}: description must be 1-100 characters (has {len(desc)})")
    options = cmd.get("options") or []
    if len(options) > OPTIONS_PER_COMMAND:
        out.append(f"{here}: {len(options)} options, at most {OPTIONS_PER_COMMAND}")
    names = [o.get("name") for o in options]
    if len(set(names)) != len(names):
        out.append(f"{here}: duplicate option names")
    seen_optional = False
    for opt in options:
        otype = opt.get("type")
        if otype in (SUBCOMMAND, GROUP):
            if where.count(" ") >= (1 if otype == GROUP else 2):
                out.append(f"{here} {opt.get('name')}: nested too deeply (group → subcommand only)")
        else:
            if opt.get("required") and seen_optional:
                out.append(f"{here} {opt.get('name')}: required options must come first")
            seen_optional |= not opt.get("required", False)
        choices = opt.get("choices") or []
        if len(choices) > CHOICES_PER_OPTION:
            out.append(f"{here} {opt.get('name')}: {len(choices)} choices, at most 25")
        for ch in choices:
            if not 1 <= len(str(ch.get("name", ""))) <= CHOICE_NAME_LEN:
                out.append(f"{here} {opt.get('name')}: choice name must be 1-100 characters")
        if choices and opt.get("autocomplete"):
            out.append(f"{here} {opt.get('name')}: choices and autocomplete are exclusive")
        out.extend(command_problems(opt, f"{here} "))
    if where == "" and _text_len(cmd) > COMMAND_TOTAL_CHARS:
        out.append(f"{here}: {_text_len(cmd)} characters in all, at most {COMMAND_TOTAL_CHARS}")
    return out


def commands_problems(cmds: list[dict]) -> list[str]:
    """Validate a bulk-overwrite payload: each command, unique names, the count."""
    out = [p for c in cmds for p in command_problems(c)]
    keys = [(c.get("name"), c.get("type", 1)) for c in cmds]
    if len(set(keys)) != len(keys):
        out.append("two commands share a name and type")
    if sum(1 for c in cmds if c.get("type", 1) == 1) > COMMANDS_PER_SCOPE:
        out.append(f"more than {COMMANDS_PER_SCOPE} slash commands")
    return out


def embed_length(e: dict) -> int:
    total = len(e.get("title") or "") + len(e.get("description") or "")
    total += len((e.get("footer") or {}).get("text") or "")
    total += len((e.get("author") or {}).get("name") or "")
    for f in e.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def embed_problems(e: dict, i: int = 0) -> list[str]:
    out: list[str] = []
    checks = [
        ("title", len(e.get("title") or ""), EMBED_TITLE),
        ("description", len(e.get("description") or ""), EMBED_DESCRIPTION),
        ("footer", len((e.get("footer") or {}).get("text") or ""), FOOTER_TEXT),
        ("author", len((e.get("author") or {}).get("name") or ""), AUTHOR_NAME),
        ("fields", len(e.get("fields") or []), EMBED_FIELDS),
        ("total", embed_length(e), EMBED_TOTAL),
    ]
    out += [f"embed {i} {what}: {n} > {cap}" for what, n, cap in checks if n > cap]
    for j, f in enumerate(e.get("fields") or []):
        if not 1 <= len(f.get("name") or "") <= FIELD_NAME:
            out.append(f"embed {i} field {j} name must be 1-{FIELD_NAME} characters")
        if not 1 <= len(f.get("value") or "") <= FIELD_VALUE:
            out.append(
                f"embed {i} field {j} value must be 1-{FIELD_VALUE} characters "
                f"(has {len(f.get('value') or '')})"
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
