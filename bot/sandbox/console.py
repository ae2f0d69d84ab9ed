"""The offline console: the sandbox and the real bot in one process, driven from stdin.

Type commands as in Discord (`/xor linear`, `/collapse 5`, `/activation tanh`);
`click <label>` presses a button on the last reply where you are; `post <text>` writes a
message as a person and `apps Settle this` runs a message command on it; `help` lists the
commands. Replies and posts are remembered per place, as a channel shows only its own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import tempfile
import textwrap
from pathlib import Path

from bot.sandbox.driver import DriverError, Reply
from bot.sandbox.harness import running
from bot.sandbox.message_commands import MessageCommandError
from bot.sandbox.model import Message
from bot.sandbox.places import WHERE
from bot.settings import Settings

WELCOME = """Nonlinear offline console: a local Discord sandbox with the real bot (no token needed).
Type a command as in Discord, e.g. /xor linear, /collapse 5, /activation tanh.
'help' lists every command ('help collapse' its options), 'click <label>' presses a
button on the newest reply here that has it, 'post <text>' writes a message and
'apps Settle this' answers its claims (Apps menu on your newest message here),
'as owner|moderator|member' changes who you are (now: owner), 'in dm' (or guild,
user-guild, gdm) where you are (now: the bot's server), 'quit' leaves."""


PLACES = {
    "guild": "the bot's server (#general)",
    "user-guild": "another server, through a user install (the bot is not a member)",
    "dm": "your DM with the bot",
    "gdm": "a group DM, through a user install",
}


def render(reply: Reply, saved: list[Path]) -> str:
    """A reply as text: embed, buttons, visibility, timings, saved attachments."""
    out: list[str] = []
    rec = reply.record
    if reply.timed_out:
        out.append("(no answer within the time limit)")
    msg = reply.message
    if msg is not None:
        if reply.content:
            out.append(reply.content)
        for e in msg.payload.get("embeds") or []:
            out.append(f"┃ {e.get('title', '')}")
            for line in (e.get("description") or "").splitlines():
                out.append(f"┃ {line}")
            for f in e.get("fields") or []:
                out.append(f"┃ ▸ {f['name']}")
                for line in f["value"].replace("```", "").strip().splitlines():
                    out.append(f"┃     {line}")
            if (e.get("footer") or {}).get("text"):
                out.append(f"┃ — {e['footer']['text']}")
        buttons = reply.buttons()
        if buttons:
            out.append("buttons: " + " ".join(f"[{b.get('label')}]" for b in buttons))
    ack = f"{rec.ack_ms:.0f} ms" if rec.ack_ms is not None else "never"
    final = f"{rec.final_ms:.0f} ms" if rec.final_ms is not None else "never"
    kind = {4: "reply", 5: "deferred", 6: "deferred update", 7: "update"}.get(
        rec.ack_type or 0, "-"
    )
    vis = "ephemeral (only you)" if reply.ephemeral else "public"
    out.append(f"[{vis} · {kind} · acknowledged {ack} · final {final}]")
    out += [f"saved {p}" for p in saved]
    return "\n".join(out)


def _labels(reply: Reply) -> list[str]:
    return [(b.get("label") or "").lower() for b in reply.buttons() if not b.get("disabled")]


def _with_button(replies: list[Reply], label: str) -> Reply | None:
    """The newest reply with a button matching `label` (exactly, else by substring)."""
    want = label.lower()
    for exact in (True, False):
        for reply in reversed(replies):
            if any(lab == want if exact else want in lab for lab in _labels(reply)):
                return reply
    return None


def _no_button(replies: dict[str, list[Reply]], label: str, where: str) -> str:
    here = replies.get(where, [])
    if not here:
        text = f"nothing to click in {PLACES[where]} yet: run a command here first."
    else:
        names = ", ".join(f"[{b.get('label')}]" for b in here[-1].buttons()) or "none"
        text = f"no reply here has a button {label!r} (the last one has: {names})."
    there = [p for p, rs in replies.items() if p != where and _with_button(rs, label)]
    if there:
        text += f" A reply in {PLACES[there[0]]} has one: 'in {there[0]}' to go there."
    return text


def save(reply: Reply, folder: Path) -> list[Path]:
    paths = []
    msg = reply.message
    if msg is None:
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in msg.files.items():
        p = folder / f"{msg.id}-{name}"
        p.write_bytes(data)
        paths.append(p)
    return paths


async def console(settings: Settings, save_dir: Path, stdin=None, stdout=None) -> int:
    """Run until end of input or 'quit'; 0 if the sandbox saw no violation, else 1."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    say = lambda s="": print(s, file=stdout, flush=True)  # noqa: E731
    say("starting the sandbox and the bot…")
    # global commands, as in production, so they can be used in every place (a sandbox
    # sync is instant); the sync hash goes to a scratch folder, not the user's STATE_DIR
    scratch = tempfile.TemporaryDirectory(prefix="nonlinear-console-")
    # one person trying commands back to back: the per-user cooldown would only get in the
    # way here (the per-server and queue limits still apply)
    settings = dataclasses.replace(
        settings, state_dir=Path(scratch.name), cooldown_rate=max(settings.cooldown_rate, 1000)
    )
    if settings.log_level != "DEBUG":  # the console shows each reply: no JSON line per command
        logging.getLogger("nonlinear.commands").setLevel(logging.WARNING)
    async with running(settings, dev_guild=False) as h:
        say(WELCOME)
        # per place, as in Discord, where a channel shows only its own messages:
        replies: dict[str, list[Reply]] = {}  # every reply so far there, newest last
        posted: dict[str, Message] = {}  # the newest message typed there with 'post'
        user = "owner"  # a self-hoster trying their bot owns the server
        where = "guild"
        loop = asyncio.get_running_loop()
        while True:
            if interactive:
                print("> ", end="", file=stdout, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not interactive:
                say(f"> {line}")
            low = line.lower()
            try:
                if low in ("quit", "exit", "q"):
                    break
                if low in ("help", "?"):
                    say("\n".join(h.driver.usage()))
                    say(
                        "help <command>  its options: meaning, bounds, choices (e.g. help collapse)"
                    )
                    say("click <label>   press a button on the newest reply here that has it")
                    say(
                        "as <user>       act as owner, moderator or member (pinning needs a moderator)"
                    )
                    say("in <place>      guild, user-guild (a server the bot is not in), dm, gdm")
                    say("post <text>     write a message as a person, where you are")
                    say(
                        "apps <command>  Apps menu on your newest message here, e.g. apps Settle this"
                    )
                    say("quit            leave")
                    continue
                if low.startswith(("help ", "? ")):
                    lines, asks = h.driver.details(low.split(None, 1)[1])
                    if not lines:
                        raise DriverError(f"no command {low.split(None, 1)[1]!r}: try 'help'.")
                    say("\n".join(lines))
                    for command, option in asks:  # the names the bot suggests while typing
                        names = await h.driver.autocomplete(command, option, user=user)
                        say(f"  {option} is one of: " + ", ".join(c["value"] for c in names))
                    continue
                if low.startswith("in "):
                    place = low[3:].strip()
                    if place not in WHERE:
                        raise DriverError(f"no place {place!r}: {', '.join(WHERE)}.")
                    where = place
                    say(f"you are now in: {PLACES[place]}")
                    continue
                if low.startswith("as "):
                    who = low[3:].strip()
                    if who not in h.sandbox.guild.users:
                        raise DriverError(f"no user {who!r}: owner, moderator or member.")
                    user = who
                    say(f"you are now {who}")
                    continue
                if low.startswith("post "):
                    posted[where] = h.driver.post(line[5:].strip(), user=user, where=where)
                    say(f"({user} posted message {posted[where].id} in {PLACES[where]})")
                    continue
                if low.startswith("apps"):
                    if where not in posted:
                        raise DriverError(
                            "post a message first: post <text>, then apps Settle this."
                        )
                    reply = await h.driver.apps(
                        line[4:].strip() or "Settle this", posted[where], user=user
                    )
                elif low.startswith("click"):
                    label = line[5:].strip()
                    here = replies.get(where, [])
                    target = _with_button(here, label)
                    if target is None:
                        raise DriverError(_no_button(replies, label, where))
                    if target is not here[-1]:
                        say(f"(on the reply to {target.record.label})")
                    reply = await h.driver.click(target, label, user=user)
                elif line.startswith("/") or low.split()[0] in {
                    c["name"] for c in h.driver.commands()
                }:
                    reply = await h.driver.invoke(
                        line if line.startswith("/") else "/" + line, user=user, where=where
                    )
                else:
                    raise DriverError(
                        f"unknown input {line[:40]!r}: commands start with '/', e.g. /xor linear. "
                        "Type 'help' for the list."
                    )
            except (DriverError, MessageCommandError) as e:
                say(f"! {e}")
                continue
            if reply.message is not None:
                # private replies too: their buttons work; a reply stays where it was sent
                replies.setdefault(where, []).append(reply)
            say(render(reply, save(reply, save_dir)))
            say()
        violations = h.sandbox.violations + [f"unhandled route {u}" for u in h.sandbox.unhandled]
    scratch.cleanup()
    if violations:
        say("sandbox violations:")
        say(textwrap.indent("\n".join(violations), "  "))
        return 1
    return 0


def main(settings: Settings, save_dir: Path) -> int:
    logging.getLogger("discord").setLevel(logging.ERROR)
    if logging.getLogger().level > logging.DEBUG:  # keep the console about the replies
        logging.getLogger("bot").setLevel(logging.WARNING)
    try:
        return asyncio.run(console(settings, save_dir))
    except KeyboardInterrupt:
        return 0
