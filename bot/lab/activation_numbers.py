"""The numbers an /activation card prints, from one kernel a Show-code script carries.

`activation_numbers(f, df, …)` is plain NumPy and math: the card calls it, and the
script runs the very same source. What it computes, and why each number is true:

- Minimum: where f' changes sign from − to + in a bracket (bisection on f'), then the
  range's closed ends are printed *rounded outward*, so the printed interval contains
  the true one (SiLU's −0.278465 prints as −0.2785, never −0.2784).
- Zero-centred means what people mean: the mean output for zero-mean input,
  E f(Z) for Z ~ N(0, 1), is negligible (at most 1% of the RMS output √E f(Z)²).
  Midpoint rule on [−12, 12] at two resolutions; if they disagree, or the integrand is
  still heavy at ±12, the moment is "not settled": a pole (1/x, tan(x)), a tail like
  exp(x²) and an integrable singularity (|x|^−0.75) or a heavy but finite tail (x**100)
  all look alike to a grid, so whether the moment exists is not claimed either way.
- Undefined is not overflow. A custom formula comes with `overflows(x)`, true where its
  float64 value is nan or ±inf only because float64's range ran out (x**1000 for
  |x| > 2.03 is a finite real number above 1.8e308; bot/lab/expr.py's `evaluate` says
  how the two are told apart). Those points are counted apart from the undefined ones,
  and a moment whose sum overflows is shown as "float64 overflow", never as undefined:
  float64 could not compute it, which does not say whether it exists.
- Linearity: every affine f satisfies f((a + b)/2) = (f(a) + f(b))/2 (Jensen's
  equation), so one pair with a nonzero midpoint gap, all three values finite, proves f
  is not affine. No pair is needed at 0, so log(x) or 1/x are judged where defined.
- Saturation: tanh(x) < 1 for every real x, but the float nearest to it is 1.0 once
  1 − tanh(x) = 2/(e^2x + 1) is at most half the spacing below 1, 2^−(p+1) (p = 24
  for float32, 53 for float64), i.e. from x = ½·ln(2^(p+2) − 1); for σ, 1 − σ(x) =
  1/(1 + e^x) gives x = ln(2^(p+1) − 1). We find the first float past that threshold
  exactly: ln 2 is split in two (LN2_HI has 32 bits, so k·LN2_HI and x − k·LN2_HI
  are exact). NumPy's own point (its tanh, or the two-step 1/(1 + e^−x)) is
  measured by bisection over the float's bit patterns.
"""

from __future__ import annotations

import math

import numpy as np

LN2_HI = 6.93147180369123816490e-01  # ln 2 = LN2_HI + LN2_LO to about 2^−85 (fdlibm)
LN2_LO = 1.90821492927058770002e-10
PLOT_LO, PLOT_HI, PLOT_N = -6.0, 6.0, 601
ZERO_MEAN_SHARE = 0.01  # |E f(Z)| ≤ 1% of √E f(Z)²: zero-centred
OVERFLOW = "float64 overflow"  # shown where float64's range ran out: neither a number nor undefined
UNSETTLED = "not settled"  # a moment whose integrand is still heavy at the ±12 window's edge
FAR = 10000.5  # where a custom f' is sampled for saturation (off the integers: floor, ceil)
AFFINE_TOL = 1e-9  # relative midpoint gap below which f is affine on the tested pairs
# (a, b) pairs for the midpoint test: readable ones first, then spread over scales
PAIRS = (
    (0.0, 2.0),
    (-1.0, 1.0),
    (0.0, 1.0),
    (1.0, 3.0),
    (-2.0, 2.0),
    (0.5, 1.5),
    (-3.0, -1.0),
    (2.0, 6.0),
    (-0.3, 0.1),
    (0.001, 0.003),
    (-4.5, 2.5),
    (-17.0, 31.0),
    (0.7, 12.1),
    (-0.04, 0.01),
    (-25.0, -5.0),
    (3.3, 4.1),
    (0.1, 0.35),
    (-2.6, -0.6),
    (5.0, 29.0),
    (-0.9, 0.4),
)


