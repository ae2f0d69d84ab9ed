"""One hidden layer of N units fitted to a target on [−a, a]: what universal approximation says.

A network c + Σ v_i·φ(w_i·x + b_i) with the first layer fixed (evenly spaced kinks or
steps: the construction; or drawn at random: random features) is linear in (v, c), so
the best output layer is a least-squares solve. With ReLU kinks h = 2a/N apart the span
holds the piecewise-linear interpolant of f, whose error is at most h²/8·max|f''|: the
max error falls like N⁻² for a smooth f. A jump of size J cannot be matched in the max
norm by anything continuous: at the jump g(j⁻) = g(j⁺), so one side misses by ≥ J/2, for
every N and every continuous activation. When the best line already misses by exactly
J/2 (the step, the sawtooth), no N beats the line in the max norm; least squares, which
minimises the mean square, overshoots beside the jump (as Fourier series do: Gibbs) while
its root-mean-square error falls. Linear units span only lines, so no N beats the best
line in the max norm (Chebyshev).

Theorems (Cybenko 1989; Hornik 1991; Leshno et al. 1993: any non-polynomial φ) promise
that some N and weights get within any ε on a bounded interval, nothing more: not how
many units, not what happens outside the interval, not that training finds them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import Enum

import numpy as np

from bot.errors import UserError
from bot.lab import check_seed
from bot.lab.activation_fns import identity, relu, sigmoid, tanh
from bot.lab.expr import parse, value
from bot.options import UNITS

UNITS_MAX = int(UNITS.high)  # bot.options: the one place a bound is written
GRID_POINTS = 1025  # fit and error grid: 1024 steps, a multiple of every ladder N
LADDER = (1, 2, 4, 8, 16, 32, 64, 128)  # the N of the inset's error curve (and N = units)
SLOPE_FROM = 8  # the slope is fitted over the ladder's N ≥ 8 (the asymptotic regime)
STEEPNESS = 2.0  # sigmoid/tanh units: slope STEEPNESS/h at their centre, h = 2a/N apart
EXACT = 1e-9  # a max error below EXACT·(1 + max|f|) is rounding: the target is in the span
BOUND_TIE = 1e-9  # max errors within BOUND_TIE·(1 + J/2) of J/2 are at the bound, not above
STALL_SLOPE = -0.25  # a fitted slope above this is "not falling"
VALUE_MAX = 1e6  # custom targets must stay within ±VALUE_MAX on the interval
INTERVALS = {"1": 1.0, "pi": math.pi, "2pi": 2 * math.pi, "5": 5.0}  # half-widths a
INTERVAL_TEXT = {"1": "[−1, 1]", "pi": "[−π, π]", "2pi": "[−2π, 2π]", "5": "[−5, 5]"}
METHODS = ("constructive", "random", "training")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
TARGETS = ("sin", "abs", "step", "sawtooth", "bump", "custom")


def target_sin(x, a):
    return np.sin(x)


def target_abs(x, a):
    return np.abs(x)


def target_step(x, a):
    """Heaviside step, jump 1 at x = 0."""
    return (x >= 0).astype(float)


def target_sawtooth(x, a):
    """Three teeth from −1 up to 1, jumps of 2 at x = −2a/3, 0, 2a/3; 0 at both ends."""
    t = (x + a) / (2 * a / 3) + 0.5
    return 2 * (t - np.floor(t)) - 1


def target_bump(x, a):
    """A Gaussian bump of width a/6."""
    return np.exp(-0.5 * (x / (a / 6)) ** 2)


def target_values(target, formula, x, a):
    """The target at x on [−a, a]: a named one, or a custom formula's tree."""
    if target == "custom":
        with np.errstate(all="ignore"):
            y = value(formula, x)
        return np.broadcast_to(np.asarray(y, dtype=float), x.shape).copy()
    return {
        "sin": target_sin,
        "abs": target_abs,
        "step": target_step,
        "sawtooth": target_sawtooth,
        "bump": target_bump,
    }[target](x, a)


def jumps_of(target, a):
    """Where a named target jumps inside (−a, a), and by how much: ((x_j, |f(x_j⁺) − f(x_j⁻)|), …).

    From the formulas above: the step goes 0 → 1 at 0; the sawtooth's t passes the integers
    1, 2, 3 at x = −2a/3, 0, 2a/3, where 2(t − ⌊t⌋) − 1 drops from 1 to −1. Custom formulas:
    none known (a jump can't be told from a steep slope by sampling, so none is claimed)."""
    if target == "step":
        return ((0.0, 1.0),)
    if target == "sawtooth":
        return ((-2 * a / 3, 2.0), (0.0, 2.0), (2 * a / 3, 2.0))
    return ()


