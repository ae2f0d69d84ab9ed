"""Fuzzing through the sandbox: every command, every option, forged buttons.

Interactions are built raw from the schema the bot synced (so a new command is covered
without touching this file) and skip the checks Discord's client makes (ranges, lengths,
choices, required options): what is tested is the bot's own, server-side enforcement.
Each example must end with no sandbox violation, no logged error, an answer in time, and
either a card or a short private refusal that says what is allowed.

The bot and sandbox live in an event loop on a thread of their own for the whole module,
so each hypothesis example is a plain call with a timeout. In `make test` the default
profile keeps this to a few dozen examples, most of them refusals that never reach the
pool; `make fuzz` runs thousands.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import jobspec
from bot.jobs import Job
from bot.replies import NEUTRAL_NOTE
from bot.sandbox.driver import BOOLEAN, GROUP, INTEGER, NUMBER, STRING, SUBCOMMAND, Reply
from bot.sandbox.harness import Harness, running
from bot.sandbox.model import InteractionRecord
from bot.settings import Settings

pytestmark = pytest.mark.fuzz

JOB_TIMEOUT_S = 10.0  # the production default: a heavy valid job is stopped, not waited for
ANSWER_S = JOB_TIMEOUT_S + 10.0  # per example: the pool's limit plus Discord's round trips
REFUSAL_LEN = 400  # a refusal is a sentence or two, never a dump of what was typed

HOSTILE = [
    "__import__('os')",
    "__import__('os').system('true')",
    "open('/etc/passwd').read()",
    "x.__class__.__mro__",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: x",
    "[x for x in range(10**9)]",
    "1e308**9",
    "9**9**9**9",
    "x**x**x**x**x**x",
    "exp(exp(exp(exp(x))))",
    "10**10**10",
    "x" * 5000,
    "x*" * 2500 + "x",
    "(" * 300 + "x" + ")" * 300,
    "(" * 50,
    "sin(" * 100 + "x" + ")" * 100,
    "max(x, 0.1*x",
    "1/0",
    "x/0",
    "log(0*x)",
    "sqrt(-1-x*x)",
    "x if x else 0",
    "x; import os",
    "\x00",
    "\u202ex",
    "ｘ",
    "𝑥*sin(𝑥)",
    "",
    " ",
    "🧠" * 100,
    "a" * 10_000,
    "tanh,relu," * 1000,
    "1," * 5000,
    "-1,0,999999999999999999999",
    "nan",
    "inf",
    "-0",
    "1e-400",
]

# ---- the bot, in a loop of its own -------------------------------------------------------


class Live:
    """A harness running in a background event loop; `run` calls into it with a timeout."""

    def __init__(self, harness: Harness, loop: asyncio.AbstractEventLoop) -> None:
        self.h, self.sb, self.loop = harness, harness.sandbox, loop
        self.errors: list[logging.LogRecord] = []

    def run(self, make: Callable[[], Coroutine[Any, Any, Any]], timeout: float = ANSWER_S):
        return asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout)


class _Errors(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@pytest.fixture(scope="module")
def live(pool, tmp_path_factory):
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    started: asyncio.Queue = asyncio.Queue()
    stop = asyncio.Event()
    settings_ = Settings(
        workers=2,
        state_dir=tmp_path_factory.mktemp("state"),
        cooldown_rate=100_000,
        guild_concurrency=1000,
        queue_max=1000,
    )
    old_timeout, pool.timeout = pool.timeout, JOB_TIMEOUT_S

    async def host() -> None:
        async with running(settings_, pool=pool) as h:
            await started.put(h)
            await stop.wait()

    task = asyncio.run_coroutine_threadsafe(host(), loop)
    harness = asyncio.run_coroutine_threadsafe(started.get(), loop).result(120)
    live = Live(harness, loop)
    handler = _Errors(live.errors)
    logging.getLogger().addHandler(handler)
    try:
        yield live
    finally:
        logging.getLogger().removeHandler(handler)
        loop.call_soon_threadsafe(stop.set)
        task.result(60)

        async def cancel_the_rest() -> None:  # e.g. discord.py's view timeout tasks
            for t in asyncio.all_tasks() - {asyncio.current_task()}:
                t.cancel()

        asyncio.run_coroutine_threadsafe(cancel_the_rest(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        pool.timeout = old_timeout


# ---- what a user could send ----------------------------------------------------------------


INT_MIN, INT_MAX = -(2**53), 2**53  # Discord's integers are ±2^53
# `make fuzz` also draws valid values across each whole range, where a job can take seconds;
# `make test` keeps valid values near the cheap end (most of its examples are refusals)
WHOLE_RANGES = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"


def _valid(opt: dict) -> st.SearchStrategy[Any]:
    """What Discord's client lets through for this option."""
    t, lo, hi = opt["type"], opt.get("min_value"), opt.get("max_value")
    if opt.get("choices"):
        return st.sampled_from([c["value"] for c in opt["choices"]])
    if t == INTEGER:
        lo, hi = int(lo if lo is not None else 0), int(hi if hi is not None else 10)
        cheap = st.integers(lo, min(hi, lo + 3))
        return st.one_of(cheap, st.integers(lo, hi)) if WHOLE_RANGES else cheap
    if t == NUMBER:
        return st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if t == BOOLEAN:
        return st.booleans()
    low, high = opt.get("min_length", 0), opt.get("max_length", 6000)
    hostile = [h for h in HOSTILE if low <= len(h) <= high]
    return st.one_of(st.sampled_from(hostile), st.text(min_size=low, max_size=min(high, 60)))


