"""The claim catalogue: matching measured on labelled corpora, the text tools checked
against independent implementations, and every verdict checked against the experiment
that is shown as its proof."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.claims import BY_ID, CLAIMS, find_claims, lookup, search
from bot.claims.match import _claim_in, _Indexed, compile_phrasing
from bot.claims.settle import READ_LIMIT, read
from bot.claims.text import clauses, one_edit, sentences, stem, typo_of
from bot.jobs import BUILDERS

CORPUS = Path(__file__).parent / "claims_corpus"
TUNED = ("argument", "phrasings", "unrelated")  # the matcher was tuned on these


def corpus(name: str) -> list[tuple[frozenset[str], str]]:
    rows = []
    for line in (CORPUS / f"{name}.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ids, sep, text = line.partition(" | ")
        assert sep, line
        want = frozenset() if ids.strip() == "-" else frozenset(ids.strip().split(","))
        assert want <= BY_ID.keys(), f"unknown claim id in {line!r}"
        rows.append((want, text))
    return rows


def scores(rows) -> tuple[float, float, list[str]]:
    """Micro precision and recall over (message, claim) pairs, and the misses."""
    tp = fp = fn = 0
    wrong = []
    for want, text in rows:
        got = {m.claim.id for m in find_claims(text)}
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
        if got != want:
            wrong.append(f"{sorted(want)} → {sorted(got)}: {text}")
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), wrong


# ---- the corpora -----------------------------------------------------------------------


def test_tuned_corpora_precision_and_recall():
    """On the corpora the phrasings were written against: 121 labelled pairs, 0 misses
    when this was written. Thresholds leave room for one or two wording changes."""
    rows = [r for name in TUNED for r in corpus(name)]
    precision, recall, wrong = scores(rows)
    assert precision >= 0.97 and recall >= 0.95, "\n".join(wrong)


def test_held_out_corpus_precision_and_recall():
    """Written after tuning, scored once per batch before any fix (batch 1: precision 1.0,
    recall 0.93; batch 2: 0.88 and 0.88, see the file). A matcher of keyword sets will
    miss new wordings; these thresholds are what a fresh batch should still reach."""
    precision, recall, wrong = scores(corpus("heldout"))
    assert precision >= 0.9 and recall >= 0.85, "\n".join(wrong)


@pytest.mark.parametrize("text", [t for _, t in corpus("unrelated")])
def test_unrelated_chat_maps_to_nothing(text):
    assert find_claims(text) == []


def test_every_claim_has_phrasings_in_the_corpus():
    rows = corpus("phrasings")
    for claim in CLAIMS:
        assert sum(claim.id in want for want, _ in rows) >= 3, claim.id


def test_the_whole_argument_finds_the_issues_claims():
    rows = corpus("argument")
    text = "\n".join(t for _, t in rows)
    found = {m.claim.id for m in find_claims(text)}
    assert found == set().union(*(w for w, _ in rows))
    assert {"linear-stack", "linear-squash", "tanh-range", "squash-only", "relu-gating"} <= found


@pytest.mark.parametrize(("want", "text"), corpus("clauses"))
def test_each_clause_makes_its_own_claims(want, text):
    """Hand-labelled messages with a claim per clause, or one claim's keywords split
    over two clauses (which makes no such claim): exactly the labelled set, line by line."""
    assert {m.claim.id for m in find_claims(text)} == want, text


def test_the_trial_message_finds_no_claim_across_its_comma():
    """'squashes' is in one clause and 'linear' in the other: no "linear squash" claim.
    The first clause makes two (tanh's range, and tanh doing "just" squashing, labelled
    both in the argument corpus: "All it's doing is squashing a number down to below one.")."""
    text = "tanh just squashes below one, and more linear layers make it smarter."
    found = {m.claim.id: m for m in find_claims(text)}
    assert set(found) == {"tanh-range", "squash-only", "linear-stack"}
    assert found["linear-stack"].words == ("linear", "layers", "smarter")
    assert found["tanh-range"].clause == 0 and found["linear-stack"].clause == 1
    without_comma = text.replace(", and", " and")
    assert {m.claim.id for m in find_claims(without_comma)} == set(found)


def test_clause_boundaries():
    def cut(text: str) -> list[list[str]]:
        return [[" ".join(t.text for t in p.tokens) for p in c] for c in clauses(text)]

    assert cut("a b, and c d; e, but f but g. H, so i") == [
        ["a b"],
        ["and c d"],
        ["e"],
        ["but f"],
        ["but g"],
        ["h"],
        ["so i"],
    ]
    assert cut("nothing but a gate, all but one") == [["nothing but a gate all but one"]]
    assert cut("sigmoid and tanh, x/1000") == [["sigmoid", "and tanh x/1000"]]
    assert cut("10 dense layers without activations, surely that beats one layer") == [
        ["10 dense layers without activations surely that beats one layer"]
    ]


def _uncut(text: str) -> bool:
    return all(len(c) == 1 for c in clauses(text)) and len(clauses(text)) == len(sentences(text))


UNCUT = [t for name in (*TUNED, "heldout", "clauses") for _, t in corpus(name) if _uncut(t)]


def test_most_corpus_messages_have_no_clause_break():
    assert len(UNCUT) >= 250  # 263 of 307 when written


@pytest.mark.parametrize("text", UNCUT)
def test_a_message_without_clause_breaks_matches_as_a_whole_sentence(text):
    """Where no clause boundary cuts a sentence, the result is what matching each whole
    sentence gives (the matcher before clauses existed)."""
    whole = set()
    for s in sentences(text):
        here = {c.id for c in CLAIMS if _claim_in(_Indexed(s), c) is not None}
        whole |= here - {o for cid in here for o in BY_ID[cid].overrides}
    assert {m.claim.id for m in find_claims(text)} == whole, text


# ---- robustness: case, punctuation, plurals, typos ------------------------------------


@pytest.mark.parametrize(("want", "text"), [r for r in corpus("phrasings")])
def test_case_and_punctuation_do_not_matter(want, text):
    for variant in (text.upper(), text.lower(), f"“{text}”!!", text.replace(" ", "  ")):
        assert {m.claim.id for m in find_claims(variant)} == want, variant


def _swap_inside(word: str) -> str:
    i = len(word) // 2
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


@pytest.mark.parametrize(("want", "text"), [r for r in corpus("argument") if r[0]])
def test_one_typo_in_a_long_matched_word_still_matches(want, text):
    """The argument's sentences (spelled right) with two letters of a matched word swapped."""
    for match in find_claims(text):
        for words in match.words:
            long = [w for w in words.split() if len(w) >= 6 and w.isalpha()]
            if not long:
                continue
            w = long[0]
            typo = text.replace(w, _swap_inside(w), 1)
            assert match.claim.id in {m.claim.id for m in find_claims(typo)}, typo


