"""Reading chat text the way the claim matcher needs it: words, stems, typos, quotes, code.

A message becomes sentences of tokens. Each token keeps the text it came from, so a
match can say exactly which words it used. Robustness comes from three small steps:
lower-casing and unicode folding, a light suffix-stripping stemmer (layers → layer,
squashing → squash), and Damerau edit distance 1 for longer words (lyaers → layers).
Fenced code blocks are dropped; lines starting with `>` are marked as quoted.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

FENCE = re.compile(r"```.*?(?:```|\Z)", re.S)
# Spelled-out arithmetic on one symbol is the claim "a linear squash": keep it as one token.
DIVIDE = re.compile(r"\b[a-z]\w*'?\s*/\s*\d+(?:\.\d+)?(?:e\d+)?\b", re.I)
TIMES = re.compile(r"\b[a-z]\w*'?\s*[*·×]\s*(?:w\d+|\d+(?:\.\d+)?|small)\b", re.I)
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
MARK = re.compile(r"(⟦[^⟧]*⟧)")  # a DIVIDE or TIMES span, kept as one token
NON_ASCII = re.compile(r"[^\x00-\x7f]")  # only these can be combining accents
NON = re.compile(r"\bnon[-\s]+(?=linear)")
# A sentence ends at . ! ? and a space ("0.5" stays whole), or at ;, in chat's lowercase too
# ("…smarter. tanh squashes…"), except after an abbreviation ("i.e. single" stays whole).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=;)\s+")
ABBREVIATION = re.compile(r"\b(?:i\.e|e\.g|vs|etc|cf|approx|resp|eq|fig|ca)\.$", re.I)
# A clause ends before a conjunction after a comma (", and", ", but", ", so" …), and before
# "but", "whereas", "although" even without one ("nothing but", "all but" stay whole).
CLAUSE_BREAK = re.compile(
    r",\s*(?=(?:and|but|so|or|yet|while|whereas|although|though|because|since|then)\b)"
    r"|(?<!nothing)(?<!anything)(?<!all)\s+(?=(?:but|whereas|although)\b)"
)
# A bare "and" may join two clauses ("tanh squashes below one and linear layers help") or two
# words of one ("sigmoid and tanh"): text cuts there, the matcher decides (match.find_claims).
AND = re.compile(r"\s+(?=and\b)")
SUFFIXES = ("ation", "ing", "ed", "ly")
IRREGULAR = {"matrices": "matrix", "vertices": "vertex", "behaviour": "behavior"}
FUZZY_MIN = 5  # words shorter than this must match exactly: tanh ≠ than, relu ≠ rely
# Real words one edit away from a vocabulary word: never read them as typos.
NOT_TYPOS = frozenset(
    {"later", "player", "lawyer", "liner", "linen", "loser", "looser", "sigma", "signed"}
    | {"tangle", "weighs", "wright", "height", "delayer", "lines", "gaining", "relay"}
)


class Token(NamedTuple):  # a tuple: made and hashed in C, once per word of a message
    text: str  # as written (after code/quote handling), for explaining a match
    stem: str


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[Token, ...]
    quoted: bool  # from a `>` line: someone else's words


def fold(text: str) -> str:
    """Lower-case, strip accents, unify dashes and apostrophes."""
    if text.isascii():
        return text.lower()  # nothing to decompose or unify
    text = unicodedata.normalize("NFKD", text)
    text = NON_ASCII.sub(lambda m: "" if unicodedata.combining(m[0]) else m[0], text)
    for a, b in (("’", "'"), ("‘", "'"), ("−", "-"), ("–", "-"), ("—", " ")):
        text = text.replace(a, b)
    return text.lower()


@functools.lru_cache(maxsize=16384)  # chat repeats its words
def stem(word: str) -> str:
    """A light English stemmer: strip one plural and one common suffix, keep 3+ letters.

    Not Porter: just enough that plurals and -ing/-ed/-ly forms meet their base word
    (layers → layer, squashing → squash, linearly → linear). Terms and messages go
    through the same function, so only consistency matters.
    """
    w = IRREGULAR.get(word, word.replace("'", ""))
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "is")):
        w = w[:-1]
    for suffix in SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":  # stopp(ing) → stop
        w = w[:-1]
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


def one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or
    swap of neighbours (optimal-string-alignment distance ≤ 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def typo_of(word: str, term: str) -> bool:
    """Is `word` (a stem from the message) `term` with one slip of the keyboard?"""
    if len(term) < FUZZY_MIN or len(word) < FUZZY_MIN - 1 or word in _NOT_TYPO_STEMS:
        return False
    return word[0] == term[0] and one_edit(word, term)


_NOT_TYPO_STEMS = frozenset(stem(w) for w in NOT_TYPOS)


def _tokens(line: str) -> list[Token]:
    marked = line  # (each regex only where its sign is: most chat has neither / nor *)
    if "/" in marked:
        marked = DIVIDE.sub(lambda m: f" ⟦div:{m.group(0)}⟧ ", marked)
    if "*" in marked or "·" in marked or "×" in marked:
        marked = TIMES.sub(lambda m: f" ⟦mul:{m.group(0)}⟧ ", marked)
    out: list[Token] = []
    for piece in MARK.split(marked) if "⟦" in marked else (marked,):
        if piece.startswith("⟦"):
            kind, _, written = piece[1:-1].partition(":")
            out.append(Token(written.strip(), f"<{kind}>"))
            continue
        if "non" in piece:
            piece = NON.sub("non", piece)
        piece = piece.replace("-", " ")
        out += [Token(w, stem(w)) for w in WORD.findall(piece)]
    return out


def strip_code(text: str) -> str:
    """Drop fenced code blocks: code is not a claim (inline `code` stays: it is often a formula)."""
    return FENCE.sub(" ", text)


def _sentence_texts(text: str) -> list[tuple[str, bool]]:
    """Each sentence's folded text, and whether it comes from a `>` line."""
    out = []
    for line in strip_code(text).splitlines():
        quoted = line.lstrip().startswith(">")
        body = line.lstrip().lstrip(">").strip()
        parts: list[str] = []
        for part in SENTENCE_END.split(body):
            if parts and ABBREVIATION.search(parts[-1]):
                parts[-1] += " " + part  # "i.e." ended no sentence
            else:
                parts.append(part)
        out += [(fold(part), quoted) for part in parts]
    return out


