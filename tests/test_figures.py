"""Figures: valid PNGs of sensible size, and matplotlib.pyplot is never imported.

Every figure kind is drawn in one clean subprocess (so pyplot cannot sneak in through
another test's import), and each kind is its own test: a failure names its figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

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
