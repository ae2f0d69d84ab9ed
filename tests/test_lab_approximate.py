"""/approximate's lab against theory: closed forms, the interpolation rate, the jump bound."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.lab.approximate import (
    INTERVALS,
    LADDER,
    Kind,
    approximate,
    approximation_numbers,
    chebyshev_line,
    grid,
    jumps_of,
    target_values,
)
from bot.lab.expr import parse
from bot.lab.expr import value as formula_values


def _numbers(target, act="relu", units=16, method="constructive", interval="pi", seed=0):
    return approximation_numbers(target, None, act, INTERVALS[interval], units, method, seed)


@pytest.mark.parametrize("interval", sorted(INTERVALS))
@pytest.mark.parametrize("units", [2, 16, 64, 256])
def test_relu_with_a_kink_at_zero_fits_abs_exactly(interval, units):
    """Even N puts a kink on the corner: |x| = −x + 2·relu(x) lies in the span."""
    n = _numbers("abs", units=units, interval=interval)
    assert n["max_error"] < 1e-9 * (1 + INTERVALS[interval])
    assert approximate("abs", units, interval=interval, curves=False).finding.kind is Kind.EXACT


@pytest.mark.parametrize("units", [15, 31, 63])
def test_an_odd_number_of_kinks_misses_the_corner_by_order_h(units):
    """The corner sits mid-cell; the error is a fixed fraction of h = 2a/N."""
    a = math.pi
    err = _numbers("abs", units=units)["max_error"]
    h = 2 * a / units
    assert h / 16 < err < h  # interpolation would miss by h/2; least squares does better
    assert approximate("abs", units, curves=False).finding.kind is Kind.CORNER


@pytest.mark.parametrize("interval", sorted(INTERVALS))
@pytest.mark.parametrize("target", ["sin", "bump"])
def test_smooth_targets_with_relu_kinks_fall_like_n_to_the_minus_two(interval, target):
    r = approximate(target, 64, interval=interval, curves=False)
    assert r.finding.kind is Kind.KINKS
    assert -2.15 < r.finding.slope < -1.85


def test_the_sine_error_obeys_the_interpolation_bound():
    """Least squares in the span is within a small factor of the interpolant's h²/8·max|f''|."""
    for units, err in zip(LADDER, _numbers("sin")["ladder_max"], strict=True):
        if units >= 8:
            h = 2 * math.pi / units
            assert err <= 2 * h * h / 8


HALF_JUMP = {"step": 0.5, "sawtooth": 1.0}  # step 0 → 1; sawtooth teeth 1 → −1


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("method", ["constructive", "random"])
@pytest.mark.parametrize("target", ["step", "sawtooth"])
def test_a_jump_keeps_the_max_error_at_half_the_jump(act, method, target):
    """g continuous: g(j⁻) = g(j⁺), so one side misses by ≥ J/2; the rms error still falls."""
    half = HALF_JUMP[target]
    n = _numbers(target, act=act, method=method, units=37)
    assert n["half_jump"] == half
    assert min(n["ladder_max"]) >= half - 1e-12
    assert n["max_error"] >= half - 1e-12
    if act != "linear":
        assert n["ladder_rms"][-1] < n["ladder_rms"][0] / 3
        assert approximate(target, 37, act, method, curves=False).finding.kind is Kind.JUMP


@pytest.mark.parametrize("interval", sorted(INTERVALS))
@pytest.mark.parametrize("target", ["step", "sawtooth"])
def test_jumps_are_the_targets_one_sided_limits(interval, target):
    """Each listed jump is where the target's two one-sided values differ by the listed size,
    inside the interval, and the target moves continuously everywhere else."""
    a = INTERVALS[interval]
    jumps = jumps_of(target, a)
    for j, size in jumps:
        assert -a < j < a
        below, above = target_values(target, None, np.array([j - 1e-9 * a, j + 1e-9 * a]), a)
        assert abs(above - below) == pytest.approx(size, abs=1e-6)
    x = np.linspace(-a, a, 200001)
    dy = np.abs(np.diff(target_values(target, None, x, a)))
    away = np.all(np.abs((x[:-1, None] + x[1:, None]) / 2 - [j for j, _ in jumps]) > 1e-4, axis=1)
    assert dy[away].max() < 1e-3  # slopes ≤ 3/a between jumps: steps of ≤ 3e-5 here
    assert max(size for _, size in jumps) / 2 == HALF_JUMP[target]


@pytest.mark.parametrize("target", ["step", "sawtooth"])
def test_no_continuous_function_beats_half_the_jump(target):
    """The bound is about every continuous g, not only least-squares fits: random steep tanh
    networks (continuous, some much steeper than any fit) all miss by ≥ J/2 on the grid."""
    a = math.pi
    x = grid(a, jumps_of(target, a))
    y = target_values(target, None, x, a)
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 64))
        w, b = rng.normal(0, 10.0 ** rng.uniform(0, 6), n), rng.uniform(-a, a, n)
        H = np.tanh(np.outer(x, w) - w * b)  # (M, n)
        g = H @ rng.normal(size=n) + rng.normal()
        assert np.max(np.abs(g - y)) >= HALF_JUMP[target] - 1e-9


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("target", ["step", "sawtooth"])
def test_the_best_line_already_reaches_half_the_jump(act, target):
    """Step and sawtooth span a range of exactly J (0…1, −1…1): the constant in the middle
    misses by J/2, so the best line meets the bound and no N can beat it; least squares
    goes above it beside the jump."""
    half = HALF_JUMP[target]
    r = approximate(target, 64, act, curves=False)
    n, f = r.numbers, r.finding
    x = grid(r.a, jumps_of(target, r.a))
    y = target_values(target, None, x, r.a)
    assert (y.max() - y.min()) / 2 == pytest.approx(half, abs=1e-12)  # the middle constant
    assert n["best_line_error"] == pytest.approx(half, abs=1e-12)
    assert f.kind is Kind.JUMP and f.half_jump == half and f.line_at_bound
    assert f.overshoot == (n["max_error"] > half + 1e-9)
    assert n["max_error"] > half  # this fit overshoots, as the card says


