"""Discord's limits, as data and as validators of the JSON Discord would receive.

discord.py leaves most of these unchecked (description lengths, the 8000-character
command total, embed sizes, custom_id lengths, ...). The cards, the command-tree test
and the local sandbox all validate with these functions, so one table rules them all.
Each validator returns a list of human-readable problems; empty means valid.
"""

from __future__ import annotations

import unicodedata
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

SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, NUMBER = 3, 4, 10
STRING_LENGTH_MAX = 6000  # application-commands "Option Structure": min/max_length 0/1-6000
INTEGER_MAX = 2**53 - 1  # application-commands "Option Type": INTEGER within ±(2^53 - 1)
NUMBER_MAX = 2**53  # NUMBER: any double between -2^53 and 2^53
CHOICE_VALUE_LEN = 100  # "Option Choice Structure": a string value, up to 100 characters


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


def _name_char_ok(c: str) -> bool:
    """One character of ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]$ (application-commands
    "Application Command Naming"; Python's re has no \\p, so by Unicode category and block)."""
    if c in "-_'":
        return True
    if unicodedata.category(c)[0] in "LN":
        return True
    o = ord(c)  # Devanagari (incl. Extended) and Thai script blocks: their marks count too
    return 0x0900 <= o <= 0x097F or 0xA8E0 <= o <= 0xA8FF or 0x0E00 <= o <= 0x0E7F


def _name_ok(name: Any) -> bool:
    """1-32 allowed characters; "if there is a lowercase variant of any letters used, you
    must use those" (same section)."""
    return (
        isinstance(name, str)
        and 1 <= len(name) <= NAME_LEN
        and all(_name_char_ok(c) for c in name)
        and name == name.lower()
    )


def _text_len(cmd: dict) -> int:
    """Characters Discord counts toward the 8000 total: names, descriptions, choices."""
    total = len(cmd.get("name", "")) + len(cmd.get("description", ""))
    for opt in cmd.get("options") or []:
        total += _text_len(opt)
        for ch in opt.get("choices") or []:
            total += len(str(ch.get("name", ""))) + len(str(ch.get("value", "")))
    return total


def _bound_problems(opt: dict, here: str, path: tuple) -> list[Problem]:
    """min/max_value within the type's range, min/max_length within 0/1-6000, min ≤ max."""
    out: list[Problem] = []
    otype = opt.get("type")
    cap = INTEGER_MAX if otype == INTEGER else NUMBER_MAX
    for key in ("min_value", "max_value"):
        if key in opt and otype not in (INTEGER, NUMBER):
            out.append(Problem(f"{here}: {key} only on INTEGER/NUMBER", (*path, key)))
        elif (v := opt.get(key)) is not None and not -cap <= v <= cap:
            out.append(
                Problem(f"{here}: {key} {v} outside ±{cap}", (*path, key), "NUMBER_TYPE_MAX")
            )
    for key, low in (("min_length", 0), ("max_length", 1)):
        if key in opt and otype != STRING:
            out.append(Problem(f"{here}: {key} only on STRING options", (*path, key)))
        elif (v := opt.get(key)) is not None and not low <= v <= STRING_LENGTH_MAX:
            out.append(
                Problem(
                    f"{here}: {key} must be {low}-{STRING_LENGTH_MAX}",
                    (*path, key),
                    "NUMBER_TYPE_MAX",
                )
            )
    for lo, hi in (("min_value", "max_value"), ("min_length", "max_length")):
        if opt.get(lo) is not None and opt.get(hi) is not None and opt[lo] > opt[hi]:
            out.append(Problem(f"{here}: {lo} above {hi}", (*path, lo), "NUMBER_TYPE_MAX"))
    return out


def _choice_problems(opt: dict, here: str, path: tuple) -> list[Problem]:
    out: list[Problem] = []
    choices = opt.get("choices") or []
    if len(choices) > CHOICES_PER_OPTION:
        out.append(
            Problem(
                f"{here}: {len(choices)} choices, at most 25",
                (*path, "choices"),
                "BASE_TYPE_MAX_LENGTH",
            )
        )
    for k, ch in enumerate(choices):
        where = (*path, "choices", k)
        if not 1 <= len(str(ch.get("name", ""))) <= CHOICE_NAME_LEN:
            out.append(
                Problem(
                    f"{here}: choice name must be 1-100 characters",
                    (*where, "name"),
                    "BASE_TYPE_BAD_LENGTH",
                )
            )
        value = ch.get("value")
        if isinstance(value, str) and not 1 <= len(value) <= CHOICE_VALUE_LEN:
            out.append(
                Problem(
                    f"{here}: choice value must be 1-100 characters",
                    (*where, "value"),
                    "BASE_TYPE_BAD_LENGTH",
                )
            )
        cap = INTEGER_MAX if opt.get("type") == INTEGER else NUMBER_MAX
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and not -cap <= value <= cap
        ):
            out.append(
                Problem(
                    f"{here}: choice value outside ±{cap}", (*where, "value"), "NUMBER_TYPE_MAX"
                )
            )
    if choices and opt.get("autocomplete"):
        out.append(
            Problem(f"{here}: choices and autocomplete are exclusive", (*path, "autocomplete"))
        )
    return out