def as_array(f, x):
    """f on a float64 array, with floating-point warnings silenced (nan/inf are data here)."""
    with np.errstate(all="ignore"):
        return np.asarray(f(np.asarray(x, dtype=float)), dtype=float) + np.zeros(np.shape(x))


def lost_mask(overflows, x, y):
    """True where y = f(x) is nan or ±inf only because float64 overflowed (see `overflows`)."""
    bad = ~np.isfinite(y)
    lost = np.zeros(np.shape(y), dtype=bool)
    if overflows is not None and bad.any():  # asked only where it matters: point by point
        lost[bad] = overflows(np.broadcast_to(np.asarray(x, dtype=float), bad.shape)[bad])
    return lost


def central_df(f, x):
    """Central differences (f(x + h) − f(x − h)) / (2h), h = 1e-5 (error O(h²)).

    The denominator is the spacing actually taken, (x + h) − (x − h), so large |x|
    does not skew it; f' of a custom formula, labelled numeric wherever it is shown.
    """
    x = np.asarray(x, dtype=float)
    up, down = x + 1e-5, x - 1e-5
    with np.errstate(all="ignore"):
        return (as_array(f, up) - as_array(f, down)) / (up - down)


def minimum_in(df, lo, hi):
    """Root of f' in [lo, hi] by bisection (f' < 0 at lo, ≥ 0 at hi): where f is smallest."""
    a, b = lo, hi
    for _ in range(200):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        if float(as_array(df, np.array([m]))[0]) < 0:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def outward(v, digits, up):
    """v rounded to `digits` significant digits, up (toward +∞) or down, never inward."""
    if not math.isfinite(v) or v == 0:
        return v
    mantissa, exponent = f"{abs(v):.{digits + 25}e}".split("e")  # the exact digits of v
    ds = mantissa.replace(".", "")
    n, e = int(ds[:digits]), int(exponent) - digits + 1  # |v| truncated: n·10^e
    if int(ds[digits:]) and (up == (v > 0)):  # away from zero is outward here
        n += 1
    r = math.copysign(float(f"{n}e{e}"), v)
    return r if math.isfinite(r) else v


def end_text(v, up):
    """A range end as printed: 4 significant digits rounded outward, ∞ as a symbol."""
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return show_plain(outward(v, 4, up))


def show_plain(v):
    """4 significant digits with a typographic minus; no '-0'."""
    s = f"{float(v) + 0.0:.4g}"
    return s[1:] if s in ("-0", "-0.0") else s.replace("-", "−")


def interval_text(lo, hi, lo_closed, hi_closed):
    """The interval with its ends rounded outward, e.g. [−0.2785, ∞)."""
    left = "[" if lo_closed else "("
    right = "]" if hi_closed else ")"
    return f"{left}{end_text(lo, False)}, {end_text(hi, True)}{right}"


def gauss_midpoints(n):
    """Midpoint rule for Z ~ N(0, 1) on [−12, 12] with n cells: (nodes, weights), symmetric."""
    h = 24.0 / n
    half = h / 2 + h * np.arange(n // 2)  # (n/2,) cell midpoints on the right; 0 is a boundary
    z = np.concatenate([-half[::-1], half])  # (n,)
    return z, np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi) * h


