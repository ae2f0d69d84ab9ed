"""Figures: valid PNGs of sensible size, and matplotlib.pyplot is never imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_every_figure_is_a_png_without_pyplot():
    code = textwrap.dedent(
        """
        import sys, warnings
        warnings.filterwarnings("error", message=".*[Gg]lyph.*")  # every character drawable
        from bot.figures.xor import linear_figure, mlp_figure, neuron_figure
        from bot.figures.collapse import collapse_figure
        from bot.figures.activation import activation_figure
        from bot.lab.collapse import collapse
        from bot.lab.activation_report import describe, describe_custom
        from bot.lab.mlp import train_mlp
        from bot.lab.neuron import train_neuron
        from bot.lab.activations import REGISTRY as R
        pngs = [linear_figure((1, 1, -0.5)), mlp_figure(train_mlp(R["relu"], 16, 0, 50), R["relu"].f),
                neuron_figure(train_neuron(R["sin"], 0, 50), R["sin"].f),
                collapse_figure(collapse(layers=64, width=16, between="tanh")),
                collapse_figure(collapse(layers=1, width=1)),
                activation_figure(describe_custom("log(x)"))]
        pngs += [activation_figure(describe(n)) for n in R]
        from bot.figures.explain import approx_figure, phase_figure
        from bot.lab.approx import approximate_sine
        from bot.lab.phase import compare
        pngs += [approx_figure(approximate_sine()), phase_figure(compare())]
        for p in pngs:
            assert p[:8] == b"\\x89PNG\\r\\n\\x1a\\n", p[:8]
            assert p[-12:-4] == b"\\x00\\x00\\x00\\x00IEND"
            assert 5_000 < len(p) < 200_000, len(p)
        assert "matplotlib.pyplot" not in sys.modules
        print("ok", len(pngs))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")