def command_problems(cmd: dict, where: str = "", path: tuple = ()) -> list[Problem]:
    """Validate one application command (or option) payload, recursively
    (application-commands "Application Command Structure" and "Option Structure")."""
    out: list[Problem] = []
    name = cmd.get("name")
    here = f"{where}{name}"
    ctype = cmd.get("type", 1)
    is_chat = where != "" or ctype == 1
    if is_chat and not _name_ok(name):
        out.append(
            Problem(
                f"{here}: name must be 1-32 lowercase letters, digits, - _ or '",
                (*path, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
            )
        )
    desc = cmd.get("description", "")
    if is_chat and not 1 <= len(desc) <= DESCRIPTION_LEN:
        out.append(
            Problem(
                f"{here}: description must be 1-100 characters (has {len(desc)})",
                (*path, "description"),
                "BASE_TYPE_BAD_LENGTH",
            )
        )
    options = cmd.get("options") or []
    if len(options) > OPTIONS_PER_COMMAND:
        out.append(
            Problem(
                f"{here}: {len(options)} options, at most {OPTIONS_PER_COMMAND}",
                (*path, "options"),
                "BASE_TYPE_MAX_LENGTH",
            )
        )
    names = [o.get("name") for o in options]
    if len(set(names)) != len(names):
        out.append(
            Problem(
                f"{here}: duplicate option names",
                (*path, "options"),
                "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
            )
        )
    kinds = {o.get("type") in (SUBCOMMAND, GROUP) for o in options}
    if len(kinds) > 1:  # "Subcommands and Subcommand Groups": the base command is unusable
        out.append(
            Problem(
                f"{here}: subcommands and plain options can't be mixed",
                (*path, "options"),
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            )
        )
    seen_optional = False
    for i, opt in enumerate(options):
        otype = opt.get("type")
        here_opt, opt_path = f"{here} {opt.get('name')}", (*path, "options", i)
        if otype in (SUBCOMMAND, GROUP):
            if where.count(" ") >= (1 if otype == GROUP else 2):
                out.append(
                    Problem(
                        f"{here_opt}: nested too deeply (group → subcommand only)",
                        (*opt_path, "type"),
                    )
                )
        else:
            if opt.get("required") and seen_optional:
                out.append(
                    Problem(
                        f"{here_opt}: required options must come first",
                        (*opt_path, "required"),
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    )
                )
            seen_optional |= not opt.get("required", False)
        out += _choice_problems(opt, here_opt, opt_path)
        out += _bound_problems(opt, here_opt, opt_path)
        out.extend(command_problems(opt, f"{here} ", opt_path))
    if where == "" and _text_len(cmd) > COMMAND_TOTAL_CHARS:
        out.append(
            Problem(
                f"{here}: {_text_len(cmd)} characters in all, at most {COMMAND_TOTAL_CHARS}",
                path,
                "APPLICATION_COMMAND_TOO_LARGE",
            )
        )
    return out


def commands_problems(cmds: list[dict]) -> list[Problem]:
    """Validate a bulk-overwrite payload: each command, unique names, the count."""
    out = [p for i, c in enumerate(cmds) for p in command_problems(c, path=(i,))]
    keys = [(c.get("name"), c.get("type", 1)) for c in cmds]
    if len(set(keys)) != len(keys):
        out.append(
            Problem("two commands share a name and type", (), "APPLICATION_COMMANDS_DUPLICATE_NAME")
        )
    if sum(1 for c in cmds if c.get("type", 1) == 1) > COMMANDS_PER_SCOPE:
        out.append(
            Problem(f"more than {COMMANDS_PER_SCOPE} slash commands", (), "BASE_TYPE_MAX_LENGTH")
        )
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
