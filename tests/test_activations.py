"""The activation registry against theory: derivatives, ranges, minima, moments, saturation.

Every expected value here comes from a closed form or an independent computation
(finite differences, Lambert W by Newton in Decimal, golden-section search on f,
Decimal exponentials), never from the function under test.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.lab.activation_numbers import (
    OVERFLOW,
    UNSETTLED,
    activation_numbers,
    midpoint_test,
    normal_moments,
    outward,
    rounded_saturation,
)
from bot.lab.activation_report import describe, describe_custom, registry_kernel_args
from bot.lab.activations import REGISTRY, lookup
from bot.lab.expr import parse

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


def _numbers(name: str) -> dict:
    return activation_numbers(**registry_kernel_args(REGISTRY[name]))


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
    if r.values:
        assert set(np.unique(y)) == set(r.values)
        return
    assert np.all(y >= r.lo - 1e-15) and np.all(y <= r.hi + 1e-15)
    for end, closed, at, pick in (
        (r.lo, r.lo_closed, a.lo_at, np.min),
        (r.hi, r.hi_closed, a.hi_at, np.max),
    ):
        if not np.isfinite(end):
            assert abs(a.f(np.array([1e9 if pick is np.max else -1e9]))[0]) > 1e5  # unbounded
        elif not closed:
            assert np.all(y != end)  # approached, never reached (for |x| ≤ 15)
        elif a.min_bracket is None:
            assert at, "a closed end says where it is attained"
            points = ATTAINED.get(name, np.linspace(-15, 15, 30001))
            assert pick(a.f(np.asarray(points))) == end


ATTAINED = {"sin": [-math.pi / 2, math.pi / 2, 3 * math.pi / 2, -3 * math.pi / 2]}
HALF_LINES = {  # where a closed end is attained on a whole half-line, and nowhere else
    "relu": [(-np.inf, 0.0, 0.0)],
    "hardtanh": [(-np.inf, -1.0, -1.0), (1.0, np.inf, 1.0)],
}


@pytest.mark.parametrize("name", sorted(HALF_LINES))
def test_half_line_ends_are_attained_on_exactly_that_half_line(name):
    a = REGISTRY[name]
    x = np.linspace(-20, 20, 40001)
    y = a.f(x)
    for lo, hi, value in HALF_LINES[name]:
        inside = (x >= lo) & (x <= hi)
        assert np.all(y[inside] == value) and np.all(y[~inside] != value)
    assert {a.lo_at, a.hi_at} - {""} == {
        "relu": {"x ≤ 0"},
        "hardtanh": {"x ≤ −1", "x ≥ 1"},
    }[name]


def _lambert_w(z: Decimal) -> Decimal:
    """W(z) for z > 0 by Newton's method on w·e^w = z, in 50-digit Decimal."""
    w = Decimal("0.5")
    for _ in range(60):
        e = w.exp()
        w -= (w * e - z) / (e * (w + 1))
    return w


def test_silu_minimum_is_the_lambert_w_closed_form():
    getcontext().prec = 50
    x_star = -1 - _lambert_w(Decimal(-1).exp())  # x* = −1 − W(1/e), and f(x*) = x* + 1
    n = _numbers("silu")
    assert abs(n["argmin"] - float(x_star)) < 1e-9
    assert abs(n["min"] - float(x_star + 1)) < 1e-15
    assert float(x_star) == pytest.approx(-1.278464542761074, abs=1e-15)
    assert n["range"] == "[−0.2785, ∞)"  # −0.278465 rounded down, never −0.2784


def _golden_min(f, lo: float, hi: float) -> tuple[float, float]:
    """Golden-section search on f itself (no derivative), to the float resolution."""
    g = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    for _ in range(200):
        c, d = b - g * (b - a), a + g * (b - a)
        if f(np.array([c]))[0] < f(np.array([d]))[0]:
            b = d
        else:
            a = c
    x = 0.5 * (a + b)
    return x, float(f(np.array([x]))[0])


# (argmin, min) from the literature, to the digits they are usually quoted with
KNOWN = {"gelu": (-0.75179, -0.16997), "mish": (-1.19243, -0.30884), "silu": (-1.27846, -0.27846)}


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh", "silu", "mish"])
def test_minima_agree_with_golden_section_search_on_f(name):
    a = REGISTRY[name]
    x, fx = _golden_min(a.f, -3.0, 0.0)
    n = _numbers(name)
    assert abs(n["argmin"] - x) < 1e-6  # golden section locates x to ~√eps
    assert abs(n["min"] - fx) < 1e-13 and n["min"] <= fx
    if name in KNOWN:
        assert n["argmin"] == pytest.approx(KNOWN[name][0], abs=1e-5)
        assert n["min"] == pytest.approx(KNOWN[name][1], abs=1e-5)
    assert a.range.lo == n["min"]
    assert np.all(a.f(GRID) >= n["min"])


