"""The offline console: the sandbox and the real bot in one process, driven from stdin.

Type commands as in Discord (`/xor linear`, `/collapse 5`, `/activation tanh`);
`click <label>` presses a button on the last reply; `help` lists the commands.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import textwrap
from pathlib import Path

from bot.sandbox.driver import DriverError, Reply
from bot.sandbox.harness import running
from bot.settings import Settings

WELCOME = """Nonlinear offline console: a local Discord sandbox with the real bot (no token needed).
Type a command as in Discord, e.g. /xor linear, /collapse 5, /activation tanh.
'help' lists every command, 'click <label>' presses a button on the last reply,
'as owner|moderator|member' changes who you are (now: owner), 'quit' leaves."""


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
    async with running(settings) as h:
        say(WELCOME)
        last: Reply | None = None
        user = "owner"  # a self-hoster trying their bot owns the server
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
                    say("click <label>   press a button on the last reply")
                    say(
                        "as <user>       act as owner, moderator or member (pinning needs a moderator)"
                    )
                    say("quit            leave")
                    continue
                if low.startswith("as "):
                    who = low[3:].strip()
                    if who not in h.sandbox.guild.users:
                        raise DriverError(f"no user {who!r}: owner, moderator or member.")
                    user = who
                    say(f"you are now {who}")
                    continue
                if low.startswith("click"):
                    label = line[5:].strip()
                    if last is None:
                        raise DriverError("nothing to click yet: run a command first.")
                    reply = await h.driver.click(last, label, user=user)
                elif line.startswith("/") or low.split()[0] in {
                    c["name"] for c in h.driver.commands()
                }:
                    reply = await h.driver.invoke(
                        line if line.startswith("/") else "/" + line, user=user
                    )
                else:
                    raise DriverError(
                        f"unknown input {line[:40]!r}: commands start with '/', e.g. /xor linear. "
                        "Type 'help' for the list."
                    )
            except DriverError as e:
                say(f"! {e}")
                continue
            if (reply.message is not None and not reply.ephemeral) or last is None:
                last = reply
            say(render(reply, save(reply, save_dir)))
            say()
        violations = h.sandbox.violations + [f"unhandled route {u}" for u in h.sandbox.unhandled]
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