def unit(act, z):
    """The hidden units' activation φ applied to pre-activations z."""
    return {"relu": relu, "tanh": tanh, "sigmoid": sigmoid, "linear": identity}[act](z)


def grid(a, jumps):
    """(M,) x on [−a, a], every jump point twice (one float either side: both one-sided limits)."""
    x = np.linspace(-a, a, GRID_POINTS)
    sides = [np.nextafter(j, s) for j, _ in jumps for s in (-math.inf, math.inf)]
    return np.sort(np.concatenate([x, np.array(sides, dtype=float)]))


def first_layer(act, a, n, method, seed):
    """Weights w and biases b, each (n,), of the hidden layer: unit i computes φ(w_i·x + b_i)."""
    h = 2 * a / n
    if method == "constructive":
        if act in ("relu", "linear"):
            kinks = -a + h * np.arange(n)  # the first kink at −a is the linear term
            return np.ones(n), -kinks
        centres = -a + h * (np.arange(n) + 0.5)  # steps (gates) in the middle of each cell
        w = np.full(n, STEEPNESS / h)
        return w, -w * centres
    rng = np.random.default_rng([seed, n])
    centres = rng.uniform(-a, a, n)  # random kinks or steps inside the interval
    w = rng.normal(0.0, STEEPNESS / h, n)
    return w, -w * centres


def fit_layer(act, a, n, method, seed, x, y):
    """The first layer, and the output layer by least squares on (x, y): (w, b, v, c)."""
    w, b = first_layer(act, a, n, method, seed)
    H = unit(act, np.outer(x, w) + b)  # (M, n) hidden activations
    A = np.column_stack([H, np.ones_like(x)])  # (M, n + 1)
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    return w, b, coef[:-1], coef[-1]


def chebyshev_line(x, y):
    """min over lines of max |y − line| on the points (x sorted): the best line in the max norm.

    The width max(y − s·x) − min(y − s·x) is convex in the slope s and bends only at the
    slopes of the convex hulls' edges, so a binary search over those slopes finds the
    minimum exactly. Returns (error, slope, intercept).
    """
    slopes = []
    xs, ys = x.tolist(), y.tolist()  # Python floats: the loop below is scalar work
    for sign in (1.0, -1.0):  # upper hull of (x, y), then of (x, −y): monotone chain
        hull: list[int] = []
        for i in range(len(xs)):
            while len(hull) >= 2:
                j, k = hull[-2], hull[-1]
                if (xs[k] - xs[j]) * sign * (ys[i] - ys[j]) < sign * (ys[k] - ys[j]) * (
                    xs[i] - xs[j]
                ):
                    break  # k stays above the chord j→i
                hull.pop()
            hull.append(i)
        h = np.array(hull)
        slopes.append((y[h[1:]] - y[h[:-1]]) / (x[h[1:]] - x[h[:-1]]))
    s = np.unique(np.concatenate(slopes))  # (K,) sorted candidate slopes

    def width(i):
        r = y - s[i] * x
        return np.max(r) - np.min(r)

    lo, hi = 0, len(s) - 1
    while hi - lo > 1:  # convex along the sorted candidates: walk downhill
        mid = (lo + hi) // 2
        if width(mid + 1) < width(mid):
            lo = mid + 1
        else:
            hi = mid
    best = s[lo] if width(lo) <= width(hi) else s[hi]
    r = y - best * x
    return (np.max(r) - np.min(r)) / 2, best, (np.max(r) + np.min(r)) / 2