def normal_moments(f, overflows=None):
    """E f(Z) and √E f(Z)² for Z ~ N(0, 1); nan: f is undefined at a node; inf: float64
    overflows; None: this quadrature cannot settle that moment.

    Midpoint rule with 24000 cells (0 and the integers are cell boundaries, so jumps
    there cost nothing); for f bounded by a polynomial of low degree the tails beyond ±12
    weigh under 1e-31. A moment is settled only if the same sum on 16000 cells agrees to
    1e-3 (about the 3 digits a card shows) and its integrand is negligible at ±12.
    Otherwise it is None, for that moment alone: a pole (1/x: E |1/Z| = ∞) and an
    integrable singularity (|x|^−0.75) both fail the agreement, heavy tails (e^(6z),
    z^100, e^(z²/2), finite or not) the edge, so failing says nothing about whether the
    moment exists, and neither "undefined" nor a number would be true. f undefined at a
    node (log x): nan. f overflowing float64 at a node (x**1000: E Z^1000 = 999!! ≈ 1e1283
    exists), or a sum overflowing: inf, meaning "float64 could not sum it", not "it does
    not exist" (e^(e^Z) overflows too, and its mean is infinite).
    """
    sums = []
    for n in (24000, 16000):
        z, w = gauss_midpoints(n)
        y = as_array(f, z)
        if np.any(~np.isfinite(y) & ~lost_mask(overflows, z, y)):
            return math.nan, math.nan  # f is undefined at a node
        with np.errstate(all="ignore"):
            terms = (w * y, w * np.abs(y), w * y * y)
            sums.append([float(np.sum(t)) for t in terms])
            edges = [float(np.max(np.abs(t[[0, -1]]))) for t in terms[1:]]  # tails still heavy?
    (mean, absmean, square), (_, absmean2, square2) = sums
    if not all(math.isfinite(v) for v in (mean, absmean, square, absmean2, square2)):
        return math.inf, math.inf  # every f(z) is a number or overflowed: float64 overflowed

    def settled(total, total2, edge):  # heavy at the edge, or the two grids disagree
        scale = max(total, 1e-300)
        return edge <= 1e-12 * scale and abs(total - total2) <= 1e-3 * scale

    return (
        mean if settled(absmean, absmean2, edges[0]) else None,
        math.sqrt(square) if settled(square, square2, edges[1]) else None,
    )


def midpoint_test(f, overflows=None):
    """Jensen's midpoint gap f((a+b)/2) − (f(a) + f(b))/2 over PAIRS and random pairs.

    Returns (kind, a, b, gap, pairs_defined): kind "linear", "affine", "nonlinear",
    "undefined" (no pair with f finite at a, b and the midpoint) or "overflow" (no such
    pair, and float64 overflowed at some of the points tried); (a, b) is the witness.
    """
    rng = np.random.default_rng(12345)
    scales = np.repeat([1e-3, 1.0, 30.0], 64)
    a = np.concatenate([np.array([p[0] for p in PAIRS]), rng.normal(size=192) * scales])
    b = np.concatenate([np.array([p[1] for p in PAIRS]), rng.normal(size=192) * scales])
    fa, fb, fm = as_array(f, a), as_array(f, b), as_array(f, 0.5 * (a + b))
    with np.errstate(all="ignore"):
        gap = fm - 0.5 * (fa + fb)
        size = np.maximum(1.0, np.maximum(np.abs(fm), np.maximum(np.abs(fa), np.abs(fb))))
        rel = np.abs(gap) / size
    ok = np.isfinite(fa) & np.isfinite(fb) & np.isfinite(fm) & np.isfinite(rel)
    if not ok.any():
        m = 0.5 * (a + b)
        lost = [lost_mask(overflows, p, fp) for p, fp in ((a, fa), (b, fb), (m, fm))]
        kind = "overflow" if np.any(lost) else "undefined"
        return kind, math.nan, math.nan, math.nan, 0
    big = np.flatnonzero(ok & (rel > 1e-6))
    if big.size == 0 and float(np.max(rel[ok])) <= AFFINE_TOL:
        i = int(np.flatnonzero(ok)[0])
        f0 = float(as_array(f, np.zeros(1))[0])
        if not math.isfinite(f0):  # undefined at 0: the intercept of the line through a, b
            f0 = float(fa[i] - a[i] * (fb[i] - fa[i]) / (b[i] - a[i]))
            f0 = 0.0 if abs(f0) <= 1e-12 * float(np.max(size[ok])) else f0
        kind = "linear" if f0 == 0 else "affine"
        return kind, float(a[i]), float(b[i]), float(gap[i]), int(ok.sum())
    readable = big.size and big[0] < len(PAIRS)  # a readable pair proves it
    i = int(big[0]) if readable else int(np.argmax(np.where(ok, rel, -1.0)))
    return "nonlinear", float(a[i]), float(b[i]), float(gap[i]), int(ok.sum())


