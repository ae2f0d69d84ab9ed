"""Which catalogue claims a message makes, and which of its words say so.

A phrasing is a few groups of alternatives (see bot.claims.catalogue); it matches a
clause when every group finds one alternative there, a multi-word alternative as
consecutive words. Words from two clauses never make one claim: in "tanh squashes below
one, and more linear layers help" the squash and the linear are different subjects.
Deterministic and explainable: every Match lists the words it used.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.claims.catalogue import BY_ID, CLAIMS, Claim, Verdict
from bot.claims.text import Clause, Sentence, Token, clauses, sentences, stem, typo_of

Term = tuple[str, str]  # (stem, word as written in the catalogue)
Alternative = tuple[Term, ...]  # consecutive words
Group = tuple[Alternative, ...]
Phrasing = tuple[Group, ...]


def compile_phrasing(text: str) -> Phrasing:
    """'a|b c ; d' → a tuple of groups of alternatives of (stem, word) terms."""
    groups = []
    for group in text.split(";"):
        alts = []
        for alt in group.split("|"):
            words = alt.strip().split()
            if words:
                alts.append(tuple((w if w.startswith("<") else stem(w), w) for w in words))
        groups.append(tuple(alts))
    return tuple(groups)


PHRASINGS: dict[str, tuple[Phrasing, ...]] = {
    c.id: tuple(compile_phrasing(p) for p in c.phrasings) for c in CLAIMS
}


VOCABULARY: frozenset[Term] = frozenset(
    term for ps in PHRASINGS.values() for p in ps for g in p for alt in g for term in alt
)


def _same(token: Token, term: Term) -> bool:
    """Same stem, or one typo away from the term's stem or its written form."""
    s, word = term
    if token.stem == s:
        return True
    if s.startswith("<"):
        return False
    # a typo can change how the stemmer cuts a word (sloeps → sloep), so try both forms
    return typo_of(token.stem, s) or typo_of(token.text, word) or typo_of(token.stem, word)


def _by(key) -> dict[str, frozenset[Term]]:
    out: dict[str, set[Term]] = {}
    for t in VOCABULARY:
        if not t[0].startswith("<"):
            out.setdefault(key(t), set()).add(t)
    return {k: frozenset(v) for k, v in out.items()}


BY_STEM = {**_by(lambda t: t[0]), "<div>": {("<div>", "<div>")}, "<mul>": {("<mul>", "<mul>")}}
BY_INITIAL = _by(lambda t: t[0][:1])  # a typo keeps the first letter (text.typo_of)


@functools.lru_cache(maxsize=8192)
def _terms_of(token: Token) -> frozenset[Term]:
    """Every vocabulary term this token can stand for (cached: chat repeats its words)."""
    exact = BY_STEM.get(token.stem, frozenset())
    near = BY_INITIAL.get(token.stem[:1], frozenset()) | BY_INITIAL.get(token.text[:1], frozenset())
    return frozenset(exact) | frozenset(t for t in near if _same(token, t))


