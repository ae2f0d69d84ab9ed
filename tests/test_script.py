"""bot.script: scripts assembled from the lab's own source print exactly what the card shows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bot.lab import activation_fns as F
from bot.lab.activations import REGISTRY
from bot.script import Code, assemble, lines, script, show
from tests.scripts import run_script, run_script_fresh

OFFSET = np.array([0.1, -2.5e-17, 1 / 3])
SCALE = 1 / 7


def _helper(x):
    return x * SCALE + OFFSET


def _uses_helper(f, n):
    """A kernel that calls another, reads two module constants and takes a function."""
    x = np.linspace(-1.0, 1.0, n)
    y = f(_helper(x[:3]))
    return {"sum": float(np.sum(y)), "n": n, "first": y, "label": "ok", "pi": math.pi}


def test_show_formats_like_the_cards():
    assert show(0.5) == "0.5"
    assert show(-0.0) == "0"
    assert show(-1e-300, ".3f") == "0.000"
    assert show(np.float64(1 / 3)) == "0.333333"
    assert show(np.int64(3)) == "3" and show(True) == "1"
    assert show((1.0, 2.5)) == "1 2.5"
    assert show(1234.5678, ".3e") == "1.235e+03"


def test_a_script_carries_functions_constants_and_arguments(tmp_path):
    code = script(_uses_helper, title="test", f=F.gelu, n=5)
    assert "def _helper" in code and "def gelu" in code and "def erf" in code
    assert "OFFSET = np.array([0.1, -2.5e-17, 0.3333333333333333])" in code
    assert "SCALE = 0.14285714285714285" in code
    assert run_script_fresh(code, tmp_path) == lines(_uses_helper(F.gelu, 5))
    assert run_script(code, tmp_path) == lines(_uses_helper(F.gelu, 5))  # the shared runner


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_activation_travels_bit_for_bit(name, tmp_path):
    """The script's f and f' are the registry's: same bits on a grid that crosses every kink."""
    a = REGISTRY[name]
    tail = (
        "x = np.linspace(-20, 20, 4001)\n"
        f"print('f:', {a.f.__name__}(x).tobytes().hex())\n"
        f"print('df:', {a.df.__name__}(x).tobytes().hex())\n"
    )
    out = dict(run_script(assemble(tail, a.f, a.df, title=name), tmp_path))
    x = np.linspace(-20, 20, 4001)
    assert out == {"f": a.f(x).tobytes().hex(), "df": a.df(x).tobytes().hex()}


def test_raw_code_parts_and_specs(tmp_path):
    code = script(_uses_helper, title="t", specs={"sum": ".2e"}, f=Code("g"), n=3)
    code = code.replace("\n\nfor key", "\n\ndef g(x):\n    return x * 2\n\n\nfor key", 1)
    assert dict(run_script(code, tmp_path))["sum"] == format(
        2 * float(np.sum(_helper(np.linspace(-1, 1, 3)))), ".2e"
    )


def _closure_maker():
    k = 2.0

    def inner(x):
        return x * k

    return inner


@pytest.mark.parametrize(
    "bad", [lambda x: x, _closure_maker(), np.tanh], ids=["lambda", "closure", "ufunc"]
)
def test_what_has_no_source_is_refused(bad):
    with pytest.raises(TypeError):
        assemble("", bad, title="t")


def test_the_shared_runner_isolates_scripts_and_reports_failures(tmp_path):
    """tests/script_runner.py: fresh namespace per script, NumPy's error state reset,
    failures and imports of the bot reported, the working directory is the script's."""
    import pytest

    first = "import numpy as np\nnp.seterr(all='raise')\nsecret = 1\nprint('a: 1')\n"
    assert run_script(first, tmp_path) == [("a", "1")]
    second = (
        "import os\nimport numpy as np\n"
        "print('secret:', 'secret' in globals())\n"
        "print('raise:', np.geterr()['divide'])\n"
        "print('cwd:', os.getcwd())\n"
    )
    assert run_script(second, tmp_path) == [
        ("secret", "False"),
        ("raise", "warn"),
        ("cwd", str(tmp_path.resolve())),
    ]
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        run_script("print('x: 1')\n1 / 0\n", tmp_path)
    with pytest.raises(AssertionError, match="imported the bot"):
        run_script("import importlib\nimportlib.import_module('b' + 'ot.lab')\n", tmp_path)
    assert run_script("print('still: alive')\n", tmp_path) == [("still", "alive")]
