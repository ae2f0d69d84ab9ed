"""The safe formula parser: correct on valid input, a UserError on everything else."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.lab.expr import parse, to_numpy_source
from bot.lab.inspect import describe_custom

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


@settings(max_examples=400, deadline=1000)
@given(st.text(max_size=250))
def test_arbitrary_text_raises_nothing_but_user_error(text):
    try:
        e = parse(text)
    except UserError:
        return
    with np.errstate(all="ignore"):
        e(X)


@settings(max_examples=200, deadline=1000)
@given(st.text(alphabet="x+-*/^()., 0123456789episncoqrtmahbl", max_size=80))
def test_formula_like_text_raises_nothing_but_user_error(text):
    with contextlib.suppress(UserError):
        describe_custom(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("x/1000", "linear"),
        ("2*x+3", "affine"),
        ("max(x, 0.1*x)", "nonlinear"),
        ("x*sin(x)", "nonlinear"),
        ("-(-x)", "linear"),
        ("log(x)", "nonlinear"),
    ],
)
def test_linearity_verdicts(text, kind):
    assert describe_custom(text).linearity.kind == kind