def rounded_saturation(tail, dtype_name):
    """First float x (of the dtype) whose correctly rounded f(x) is 1.0 (see the docstring)."""
    p = 24 if dtype_name == "float32" else 53
    if tail == "tanh":  # x ≥ ½ ln(2^(p+2) − 1) = (p+2)/2 · ln 2 + ½ ln(1 − 2^−(p+2))
        k, small = (p + 2) / 2, 0.5 * math.log1p(-(2.0 ** -(p + 2)))
    else:  # sigmoid: x ≥ ln(2^(p+1) − 1) = (p+1) · ln 2 + ln(1 − 2^−(p+1))
        k, small = float(p + 1), math.log1p(-(2.0 ** -(p + 1)))
    head, rest = k * LN2_HI, k * LN2_LO + small  # head exact; x − head exact near head
    dt = np.dtype(dtype_name).type
    x = dt(head + rest)
    while float(np.nextafter(x, dt(0))) - head >= rest:
        x = np.nextafter(x, dt(0))
    while float(x) - head < rest:
        x = np.nextafter(x, dt(np.inf))
    return float(x)


def numpy_saturation(f, dtype_name, bound, hi, side=1):
    """First x in (0.5, hi] of the dtype where f(side·x), computed in that dtype, == bound.

    Bisection over the bit patterns of the floats (f is monotone there); nan if f never
    gets there by hi, or already equals it at 0.5.
    """
    dt = np.dtype(dtype_name)
    it = np.int32 if dt.itemsize == 4 else np.int64
    lo_i = int(np.array(0.5, dtype=dt).view(it))
    hi_i = int(np.array(hi, dtype=dt).view(it))

    def at(i):
        x = np.array([np.array(i, dtype=it).view(dt)], dtype=dt)  # (1,) in the dtype
        with np.errstate(all="ignore"):
            return f(x if side > 0 else -x)[0]

    if at(hi_i) != bound or at(lo_i) == bound:
        return math.nan
    while hi_i - lo_i > 1:  # invariant: f(lo) != bound == f(hi)
        mid = (lo_i + hi_i) // 2
        if at(mid) == bound:
            hi_i = mid
        else:
            lo_i = mid
    return float(np.array(hi_i, dtype=it).view(dt))


def constant_tail(f, side):
    """(limit, from_x): f computed in float64 equals `limit` exactly for side·x ≥ from_x.

    Measured: the value at side·1e4 must repeat at side·50, 100 and 1000, and differ at
    side·0.5; from_x by bisection, then checked at 64 points between from_x and 1e4.
    (nan, nan) when f has no such constant tail.
    """
    y = as_array(f, np.array([1e4, 50.0, 100.0, 1000.0]) * side)
    if not np.isfinite(y[0]) or np.any(y != y[0]) or as_array(f, [0.5 * side])[0] == y[0]:
        return math.nan, math.nan
    limit = float(y[0])
    start = numpy_saturation(f, "float64", limit, 1e4, side)
    if math.isnan(start) or np.any(as_array(f, side * np.geomspace(start, 1e4, 64)) != limit):
        return math.nan, math.nan
    return limit, start


def defined(v):
    """v as a float, or the word "undefined" for nan and ±inf: a card never shows nan."""
    v = float(v)
    return v if math.isfinite(v) else "undefined"


