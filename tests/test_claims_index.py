"""The claim matcher's indexes against brute force: the deletion index finds every typo
that trying each vocabulary word finds, and matching by positions and by the phrasings a
piece has a word for every group of finds what scanning every phrasing at every word
finds (the matcher as it was before the indexes, written out here)."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.claims import BY_ID, CLAIMS
from bot.claims.match import PHRASINGS, VOCABULARY, _claims_in, _same, _terms_of
from bot.claims.text import Sentence, Token, clauses, sentences, stem

CORPUS = Path(__file__).parent / "claims_corpus"
TEXTS = [
    line.partition(" | ")[2]
    for f in sorted(CORPUS.glob("*.txt"))
    for line in f.read_text().splitlines()
    if " | " in line and not line.startswith("#")
]
FORMS = sorted({form for term in VOCABULARY if not term[0].startswith("<") for form in term})


@functools.cache
def scan_terms(token: Token) -> frozenset:
    """Every term `_same` accepts, trying the whole vocabulary."""
    return frozenset(t for t in VOCABULARY if _same(token, t))


def one_edit_variants(word: str, letters: str = "aex") -> set[str]:
    out = {word[:i] + word[i + 1 :] for i in range(len(word))}  # deletions
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    for c in letters:
        out |= {word[:i] + c + word[i + 1 :] for i in range(len(word))}  # substitutions
        out |= {word[:i] + c + word[i:] for i in range(len(word) + 1)}  # insertions
    return out


def test_the_deletion_index_finds_every_typo_trying_every_word_finds():
    words = {w for f in FORMS for w in one_edit_variants(f)} | set(FORMS)
    words |= {w for t in TEXTS for s in sentences(t) for w in (tok.text for tok in s.tokens)}
    typos = 0
    for w in sorted(words):
        if not w:
            continue
        token = Token(w, stem(w))
        want = scan_terms(token)
        assert _terms_of(token) == want, w
        typos += any(token.stem != t[0] for t in want)
    assert typos > 1000  # the variants really are typos the matcher accepts


@pytest.mark.fuzz
@given(st.sampled_from(FORMS), st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=3))
def test_a_word_near_a_term_gets_the_terms_trying_every_word_gets(form, noise):
    for w in (form + noise, noise + form, form[:-1] + noise, form[: len(form) // 2] + noise):
        token = Token(w, stem(w))
        assert _terms_of(token) == scan_terms(token), w


# ---- matching: the scan the indexes replaced -------------------------------------------


def scan_find(tokens: tuple[Token, ...], alt) -> str | None:
    n = len(alt)
    for i in range(len(tokens) - n + 1):
        if all(alt[j] in scan_terms(tokens[i + j]) for j in range(n)):
            return " ".join(t.text for t in tokens[i : i + n])
    return None


def scan_claims(sentence: Sentence) -> dict[str, tuple[str, ...]]:
    """Every phrasing of every claim tried at every word of the piece."""
    here = {}
    for claim in CLAIMS:
        for phrasing in PHRASINGS[claim.id]:
            words = []
            for group in phrasing:
                found = next((w for alt in group if (w := scan_find(sentence.tokens, alt))), None)
                if found is None:
                    break
                words.append(found)
            else:
                here[claim.id] = tuple(words)
                break
    for cid in [o for c in here for o in BY_ID[c].overrides]:
        here.pop(cid, None)
    return here


def adversarial(rng: random.Random, n: int) -> str:
    """Catalogue words, some misspelled, joined by ands, commas and full stops: many
    pieces with words of many claims and few whole phrasings."""
    out = []
    while sum(map(len, out)) < n:
        w = rng.choice(FORMS)
        if rng.random() < 0.3:
            w = rng.choice(sorted(one_edit_variants(w)) or [w])
        out.append(w + rng.choice([" ", " ", " and ", ", ", ". The ", " but "]))
    return "".join(out)


def test_indexed_matching_finds_what_scanning_finds():
    rng = random.Random(0)
    texts = TEXTS + [adversarial(rng, rng.choice([80, 300, 1000])) for _ in range(40)]
    pieces = [p for t in texts for c in clauses(t) for p in c]
    pieces += [
        Sentence(tuple(t for p in c for t in p.tokens), False) for t in texts for c in clauses(t)
    ]
    made = 0
    for piece in pieces:
        want = scan_claims(piece)
        assert _claims_in(piece) == want, " ".join(t.text for t in piece.tokens)
        made += bool(want)
    assert made > 300