def approximation_numbers(target, formula, act, a, units, method, seed):
    """What /approximate prints: errors at N = units and on the ladder, their slope, the best
    line, and for a target that jumps, half its largest jump: no continuous fit does better."""
    jumps = jumps_of(target, a)
    x = grid(a, jumps)  # (M,)
    y = target_values(target, formula, x, a)
    scale = 1.0 + np.max(np.abs(y))
    errors = {}
    for n in sorted(set(LADDER) | {units}):
        w, b, v, c = fit_layer(act, a, n, method, seed, x, y)
        e = unit(act, np.outer(x, w) + b) @ v + c - y  # (M,) network minus target
        errors[n] = (float(np.max(np.abs(e))), float(np.sqrt(np.mean(e * e))))
    tail = [(n, errors[n][0]) for n in LADDER if n >= SLOPE_FROM and errors[n][0] > EXACT * scale]
    slope = "undefined"  # fewer than two inexact fits: there is no rate to measure
    if len(tail) >= 2:
        logs = np.log(np.array(tail))
        slope = float(np.polyfit(logs[:, 0], logs[:, 1], 1)[0])
    numbers = {
        "max_error": errors[units][0],
        "rms_error": errors[units][1],
        "exact": int(errors[units][0] <= EXACT * scale),
        "best_line_error": float(chebyshev_line(x, y)[0]),
        "ladder_max": tuple(errors[n][0] for n in LADDER),
        "ladder_rms": tuple(errors[n][1] for n in LADDER),
        "slope": slope,
    }
    if jumps:
        numbers["half_jump"] = max(size for _, size in jumps) / 2
    return numbers


class Kind(Enum):
    """Which theorem speaks to this fit (decided from the options, never from luck)."""

    EXACT = "exact"  # the target lies in the span: error is rounding (|x| with a kink at 0)
    LINE = "line"  # linear units: a straight line at any N, never better than Chebyshev's
    JUMP = "jump"  # a jump: max error ≥ half the jump at every N; the L² error falls
    KINKS = "kinks"  # evenly spaced ReLU kinks on a smooth target: max error ∝ N⁻²
    CORNER = "corner"  # evenly spaced kinks miss the corner of |x|: max error ∝ N⁻¹
    CONVERGES = "converges"  # the theorem promises convergence, not a rate: measured
    STALLS = "stalls"  # a custom target whose max error does not fall: not continuous there?


class Trained(Enum):
    """method:training: its max error against the construction's at the same N."""

    BEHIND = "behind"  # larger: the weights exist, gradient descent hasn't found them
    EXACT = "exact"  # both max errors are rounding (below EXACT·(1 + max|f|)): a tie
    CLOSE = "close"  # larger by at most 1 %: about what the construction gets
    AHEAD = "ahead"  # no larger (least squares minimises the mean square, not the max)
    DIVERGED = "diverged"  # the loss overflowed: no result


@dataclass(frozen=True)
class Finding:
    kind: Kind
    slope: float | None  # measured d log(max error)/d log N over N ≥ SLOPE_FROM, if defined
    half_jump: float  # half the largest jump (JUMP), else 0: every N's max error is ≥ it
    line_at_bound: bool = False  # JUMP: the best line's max error is half the jump already
    overshoot: bool = False  # JUMP: the max error at N = units is above half the jump
    trained: Trained | None = None  # method:training only


@dataclass(frozen=True)
class Approximation:
    """A fit and what it shows; `numbers` is exactly what approximation_numbers returned."""

    target: str
    formula: str  # the custom formula's text, "" for a named target
    tree: tuple | None  # the parsed custom formula (bot.lab.expr nodes)
    activation: str
    method: str
    interval: str
    a: float
    units: int
    seed: int
    numbers: dict
    finding: Finding
    x: np.ndarray  # (P,) plot grid, reaching a quarter of the interval beyond each end
    y: np.ndarray  # (P,) the target there (NaN where a custom formula is undefined)
    fit: np.ndarray  # (P,) the network
    gates: np.ndarray  # (units, P) each unit's scaled contribution v_i·φ(w_i·x + b_i)
    bias: float  # the output bias c: fit = c + Σ gates
    construction: np.ndarray | None = None  # (P,) method:training: the construction, same N


