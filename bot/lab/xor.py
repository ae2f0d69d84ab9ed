"""XOR versus a single linear unit.

XOR puts 0 at (0,0) and (1,1) and 1 at (0,1) and (1,0). A unit that thresholds an
affine function w·x + b (optionally squashed by any *monotone* function) cuts the
plane with one line, and no line separates the two classes. Farkas' lemma gives a
one-line proof: with s_i = ±1 the label signs, the strict inequalities
s_i (w·x_i + b) > 0 have non-negative multipliers λ with Σ λ_i s_i [x_i, 1] = 0,
so adding them gives 0 > 0. For XOR λ = (1, 1, 1, 1) works.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # (4, 2)
Y = np.array([0.0, 1.0, 1.0, 0.0])  # (4,)
TIE = 1e-9  # an output this close to the threshold ½ is undecided, neither right nor wrong


def score(p):
    """(right, wrong, undecided) of outputs p (4,) thresholded at ½; ties are undecided."""
    p = np.asarray(p, dtype=float)
    decided = np.abs(p - 0.5) >= TIE  # NaN is never decided
    hit = (p > 0.5) == (Y > 0.5)
    right = int(np.sum(decided & hit))
    wrong = int(np.sum(decided & ~hit))
    return right, wrong, 4 - right - wrong


@dataclass(frozen=True)
class LinearFit:
    """Least-squares fit of y = w1·x1 + w2·x2 + b to the four XOR points."""

    w: tuple[float, float]
    b: float
    predictions: tuple[float, float, float, float]
    mse: float
    best_threshold_correct: int  # max over all (w, b, threshold) of points classified right
    right: int = 0  # the fit's own predictions at threshold ½ ...
    wrong: int = 0
    undecided: int = 4  # ... are all exactly 0.5: undecided


@dataclass(frozen=True)
class Certificate:
    """Farkas certificate that no (w1, w2, b) satisfies s_i (w·x_i + b) > 0 for all i."""

    signs: tuple[int, int, int, int]  # s_i = +1 for label 1, -1 for label 0
    multipliers: tuple[int, int, int, int]  # λ_i ≥ 0, not all zero
    combination: tuple[float, float, float]  # Σ λ_i s_i [x1_i, x2_i, 1]: all zero
    inequalities: tuple[str, ...]  # human-readable s_i (w·x_i + b) > 0
    conclusion: str


def linear_numbers():
    """The /xor linear numbers: min ‖[X, 1]·[w; b] − y‖² (lstsq), scored at ½, and the best line.

    Least squares predicts exactly 0.5 at every corner, so all four are undecided.
    """
    A = np.column_stack([X, np.ones(4)])  # (4, 3)
    coef, *_ = np.linalg.lstsq(A, Y, rcond=None)
    coef = np.round(coef, 12) + 0.0  # drop rounding noise: b = 0.5, not 0.4999999999999996
    pred = A @ coef  # (4,)
    right, wrong, undecided = score(pred)
    return {
        "w1": float(coef[0]),
        "w2": float(coef[1]),
        "b": float(coef[2]),
        "predictions": pred,
        "mse": float(np.mean((pred - Y) ** 2)),
        "right": right,
        "wrong": wrong,
        "undecided": undecided,
        "best_line_correct": best_linear_threshold_correct(X, Y),
    }


def linear_fit() -> LinearFit:
    """The least-squares fit as data (the numbers come from `linear_numbers`)."""
    v = linear_numbers()
    return LinearFit(
        w=(v["w1"], v["w2"]),
        b=v["b"],
        predictions=tuple(float(p) for p in v["predictions"]),
        mse=v["mse"],
        best_threshold_correct=v["best_line_correct"],
        right=v["right"],
        wrong=v["wrong"],
        undecided=v["undecided"],
    )


def linear_dichotomies(points: np.ndarray) -> set[tuple[int, ...]]:
    """All labelings of 2-D points that some line w·x + b > 0 produces.

    In the plane every linear dichotomy is realised by a direction that is not
    perpendicular to any difference of points, so sweeping directions at half-degree
    offsets and every threshold between consecutive projections finds them all
    (for the XOR corners the critical directions are multiples of 45°).
    """
    t = np.deg2rad(np.arange(0.25, 360.0, 0.5))  # (720,) directions, all at once
    proj = points @ np.array([np.cos(t), np.sin(t)])  # (n, 720)
    s = np.sort(proj, axis=0)
    cuts = np.concatenate([s[:1] - 1, s, s[-1:] + 1])  # (n + 2, 720)
    mids = (cuts[:-1] + cuts[1:]) / 2  # (n + 1, 720): every threshold between projections
    sides = proj[:, None, :] > mids[None, :, :]  # (n, n + 1, 720)
    rows = sides.reshape(len(points), -1).T.astype(int)  # one labeling a row
    return {tuple(r) for r in np.unique(rows, axis=0).tolist()}


def best_linear_threshold_correct(points: np.ndarray, labels: np.ndarray) -> int:
    """The most points any single line classifies correctly (3 of 4 for XOR)."""
    target = labels.astype(int)
    return max(int(np.sum(np.array(d) == target)) for d in linear_dichotomies(points))


def certificate() -> Certificate:
    """The contradiction: sum the four strict inequalities with multipliers λ = 1."""
    s = (2 * Y - 1).astype(int)  # (4,) label signs
    lam = np.ones(4, dtype=int)
    A = np.column_stack([X, np.ones(4)])  # (4, 3)
    combo = (lam * s) @ A  # (3,): the w1, w2, b coefficients of the summed inequality
    ineq = []
    for (x1, x2), si in zip(X.astype(int), s, strict=True):
        terms = [t for t, on in (("w1", x1), ("w2", x2)) if on] + ["b"]
        lhs = " + ".join(terms)
        ineq.append(f"{lhs} > 0" if si > 0 else f"{lhs} < 0")
    return Certificate(
        signs=tuple(int(v) for v in s),
        multipliers=tuple(int(v) for v in lam),
        combination=tuple(float(v) for v in combo),
        inequalities=tuple(ineq),
        conclusion="(w2 + b) + (w1 + b) > 0 and b + (w1 + w2 + b) < 0, "
        "but both sums are w1 + w2 + 2b: 0 > 0, a contradiction",
    )


@dataclass(frozen=True)
class ScaledFit:
    """The linear fit followed by a linear 'squash' y' = w3·y: still one affine map."""

    w3: float
    w: tuple[float, float]  # w3·w of the composite affine map
    b: float
    mse: float  # of the best composite: identical to the plain linear fit
    best_threshold_correct: int