def _parse_end(text: str) -> float:
    return {"∞": math.inf, "−∞": -math.inf}.get(text) or float(text.replace("−", "-"))


@pytest.mark.parametrize("name", NAMES)
def test_printed_range_contains_the_true_range(name):
    a = REGISTRY[name]
    text = _numbers(name)["range"]
    if a.range.values:
        assert text == "{" + ", ".join(f"{v:g}".replace("-", "−") for v in a.range.values) + "}"
        return
    assert text[0] == ("[" if a.range.lo_closed else "(")
    assert text[-1] == ("]" if a.range.hi_closed else ")")
    lo, hi = (_parse_end(t.strip()) for t in text[1:-1].split(","))
    assert lo <= a.range.lo and hi >= a.range.hi
    if math.isfinite(a.range.lo):
        assert a.range.lo - lo < 1e-3 * max(1, abs(a.range.lo))


@pytest.mark.fuzz
@given(
    st.floats(min_value=1e-300, max_value=1e300) | st.floats(min_value=-1e300, max_value=-1e-300),
    st.integers(1, 8),
    st.booleans(),
)
def test_outward_rounding_is_the_nearest_outward_decimal(v, digits, up):
    getcontext().prec = 60
    r = outward(v, digits, up)
    exact, got = Decimal(v), Decimal(repr(r))
    assert (r >= v) if up else (r <= v)  # as floats: a decimal equal to v at float precision is v
    assert len(Decimal(repr(r)).normalize().as_tuple().digits) <= digits
    e = math.floor(math.log10(abs(v))) - digits + 1
    assert abs(got - exact) <= Decimal(10) ** e * Decimal("1.000001")  # one unit at most


# E f(Z) and √E f(Z)² for Z ~ N(0, 1) in closed form
PHI0 = 1 / math.sqrt(2 * math.pi)
PHI_MINUS_1 = 0.5 * math.erfc(1 / math.sqrt(2))  # Φ(−1)
ELU_NEG = math.exp(0.5) * PHI_MINUS_1 - 0.5  # E[(e^Z − 1); Z < 0]
MOMENTS = {
    "identity": (0.0, 1.0),
    "relu": (PHI0, math.sqrt(0.5)),
    "abs": (math.sqrt(2 / math.pi), 1.0),
    "sign": (0.0, 1.0),
    "step": (0.5, math.sqrt(0.5)),
    "sigmoid": (0.5, None),
    "gelu": (1 / (2 * math.sqrt(math.pi)), None),
    "gaussian": (1 / math.sqrt(3), 5**-0.25),
    "elu": (PHI0 + ELU_NEG, None),
    "leaky_relu": (0.99 * PHI0, None),
    "tanh": (0.0, None),
    "sin": (0.0, math.sqrt((1 - math.exp(-2)) / 2)),
}


@pytest.mark.parametrize("name", sorted(MOMENTS))
def test_normal_moments_match_closed_forms(name):
    mean, rms = normal_moments(REGISTRY[name].f)
    assert mean == pytest.approx(MOMENTS[name][0], abs=1e-7)  # midpoint rule, h = 0.001
    if MOMENTS[name][1] is not None:
        assert rms == pytest.approx(MOMENTS[name][1], abs=1e-7)


def test_selu_is_zero_centred_by_design():
    """SELU's constants make E f(Z) = 0 and E f(Z)² = 1 (Klambauer et al. 2017)."""
    lam, alpha = 1.0507009873554805, 1.6732632423543772
    assert abs(lam * (PHI0 + alpha * ELU_NEG)) < 1e-7
    mean, rms = normal_moments(REGISTRY["selu"].f)
    assert abs(mean) < 1e-7 and rms == pytest.approx(1.0, abs=1e-7)


@pytest.mark.parametrize("name", NAMES)
def test_zero_centred_means_mean_output_near_zero(name):
    """The flag says E f(Z) ≈ 0 (|mean| ≤ 1% of the RMS), and the card agrees."""
    a = REGISTRY[name]
    mean, rms = normal_moments(a.f)
    assert a.zero_centred == (abs(mean) <= 0.01 * rms)
    assert describe(name).zero_centred == a.zero_centred
    assert (abs(mean) < 1e-6 * rms) or (abs(mean) > 0.1 * rms)  # never a borderline call


@pytest.mark.parametrize("name", NAMES)
def test_properties_hold_numerically(name):
    a = REGISTRY[name]
    y = a.f(GRID)
    assert a.monotone == bool(np.all(np.diff(y) >= -1e-15))
    assert a.linear == (midpoint_test(a.f)[0] == "linear")
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


