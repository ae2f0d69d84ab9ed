"""Reading one Discord message for "Settle this": what text to read and what was found.

Pure: takes the message's text and its embeds' text, returns a Reading (facts only;
bot/cards/claim.py words them). Code blocks are skipped, `>` lines are someone
else's words, an embeds-only message is read from its embeds, and very long
messages are read up to READ_LIMIT characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.claims.match import Match, find_claims
from bot.claims.text import FENCE, looks_english, strip_code

READ_LIMIT = 6000  # characters: Discord allows 4000 per message; embeds can add more


@dataclass(frozen=True)
class Reading:
    matches: tuple[Match, ...]  # most important first
    had_code: bool  # fenced code blocks were skipped
    had_quote: bool  # some lines start with `>`
    from_embeds: bool  # the message had no text: its embeds were read
    truncated: bool  # longer than READ_LIMIT; the rest was not read
    english: bool  # looks like English (the catalogue's phrasings are English)
    empty: bool  # nothing readable at all (no text, or code only)

    @property
    def quoted_only(self) -> bool:
        return bool(self.matches) and all(m.quoted for m in self.matches)


def read(content: str, embed_texts: list[str] | tuple[str, ...] = ()) -> Reading:
    """The claims in a message, with how the message was read."""
    text = content or ""
    from_embeds = not text.strip() and any(t.strip() for t in embed_texts)
    if from_embeds:
        text = "\n".join(t for t in embed_texts if t.strip())
    truncated = len(text) > READ_LIMIT
    text = text[:READ_LIMIT]
    prose = strip_code(text)
    return Reading(
        matches=tuple(find_claims(text)),
        had_code=bool(FENCE.search(text)),
        had_quote=any(line.lstrip().startswith(">") for line in prose.splitlines()),
        from_embeds=from_embeds,
        truncated=truncated,
        english=looks_english(prose),
        empty=not prose.strip(),
    )