def _invalid(opt: dict) -> st.SearchStrategy[Any] | None:
    """What only a raw interaction can carry: out of range, too long, not a choice."""
    t, lo, hi = opt["type"], opt.get("min_value"), opt.get("max_value")
    if t == INTEGER and (lo is not None or hi is not None):
        below = st.integers(INT_MIN, int(lo) - 1) if lo is not None else st.nothing()
        above = st.integers(int(hi) + 1, INT_MAX) if hi is not None else st.nothing()
        low = int(lo) if lo is not None else INT_MIN
        high = int(hi) if hi is not None else INT_MAX
        edges = [v for v in (INT_MIN, -1, 0, INT_MAX) if not low <= v <= high]
        return st.one_of(below, above, st.sampled_from(edges or [INT_MIN]))
    if t == NUMBER and (lo is not None or hi is not None):
        lo, hi = float(lo if lo is not None else -1e308), float(hi if hi is not None else 1e308)
        edges = [1e308, -1e308, 5e-324, 0.0, -0.0, lo / 2, lo - 1e-9, hi * 1.000001, hi + 1]
        outside = [v for v in edges if not lo <= v <= hi]
        anything = st.floats(allow_nan=False, allow_infinity=False)
        return st.one_of(st.sampled_from(outside), anything.filter(lambda v: not lo <= v <= hi))
    if t == STRING:
        low, high = opt.get("min_length", 0), opt.get("max_length", 6000)
        choices = {str(c["value"]) for c in opt.get("choices") or []}
        wrong = [h for h in HOSTILE if not low <= len(h) <= high or (choices and h not in choices)]
        return st.sampled_from(wrong) if wrong else None
    return None  # booleans: nothing a client could not send


@st.composite
def _leaf_options(draw, node: dict) -> list[dict]:
    """Any subset of the options, each valid or not; four examples in five break one
    option for sure, and a required option is sometimes missing."""
    options = node.get("options") or []
    breakable = [o for o in options if _invalid(o) is not None]
    target = None
    if breakable and draw(st.integers(0, 4)) > 0:
        target = draw(st.sampled_from(breakable))["name"]
    out = []
    for opt in options:
        bad = _invalid(opt)
        if opt["name"] == target and bad is not None:
            value = draw(bad)
        elif draw(st.booleans()) or (opt.get("required") and draw(st.integers(0, 9)) > 0):
            value = draw(st.one_of(_valid(opt), bad) if bad is not None else _valid(opt))
        else:
            continue
        out.append({"name": opt["name"], "type": opt["type"], "value": value})
    return out