@pytest.mark.parametrize("formula", ["sign(x)", "floor(2*x)", "x*sin(3*x)"])
def test_custom_targets_claim_no_jump(formula):
    """Sampling can't tell a jump from a steep slope, so no bound is claimed for a formula."""
    r = approximate("custom", 16, custom=formula, curves=False)
    assert "half_jump" not in r.numbers and r.finding.half_jump == 0
    assert r.finding.kind is not Kind.JUMP and not r.finding.line_at_bound


@pytest.mark.parametrize("target", ["sin", "abs", "step", "sawtooth", "bump"])
@pytest.mark.parametrize("interval", sorted(INTERVALS))
def test_linear_units_never_beat_the_best_line(target, interval):
    n = _numbers(target, act="linear", interval=interval)
    assert min(n["ladder_max"]) >= n["best_line_error"] - 1e-12
    kind = approximate(target, 16, "linear", interval=interval, curves=False).finding.kind
    assert kind is Kind.LINE


def test_chebyshev_line_closed_forms():
    x = np.linspace(-1, 1, 2001)
    assert chebyshev_line(x, x * x)[0] == pytest.approx(0.5, abs=1e-15)  # line y = 1/2
    assert chebyshev_line(x, 3 * x - 2)[0] == pytest.approx(0, abs=1e-15)
    a = math.pi
    err, slope, icpt = chebyshev_line(grid(a, ()), np.abs(grid(a, ())))
    assert (err, slope, icpt) == pytest.approx((a / 2, 0, a / 2), abs=1e-12)


def test_chebyshev_line_for_sine_equioscillates():
    """Chebyshev: the best line's residual reaches ±E at three points with alternating signs."""
    x = grid(math.pi, ())
    err, slope, icpt = chebyshev_line(x, np.sin(x))
    r = np.sin(x) - slope * x - icpt
    assert err == pytest.approx(0.6824583, abs=1e-6)  # the value DESIGN.md quotes (≈ 0.683)
    extreme = np.flatnonzero(np.abs(np.abs(r) - err) < 1e-12)
    signs = np.sign(r[extreme])
    assert np.count_nonzero(np.diff(signs)) >= 2  # + − + (or − + −): optimal


@pytest.mark.fuzz
@given(seed=st.integers(0, 10**6), n=st.integers(3, 60))
@example(seed=42295, n=3)  # three close points: the best slope is 11.05, outside ±10
def test_chebyshev_line_beats_every_line_on_random_points(seed, n):
    """Against a brute-force scan of slopes (−10…10, and finely around the slope found):
    nothing does better, and the scan gets close."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, n))
    x = np.unique(x)
    y = rng.normal(size=x.size)
    err, slope, _ = chebyshev_line(x, y)
    slopes = np.concatenate([np.linspace(-10, 10, 20001), slope + np.linspace(-1, 1, 2001)])
    r = y[None, :] - slopes[:, None] * x[None, :]
    widths = (r.max(axis=1) - r.min(axis=1)) / 2
    assert err <= widths.min() + 1e-12
    assert err >= widths.min() - 1e-3 * (1 + abs(x).max())  # the scan's resolution


@pytest.mark.fuzz
@given(
    text=st.sampled_from(
        [
            "x*sin(3*x)",
            "max(x, 0.1*x)",
            "sigmoid(2*x) - 1/2",
            "x^2 - 3",
            "2",
            "-x",
            "e^-x^2",
            "floor(x) + ceil(x)/3",
            "log1p(abs(x))",
            "tanh(x)**3",
            "min(1/0, x)",
            "sqrt(x*x + 1)",
        ]
    ),
    seed=st.integers(0, 1000),
)
def test_formula_values_match_the_parser_bit_for_bit(text, seed):
    """The script's evaluator is a second implementation of bot.lab.expr: same bits."""
    x = np.random.default_rng(seed).uniform(-5, 5, 101)
    with np.errstate(all="ignore"):
        ours = np.broadcast_to(np.asarray(formula_values(parse(text).tree, x), float), x.shape)
    assert ours.tobytes() == parse(text)(x).tobytes()


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"units": 0}, "units"),
        ({"units": 257}, "units"),
        ({"target": "cube"}, "target"),
        ({"activation": "gelu"}, "activation"),
        ({"method": "trained"}, "method"),
        ({"interval": "3"}, "interval"),
        ({"seed": -1}, "seed"),
        ({"target": "custom"}, "formula"),
        ({"custom": "x"}, "target:custom"),
        ({"target": "custom", "custom": "1/x"}, "undefined"),
        ({"target": "custom", "custom": "log(x)"}, "undefined"),
        ({"target": "custom", "custom": "exp(10*x)"}, "exceeds"),
        ({"target": "custom", "custom": "__import__('os')"}, "unexpected"),
    ],
)
def test_bad_options_are_user_errors(kwargs, says):
    with pytest.raises(UserError, match=says):
        approximate(**kwargs, curves=False)


def test_the_gates_sum_to_the_fit():
    r = approximate("bump", 24, "tanh", "random", seed=3)
    assert np.allclose(r.gates.sum(axis=0) + r.bias, r.fit, atol=1e-12)
    inside = np.abs(r.x) <= r.a
    assert np.max(np.abs(r.fit - r.y)[inside]) <= r.numbers["max_error"] * 1.5 + 1e-6
