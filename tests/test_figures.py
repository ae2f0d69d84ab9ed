"""Figures: valid PNGs of sensible size, and matplotlib.pyplot is never imported.

Every figure kind is drawn in one clean subprocess (so pyplot cannot sneak in through
another test's import), and each kind is its own test: a failure names its figure.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

from bot.lab.activations import REGISTRY

SETUP = """
from bot.figures.xor import linear_figure, mlp_figure, neuron_figure
from bot.figures.collapse import collapse_figure
from bot.figures.activation import activation_figure
from bot.figures.explain import approx_figure, gradient_figure, phase_figure
from bot.lab.collapse import collapse
from bot.lab.activation_report import describe, describe_custom
from bot.lab.mlp import train_mlp
from bot.lab.neuron import train_neuron
from bot.lab.activations import REGISTRY as R
from bot.lab.approx import approximate_sine
from bot.lab.gradients import gradient_flow
from bot.lab.phase import compare
"""

# figure kind → the expression that draws it (bytes)
FIGURES: dict[str, str] = {
    "xor-linear": "linear_figure((1, 1, -0.5))",
    "xor-mlp-16-relu": 'mlp_figure(train_mlp(R["relu"], 16, 0, 50), R["relu"].f)',
    "xor-neuron-sin": 'neuron_figure(train_neuron(R["sin"], 0, 50), R["sin"].f)',
    "collapse-64x16-tanh": 'collapse_figure(collapse(layers=64, width=16, between="tanh"))',
    "collapse-1x1": "collapse_figure(collapse(layers=1, width=1))",
    "activation-custom-log": 'activation_figure(describe_custom("log(x)"))',
    "activation-custom-x**1000": 'activation_figure(describe_custom("x**1000"))',
    "activation-custom-1/x": 'activation_figure(describe_custom("1/x"))',
    "explain-approx": "approx_figure(approximate_sine())",
    "explain-phase": "phase_figure(compare())",
    "explain-gradients": (
        'gradient_figure({"sigmoid": gradient_flow(R["sigmoid"].f, R["sigmoid"].df)}, '
        'gradient_flow(R["sigmoid"].f, R["sigmoid"].df))'
    ),
} | {f"activation-{name}": f'activation_figure(describe("{name}"))' for name in REGISTRY}

RUNNER = """
import json, sys, traceback, warnings
warnings.filterwarnings("error", message=".*[Gg]lyph.*")  # every character drawable
{setup}
figures = json.loads(sys.argv[1])
out = {{}}
for kind, expr in figures.items():
    try:
        p = eval(expr)
        problems = []
        if p[:8] != b"\\x89PNG\\r\\n\\x1a\\n":
            problems.append(f"not a PNG: starts {{p[:8]!r}}")
        if p[-12:-4] != b"\\x00\\x00\\x00\\x00IEND":
            problems.append("no IEND chunk at the end: truncated")
        if not 5_000 < len(p) < 200_000:
            problems.append(f"{{len(p)}} bytes, expected 5 kB to 200 kB")
        out[kind] = problems
    except Exception:
        out[kind] = [traceback.format_exc(limit=3)]
out["pyplot imported"] = ["matplotlib.pyplot was imported"] * ("matplotlib.pyplot" in sys.modules)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def drawn() -> dict[str, list[str]]:
    """Draw every figure once in a fresh interpreter; kind → problems found (empty: fine)."""
    code = textwrap.dedent(RUNNER).format(setup=SETUP)
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(FIGURES)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", list(FIGURES))
def test_figure_is_a_sensible_png(drawn, kind):
    assert kind in drawn, f"{kind} was not drawn"
    assert drawn[kind] == [], f"{kind}: " + "; ".join(drawn[kind])


def test_pyplot_is_never_imported(drawn):
    assert drawn["pyplot imported"] == []


def test_learnable_regression_bars_carry_their_values(monkeypatch):
    """A learned error thousands of times below the frozen one has no visible bar: each
    bar is labelled with its median, as the card's numbers give it (3 digits)."""
    from bot.figures import learnable as figure
    from bot.lab.learnable_compare import learnable_comparison

    c = learnable_comparison("prelu", "sin", 4, 20, 200, 0.1, "normal")
    drawn = []
    monkeypatch.setattr(figure.theme, "png_bytes", lambda fig: drawn.append(fig) or b"")
    figure.learnable_figure(c)
    labels = {t.get_text() for t in drawn[0].axes[0].texts}
    for name in ("frozen", "learned"):
        assert f"{c.values[f'{name} median mse']:.3g}" in labels


def _activation_axes(monkeypatch, formula: str):
    from bot.figures import activation as figure
    from bot.lab.activation_report import describe_custom

    drawn = []
    monkeypatch.setattr(figure.theme, "png_bytes", lambda fig: drawn.append(fig) or b"")
    figure.activation_figure(describe_custom(formula))
    return drawn[0].axes[0]


def _legend(ax) -> list[str]:
    return ax.get_legend_handles_labels()[1]


