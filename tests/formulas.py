"""Hypothesis strategies for valid custom formulas, built from the parser's grammar."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.lab.expr import FUNCS1, FUNCS2

NUMBERS = st.sampled_from(["0", "1", "2", "0.5", "3", "1e-3", "10", "0.1", "pi", "e", "1.5e2"])
LEAVES = st.one_of(st.just("x"), st.just("x"), NUMBERS)


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(
            inner, st.sampled_from(["**", "^"]), st.sampled_from(["2", "3", "0.5", "-1", "x"])
        ).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
        st.tuples(st.sampled_from(sorted(FUNCS1)), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(sorted(FUNCS2)), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        inner.map(lambda s: f"-{s}"),
    )


# sums, products, quotients, powers, every allowed function, constants; at most 200 chars
FORMULAS = st.recursive(LEAVES, _grow, max_leaves=12).filter(lambda s: len(s) <= 200)
