"""What reading a message for "Settle this" costs (bot.claims.settle.read), worst cases included.

Messages of INLINE_CHARS (the longest the bot reads on its event loop; longer ones go to
the worker pool), 4000 characters (Discord's longest) and READ_LIMIT (what is read of a
longer one, with embeds): chat from the labelled corpora, and texts made to be slow to read: catalogue words
with typos and many "and"s (every piece has words of many claims, few whole phrasings),
a distinct misspelling per word (no cache helps), one-letter words between "and"s (most
pieces), one-word sentences, and punctuation with accents and symbols. Cold = the
matcher's word caches emptied before each read (a message of words never seen), warm =
the same message read again. Median and max of ROUNDS reads, in this process.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.claims import match
from bot.claims.settle import READ_LIMIT, read
from bot.claims.text import stem
from cogs.claim import INLINE_CHARS

ROUNDS = 9
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "claims_corpus"
WORDS = sorted({w for t in match.VOCABULARY if not t[0].startswith("<") for w in t})


def _fill(piece: Callable[[], str], n: int) -> str:
    out: list[str] = []
    while sum(map(len, out)) < n:
        out.append(piece())
    return "".join(out)[:n]


def _typo(rng: random.Random, w: str) -> str:
    i = rng.randrange(1, len(w)) if len(w) > 1 else 0
    return w[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + w[i + 1 :]


def messages(n: int) -> dict[str, str]:
    rng = random.Random(n)
    chat = [
        line.partition(" | ")[2]
        for f in sorted(CORPUS.glob("*.txt"))
        for line in f.read_text().splitlines()
        if " | " in line and not line.startswith("#")
    ]
    long = [w for w in WORDS if len(w) >= 5]
    signs = ["tanh", "relu", "y/1000", "x*w3", "linear", "...", "!?", ";", ",", "—", "“", "\n> "]
    signs += ["é", "ñ", "🙂", "ﬁ", "½", "layer;", "and", "lïnéar", "ｔａｎｈ", "сигмоид"]
    return {
        "chat (the corpora)": _fill(lambda: rng.choice(chat) + rng.choice(" \n"), n),
        "catalogue words, typos, ands": _fill(
            lambda: _typo(rng, rng.choice(WORDS)) + rng.choice([" ", " ", " and ", ", "]), n
        ),
        "a new misspelling every word": _fill(
            lambda: _typo(rng, _typo(rng, rng.choice(long))) + " ", n
        ),
        "one-letter words and ands": _fill(
            lambda: rng.choice("abcdefghijklmnopqrstuvwxyz") + rng.choice([" and ", " ", " "]), n
        ),
        "one-word sentences": _fill(lambda: rng.choice(WORDS).capitalize() + ". ", n),
        "punctuation, accents, symbols": _fill(lambda: rng.choice(signs) + rng.choice(" "), n),
    }


def _forget() -> None:
    match._terms_of.cache_clear()
    stem.cache_clear()


def timed_read(text: str, *, cold: bool) -> float:
    if cold:
        _forget()
    t = time.perf_counter()
    read(text)
    return (time.perf_counter() - t) * 1000


def rows(rounds: int = ROUNDS) -> list[tuple[str, int, list[float], list[float]]]:
    out = []
    for n in (INLINE_CHARS, 4000, READ_LIMIT):
        for name, text in messages(n).items():
            read(text)  # imports, regex compilation
            cold = [timed_read(text, cold=True) for _ in range(rounds)]
            warm = [timed_read(text, cold=False) for _ in range(rounds)]
            out.append((name, n, cold, warm))
    return out


def main(rounds: int = ROUNDS) -> list[str]:
    """Print the table; return its lines for RESULTS.md."""
    print(f"## Settle this: reading one message (bot.claims.settle.read), ms over {rounds} reads\n")
    lines = []
    for name, n, cold, warm in rows(rounds):
        line = (
            f"| read {n} chars, {name}: cold median / max, warm median (ms) "
            f"| {statistics.median(cold):.1f} / {max(cold):.1f}, {statistics.median(warm):.1f} |"
        )
        print(line)
        lines.append(line)
    print()
    return lines


if __name__ == "__main__":
    main()
