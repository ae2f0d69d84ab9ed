"""Drive the sandbox like a person in Discord: type a slash command, click a button.

Commands are typed the way Discord's client shows them: `/collapse layers:5
between:tanh`, with words before any `name:` filling the options in order (`/collapse 5 16`).
Options are checked against the schema the bot synced, exactly as the client would.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from bot.sandbox.message_commands import invoke_message_command, user_message
from bot.sandbox.model import InteractionRecord, Message, User
from bot.sandbox.server import Sandbox

STRING, INTEGER, BOOLEAN, NUMBER = 3, 4, 5, 10
SUBCOMMAND, GROUP = 1, 2


class DriverError(Exception):
    """What a person typed cannot be sent (unknown command, bad option): say why."""


@dataclass
class Reply:
    """What the bot did with one interaction."""

    record: InteractionRecord
    messages: list[Message] = field(default_factory=list)
    timed_out: bool = False

    @property
    def message(self) -> Message | None:
        return self.messages[-1] if self.messages else None

    @property
    def ephemeral(self) -> bool:
        return bool(self.message and self.message.ephemeral)

    @property
    def embed(self) -> dict | None:
        m = self.message
        return (m.payload.get("embeds") or [None])[0] if m else None

    @property
    def content(self) -> str:
        return self.message.payload.get("content", "") if self.message else ""

    @property
    def files(self) -> dict[str, bytes]:
        return self.message.files if self.message else {}

    def buttons(self) -> list[dict]:
        m = self.message
        if m is None:
            return []
        return [c for row in m.payload.get("components") or [] for c in row.get("components") or []]


class Driver:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox

    def user(self, who: str | User) -> User:
        return who if isinstance(who, User) else self.sb.guild.users[who]

    def commands(self, where: str = "guild") -> list[dict]:
        """The synced schema a user sees there: guild commands first, then global ones,
        each only where its contexts and integration types allow (like Discord's client)."""
        place = self.sb.place(where)
        seen, out = set(), []
        for scope in (self.sb.guild.id, None):
            for c in self.sb.commands.get(scope, []):
                usable = c.get("type", 1) == 1 and place.supports(c, scope) is None
                if usable and c["name"] not in seen:
                    seen.add(c["name"])
                    out.append(c)
        return out

    def unavailable(self, name: str, where: str) -> str | None:
        """Why /name can't be used there (None if it can, or if there is no such command)."""
        place, reason = self.sb.place(where), None
        for scope in (self.sb.guild.id, None):
            for c in self.sb.commands.get(scope, []):
                if c["name"] == name and c.get("type", 1) == 1:
                    if (why := place.supports(c, scope)) is None:
                        return None
                    reason = why
        return reason

    def usage(self) -> list[str]:
        """One line per invocable command: `/name sub option:… [optional:…]` — description."""
        lines = []
        for path, leaf in self._leaves():
            opts = " ".join(
                f"{o['name']}:…" if o.get("required") else f"[{o['name']}:…]"
                for o in leaf.get("options") or []
            )
            lines.append(f"/{path} {opts}".rstrip() + f"  — {leaf.get('description', '')}")
        return lines

    def details(self, name: str) -> tuple[list[str], list[tuple[str, str]]]:
        """`help <command>`: a line per option (what it means, its bounds or choices), and
        the (command, option) pairs whose values come from autocomplete."""
        lines: list[str] = []
        asks: list[tuple[str, str]] = []
        wanted = name.strip().lstrip("/").lower()
        for line, (path, leaf) in zip(self.usage(), self._leaves(), strict=True):
            if path != wanted and path.split()[0] != wanted:
                continue
            lines.append(line)
            for o in leaf.get("options") or []:
                facts = []
                span = f"{o.get('min_value', '…')}-{o.get('max_value', '…')}"
                if ("min_value" in o or "max_value" in o) and span not in o["description"]:
                    facts.append(span)  # said once: skip it if the description has it
                if "max_length" in o:
                    facts.append(f"up to {o['max_length']} characters")
                if o.get("choices"):
                    facts.append("one of " + ", ".join(str(c["value"]) for c in o["choices"]))
                if o.get("autocomplete"):
                    asks.append((f"/{path}", o["name"]))
                extra = f" [{'; '.join(facts)}]" if facts else ""
                lines.append(f"    {o['name']}: {o.get('description', '')}{extra}")
        return lines, asks

    def _leaves(self) -> list[tuple[str, dict]]:
        out = []
        for c in self.commands():
            subs = [o for o in c.get("options") or [] if o["type"] in (SUBCOMMAND, GROUP)]
            out += [(c["name"] + " " + s["name"], s) for s in subs] or [(c["name"], c)]
        return out

    # ---- parsing what a person typed --------------------------------------------------
    def parse(self, text: str, where: str = "guild") -> tuple[dict, str]:
        """'/collapse 5 between:tanh' → (interaction data, label).

        Option values run to the next `name:` (so `custom:max(x, 0.1*x)` keeps its space).
        Words before the first `name:` fill the options not given by name, in order, one
        word each (`/learnable kan abs` is kind:kan task:abs, `/xor mlp sin hidden:4` is
        activation:sin); a free-text option (no choices, e.g. /claim's claim, /activation's
        name) takes the rest of them, spaces and all.
        """
        text = text.strip()
        if not text.startswith("/"):
            raise DriverError("slash commands start with '/': try /xor linear (or 'help').")
        words = text[1:].split()
        if not words:
            raise DriverError("type a command name after '/'. Try 'help'.")
        cmds = {c["name"]: c for c in self.commands(where)}
        name = words[0].lower()
        if name not in cmds:
            if (why := self.unavailable(name, where)) is not None:
                raise DriverError(f"/{name} can't be used here: {why}.")
            raise DriverError(f"no command /{name}.{_suggest(name, cmds)}")
        cmd = cmds[name]
        data: dict = {"id": cmd["id"], "name": name, "type": 1}
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        node, sink, rest = cmd, data, text[1:].split(None, 1)[1:]
        path = [name]
        while True:
            subs = {
                o["name"]: o for o in node.get("options") or [] if o["type"] in (SUBCOMMAND, GROUP)
            }
            if not subs:
                break
            if not rest:
                raise DriverError(f"/{' '.join(path)} needs a subcommand: {', '.join(subs)}.")
            sub, *tail = rest[0].split(None, 1)
            sub = sub.lower()
            if sub not in subs:
                raise DriverError(
                    f"/{' '.join(path)} has no subcommand {sub!r}.{_suggest(sub, subs)}"
                )
            child = {"name": sub, "type": subs[sub]["type"], "options": []}
            sink.setdefault("options", []).append(child)
            node, sink, rest = subs[sub], child, tail
            path.append(sub)
        where = "/" + " ".join(path)
        sink["options"] = self._options(node, rest[0] if rest else "", where)
        return data, f"{where} {rest[0]}".strip() if rest else where

    def _options(self, node: dict, text: str, where: str) -> list[dict]:
        schema = {o["name"]: o for o in node.get("options") or []}
        starts = list(re.finditer(r"(?:(?<=\s)|^)([A-Za-z_][\w-]*):", text))
        given: dict[str, str] = {}
        head = text[: starts[0].start()] if starts else text
        if head.strip() and not schema:
            raise DriverError(f"{where} takes no options (got {head.strip()!r}).")
        for i, m in enumerate(starts):
            key = m.group(1).lower()
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            value = text[m.end() : end].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            if key not in schema:
                raise DriverError(f"{where} has no option {key!r}.{_suggest(key, schema)}")
            if key in given:
                raise DriverError(f"{where}: option {key!r} given twice.")
            given[key] = value
        placed: set[str] = set()
        if head.strip():  # the words fill the options not given by name, in order
            rest = [o for name, o in schema.items() if name not in given]
            words = _positional(rest, head.split(), where)
            given.update(words)
            placed = set(words)
        out = []
        for name, opt in schema.items():
            if name not in given:
                if opt.get("required"):
                    raise DriverError(f"{where}: option {name!r} is required.")
                continue
            try:
                value = _convert(opt, given[name], where)
            except DriverError as e:
                if name not in placed:
                    raise
                raise DriverError(str(e) + _elsewhere(schema, name, given[name])) from None
            out.append({"name": name, "type": opt["type"], "value": value})
        return out

    # ---- acting -------------------------------------------------------------------------
    async def invoke(
        self,
        text: str,
        *,
        user: str | User = "member",
        where: str = "guild",
        channel=None,
        timeout: float = 15.0,
    ) -> Reply:
        """Run a slash command as `user` in one of the four places: guild (the bot's
        server), user-guild (a server the bot is not in, via a user install), dm, gdm."""
        data, label = self.parse(text, where)
        who = self.user(user)
        place = self.sb.place(where, who, channel)
        command = next(c for c in self.commands(where) if c["name"] == data["name"])
        rec = await self.sb.dispatch(2, data, who, label, place=place, command=command)
        return await self.wait(rec, timeout)

    def post(
        self, content: str = "", *, user: str | User = "member", where: str = "guild", **kw
    ) -> Message:
        """A person posts a message in `where` (see bot.sandbox.message_commands)."""
        return user_message(self.sb, content, author=self.user(user), where=where, **kw)

    async def apps(self, name: str, message: Message, **kw) -> Reply:
        """Right-click a message → Apps → `name` (a message command)."""
        return await invoke_message_command(self, name, message, **kw)

    async def autocomplete(
        self, text: str, focused: str, *, user: str = "member", where: str = "guild"
    ) -> list[dict]:
        """Ask for autocomplete choices of option `focused` with the typed value."""
        data, label = self.parse(text, where)
        leaf = data
        while leaf.get("options") and leaf["options"][0].get("type") in (SUBCOMMAND, GROUP):
            leaf = leaf["options"][0]
        for o in leaf.get("options") or []:
            if o["name"] == focused:
                o["focused"] = True
                o["value"] = str(o["value"])
        if not any(o.get("focused") for o in leaf.get("options") or []):  # nothing typed yet
            leaf.setdefault("options", []).append(
                {"name": focused, "type": STRING, "value": "", "focused": True}
            )
        who = self.user(user)
        rec = await self.sb.dispatch(4, data, who, label, place=self.sb.place(where, who))
        await self.sb.wait_for(lambda: rec.acked is not None, 5.0)
        return rec.autocomplete or []

    async def click(
        self,
        message: Message | Reply,
        label: str,
        *,
        user: str | User = "member",
        timeout: float = 15.0,
    ) -> Reply:
        msg = message.message if isinstance(message, Reply) else message
        if msg is None:
            raise DriverError("there is no message to click on.")
        buttons = [
            c for row in msg.payload.get("components") or [] for c in row.get("components") or []
        ]
        match = [b for b in buttons if (b.get("label") or "").lower() == label.lower()] or [
            b for b in buttons if label.lower() in (b.get("label") or "").lower()
        ]
        if not match:
            names = ", ".join(f"[{b.get('label')}]" for b in buttons) or "none"
            raise DriverError(f"no button {label!r} on that message (buttons: {names}).")
        b = match[0]
        if b.get("disabled"):
            raise DriverError(f"the button [{b.get('label')}] is disabled.")
        data = {"custom_id": b["custom_id"], "component_type": 2}
        rec = await self.sb.dispatch(3, data, self.user(user), f"[{b.get('label')}]", message=msg)
        return await self.wait(rec, timeout)

    async def wait(self, rec: InteractionRecord, timeout: float) -> Reply:
        """Until the interaction has its final message (or the timeout), plus a brief settle."""
        done = await self.sb.wait_for(lambda: rec.final is not None, timeout)
        if done:
            await self.sb.wait_for(lambda: False, 0.05)  # let immediate follow-ups land
        msgs = [self.sb.messages[m] for m in rec.message_ids]
        return Reply(rec, msgs, timed_out=not done)


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f" Did you mean {close[0]!r}?" if close else f" Options: {', '.join(options)}."


def _positional(options: list[dict], words: list[str], where: str) -> dict[str, str]:
    """Words typed before any `name:`, given to the options in order: one word each, the
    rest of them to a free-text option (a string with no choices)."""
    given: dict[str, str] = {}
    for opt in options:
        if not words:
            return given
        if opt["type"] == STRING and not opt.get("choices"):
            given[opt["name"]], words = " ".join(words), []
        else:
            given[opt["name"]], *words = words
    if words:
        names = " ".join(o["name"] for o in options)
        raise DriverError(
            f"{where} takes at most {len(options)} values in order ({names}); "
            f"{' '.join(words)!r} is one too many. Name the option instead, e.g. name:value."
        )
    return given


def _elsewhere(schema: dict, name: str, raw: str) -> str:
    """A hint when a word that went to option `name` by position is a choice of another."""
    for other, opt in schema.items():
        values = {str(c["value"]).lower() for c in opt.get("choices") or []}
        if other != name and raw.lower() in values:
            return f" Words fill the options in order; for the {other}, type {other}:{raw}."
    return ""


def _convert(opt: dict, raw: str, where: str):
    t, name = opt["type"], opt["name"]
    try:
        if t == INTEGER:
            value = int(raw)
        elif t == NUMBER:
            value = float(raw)
        elif t == BOOLEAN:
            low = raw.lower()
            if low not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError
            value = low in ("true", "yes", "1")
        else:
            value = raw
    except ValueError:
        kind = {INTEGER: "a whole number", NUMBER: "a number", BOOLEAN: "true or false"}.get(
            t, "text"
        )
        raise DriverError(f"{where}: {name} must be {kind} (got {raw!r}).") from None
    choices = opt.get("choices") or []
    if choices:
        by_value = {str(c["value"]).lower(): c["value"] for c in choices}
        by_name = {str(c["name"]).lower(): c["value"] for c in choices}
        key = str(raw).lower()
        if key not in by_value and key not in by_name:
            close = difflib.get_close_matches(key, list(by_value), n=1, cutoff=0.5)
            hint = f" Did you mean {close[0]!r}?" if close else ""  # the list is said once
            raise DriverError(
                f"{where}: {name} must be one of {', '.join(str(c['value']) for c in choices)}."
                + hint
            )
        value = by_value.get(key, by_name.get(key))
    if t in (INTEGER, NUMBER):
        lo, hi = opt.get("min_value"), opt.get("max_value")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise DriverError(f"{where}: {name} must be between {lo} and {hi} (got {raw}).")
    if t == STRING:
        lo, hi = opt.get("min_length", 0), opt.get("max_length", 6000)
        if not lo <= len(value) <= hi:
            raise DriverError(f"{where}: {name} must be {lo}-{hi} characters long.")
    return value