class _Indexed:
    """A sentence with, for each token, the terms it stands for (so matching is lookups)."""

    def __init__(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self.terms = [_terms_of(t) for t in sentence.tokens]
        self.present = frozenset().union(*self.terms)

    def find(self, alt: Alternative) -> str | None:
        """The words that spell `alt` consecutively, or None."""
        if not all(t in self.present for t in alt):
            return None
        n, toks = len(alt), self.sentence.tokens
        for i in range(len(toks) - n + 1):
            if all(alt[j] in self.terms[i + j] for j in range(n)):
                return " ".join(t.text for t in toks[i : i + n])
        return None


@functools.cache
def _group_terms(group: Group) -> frozenset[Term]:
    return frozenset(term for alt in group for term in alt)


def match_sentence(sentence: Sentence | _Indexed, phrasing: Phrasing) -> tuple[str, ...] | None:
    """The words that satisfy each group, or None when some group finds nothing."""
    indexed = sentence if isinstance(sentence, _Indexed) else _Indexed(sentence)
    if any(indexed.present.isdisjoint(_group_terms(g)) for g in phrasing):
        return None  # a group none of whose words is here (most pieces, most claims)
    found = []
    for group in phrasing:
        words = next((w for alt in group if (w := indexed.find(alt))), None)
        if words is None:
            return None
        found.append(words)
    return tuple(found)


@dataclass(frozen=True)
class Match:
    claim: Claim
    words: tuple[str, ...]  # the message's words that matched, in phrasing order
    clause: int  # index of the first clause it was found in
    quoted: bool  # found only in `>` lines: someone else's words


def _claim_in(sentence: _Indexed, claim: Claim) -> tuple[str, ...] | None:
    """The words of the first phrasing of `claim` that the sentence matches."""
    for phrasing in PHRASINGS[claim.id]:
        if (words := match_sentence(sentence, phrasing)) is not None:
            return words
    return None


VERDICT_ORDER = {Verdict.FALSE: 0, Verdict.TRUE_BUT: 1, Verdict.TRUE: 2}


def _claims_in(sentence: Sentence) -> dict[str, tuple[str, ...]]:
    """Claim id → the words that make it, for every claim this piece of text makes
    (a claim that `overrides` a vaguer one replaces it)."""
    indexed = _Indexed(sentence)
    here = {c.id: words for c in CLAIMS if (words := _claim_in(indexed, c)) is not None}
    for cid in [o for c in here for o in BY_ID[c].overrides]:
        here.pop(cid, None)
    return here


def _claims_of_clause(clause: Clause) -> dict[str, tuple[str, ...]]:
    """A bare "and" separates two claims only when the words on each side of it (up to the
    neighbouring "and"s) make one of their own ("tanh squashes below one and linear layers
    help"); otherwise it is read through ("sigmoid and tanh are the same", "stack linear
    layers and you get a bigger model"). Each word is matched at most twice: linear time."""
    alone = [_claims_in(piece) for piece in clause]
    groups = [[0]]
    for i in range(1, len(clause)):
        if alone[i - 1] and alone[i]:
            groups.append([i])
        else:
            groups[-1].append(i)
    found: dict[str, tuple[str, ...]] = {}
    for group in groups:
        if len(group) == 1:
            here = alone[group[0]]
        else:
            tokens = tuple(t for i in group for t in clause[i].tokens)
            here = _claims_in(Sentence(tokens, clause[0].quoted))
        found |= {cid: words for cid, words in here.items() if cid not in found}  # first kept
    return found


def find_claims(text: str) -> list[Match]:
    """Every claim the text makes, most important first: false claims, then "true, but",
    then true ones; within each, in the order the message makes them."""
    found: dict[str, Match] = {}
    for i, clause in enumerate(clauses(text)):
        quoted = clause[0].quoted
        for cid, words in _claims_of_clause(clause).items():
            prior = found.get(cid)
            if prior is None or (prior.quoted and not quoted):  # own words win
                found[cid] = Match(BY_ID[cid], words, i, quoted)
    return sorted(found.values(), key=lambda m: (VERDICT_ORDER[m.claim.verdict], m.clause))


def claim_ids(text: str) -> set[str]:
    return {m.claim.id for m in find_claims(text)}


def search(query: str, limit: int = 25) -> list[Claim]:
    """Catalogue entries for autocomplete: the typed words in the wording, id or label
    (each word by prefix, stem or one typo); an empty query lists everything."""
    words = [w for w in query.lower().split() if w]
    if not words:
        return list(CLAIMS[:limit])
    hits = []
    for claim in CLAIMS:
        hay = f"{claim.wording} {claim.id.replace('-', ' ')} {claim.label}".lower()
        toks = [t for s in sentences(hay) for t in s.tokens]
        if all(
            any(t.text.startswith(w) or t.stem == stem(w) or typo_of(stem(w), t.stem) for t in toks)
            for w in words
        ):
            hits.append(claim)
    if not hits:  # maybe a sentence someone wrote: match it as a message
        hits = [m.claim for m in find_claims(query)]
    return hits[:limit]


def lookup(value: str) -> Claim | None:
    """A claim by id, else by what someone typed (the best match of the text)."""
    key = value.strip().lower()
    if key in BY_ID:
        return BY_ID[key]
    hits = search(value, 1)
    return hits[0] if hits else None
