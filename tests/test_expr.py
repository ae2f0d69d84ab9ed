"""The safe formula parser: correct on valid input, a UserError on everything else."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.lab.activation_report import Linearity, describe_custom
from bot.lab.expr import parse, to_numpy_def, to_numpy_source
from tests.formulas import FORMULAS

X = np.linspace(-3, 3, 61)

VALID = {
    "x*sin(x)": X * np.sin(X),
    "x/1000": X / 1000,
    "max(x, 0.1*x)": np.maximum(X, 0.1 * X),
    "-x^2": -(X**2),
    "2**-x": 2.0 ** (-X),
    "-(x+1)*(x-1)": -(X + 1) * (X - 1),
    "e**x - pi": np.exp(X) - np.pi,
    "tanh(x) + abs(x)/2": np.tanh(X) + np.abs(X) / 2,
    "1.5e-3*x": 1.5e-3 * X,
}

HOSTILE = [
    "x.__class__",
    "__import__('os').system('id')",
    "import os",
    "lambda: 1",
    "[x for x in ()]",
    "x[0]",
    "open('/etc/passwd')",
    "exec('1')",
    "eval('x')",
    "globals()",
    "x.real",
    "'a'",
    "x if x else 1",
    "sin",
    "sin x",
    "max(x)",
    "x,",
    "()",
    "(x",
    "x)",
    "1 +",
    "x ** ",
    "",
    "   ",
    "x" * 201,
    "x+" * 5000 + "x",
    "(" * 150 + "x" + ")" * 150,
    "-" * 190 + "x",
    "x;x",
    "x @ x",
    "x % 2",
    "x // 2",
    "x == 1",
    "x\n+1\x00",
    "１+x",
    "y",
    "X.__dict__",
    "sin.__globals__",
    "1e99999",
    "9" * 400,
    "__builtins__",
    "x = 1",
    "f'{x}'",
    "b'x'",
]


@pytest.mark.parametrize(("text", "expected"), VALID.items())
def test_valid_formulas_evaluate_like_numpy(text, expected):
    e = parse(text)
    assert np.allclose(e(X), expected)
    namespace = {"np": np, "x": X}
    assert np.allclose(eval(to_numpy_source(e.tree), namespace), expected)  # our own source


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_rejected_with_our_error(text):
    with pytest.raises(UserError) as info:
        parse(text)
    assert 0 < len(info.value.message) <= 400


def test_huge_exponents_are_inf_not_a_hang():
    assert np.all(np.isinf(parse("9**9**9**9")(X)))


@pytest.mark.fuzz
@given(st.text(max_size=250))
def test_arbitrary_text_raises_nothing_but_user_error(text):
    try:
        e = parse(text)
    except UserError:
        return
    with np.errstate(all="ignore"):
        e(X)


@pytest.mark.fuzz
@given(st.text(alphabet="x+-*/^()., 0123456789episncoqrtmahbl", max_size=80))
def test_formula_like_text_raises_nothing_but_user_error(text):
    with contextlib.suppress(UserError):
        describe_custom(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("x/1000", Linearity.LINEAR),
        ("2*x+3", Linearity.AFFINE),
        ("max(x, 0.1*x)", Linearity.NONLINEAR),
        ("x*sin(x)", Linearity.NONLINEAR),
        ("-(-x)", Linearity.LINEAR),
        ("log(x)", Linearity.NONLINEAR),
        ("1/x", Linearity.NONLINEAR),
        ("floor(x)", Linearity.NONLINEAR),
        ("x/x", Linearity.AFFINE),  # 1 wherever it is defined
        ("sqrt(x)^2", Linearity.LINEAR),  # x wherever it is defined (x ≥ 0)
        ("log(-1-x*x)", Linearity.UNDEFINED),
        ("sqrt(-1-abs(x))", Linearity.UNDEFINED),
        ("0/0", Linearity.UNDEFINED),
    ],
)
def test_linearity_verdicts(text, kind):
    assert describe_custom(text).linearity is kind


@pytest.mark.parametrize(
    "text", ["log(x)", "1/x", "sqrt(x)*x", "tan(x)", "log(x-5)", "x*sqrt(2-x)"]
)
def test_the_nonlinearity_witness_is_where_f_is_defined(text):
    """The pair that proves nonlinearity has f finite at a, b and (a + b)/2, and its gap."""
    r = describe_custom(text)
    n = r.numbers
    e = parse(text)
    a, b = n["pair_a"], n["pair_b"]
    fa, fb, fm = e(np.array([a, b, (a + b) / 2]))
    assert np.isfinite([fa, fb, fm]).all()
    assert fm - (fa + fb) / 2 == n["midpoint_gap"] != 0


@pytest.mark.fuzz
@given(FORMULAS)
def test_generated_def_computes_bit_for_bit_what_the_parser_computes(text):
    """A script carries to_numpy_def's source; it must agree with Expression to the bit."""
    e = parse(text)
    namespace: dict = {"np": np}
    exec(to_numpy_def(e), namespace)  # our own generated source, never the user's text
    x = np.concatenate([X, [0.0, -0.0, 1e300, -1e300, np.pi / 2]])
    assert namespace["f"](x).tobytes() == e(x).tobytes()
