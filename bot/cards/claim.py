"""Verdict cards for claims: /claim (one claim) and "Settle this" (every claim in a message).

The verdicts and the reasons are the catalogue's (bot/claims); this module only words
them. The experiment that demonstrates a claim is a separate card, built by its own
job and shown beneath these.
"""

from __future__ import annotations

from bot.cards import COLOR_FALSE, COLOR_TRUE, Card, Field
from bot.claims import CLAIMS, Claim, Match, Verdict
from bot.claims.settle import READ_LIMIT, Reading

COLOR_BUT = 0xF0B429  # true as far as it goes, but misses something
STAMP = {Verdict.TRUE: "✅ TRUE", Verdict.FALSE: "❌ FALSE", Verdict.TRUE_BUT: "⚠️ TRUE, BUT…"}
COLOR = {Verdict.TRUE: COLOR_TRUE, Verdict.FALSE: COLOR_FALSE, Verdict.TRUE_BUT: COLOR_BUT}
MAX_LISTED = 8  # claims listed in one Settle card: keeps both embeds under 6000 characters
MAX_BUTTONS = 10  # buttons for the other claims (plus Show code, New seed, Pin)


def claim_card(claim: Claim) -> Card:
    """One claim: the stamp, why, the commands that show it, and a reference."""
    shows = "\n".join(f"`{e.command}`" for e in claim.experiments)
    return Card(
        title=f"“{claim.wording}”",
        verdict=STAMP[claim.verdict],
        body=claim.why,
        fields=(
            Field("See it yourself", shows),
            Field("Reference", claim.reference),
        ),
        footer="Nonlinear · /claim · the experiment below is the bot's own, seeded and reproducible",
        color=COLOR[claim.verdict],
        command=f"/claim claim:{claim.id}",
    )


def _heard(m: Match) -> str:
    return " · ".join(f"“{w}”" for w in m.words)


def _line(m: Match) -> str:
    quoted = " *(in a quote: someone else's words)*" if m.quoted else ""
    return f"{STAMP[m.claim.verdict]} **{m.claim.wording}**{quoted}\n{m.claim.why}\n*heard: {_heard(m)}*"


def settle_card(reading: Reading, jump_url: str) -> Card:
    """The compact answer to a message: each claim with its stamp and why, most
    important first; the first one's experiment is attached beneath."""
    listed = reading.matches[:MAX_LISTED]
    lines = [_line(m) for m in listed]
    more = len(reading.matches) - len(listed)
    if more:
        lines.append(f"…and {more} more: look them up with `/claim`.")
    notes = [f"[the message]({jump_url})"]
    if reading.quoted_only:
        notes.append("every claim here is in a `>` quote: the author is quoting someone else")
    elif reading.had_quote:
        notes.append("`>` lines are someone else's words and are marked so")
    if reading.had_code:
        notes.append("code blocks were skipped: code is not a claim")
    if reading.from_embeds:
        notes.append("the message had no text, so its embed was read")
    if reading.truncated:
        notes.append(f"only the first {READ_LIMIT} characters were read")
    top = reading.matches[0].claim
    n = len(reading.matches)
    return Card(
        title=f"Settling {n} claim{'s' * (n != 1)}",
        verdict=f"{STAMP[top.verdict]}: {top.wording}" if n == 1 else _tally(reading),
        body="\n\n".join(lines),
        fields=(Field("Answers", " · ".join(notes)),),
        footer="Nonlinear · Settle this · each verdict is on the claim as worded here · "
        f"below: {top.experiments[0].command}",
        color=COLOR[top.verdict],
        command=top.experiments[0].command,
    )


def _tally(reading: Reading) -> str:
    """'6 false, 5 true but incomplete, 1 true': the false ones first, like the list."""
    words = {Verdict.FALSE: "false", Verdict.TRUE_BUT: "true but incomplete", Verdict.TRUE: "true"}
    counts = {v: sum(m.claim.verdict is v for m in reading.matches) for v in words}
    return ", ".join(f"{counts[v]} {w}" for v, w in words.items() if counts[v])


def nothing_found(reading: Reading | None, *, own: bool = False) -> str:
    """The private answer when a message has no claim the catalogue knows."""
    if own:
        head = "That is my own answer. To look a claim up, use `/claim`."
    elif reading is None or reading.empty:
        head = "That message has no text I can read (only attachments, or only code)."
    elif not reading.english:
        head = "I only read claims written in English, and found none in that message."
    else:
        head = "I found no claim I can settle in that message."
    listing = "\n".join(f"• {c.wording}" for c in CLAIMS)
    return f"{head}\n\nI can settle these:\n{listing}\n\nOr look one up with `/claim`."


def claim_choices(claims: list[Claim]) -> list[tuple[str, str]]:
    """(name, value) pairs for autocomplete: the canonical wording, the claim id."""
    return [(c.wording[:100], c.id) for c in claims[:25]]