def scaled_fits(w3s: tuple[float, ...] = (1.0, 1e-3, -2.0)) -> tuple[ScaledFit, ...]:
    """For each w3, least squares over (w, b) of w3·(w·x + b): the same affine family."""
    A = np.column_stack([X, np.ones(4)])
    best = best_linear_threshold_correct(X, Y)  # w3 rescales the line, never moves it: sweep once
    out = []
    for w3 in w3s:
        # w3·(A c) = A (w3 c): fitting the composite is fitting A to y, then dividing by w3
        c, *_ = np.linalg.lstsq(w3 * A, Y, rcond=None)
        composite = w3 * c
        composite = np.round(composite, 12) + 0.0
        mse = float(np.mean((A @ composite - Y) ** 2))
        out.append(
            ScaledFit(
                w3=float(w3),
                w=(float(composite[0]), float(composite[1])),
                b=float(composite[2]),
                mse=mse,
                best_threshold_correct=best,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class SineUnit:
    """One non-monotone unit, sin(π/2·(x1 + x2)), on the XOR points."""

    outputs: tuple[float, float, float, float]
    max_error: float  # |output − label|, only float rounding of π
    correct: int  # threshold 0.5


def sine_unit() -> SineUnit:
    """sin(π/2·s) for s = x1 + x2 ∈ {0, 1, 2} gives 0, 1, 0: XOR, exactly up to rounding."""
    out = np.sin(np.pi / 2 * (X[:, 0] + X[:, 1]))  # (4,)
    return SineUnit(
        outputs=tuple(float(v) for v in out),
        max_error=float(np.max(np.abs(out - Y))),
        correct=int(np.sum((out > 0.5) == (Y > 0.5))),
    )