def test_plurals_and_verb_forms_meet_their_stem():
    for a, b in [
        ("layers", "layer"),
        ("squashing", "squash"),
        ("squashes", "squashed"),
        ("linearly", "linear"),
        ("slopes", "slope"),
        ("matrices", "matrix"),
        ("activations", "activation"),
        ("relus", "relu"),
        ("functions", "function"),
    ]:
        assert stem(a) == stem(b), (a, b)


def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance by dynamic programming (the textbook table)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@pytest.mark.fuzz
@given(st.text("abcd", max_size=7), st.text("abcd", max_size=7))
def test_one_edit_agrees_with_the_distance_table(a, b):
    assert one_edit(a, b) == (_osa(a, b) <= 1)


def test_typos_need_long_words_and_the_same_first_letter():
    assert typo_of("lyaer", "layer") and typo_of("lienar", "linear")
    assert not typo_of("than", "tanh")  # short words match exactly only
    assert not typo_of("later", "layer")  # a real word, not a typo
    assert not typo_of("binear", "linear")


# ---- reading messages ------------------------------------------------------------------


def test_code_blocks_are_not_read():
    text = "```py\n# stacking linear layers adds power\nx = y/1000\n```"
    assert find_claims(text) == []
    r = read(text)
    assert r.had_code and r.empty and not r.matches


def test_quotes_are_marked_as_someone_elses_words():
    text = "> tanh squashes everything to less than 1\nno, it's (-1, 1)"
    (m,) = find_claims(text)
    assert m.claim.id == "tanh-range" and m.quoted
    assert read(text).quoted_only
    own = find_claims("> tanh squashes to less than 1\ntanh squashes to less than 1, I said")
    assert not own[0].quoted  # the author's own words win over the quote


def test_matches_say_which_words_matched():
    (m,) = find_claims("To avoid large y, you add a step y' = y/1000.")
    assert m.claim.id == "linear-squash"
    assert m.words == ("y/1000", "large")