def check_args(target, units, activation, method, interval, seed, custom=None):
    """Server-side bounds (the slash command declares the same); returns the parsed formula."""
    if target not in TARGETS:
        raise UserError(f"target must be one of {', '.join(TARGETS)} (got {target[:20]!r}).")
    if activation not in ACTIVATIONS:
        raise UserError(f"activation must be one of {', '.join(ACTIVATIONS)}.")
    if method not in METHODS:
        raise UserError(f"method must be one of {', '.join(METHODS)}.")
    if interval not in INTERVALS:
        raise UserError(f"interval must be one of {', '.join(INTERVALS)} (half-widths).")
    if not 1 <= units <= UNITS_MAX:
        raise UserError(f"units must be between 1 and {UNITS_MAX} (got {units}).")
    check_seed(seed)
    if target != "custom":
        if custom:
            raise UserError("a custom formula needs target:custom.")
        return None
    if not custom:
        raise UserError("target:custom needs a formula in x, e.g. custom:x*sin(x).")
    tree = parse(custom).tree
    a = INTERVALS[interval]
    x = grid(a, ())
    y = target_values("custom", tree, x, a)
    bad = ~np.isfinite(y)
    if bad.any():
        raise UserError(
            f"{custom} is undefined or infinite at x = {x[bad][0]:.4g}, inside "
            f"{INTERVAL_TEXT[interval]}: the theorem is about functions defined on the whole interval."
        )
    if np.max(np.abs(y)) > VALUE_MAX:
        raise UserError(
            f"{custom} exceeds ±{VALUE_MAX:g} on {INTERVAL_TEXT[interval]}; scale it down."
        )
    return tree


def decide(target, activation, method, numbers, a) -> Finding:
    """The verdict from theory: which statement applies to this target, unit and method."""
    slope = numbers["slope"] if isinstance(numbers["slope"], float) else None
    jumps = jumps_of(target, a)
    half_jump = numbers.get("half_jump", 0.0)
    tie = BOUND_TIE * (1 + half_jump)  # rounding in a float least-squares fit
    if numbers["exact"]:
        kind = Kind.EXACT
    elif activation == "linear":
        kind = Kind.LINE
    elif jumps:
        kind = Kind.JUMP
    elif activation == "relu" and method == "constructive" and target in ("sin", "bump"):
        kind = Kind.KINKS
    elif activation == "relu" and method == "constructive" and target == "abs":
        kind = Kind.CORNER
    elif slope is not None and slope > STALL_SLOPE:
        kind = Kind.STALLS
    else:
        kind = Kind.CONVERGES
    return Finding(
        kind=kind,
        slope=slope,
        half_jump=half_jump,
        line_at_bound=kind is Kind.JUMP and numbers["best_line_error"] <= half_jump + tie,
        overshoot=kind is Kind.JUMP and numbers["max_error"] > half_jump + tie,
    )


def approximate(
    target="sin",
    units=16,
    activation="relu",
    method="constructive",
    interval="pi",
    seed=0,
    custom=None,
    curves=True,
) -> Approximation:
    """Fit, measure and decide; `curves` adds the arrays the figure draws."""
    tree = check_args(target, units, activation, method, interval, seed, custom)
    a = INTERVALS[interval]
    kept: dict = {}
    if method == "training":  # a module of its own, which builds on this one
        from bot.lab.approximate_train import judge, training_numbers

        numbers = training_numbers(target, tree, activation, a, units, seed, keep=kept)
        finding = decide(target, activation, "constructive", numbers, a)
        y = target_values(target, tree, grid(a, jumps_of(target, a)), a)
        finding = replace(finding, trained=judge(numbers, EXACT * (1.0 + np.max(np.abs(y)))))
    else:
        numbers = approximation_numbers(target, tree, activation, a, units, method, seed)
        finding = decide(target, activation, method, numbers, a)
    x = np.linspace(-1.25 * a, 1.25 * a, 801 if curves else 0)  # (P,) beyond both ends
    y = target_values(target, tree, x, a)
    y[~np.isfinite(y)] = np.nan
    gates, c, construction = np.zeros((units, 0)), 0.0, None
    if curves:
        gx = grid(a, jumps_of(target, a))
        gy = target_values(target, tree, gx, a)
        w, b, v, c = fit_layer(
            activation, a, units, "constructive" if kept else method, seed, gx, gy
        )
        if kept:  # training: draw the trained network, the construction beside it
            construction = unit(activation, np.outer(x, w) + b) @ v + c
            w, b, v, c = kept["weights"]
        with np.errstate(all="ignore"):
            gates = unit(activation, np.outer(x, w) + b).T * v[:, None]  # (units, P)
    return Approximation(
        target=target,
        formula=custom or "",
        tree=tree,
        activation=activation,
        method=method,
        interval=interval,
        a=a,
        units=units,
        seed=seed,
        numbers=numbers,
        finding=finding,
        x=x,
        y=y,
        fit=gates.sum(axis=0) + c,
        gates=gates,
        bias=float(c),
        construction=construction,
    )
