"""The lab behind /explain: ReLU approximation of sin, the Chebyshev line, a step's error
floor, the learnable phase, and gradients through depth. Each number against theory."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bot.lab.activations import REGISTRY
from bot.lab.approx import GRID, STEP_KINKS, approximate_sine, relu_interpolant, unit_step
from bot.lab.gradients import backward, forward, gradient_flow, random_network
from bot.lab.minimax import best_line_max_norm
from bot.lab.phase import compare


@pytest.fixture(scope="module")
def approx():
    return approximate_sine()


@pytest.mark.parametrize("n", [1, 2, 7, 64])
def test_relu_network_is_the_piecewise_linear_interpolant(n):
    knots = np.linspace(-np.pi, np.pi, n + 2)
    independent = np.interp(GRID, knots, np.sin(knots))
    assert np.allclose(relu_interpolant(np.sin, n, GRID), independent, atol=1e-12)


def test_error_follows_the_interpolation_bound(approx):
    for n, err in zip(approx.kinks, approx.max_errors, strict=True):
        h = 2 * np.pi / (n + 1)
        assert err <= h * h / 8 + 1e-12  # |f''| ≤ 1 for sin
        if n >= 8:
            assert err >= 0.8 * h * h / 8  # and the bound is nearly attained
    assert -2.1 < approx.slope < -1.9


def _sine_chebyshev_closed_form() -> tuple[float, float]:
    """sin on [−π, π] is odd, so its best line is y = b·x. Equioscillation at ±x*, ±π:
    the error sin x − b·x peaks at x* where cos x* = b, and E = e(x*) = −e(π) = b·π,
    so sin x* − x*·cos x* = π·cos x*, i.e. tan x* = π + x*. Solve by bisection."""
    lo, hi = 1.0, 1.5  # tan x − x − π changes sign here
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if math.tan(mid) - mid - math.pi < 0 else (lo, mid)
    return math.cos(lo), math.pi * math.cos(lo)  # slope b, max error E


def test_sine_chebyshev_line_is_the_equioscillating_one(approx):
    slope, err = _sine_chebyshev_closed_form()
    assert err == pytest.approx(0.682459570, abs=1e-9)
    intercept, b = approx.chebyshev_line
    assert abs(intercept) < 1e-12 and b == pytest.approx(slope, abs=1e-9)
    assert approx.chebyshev_error == pytest.approx(err, abs=1e-9)  # the grid contains ±π


def test_least_squares_line_misses_by_more(approx):
    # on the symmetric grid the least-squares line is b·x with b = Σ x·sin x / Σ x², and its
    # error is largest at the ends: b·π; on the continuum b = 3/π², so about 3/π ≈ 0.955
    b = float(GRID @ np.sin(GRID) / (GRID @ GRID))
    assert approx.lsq_line_error == pytest.approx(b * np.pi, rel=1e-9)
    assert approx.lsq_line_error == pytest.approx(3 / np.pi, abs=1e-3)
    assert approx.lsq_line_error > approx.chebyshev_error + 0.25


def test_no_line_on_a_grid_search_beats_the_chebyshev_line():
    x = np.linspace(-np.pi, np.pi, 801)
    y = np.sin(x)
    best = best_line_max_norm(x, y)
    da = db = 0.002
    slopes = np.arange(0.0, 0.5, da)  # (250,)
    intercepts = np.arange(-0.2, 0.2 + db / 2, db)  # (201,)
    errs = np.array(
        [
            np.max(np.abs(y[None, :] - (c + slopes[:, None] * x[None, :])), axis=1)
            for c in intercepts
        ]
    )  # (201, 250): max error of every line on the grid
    assert errs.min() >= best.max_error - 1e-12  # nothing beats it
    assert errs.min() <= best.max_error + np.pi * da / 2 + db / 2  # and the grid gets close
    i, j = np.unravel_index(np.argmin(errs), errs.shape)
    assert abs(intercepts[i]) <= db and abs(slopes[j] - best.slope) <= da


@pytest.mark.parametrize(
    ("lo", "hi", "f", "line", "error"),
    [
        (-1.0, 1.0, np.square, (0.5, 0.0), 0.5),  # x² − ½ = T₂(x)/2
        (0.0, 1.0, np.square, (-0.125, 1.0), 0.125),
        (
            0.0,
            1.0,
            np.exp,  # slope e − 1; the error peaks where eˣ = e − 1
            ((math.e - (math.e - 1) * math.log(math.e - 1)) / 2, math.e - 1),
            1 - (math.e - (math.e - 1) * math.log(math.e - 1)) / 2,
        ),
    ],
)
def test_chebyshev_line_closed_forms(lo, hi, f, line, error):
    x = np.linspace(lo, hi, 4001)
    best = best_line_max_norm(x, f(x))
    assert (best.intercept, best.slope) == pytest.approx(line, abs=1e-6)
    assert best.max_error == pytest.approx(error, abs=1e-6)
    err = f(np.array(best.reference)) - (best.intercept + best.slope * np.array(best.reference))
    assert np.allclose(np.abs(err), best.max_error, rtol=1e-9)  # equioscillation:
    assert err[0] * err[1] < 0 and err[1] * err[2] < 0  # ±E with alternating signs


def test_step_error_sits_on_the_theoretical_floor_and_rms_falls(approx):
    # any continuous g misses a jump of 1 by ≥ ½; the ramp through ½ at the jump attains it
    assert approx.step_kinks == STEP_KINKS
    assert all(e == pytest.approx(0.5, abs=1e-12) for e in approx.step_max_errors)
    # the ramp has width h = 2π/(N + 1); ∫(error²) = h/12, so RMS = √(h/12 / 2π) = 1/√(12(N+1))
    for n, r in zip(approx.step_kinks, approx.step_rms_errors, strict=True):
        assert r == pytest.approx(1 / math.sqrt(12 * (n + 1)), rel=1e-3)
    assert unit_step(np.array([0.0]))[0] == 0.0 and unit_step(np.array([1e-300]))[0] == 1.0


def test_learnable_phase_trains_like_a_doubled_bias_rate():
    p = compare()
    assert p.max_shift_gap < 1e-12
    assert p.max_loss_gap < 1e-12
    assert p.losses_phase[-1] < 1e-3 * p.losses_phase[0]  # and it did train


def _output(Ws, bs, f, v, a, start):
    """y = v·a_L computed forward from layer `start` with a_start = a (independent code)."""
    for W, b in zip(Ws[start:], bs[start:], strict=True):
        a = f(W @ a + b)
    return float(v @ a)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_backward_matches_finite_differences(name):
    f, df = REGISTRY[name].f, REGISTRY[name].df
    Ws, bs, v, x = random_network(depth=4, width=6, seed=3, gain=1.5)
    zs = forward(Ws, bs, f, x)
    grads = backward(Ws, zs, df, v)  # ∂y/∂a_l, l = L .. 0
    acts = [x] + [f(z) for z in zs]  # a_0 .. a_L
    eps = 1e-6
    for back, g in enumerate(grads):
        layer = len(Ws) - back
        a = acts[layer]
        fd = np.array(
            [
                (
                    _output(Ws, bs, f, v, a + eps * e, layer)
                    - _output(Ws, bs, f, v, a - eps * e, layer)
                )
                / (2 * eps)
                for e in np.eye(len(a))
            ]
        )
        assert np.allclose(g, fd, rtol=1e-6, atol=1e-9), (name, layer)


@pytest.mark.parametrize(("name", "gain"), [("sigmoid", 1.0), ("sigmoid", 8.0), ("relu", 1.4)])
def test_deep_gradient_matches_forward_mode_jacobian(name, gain):
    """Through 30 layers finite differences drown in rounding; accumulate the Jacobian
    from the input side instead (M ← diag(f'(z_l))·W_l·M) and compare ∂y/∂x = vᵀM."""
    f, df = REGISTRY[name].f, REGISTRY[name].df
    flow = gradient_flow(f, df, depth=30, width=64, seed=0, gain=gain)
    Ws, bs, v, x = random_network(30, 64, 0, gain)
    M, a = np.eye(64), x
    for W, b in zip(Ws, bs, strict=True):
        z = W @ a + b
        M = df(z)[:, None] * (W @ M)  # (64, 64) ∂a_l/∂x
        a = f(z)
    assert flow.norms[-1] == pytest.approx(float(np.linalg.norm(v @ M)), rel=1e-9)
    assert flow.shrink == pytest.approx(flow.norms[-1] / float(np.linalg.norm(v)), rel=1e-12)


def test_the_weights_multiply_in_too():
    sig = REGISTRY["sigmoid"]
    base = gradient_flow(sig.f, sig.df)
    big = gradient_flow(sig.f, sig.df, gain=8.0)
    for flow in (base, big):
        assert max(flow.slopes) <= 0.25  # σ' ≤ ¼ everywhere ...
        # ... and ‖W‖₂·max σ' bounds each step (submultiplicativity), so their product bounds all
        assert all(n <= b * (1 + 1e-12) for n, b in zip(flow.norms, flow.bound, strict=True))
    # N(0, 1/n) square matrices have spectral norm → 2 (Bai–Yin); at n = 64 a bit below
    assert 1.8 < np.mean(base.weight_norms) < 2.1
    assert np.mean(big.weight_norms) == pytest.approx(8 * np.mean(base.weight_norms), rel=1e-12)
    # so (¼)^L bounds nothing: with larger weights far more gradient gets through
    assert big.shrink > 1e10 * 0.25**30 and big.shrink > 1e10 * base.shrink
