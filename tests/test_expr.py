"""The safe formula parser: correct on valid input, a UserError on everything else."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.lab.activation_report import Linearity, describe_custom
from bot.lab.expr import (
    FUNCS1,
    Expression,
    evaluate,
    overflow_mask,
    parse,
    to_numpy_def,
    to_numpy_source,
    to_overflow_def,
)
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
    with np.errstate(all="ignore"):
        tracked = np.broadcast_to(evaluate(e.tree, x)[0], x.shape)
    assert tracked.tobytes() == e(x).tobytes()  # overflows() judges the very values f has


# Per-point truth, worked out by hand: "." a float64 number, "O" float64's range ran
# out (the true value is a real number, e.g. 3^1000 ≈ 1e477, or 1 for e^x/e^x at
# x = 1000, or e^1000 for 1/e^−x), "U" undefined (outside the domain, or a pole).
OVERFLOW_CASES = [
    ("x**1000", [3.0, 2.0, -3.0, 0.0], "O.O."),
    ("exp(x)", [710.0, 709.0, -1000.0], "O.."),
    ("exp(exp(x))", [6.6, 6.5], "O."),
    ("1/x", [0.0, -0.0, 1e-300], "UU."),
    ("log(x)", [-1.0, 0.0, 1.0], "UU."),
    ("sqrt(x)", [-1e-300, -0.0, 4.0], "U.."),
    ("x**-2", [0.0, 1e-200, 2.0], "UO."),
    ("exp(x)/exp(x)", [1000.0, -1000.0, 3.0], "OO."),
    ("exp(x)-exp(x)", [1000.0, 3.0], "O."),
    ("exp(x)*0", [1000.0], "O"),
    ("1/exp(-x)", [1000.0, 3.0], "O."),
    ("log(exp(x))", [-1000.0, 1000.0], "OO"),
    ("log(-exp(x))", [-1000.0, 1000.0, 0.0], "UUU"),  # log of a negative, however tiny
    ("sqrt(-exp(x))", [1000.0], "U"),
    ("(-exp(x))**0.5", [1000.0], "U"),
    ("1/sigmoid(x)", [-1000.0, 0.0], "O."),
    ("9**9**9**9", [0.0], "O"),
    ("0/0", [1.0], "U"),
    ("log(x)*exp(-x)", [-1000.0, 1000.0], "U."),  # undefined wins over an overflow
    ("exp(-x)*log(x)", [-1000.0], "U"),  # whichever is computed first
    ("tan(x)", [np.pi / 2], "."),  # the float nearest π/2 is no pole: tan is 1.6e16
    ("log1p(x)", [-1.0, -2.0, 0.0], "UU."),
    ("cosh(x)*0+sinh(x)", [800.0], "O"),
]


@pytest.mark.parametrize(("text", "xs", "expected"), OVERFLOW_CASES)
def test_overflow_is_told_apart_from_undefined(text, xs, expected):
    e = parse(text)
    x = np.array(xs)
    values, over = e(x), e.overflows(x)
    got = "".join(
        "O" if o else "." if np.isfinite(v) else "U" for v, o in zip(values, over, strict=True)
    )
    assert got == expected
    assert not np.any(over & np.isfinite(values))  # only a missing value can be an overflow


GRID = [0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 1.0, -1.0, 2.5, -2.5, 3.0]
GRID += [700.0, 710.0, -710.0, 1e200, -1e200, 1e308, -1e308]


def _flags(fn) -> set[str]:
    """The IEEE flags NumPy raises computing fn() on finite operands (an independent oracle)."""
    found: set[str] = set()
    for kind in ("over", "under", "divide", "invalid"):
        with np.errstate(all="ignore", **{kind: "raise"}):
            try:
                fn()
            except FloatingPointError:
                found.add(kind)
    return found


@pytest.mark.parametrize(
    "node",
    [("f1", name, ("x",)) for name in FUNCS1]
    + [("bin", op, ("x",), ("num", b)) for op in "+-*/" for b in GRID]
    + [("bin", "**", ("x",), ("num", b)) for b in [*GRID, 2.0, -2.0, 3.0, -3.0, 1000.0]],
    ids=str,
)
def test_one_operation_agrees_with_ieee_flags(node):
    """On finite operands: a missing value is an overflow iff NumPy flags overflow, and
    undefined iff it flags divide by zero or invalid; a 0 is lost iff it flags underflow
    (or overflow, as 1/(1 + e^1000) does)."""
    x = np.array(GRID)
    with np.errstate(all="ignore"):
        values, lost = evaluate(node, x)
    values = np.broadcast_to(values, x.shape)
    over = Expression(text="", tree=node).overflows(x)
    for i, v in enumerate(x):
        flags = _flags(lambda v=v: evaluate(node, np.array([v])))
        if not np.isfinite(values[i]):
            assert bool(over[i]) == ("over" in flags), (v, flags)
            assert bool(over[i]) != bool(flags & {"divide", "invalid"}), (v, flags)
        elif values[i] == 0:
            assert bool(lost[i]) == bool(flags & {"under", "over"}), (v, flags)


def test_the_generated_overflow_def_is_the_parser_s():
    e = parse("exp(x)/exp(x) + log(x)")
    namespace: dict = {"np": np, "overflow_mask": overflow_mask}
    exec(to_overflow_def(e), namespace)  # our own generated source, never the user's text
    x = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    assert namespace["f_overflows"](x).tolist() == e.overflows(x).tolist() == [0, 0, 0, 0, 1]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2x", ["missing * at position 2", "write 2*x", "implicit multiplication"]),
        ("2 x", ["write 2*x"]),
        ("x(1+x)", ["missing * at position 2", "write x*(…)"]),
        ("2(x+1)", ["write 2*(…)"]),
        ("(x+1)(x-1)", ["missing * at position 6", "write (…)*(…)"]),
        ("x sin(x)", ["write x*sin(…)"]),
        ("sin(2x)", ["missing * at position 6", "write 2*x"]),
        ("2pi", ["write 2*pi"]),
        ("sin x", ["sin at position 1 needs its argument in parentheses", "sin(x)"]),
        ("sin", ["needs its argument in parentheses"]),
        ("max x", ["max(x, 0)"]),
        ("max(x 0)", ["separated by a comma", "max(x, 0)", "position 7"]),
        ("sinx", ["unknown name 'sinx'", "write sin(x)", "Allowed:"]),
        ("xsin(x)", ["unknown name 'xsin'", "Write x*sin(…)"]),
        ("pix", ["Write pi*x"]),
        ("expx", ["write exp(x)"]),  # exp, not e·xp
        ("x)", ["it closes no '('"]),
        ("min(x,)", ["position 7", "expected a number, x, pi, e, a function or '('"]),
    ],
)
def test_errors_say_what_was_wrong_and_what_is_allowed(text, says):
    with pytest.raises(UserError) as info:
        parse(text)
    for phrase in says:
        assert phrase in info.value.message
    assert len(info.value.message) <= 400


def test_caret_is_a_power_not_an_error():
    """x^2 is accepted and means x**2 (the grammar says so); it is not XOR as in Python."""
    assert parse("x^2").tree == parse("x**2").tree == ("bin", "**", ("x",), ("num", 2.0))