def _tanh_d(x: Decimal) -> Decimal:
    e = (2 * x).exp()
    return (e - 1) / (e + 1)


def _sigmoid_d(x: Decimal) -> Decimal:
    return 1 / (1 + (-x).exp())


def _nearest_is_one(value: Decimal, p: int) -> bool:
    """Is 1.0 the float (p-bit significand) nearest to value in (1 − 2^−p, 1)? Ties to even: 1."""
    below = 1 - Decimal(2) ** -p
    return (1 - value) <= (value - below)


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
@pytest.mark.parametrize(("dtype", "p"), [("float32", 24), ("float64", 53)])
def test_correctly_rounded_saturation_agrees_with_decimal(name, dtype, p):
    getcontext().prec = 80
    exact = {"tanh": _tanh_d, "sigmoid": _sigmoid_d}[name]
    x = rounded_saturation(name, dtype)
    before = float(np.nextafter(np.array(x, dtype=dtype), np.array(0, dtype=dtype)))
    assert _nearest_is_one(exact(Decimal(x)), p)
    assert not _nearest_is_one(exact(Decimal(before)), p)


def test_saturation_points_are_the_documented_ones():
    t, s = _numbers("tanh"), _numbers("sigmoid")
    assert t["float32_numpy"] == 10.0  # NumPy's float32 tanh
    assert t["float32_rounded"] == pytest.approx(13 * math.log(2), abs=1e-6)  # ≈ 9.0109
    assert t["float64_rounded"] == pytest.approx(27.5 * math.log(2), abs=1e-12)  # ≈ 19.0615
    assert 18.9 < t["float64_numpy"] < t["float64_rounded"]
    assert s["float32_numpy"] == pytest.approx(24 * math.log(2), abs=1e-5)  # 1 + e^−x == 1
    assert s["float32_rounded"] == pytest.approx(25 * math.log(2), abs=1e-5)  # ≈ 17.33


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_numpy_float32_saturation_is_exact_by_exhaustive_scan(name):
    """Every float32 from NumPy's point up to 100 gives 1.0; the one before does not."""
    f = REGISTRY[name].f
    x = np.float32(_numbers(name)["float32_numpy"])
    start, stop = np.array([x, np.float32(100)]).view(np.int32)
    xs = np.arange(start, stop + 1, dtype=np.int32).view(np.float32)  # every float32 in [x, 100]
    assert np.all(f(xs) == np.float32(1.0))
    assert f(np.array([np.nextafter(x, np.float32(0))]))[0] < 1


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_numpy_float64_saturation_point(name):
    f = REGISTRY[name].f
    x = _numbers(name)["float64_numpy"]
    probe = np.array([x, np.nextafter(x, 0.0)])
    assert f(probe)[0] == 1.0 and f(probe)[1] < 1.0
    assert np.all(f(np.geomspace(x, 1e4, 2000)) == 1.0)


def test_only_closed_form_tails_get_saturation_numbers():
    assert {n for n in NAMES if "float32_rounded" in _numbers(n)} == {"tanh", "sigmoid"}
    assert {s.dtype for s in describe("tanh").saturation} == {"float32", "float64"}
    assert describe("relu").saturation == ()


def _custom(text: str) -> dict:
    return describe_custom(text).numbers


def test_x_to_the_1000_overflows_float64_and_is_not_undefined():
    """x^1000 is a real number everywhere; float64 holds it only while x^1000 < 2^1024.

    E Z^1000 = 999!! (the odd double factorial) exists and is about 1e1283: past float64,
    so the card must say "float64 overflow", not "does not exist".
    """
    x = np.linspace(-6, 6, 601)
    beyond = sum(1000 * math.log2(abs(v)) > 1024 for v in x if v != 0)
    n = _custom("x**1000")
    assert (n["overflow_points"], n["undefined_points"]) == (beyond, 0) == (398, 0)
    log10_moment = sum(math.log10(k) for k in range(1, 1000, 2))  # log10 of 999!!
    assert math.log10(np.finfo(float).max) < log10_moment < math.inf
    assert n["mean_output"] == n["rms_output"] == OVERFLOW
    assert n["slope_far_left"] == n["slope_far_right"] == OVERFLOW  # 1000·x^999 at 10000.5
    assert n["linearity"] == "nonlinear"