def far_slope(f, overflows, x0):
    """f'(x0) by central differences, or "undefined" if f is, or OVERFLOW if float64 is."""
    slope = float(central_df(f, np.array([x0]))[0])
    if math.isfinite(slope):
        return slope
    ends = np.array([x0 + 1e-5, x0 - 1e-5])  # the two points central_df takes
    y = as_array(f, ends)
    return "undefined" if np.any(~np.isfinite(y) & ~lost_mask(overflows, ends, y)) else OVERFLOW


def sampled_facts(f, df, out, overflows=None):
    """A custom formula's range and shape as the sampled points show them (said so)."""
    x = np.linspace(PLOT_LO, PLOT_HI, PLOT_N)  # (601,)
    y = as_array(f, x)
    finite = np.isfinite(y)
    lost = lost_mask(overflows, x, y)
    out["undefined_points"] = int(np.sum(~finite & ~lost))
    if overflows is not None:
        out["overflow_points"] = int(np.sum(lost))
    if finite.any():
        lo, hi = float(np.min(y[finite])), float(np.max(y[finite]))
        out["sampled_range"] = f"[{end_text(lo, False)}, {end_text(hi, True)}]"
        steps = np.diff(y[finite])  # between neighbouring points where f is defined
        out["monotone_on_sample"] = "yes" if np.all(steps >= 0) or np.all(steps <= 0) else "no"
    if df is not None:
        slopes = as_array(df, np.array([-FAR, FAR]))
        out["slope_far_left"], out["slope_far_right"] = defined(slopes[0]), defined(slopes[1])
    else:
        out["slope_far_left"] = far_slope(f, overflows, -FAR)
        out["slope_far_right"] = far_slope(f, overflows, FAR)
    for side, name in ((1, "right"), (-1, "left")):
        limit, start = constant_tail(f, side)
        if not math.isnan(limit):
            out[f"{name}_limit"], out[f"{name}_from"] = limit, side * start


def activation_numbers(f, df=None, ends=None, values=(), bracket=None, tail="", overflows=None):
    """Every number an /activation card shows, for f (and its exact f', if known).

    ends = (lo, hi, lo_closed, hi_closed) is a registry entry's range, known from theory;
    its lower end is computed when `bracket` holds the minimum. A custom formula
    (ends None) gets what its sampled points show instead. `tail` ("tanh" or "sigmoid")
    names the closed form of 1 − f(x) for the float saturation points. `overflows(x)`
    (a custom formula's) marks where f is nan or ±inf only because float64 overflowed.
    """
    out = {}
    if values:
        out["range"] = "{" + ", ".join(show_plain(v) for v in values) + "}"
    elif ends is not None:
        lo, hi, lo_closed, hi_closed = ends
        if bracket is not None:
            out["argmin"] = minimum_in(df, bracket[0], bracket[1])
            out["min"] = lo = float(as_array(f, [out["argmin"]])[0])
        out["range"] = interval_text(lo, hi, lo_closed, hi_closed)
    else:
        sampled_facts(f, df, out, overflows)
    mean, rms = normal_moments(f, overflows)
    if rms is not None and math.isinf(rms):
        out["mean_output"] = out["rms_output"] = OVERFLOW
    else:
        if mean is None:
            out["mean_output"] = UNSETTLED
        elif rms is not None and abs(mean) <= 1e-12 * rms:
            out["mean_output"] = 0.0  # 0 within rounding
        else:
            out["mean_output"] = defined(mean)
        out["rms_output"] = UNSETTLED if rms is None else defined(rms)
    kind, a, b, gap, _ = midpoint_test(f, overflows)
    out["linearity"] = kind
    if kind not in ("undefined", "overflow"):
        out["pair_a"], out["pair_b"], out["midpoint_gap"] = a, b, gap
    if tail:
        for dtype_name in ("float32", "float64"):
            out[f"{dtype_name}_rounded"] = rounded_saturation(tail, dtype_name)
            out[f"{dtype_name}_numpy"] = numpy_saturation(f, dtype_name, 1.0, 100.0)
    return out
