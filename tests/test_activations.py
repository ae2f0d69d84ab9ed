"""The activation registry: derivatives, ranges and properties checked numerically."""

from __future__ import annotations

import numpy as np
import pytest

from bot.lab.activations import REGISTRY, lookup
from bot.lab.inspect import describe, float_saturation, linearity

REQUIRED = {
    "identity",
    "linear_squash",
    "step",
    "sign",
    "sigmoid",
    "tanh",
    "hardtanh",
    "relu",
    "leaky_relu",
    "elu",
    "selu",
    "gelu",
    "gelu_tanh",
    "silu",
    "mish",
    "softplus",
    "sin",
    "gaussian",
    "abs",
}
NAMES = sorted(REGISTRY)
GRID = np.linspace(-8, 8, 3201)


def test_registry_has_everything_the_issue_lists():
    assert len(REGISTRY) >= 18
    assert set(REGISTRY) >= REQUIRED
    assert lookup("Swish").name == "silu" and lookup("LEAKY-RELU").name == "leaky_relu"


def _away_from_kinks(a, x):
    return x[np.all([np.abs(x - k) > 1e-3 for k in a.kinks] or [np.ones_like(x, bool)], axis=0)]


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    a = REGISTRY[name]
    x = _away_from_kinks(a, GRID)
    h = 1e-6
    fd = (a.f(x + h) - a.f(x - h)) / (2 * h)
    assert np.allclose(a.df(x), fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_range_holds_and_ends_are_what_they_say(name):
    a = REGISTRY[name]
    r = a.range
    y = a.f(np.linspace(-15, 15, 30001))  # |x| ≤ 15: floats do not saturate yet
    if r.values is not None:
        assert set(np.unique(y)) <= set(r.values)
        return
    assert np.all(y >= r.lo - 1e-12) and np.all(y <= r.hi + 1e-12)
    if np.isfinite(r.lo):
        if r.lo_closed:
            assert a.f(np.array([a.argmin]))[0] == pytest.approx(r.lo, abs=1e-12)
        else:
            assert np.all(y > r.lo)
    if np.isfinite(r.hi):
        if r.hi_closed:
            assert np.isclose(y.max(), r.hi, atol=1e-6)
        else:
            assert np.all(y < r.hi)
    if np.isinf(r.hi):
        assert a.f(np.array([1e9]))[0] > 1e5  # unbounded above really grows


@pytest.mark.parametrize("name", NAMES)
def test_properties_hold_numerically(name):
    a = REGISTRY[name]
    y = a.f(GRID)
    assert a.monotone == bool(np.all(np.diff(y) >= -1e-15))
    assert a.zero_centred == bool(a.f(np.zeros(1))[0] == 0 and y.min() < 0 < y.max())
    assert a.linear == (linearity(a.f).kind == "linear")
    left, right = np.abs(a.df(np.array([-1e4, 1e4])))
    ends = {
        "none": (False, False),
        "left": (True, False),
        "right": (False, True),
        "both": (True, True),
        "flat": (True, True),
    }[a.saturates]
    assert (left < 1e-6, right < 1e-6) == ends
    for k in a.kinks:  # non-smooth points: f or f' jumps there
        side = np.array([k - 1e-9, k + 1e-9])
        assert max(np.ptp(a.df(side)), np.ptp(a.f(side))) > 1e-3
    if a.smooth:
        assert not a.kinks
        eps = 1e-7
        jumps = np.abs(a.df(GRID + eps) - a.df(GRID - eps))
        assert jumps.max() < 1e-4


def test_tanh_saturates_in_float32_near_ten():
    s = float_saturation(np.tanh, np.float32)
    assert 8.0 < s.x < 11.0
    assert np.tanh(np.float32(s.x)) == np.float32(1.0)
    prev = np.nextafter(np.float32(s.x), np.float32(0))
    assert np.tanh(prev) < np.float32(1.0)


def test_reports_carry_saturation_for_open_unit_ranges():
    assert {s.dtype for s in describe("tanh").saturation} == {"float32", "float64"}
    assert describe("relu").saturation == ()