@pytest.mark.parametrize(
    ("text", "undefined", "over"),
    [
        ("1/x", 1, 0),  # the pole at x = 0, a grid point
        ("x**-2", 1, 0),
        ("log(x)", 301, 0),  # x ≤ 0
        ("sqrt(x)", 300, 0),  # x < 0
        ("exp(x)", 0, 0),
        # e^(200x) overflows for x > 3.549 and underflows to 0 for x < −3.726: ∞/∞, 0/0
        ("exp(200*x)/exp(200*x)", 0, 237),
        ("tan(x)", 0, 0),  # no float is a pole of tan
    ],
)
def test_sampled_points_without_a_value_are_counted_by_cause(text, undefined, over):
    x = np.linspace(-6, 6, 601)
    if over:  # independently: where e^(200x) is past the largest float or below half the least
        big, tiny = math.log(np.finfo(float).max), -1075 * math.log(2)
        assert over == int(np.sum((200 * x > big) | (200 * x < tiny)))
    n = _custom(text)
    assert (n["undefined_points"], n["overflow_points"]) == (undefined, over)


def test_moments_of_custom_formulas_say_why_they_are_missing():
    assert _custom("exp(x)")["mean_output"] == pytest.approx(math.exp(0.5), rel=1e-9)
    assert _custom("exp(x)")["rms_output"] == pytest.approx(math.e, rel=1e-9)  # √E e^(2Z)
    # E |1/Z| = ∞, but a quadrature that does not settle cannot tell a pole from an
    # integrable singularity (|x|^−0.75), so it says "not settled", not "undefined"
    assert _custom("1/x")["mean_output"] == UNSETTLED
    assert _custom("log(x)")["mean_output"] == "undefined"  # undefined for Z < 0
    assert _custom("exp(x)/exp(x)")["mean_output"] == pytest.approx(1.0, rel=1e-12)
    # e^(e^Z) overflows for Z > 6.57 (and its mean is infinite): overflow is all we say
    assert _custom("exp(exp(x))")["mean_output"] == OVERFLOW
    e = parse("x**1000")
    assert np.isinf(normal_moments(e, e.overflows)).all()
    assert np.isnan(normal_moments(e)).all()  # a black box: no way to tell, so undefined


def test_far_slopes_say_which_is_missing():
    n = _custom("exp(x)")
    assert (n["slope_far_left"], n["slope_far_right"]) == (0.0, OVERFLOW)  # e^10000.5
    n = _custom("log(x)")
    assert n["slope_far_left"] == "undefined"
    assert n["slope_far_right"] == pytest.approx(1 / 10000.5, rel=1e-6)


def test_overflow_everywhere_is_not_called_undefined():
    n = _custom("9**9**9**9")
    assert (n["linearity"], n["overflow_points"], n["undefined_points"]) == ("overflow", 601, 0)
    assert _custom("0/0")["linearity"] == "undefined"


@pytest.mark.parametrize(
    ("text", "mean", "rms"),
    [
        # E e^(3Z) = e^(9/2) exists; E e^(6Z) = e^18 too, but its integrand e^(6z − z²/2)
        # still weighs e^0 = 1 at the ±12 window's edge, so the window cannot settle it
        ("exp(3*x)", math.exp(4.5), None),
        # E e^(Z²/4) = 1/√(1 − 1/2) = √2 exists; E e^(Z²/2) = ∞
        ("exp(x**2/4)", math.sqrt(2), None),
        # E e^(Z²/2.2) = 1/√(1 − 2/2.2) = √11 exists, but its integrand e^(−z²/44) is still
        # 0.04 at the edge: the window cannot settle it either
        ("exp(x**2/2.2)", None, None),
        # E Z^100 = 99!! ≈ 2.7e78 exists; z^100·φ(z) peaks at z = 10, too near the edge
        ("x**100", None, None),
        # E |Z|^−0.75 = 2^−0.375·Γ(0.125)/√π exists; the grids disagree near the singularity
        ("abs(x)**(-0.75)", None, None),
        # E |Z|^−0.5 = 2^−0.25·Γ(0.25)/√π exists, but the grids agree only to 2e-3; E |Z|^−1 = ∞
        ("1/sqrt(abs(x))", None, None),
    ],
)
def test_a_moment_the_window_cannot_settle_is_not_called_nonexistent(text, mean, rms):
    """Heavy tails inside ±12 leave the integral unsettled: that says nothing about whether
    the moment exists (each of these exists or the mean does), so the numbers say
    UNSETTLED, never "undefined"; a mean that does settle is still reported."""
    n = _custom(text)
    for key, want in (("mean_output", mean), ("rms_output", rms)):
        if want is None:
            assert n[key] == UNSETTLED
        else:
            assert n[key] == pytest.approx(want, rel=1e-9)


def test_unsettled_moments_are_worded_as_not_computed():
    from bot.cards.activation import _centred

    for text in ("x**100", "exp(3*x)"):
        line = _centred(describe_custom(text))
        assert "does not exist" not in line and "not settled" in line, line