@st.composite
def interactions(draw, commands: list[dict]) -> tuple[dict, str, str | None]:
    """(interaction data, label, focused option or None): a command, or an autocomplete."""
    cmd = draw(st.sampled_from(commands))
    data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1}
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    node, sink, path = cmd, data, [cmd["name"]]
    while subs := [o for o in node.get("options") or [] if o["type"] in (SUBCOMMAND, GROUP)]:
        sub = draw(st.sampled_from(subs))
        child: dict[str, Any] = {"name": sub["name"], "type": sub["type"], "options": []}
        sink["options"] = [child]
        node, sink = sub, child
        path.append(sub["name"])
    sink["options"] = draw(_leaf_options(node))
    focus = [o for o in node.get("options") or [] if o.get("autocomplete")]
    focused = None
    if focus and draw(st.integers(0, 3)) == 0:
        opt = draw(st.sampled_from(focus))
        focused = opt["name"]
        sink["options"] = [o for o in sink["options"] if o["name"] != focused]
        sink["options"].append(
            {"name": focused, "type": STRING, "value": draw(st.text(max_size=120)), "focused": True}
        )
    return data, "/" + " ".join(path), focused


# ---- checks ----------------------------------------------------------------------------------

# what a refusal says is allowed: a bound or count, a list, an example, or what to do instead
ALLOWED_HINT = re.compile(
    r"\d|must|one of|: \w+,|e\.g\.|did you mean|see /|allowed|try |run (it|the command)|"
    r"between|at most|at least|needs?|give |choose|type it again",
    re.I,
)


def _check_reply(reply: Reply, what: str) -> None:
    assert not reply.timed_out, f"{what}: no answer within {ANSWER_S:g} s"
    msg = reply.message
    assert msg is not None, f"{what}: acknowledged but nothing was posted"
    text = reply.content
    if reply.embed is not None:
        return  # a card (or /help): its content was checked by the sandbox's limits
    if text.startswith("Reproduce `") and ("```py" in text or "reproduce.py" in reply.files):
        assert msg.ephemeral, f"{what}: Show code is private"
        return  # Show code: the script, inline or attached
    assert msg.ephemeral, f"{what}: a refusal must be private: {text!r}"
    assert "went wrong on our side" not in text, f"{what}: unexpected error: {text!r}"
    assert len(text) <= REFUSAL_LEN, f"{what}: refusal too long ({len(text)}): {text[:200]!r}…"
    assert ALLOWED_HINT.search(text), f"{what}: refusal does not say what is allowed: {text!r}"
    assert "object at 0x" not in text and "Traceback" not in text, f"{what}: {text!r}"


async def _settled(live: Live, rec: InteractionRecord) -> Reply:
    """Wait for the final answer, and past the short public note of a deferred refusal."""
    reply = await live.h.driver.wait(rec, ANSWER_S - 2)

    def settled() -> bool:
        last = live.sb.messages[rec.message_ids[-1]] if rec.message_ids else None
        return last is None or last.payload.get("content") != NEUTRAL_NOTE

    if not reply.timed_out and not settled():
        await live.sb.wait_for(settled, 5.0)
        reply = await live.h.driver.wait(rec, 1.0)
    return reply


def _no_problems(live: Live, before: tuple[int, int, int], what: str) -> None:
    v, u, e = before
    problems = live.sb.violations[v:] + [f"unhandled {x}" for x in live.sb.unhandled[u:]]
    problems += [f"logged error: {r.getMessage()}" for r in live.errors[e:]]
    del live.sb.violations[v:], live.sb.unhandled[u:], live.errors[e:]  # don't taint the next
    assert not problems, f"{what}:\n" + "\n".join(problems)


def _mark(live: Live) -> tuple[int, int, int]:
    return len(live.sb.violations), len(live.sb.unhandled), len(live.errors)


# ---- the tests -----------------------------------------------------------------------------


