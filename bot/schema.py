"""Application-command payloads as Discord validates them (bot.limits holds the numbers).

discord.py leaves most of these unchecked (description lengths, the 8000-character total,
name characters, bounds). The command-tree test and the sandbox's bulk-overwrite route
validate with these functions; each problem says where Discord would report it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from bot.limits import (
    CHOICE_NAME_LEN,
    CHOICES_PER_OPTION,
    COMMAND_TOTAL_CHARS,
    COMMANDS_PER_SCOPE,
    DESCRIPTION_LEN,
    NAME_LEN,
    OPTIONS_PER_COMMAND,
    Problem,
)

SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, NUMBER = 3, 4, 10
STRING_LENGTH_MAX = 6000  # application-commands "Option Structure": min/max_length 0/1-6000
INTEGER_MAX = 2**53 - 1  # application-commands "Option Type": INTEGER within ±(2^53 - 1)
NUMBER_MAX = 2**53  # NUMBER: any double between -2^53 and 2^53
CHOICE_VALUE_LEN = 100  # "Option Choice Structure": a string value, up to 100 characters


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
