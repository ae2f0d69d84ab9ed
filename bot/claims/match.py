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
from bot.claims.text import (
    FUZZY_MIN,
    Clause,
    Sentence,
    Token,
    clauses,
    sentences,
    stem,
    typo_of,
)

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

# term → (claim id, phrasing index, group index) of every group that has it as a word
GROUPS_OF: dict[Term, tuple[tuple[str, int, int], ...]] = {
    term: tuple(
        (cid, k, g)
        for cid, ps in PHRASINGS.items()
        for k, p in enumerate(ps)
        for g, group in enumerate(p)
        if any(term in alt for alt in group)
    )
    for term in VOCABULARY
}


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


def _deletions(word: str) -> set[str]:
    """The word and each way of dropping one letter. Words one edit apart share one of
    these: a substitution drops the changed letter from both, an insertion or deletion
    drops it from the longer, and a swap (…xy… vs …yx…) drops x from each."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _by_deletion() -> dict[str, frozenset[Term]]:
    out: dict[str, set[Term]] = {}
    for t in VOCABULARY:
        for form in {*t} if not t[0].startswith("<") else ():
            if len(form) >= FUZZY_MIN:  # text.typo_of: shorter terms take no typos
                for d in _deletions(form):
                    out.setdefault(d, set()).add(t)
    return {k: frozenset(v) for k, v in out.items()}


BY_DELETION = _by_deletion()  # a deletion of a term's stem or written form → the terms
LONGEST = max(len(d) for d in BY_DELETION)  # a longer word has no term one edit away


def _near(token: Token) -> set[Term]:
    """The terms `_same` could accept as a typo (a superset of them, found in the deletion
    index instead of trying every term)."""
    keys: set[str] = set()
    for form in {token.stem, token.text}:
        if FUZZY_MIN - 1 <= len(form) <= LONGEST + 1:  # text.typo_of: no typos outside
            keys |= _deletions(form)
    return set().union(*(BY_DELETION[k] for k in keys if k in BY_DELETION))


@functools.lru_cache(maxsize=8192)
def _terms_of(token: Token) -> frozenset[Term]:
    """Every vocabulary term this token can stand for (cached: chat repeats its words)."""
    exact = BY_STEM.get(token.stem, frozenset())
    return frozenset(exact) | frozenset(t for t in _near(token) if _same(token, t))


class _Indexed:
    """A sentence with, for each token, the terms it stands for, and for each term the
    positions where it stands (so matching is lookups, not scans)."""

    def __init__(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self.terms = [_terms_of(t) for t in sentence.tokens]
        self.at: dict[Term, list[int]] = {}  # term → positions, ascending
        for i, terms in enumerate(self.terms):
            for term in terms:
                self.at.setdefault(term, []).append(i)
        self.present = self.at.keys()
        self._found: dict[Alternative, str | None] = {}
        # which groups of each phrasing have a word here, then the phrasings all of whose do
        groups: dict[tuple[str, int], set[int]] = {}
        for term in self.present:
            for cid, k, g in GROUPS_OF.get(term, ()):
                groups.setdefault((cid, k), set()).add(g)
        self.possible = {
            key for key, gs in groups.items() if len(gs) == len(PHRASINGS[key[0]][key[1]])
        }

    def find(self, alt: Alternative) -> str | None:
        """The words that spell `alt` consecutively (the first place it does), or None."""
        if alt not in self._found:
            self._found[alt] = self._first(alt)
        return self._found[alt]

    def _first(self, alt: Alternative) -> str | None:
        if not all(t in self.at for t in alt):
            return None
        n, toks = len(alt), self.sentence.tokens
        for i in self.at[alt[0]]:
            if i + n <= len(toks) and all(alt[j] in self.terms[i + j] for j in range(1, n)):
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
    for k, phrasing in enumerate(PHRASINGS[claim.id]):
        if (claim.id, k) in sentence.possible and (
            words := match_sentence(sentence, phrasing)
        ) is not None:
            return words
    return None


VERDICT_ORDER = {Verdict.FALSE: 0, Verdict.TRUE_BUT: 1, Verdict.TRUE: 2}


def _claims_in(sentence: Sentence) -> dict[str, tuple[str, ...]]:
    """Claim id → the words that make it, for every claim this piece of text makes
    (a claim that `overrides` a vaguer one replaces it)."""
    indexed = _Indexed(sentence)
    if not indexed.possible:
        return {}  # no phrasing has a word for each of its groups here (most pieces)
    maybe = {cid for cid, _ in indexed.possible}
    here = {
        c.id: words
        for c in CLAIMS
        if c.id in maybe and (words := _claim_in(indexed, c)) is not None
    }
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
    hits = _having(words, lambda c: f"{c.wording} {c.id.replace('-', ' ')} {c.label}")
    if not hits:  # the words people use for it ("universal approx" → "universal approximator")
        hits = _having(words, lambda c: " ".join(c.phrasings).replace("|", " ").replace(";", " "))
    if not hits:  # maybe a sentence someone wrote: match it as a message
        hits = [m.claim for m in find_claims(query)]
    return hits[:limit]


def _having(words: list[str], text_of) -> list[Claim]:
    """The claims whose text has every word (by prefix, stem or one typo)."""
    hits = []
    for claim in CLAIMS:
        toks = [t for s in sentences(text_of(claim).lower()) for t in s.tokens]
        if all(
            any(t.text.startswith(w) or t.stem == stem(w) or typo_of(stem(w), t.stem) for t in toks)
            for w in words
        ):
            hits.append(claim)
    return hits


def lookup(value: str) -> Claim | None:
    """A claim by id, else by what someone typed (the best match of the text)."""
    key = value.strip().lower()
    if key in BY_ID:
        return BY_ID[key]
    hits = search(value, 1)
    return hits[0] if hits else None