def sentences(text: str) -> list[Sentence]:
    """The message as sentences of tokens, quoted lines marked."""
    out = [Sentence(tuple(_tokens(part)), quoted) for part, quoted in _sentence_texts(text)]
    return [s for s in out if s.tokens]


Clause = tuple[Sentence, ...]  # a clause's pieces between bare "and"s, in order


def clauses(text: str) -> list[Clause]:
    """The message as clauses: each sentence cut before a conjunction that follows a comma
    and before "but", "whereas", "although"; each clause then cut at every bare "and" into
    pieces the matcher may join again. A claim is made within one clause, so keywords from
    two clauses ("tanh squashes below one, and linear layers help") never make one claim."""
    out: list[Clause] = []
    for part, quoted in _sentence_texts(text):
        for clause in CLAUSE_BREAK.split(part):
            pieces = [Sentence(tuple(_tokens(p)), quoted) for p in AND.split(clause)]
            if pieces := tuple(p for p in pieces if p.tokens):
                out.append(pieces)
    return out


ENGLISH = frozenset(
    {"the", "a", "an", "is", "are", "be", "it", "to", "of", "and", "or", "in", "on", "that"}
    | {"this", "not", "no", "with", "for", "you", "i", "we", "they", "but", "can", "just"}
    | {"only", "all", "any", "more", "than", "what", "why", "how", "does", "do"}
)


def looks_english(text: str) -> bool:
    """Mostly Latin letters and some common English words (for a sensible 'I only read English')."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    if sum(c.isascii() for c in letters) / len(letters) < 0.6:
        return False
    words = WORD.findall(fold(strip_code(text)))
    if len(words) < 6:
        return True
    return sum(w in ENGLISH for w in words) / len(words) >= 0.08