def test_false_claims_come_first_then_message_order():
    text = "tanh squashes to less than 1. XOR can be fit by a line. Deeper is always better."
    assert [m.claim.id for m in find_claims(text)] == ["xor-line", "deeper-better", "tanh-range"]


def test_embeds_only_long_and_foreign_messages():
    r = read("", ["Stacking linear layers adds power"])
    assert r.from_embeds and r.matches[0].claim.id == "linear-stack"
    long = "hello there. " * 1000 + "stacking linear layers adds power"
    r = read(long)
    assert r.truncated and not r.matches  # the claim is past READ_LIMIT
    assert len(long) > READ_LIMIT
    assert not read("Ich verstehe nicht, warum das Netz nicht lernt, obwohl es tief ist.").english
    assert not read("ニューラルネットワークは何でも近似できる").english
    assert read("deeper is always better").english


def test_sentences_keep_abbreviations_and_decimals_whole():
    (s,) = sentences("Which can always be fit with a single layer, i.e. single matrix.")
    assert [t.text for t in s.tokens][-2:] == ["single", "matrix"]
    assert len(sentences("It is 0.5 everywhere. Then it stops.")) == 2


def test_a_lowercase_sentence_is_still_a_sentence_of_its_own():
    """Chat is written in lowercase, and 'tanh' starts a sentence in lowercase anyway: the
    linear of one sentence and the squash of the next never make 'a linear squash'."""
    text = "more linear layers make it smarter. tanh squashes below one."
    assert len(sentences(text)) == 2
    ids = {m.claim.id for m in find_claims(text)}
    assert "linear-squash" not in ids and "tanh-range" in ids
    assert len(sentences("stack them, e.g. tanh layers, vs. relu ones etc. whatever")) == 1


# ---- the catalogue itself --------------------------------------------------------------


def test_catalogue_fields_fit_discord():
    assert len({c.id for c in CLAIMS}) == len(CLAIMS) >= 12
    for c in CLAIMS:
        assert 1 <= len(c.wording) <= 100, c.id  # an autocomplete choice name
        assert len(c.label) <= 40 and len(c.why) <= 300, c.id
        assert c.why.endswith(".") and c.why.count(". ") == 0, c.id  # one sentence
        assert c.experiments and c.reference
        assert all(e.kind in BUILDERS for e in c.experiments), c.id
        assert len(f"nl:claim:{c.id}:9") <= 100
        for p in c.phrasings:
            assert all(all(alt for alt in g) for g in compile_phrasing(p)), p


def test_the_issues_claims_are_all_there():
    for wording in [
        "Stacking linear layers",
        "linear squash",
        "less than 1",
        "blowing up",
        "just linear gating",
        "slopes of lines",
        "magic is in the weights",
        "XOR can be fit by a line",
        "any continuous function",
        "activation itself could be learned",
        "Deeper networks are always better",
        "Sigmoid and tanh are interchangeable",
    ]:
        assert any(wording.lower() in c.wording.lower() for c in CLAIMS), wording


def test_search_filters_caps_and_finds_typed_sentences():
    assert len(search("")) == len(CLAIMS) <= 25
    assert {c.id for c in search("tanh")} >= {"tanh-range", "squash-only", "sigmoid-tanh"}
    assert [c.id for c in search("deeper")] == ["deeper-better"]
    assert search("zzzz qqqq") == []
    # words of the claim's phrasings, when its wording has none of them
    for typed in ("universal approx", "approximate", "approximator", "universal approximation"):
        assert [c.id for c in search(typed)] == ["universal"], typed
    assert lookup("xor-line") is BY_ID["xor-line"]
    assert lookup("a network can fit any function").id == "universal"  # a sentence
    assert lookup("sigmiod") is not None  # one typo


def test_a_long_chain_of_ands_is_read_in_linear_time(monkeypatch):
    """Joining pieces at bare "and"s matches each word at most twice (alone, then in its
    group): a 5500-character "more and more and …" costs two passes, not 600²."""
    import bot.claims.match as match

    text = "more and " * 600 + "tanh squashes below one and linear layers help"
    assert len(text) <= READ_LIMIT
    matched = []
    real = match._claims_in
    monkeypatch.setattr(match, "_claims_in", lambda s: matched.append(len(s.tokens)) or real(s))
    found = {m.claim.id for m in read(text).matches}
    words = sum(len(p.tokens) for c in clauses(text) for p in c)
    assert sum(matched) <= 2 * words
    assert found == {"tanh-range", "linear-stack"}
