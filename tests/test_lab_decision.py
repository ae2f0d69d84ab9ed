"""Decision-set theory for one unit on XOR, checked against grids and exhaustive search.

The closed forms in bot.lab.decision are checked against an independent grid plus
bisection; the claim "reachable iff S is not empty, everything or a half-line" is
checked by brute force over (w, b) on a grid, which never looks at S.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from bot.lab import xor
from bot.lab.activations import REGISTRY
from bot.lab.decision import Shape, decision_set, is_monotone, numeric_decision_set
from bot.lab.mlp import mlp_limit
from bot.lab.neuron import neuron_limit
from bot.lab.verdicts import Limit

HALF_LINE = ["gelu", "gelu_tanh", "silu", "mish", "softplus", "elu"]
REACHABLE = ["sin", "gaussian", "abs"]


def _expand(s, lo=-55.0, hi=55.0):
    """The pieces of S inside [lo, hi], a periodic S unrolled."""
    pieces = list(s.intervals)
    if s.period:
        k = range(math.floor(lo / s.period) - 1, math.ceil(hi / s.period) + 2)
        pieces = [(a + j * s.period, b + j * s.period) for j in k for a, b in s.intervals]
    return [(a, b) for a, b in pieces if b > lo and a < hi]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_closed_form_matches_grid_and_bisection(name):
    act = REGISTRY[name]
    closed, grid = decision_set(name, act.f), numeric_decision_set(act.f)
    assert closed.how != grid.how
    assert closed.shape == grid.shape
    a, b = _expand(closed), _expand(grid)
    assert len(a) == len(b)
    for (lo1, hi1), (lo2, hi2) in zip(a, b, strict=True):
        for x, y in ((lo1, lo2), (hi1, hi2)):
            assert x == y or abs(x - y) <= 1e-9 * max(1.0, abs(x)), (name, a, b)


def _best_single_unit(f) -> int:
    """Most XOR corners a unit f(w·x + b) > ½ gets right over a grid of (w1, w2, b)."""
    g = np.linspace(-3, 3, 25)  # step 0.25
    W = np.array(list(itertools.product(g, g, g)))  # (15625, 3)
    A = np.column_stack([xor.X, np.ones(4)])  # (4, 3)
    with np.errstate(all="ignore"):
        out = np.asarray(f(W @ A.T), dtype=float)  # (15625, 4)
    decided = np.abs(out - 0.5) >= xor.TIE
    right = decided & ((out > 0.5) == (xor.Y > 0.5))
    return int(right.sum(axis=1).max())


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_exhaustive_search_solves_xor_exactly_when_theory_says_reachable(name):
    act = REGISTRY[name]
    s, limit = neuron_limit(act)
    best = _best_single_unit(act.f)
    assert (best == 4) == s.reachable, (name, best, s.shape)
    assert (limit is None) == s.reachable
    if not s.reachable:
        assert limit is Limit.HALF_LINE and s.shape in (Shape.HALF_LINE, Shape.EMPTY, Shape.ALL)


def test_the_named_cases_of_the_issue():
    for name in HALF_LINE + [n for n, a in REGISTRY.items() if a.monotone]:
        assert decision_set(name, REGISTRY[name].f).shape is Shape.HALF_LINE, name
    for name in REACHABLE:
        assert decision_set(name, REGISTRY[name].f).reachable, name
    assert decision_set("tanh", REGISTRY["tanh"].f).intervals[0][0] == pytest.approx(
        0.5 * math.log(3), abs=1e-15
    )  # tanh(u) = ½ at u = atanh(½) = ln(3)/2


def test_an_arbitrary_f_is_decided_numerically():
    def bump_and_ramp(u):
        return np.where(u < 0, np.exp(-((u + 3) ** 2)), u)  # a bump at −3, then a ramp

    s = decision_set("custom", bump_and_ramp)
    assert s.how == "grid + bisection" and s.reachable
    assert len(s.intervals) == 2 and s.intervals[1][1] == math.inf
    w = math.sqrt(math.log(2))  # e^(−(u + 3)²) > ½ iff |u + 3| < √ln 2
    assert s.intervals[0] == pytest.approx((-3 - w, -3 + w), abs=1e-12)
    assert decision_set("custom", np.cos, t=2.0).shape is Shape.EMPTY
    assert decision_set("custom", np.cos, t=-2.0).shape is Shape.ALL


def _one_hidden_unit_solves(f) -> bool:
    """Whether some grid (w, b) and some (v, c) make σ(v·f(w·x + b) + c) > ½ solve XOR.

    For fixed (w, b) the output is a threshold on h = f(u): some (v, c) gets all four
    right iff the label-1 values of h all lie strictly above (or below) the label-0 ones.
    """
    g = np.linspace(-3, 3, 25)
    W = np.array(list(itertools.product(g, g, g)))
    A = np.column_stack([xor.X, np.ones(4)])
    with np.errstate(all="ignore"):
        h = np.asarray(f(W @ A.T), dtype=float)  # (15625, 4)
    one, zero = h[:, [1, 2]], h[:, [0, 3]]
    gap_up = one.min(axis=1) - zero.max(axis=1)  # > 0: v > 0 separates
    gap_down = zero.min(axis=1) - one.max(axis=1)  # > 0: v < 0 separates
    return bool(np.any(np.maximum(gap_up, gap_down) > 1e-6))


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_one_hidden_unit_solves_xor_iff_f_is_not_monotone(name):
    act = REGISTRY[name]
    assert is_monotone(act.f) == act.monotone
    reachable = _one_hidden_unit_solves(act.f)
    assert reachable == (not act.monotone), name
    assert (mlp_limit(act, 1) is None) == reachable


def test_a_found_2_1_1_solution_really_classifies_xor():
    """Build σ(v·sin(w·x + b) + c) from a separating (w, b) and check all four corners."""
    w1, w2, b = 1.5, 1.5, 0.0  # u = 0, 1.5, 1.5, 3: sin u = 0, .997, .997, .141
    h = np.sin(xor.X @ np.array([w1, w2]) + b)
    v, c = 10.0, -10.0 * (h[[0, 3]].max() + h[[1, 2]].min()) / 2
    p = 1 / (1 + np.exp(-(v * h + c)))
    assert xor.score(p) == (4, 0, 0)