def _commands(live: Live) -> list[dict]:
    """The schema the bot synced, as Discord's client would show it in the guild."""
    cmds = live.h.driver.commands("guild")
    assert len(cmds) >= 8, "the synced schema should hold every command"
    return cmds


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_command_with_arbitrary_options(live, data):
    schema = _commands(live)
    payload, label, focused = data.draw(interactions(schema), label="interaction")
    kind = 4 if focused else 2
    before = _mark(live)
    what = f"{label} {payload}"

    async def go():
        sb = live.sb
        command = next(c for c in schema if c["name"] == payload["name"])
        rec = await sb.dispatch(
            kind, payload, sb.guild.member, label, place=sb.place(), command=command
        )
        if kind == 4:
            ok = await sb.wait_for(lambda: rec.acked is not None, 5.0)
            return rec, ok
        return rec, await _settled(live, rec)

    rec, outcome = live.run(go)
    if kind == 4:
        assert outcome, f"{what}: autocomplete not answered"
        assert len(rec.autocomplete or []) <= 25
    else:
        _check_reply(outcome, what[:300])
    _no_problems(live, before, what[:300])


# ---- buttons: forged and truncated custom_ids ------------------------------------------------

ACTIONS = ["code", "seed", "pin", "", "x", "codes"]


@st.composite
def _specs(draw) -> str:
    kind = draw(st.one_of(st.sampled_from(sorted(jobspec.KIND_OF)), st.text(max_size=3)))
    keys = st.one_of(st.sampled_from(sorted(jobspec.KEY_OF)), st.text(max_size=3))
    vals = st.one_of(
        st.sampled_from(["0", "1", "-1", "1e308", "nan", "inf", "99999999999", "@", "", "0x10"]),
        st.integers(-(2**64), 2**64).map(str),
        st.text(max_size=12),
    )
    pairs = draw(st.lists(st.tuples(keys, vals), max_size=8))
    return kind + ":" + ",".join(f"{k}={v}" for k, v in pairs)


def _custom_ids() -> st.SearchStrategy[str]:
    forged = st.builds(lambda a, s: f"nl:{a}:{s}", st.sampled_from(ACTIONS), _specs())
    truncated = st.builds(lambda c, k: c[:k], st.sampled_from(REAL_IDS), st.integers(1, 100))
    return st.one_of(forged, truncated, st.text(min_size=1, max_size=100), st.just("nl:pin")).map(
        lambda c: c[:100] or "x"
    )


REAL_JOBS = [  # what real buttons carry (bot.buttons: nl:code:<spec>, nl:seed:<spec>)
    Job("collapse", dict(layers=3, width=4, bottleneck=2, bias=True, between="tanh", seed=7)),
    Job("xor.neuron", dict(activation="sin", seed=3, epochs=2000, lr=1.0)),
    Job("activation", dict(name="tanh", custom="x*sin(x)")),  # the formula: f=@ (in the embed)
    Job("regions", dict(width=8, depth=2, seed=0, dataset="moons")),
]
REAL_IDS = [f"nl:{a}:{jobspec.encode(j)}" for j in REAL_JOBS for a in ("code", "seed")]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_forged_and_truncated_buttons(live, data):
    cid = data.draw(_custom_ids(), label="custom_id")
    formula = data.draw(st.one_of(st.none(), st.sampled_from(HOSTILE)), label="Formula field")
    before = _mark(live)

    async def go():
        sb = live.sb
        embed = {"title": "a result", "fields": []}
        if formula is not None:
            embed["fields"].append({"name": "Formula", "value": f"`f(x) = {formula[:990]}`"})
        button = {"type": 2, "style": 2, "label": "Show code", "custom_id": cid}
        msg = sb._message(
            None, {"embeds": [embed], "components": [{"type": 1, "components": [button]}]}, {}
        )
        data = {"custom_id": cid, "component_type": 2}
        rec = await sb.dispatch(3, data, sb.guild.moderator, f"[{cid!r}]", message=msg)
        return await _settled(live, rec)

    reply = live.run(go)
    what = f"button {cid!r} formula {formula!r:.60}"
    if reply.message is not None and reply.embed is None and not reply.ephemeral:
        # a Pin press edits the clicked message (the button says who pinned it)
        assert cid == "nl:pin", what
    else:
        _check_reply(reply, what)
    _no_problems(live, before, what)