def _shaded(ax) -> list[tuple[float, float]]:
    """The x-extent of every shaded span (axvspan draws a patch)."""
    return sorted(
        (float(min(p.get_xy()[:, 0])), float(max(p.get_xy()[:, 0])))
        if hasattr(p, "get_xy") and np.ndim(p.get_xy()) == 2
        else (p.get_x(), p.get_x() + p.get_width())
        for p in ax.patches
    )


def test_a_lone_undefined_point_is_marked_not_shaded(monkeypatch):
    """1/x is undefined only at the grid point x = 0: one step of shading is invisible, so
    the legend names the point and a dotted line marks it."""
    ax = _activation_axes(monkeypatch, "1/x")
    assert "f undefined at x = 0" in _legend(ax)
    assert "f undefined" not in _legend(ax) and _shaded(ax) == []
    marks = [line for line in ax.lines if line.get_label() == "f undefined at x = 0"]
    assert len(marks) == 1 and set(marks[0].get_xdata()) == {0.0}


def test_overflow_is_shaded_apart_from_undefined(monkeypatch):
    """x^1000 overflows float64 for |x| > 2^(1024/1000) ≈ 2.0335 and is undefined nowhere."""
    ax = _activation_axes(monkeypatch, "x**1000")
    assert "float64 overflows" in _legend(ax) and "f undefined" not in _legend(ax)
    edge = 2 ** (1024 / 1000)
    (l0, l1), (r0, r1) = _shaded(ax)
    assert math.isclose(l0, -6.01) and math.isclose(r1, 6.01)  # to half a step past ±6
    assert abs(l1 + edge) < 0.01 and abs(r0 - edge) < 0.01  # the edge within half a step
    ax = _activation_axes(monkeypatch, "log(x)")
    assert "f undefined" in _legend(ax) and "float64 overflows" not in _legend(ax)


SHOWN_FORMULAS = [
    "x**1000",
    "exp(x)",
    "exp(exp(x))",
    "1/x",
    "log(x)",
    "sqrt(x)",
    "x**-2",
    "exp(x)/exp(x)",
    "exp(200*x)/exp(200*x)",
    "tan(x)",
    "1e308*x",
    "-1e308*x*x",
    "9**9**9**9",
    "0/0",
]


@pytest.mark.parametrize("formula", SHOWN_FORMULAS)
def test_no_warning_leaks_from_the_card_or_its_figure(formula):
    """NumPy's and matplotlib's RuntimeWarnings (overflow, divide, invalid) stay inside."""
    from bot.cards.activation import activation_card

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        card = activation_card(custom=formula, figure=True)
    assert card.image is not None


def test_learnable_figure_draws_the_mean_a_neither_verdict_cites(monkeypatch):
    """prelu on sin at lr 1: the reply says the runs ended no better than predicting the
    mean (0.446, the variance of sin(2x) on the grid) and the bars showed no such level."""
    import numpy as np

    from bot.figures import learnable as figure
    from bot.lab.learnable_compare import GRID, learnable_comparison

    def lines(c):
        drawn = []
        monkeypatch.setattr(figure.theme, "png_bytes", lambda fig: drawn.append(fig) or b"")
        figure.learnable_figure(c)
        ax = drawn[0].axes[0]
        return [(ln.get_ydata()[0], ln.get_label()) for ln in ax.get_lines()], ax

    c = learnable_comparison("prelu", "sin", 2, 200, 1000, 1.0, "normal")
    assert c.verdict.outcome == "neither"
    (drawn, ax), mean = lines(c), float(np.var(np.sin(2 * GRID)))
    assert len(drawn) == 1 and drawn[0][0] == pytest.approx(mean, rel=1e-9)
    assert drawn[0][1] == f"predict the mean: {mean:.3g}"
    assert ax.get_ylim()[1] > max(mean, c.values["frozen median mse"])
    helps = learnable_comparison("prelu", "abs", 2, 50, 1000, 0.1, "normal")
    assert helps.verdict.outcome != "neither" and lines(helps)[0] == []


def test_mlp_unit_lines_stay_visible_on_the_decision_boundary(monkeypatch):
    """2-3-1 sin, seed 7: unit 3's line w·x + b = 0 runs along the p = ½ contour (the
    output hangs on that unit). The legend lists unit 3, so its line must be drawn above
    the contour, not hidden under the wider white curve."""
    from matplotlib.lines import Line2D

    from bot.figures import xor as figure
    from bot.lab.mlp import train_mlp

    sin = REGISTRY["sin"]
    run = train_mlp(sin, 3, 7, 2000, 1.0)
    drawn = []
    monkeypatch.setattr(figure.theme, "png_bytes", lambda fig: drawn.append(fig) or b"")
    figure.mlp_figure(run, sin.f)
    ax = drawn[0].axes[0]
    units = [a for a in ax.get_children() if isinstance(a, Line2D) and len(a.get_xdata()) > 2]
    contour = [c.get_zorder() for c in ax.collections if "Contour" in type(c).__name__]
    assert len(units) == 3 and contour, (units, contour)
    assert min(u.get_zorder() for u in units) > max(contour)
