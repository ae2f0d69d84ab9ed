"""The lab behind /explain: ReLU approximation of sin, and the learnable phase."""

from __future__ import annotations

import numpy as np
import pytest

from bot.lab.approx import GRID, approximate_sine, relu_interpolant
from bot.lab.phase import compare


@pytest.mark.parametrize("n", [1, 2, 7, 64])
def test_relu_network_is_the_piecewise_linear_interpolant(n):
    knots = np.linspace(-np.pi, np.pi, n + 2)
    independent = np.interp(GRID, knots, np.sin(knots))
    assert np.allclose(relu_interpolant(np.sin, n, GRID), independent, atol=1e-12)


def test_error_follows_the_interpolation_bound():
    a = approximate_sine()
    for n, err in zip(a.kinks, a.max_errors, strict=True):
        h = 2 * np.pi / (n + 1)
        assert err <= h * h / 8 + 1e-12  # |f''| ≤ 1 for sin
        if n >= 8:
            assert err >= 0.8 * h * h / 8  # and the bound is nearly attained
    assert -2.1 < a.slope < -1.9


def test_best_line_and_step():
    a = approximate_sine()
    slope = 3 / np.pi**2  # closed form: ∫x·sin x / ∫x² over [−π, π]
    x = np.linspace(-np.pi, np.pi, 200001)
    # a least-squares fit on a finite grid, vs the integral: equal to about 1e-4
    assert a.best_line_error == pytest.approx(np.max(np.abs(np.sin(x) - slope * x)), abs=1e-3)
    assert a.step_error >= 0.5


def test_learnable_phase_trains_like_a_doubled_bias_rate():
    p = compare()
    assert p.max_shift_gap < 1e-12
    assert p.max_loss_gap < 1e-12
    assert p.losses_phase[-1] < 1e-3 * p.losses_phase[0]  # and it did train
