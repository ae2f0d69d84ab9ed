"""Card for /activation: a registry entry or a custom formula, with its facts checked."""

from __future__ import annotations

from bot.cards import (
    COLOR_FALSE,
    COLOR_INFO,
    COLOR_TRUE,
    Card,
    Field,
    formula_field,
    num,
    picture,
)
from bot.cards.snippets import ACTIVATION_SRC, NUM
from bot.figures.activation import activation_figure
from bot.lab.expr import to_numpy_source
from bot.lab.inspect import ActivationReport, describe, describe_custom

SATURATION_SRC = '''

def first_x_where_f_is(value, dtype, hi=100.0):
    """Bisection over the float bit patterns of (0.5, hi] for the first f(x) == value."""
    it = np.int32 if np.dtype(dtype).itemsize == 4 else np.int64
    fx = lambda i: f(np.array([np.array(i, dtype=it).view(dtype)], dtype=dtype))[0]
    lo, up = int(np.array(0.5, dtype=dtype).view(it)), int(np.array(hi, dtype=dtype).view(it))
    while up - lo > 1:
        mid = (lo + up) // 2
        lo, up = (lo, mid) if fx(mid) == value else (mid, up)
    return float(np.array(up, dtype=it).view(dtype))
'''


def _props(r: ActivationReport) -> str:
    a = r.entry
    assert a is not None
    yes = lambda b: "yes" if b else "no"  # noqa: E731
    sat = {
        "none": "no",
        "flat": "flat everywhere (f' = 0)",
        "both": "both ends",
        "left": "as x → −∞",
        "right": "as x → +∞",
    }[a.saturates]
    return (
        f"monotone: {yes(a.monotone)} · bounded: {yes(a.bounded)} · zero-centred: "
        f"{yes(a.zero_centred)}\nsaturates: {sat} · smooth (C¹): {yes(a.smooth)} · "
        f"linear: {yes(a.linear)}"
    )


def _linearity_field(r: ActivationReport) -> Field:
    lin = r.linearity
    x, y = lin.witness or (1.0, 1.0)
    at = f"f(x + y) − f(x) − f(y) + f(0) = {num(lin.gap)} at x = {num(x)}, y = {num(y)}"
    if lin.kind == "nonlinear":
        text = f"Adds a nonlinearity: f(x + y) ≠ f(x) + f(y) − f(0), e.g. {at}."
    elif lin.kind == "affine":
        text = (
            f"Affine (a line plus {num(lin.offset)}): adds no nonlinearity; layers still "
            f"collapse.\n{at}, as for every pair tested."
        )
    else:
        text = (
            "Linear: adds no nonlinearity at all; stacked layers still collapse to one matrix."
            f"\n{at}, as for every pair tested."
        )
    return Field("Does it add a nonlinearity?", text)


def activation_card(name: str = "tanh", custom: str | None = None, figure: bool = True) -> Card:
    r = describe_custom(custom) if custom else describe(name)
    fields = [formula_field(r.formula), _linearity_field(r)]
    numbers = [("gap", num(r.linearity.gap))]
    x, y = r.linearity.witness or (1.0, 1.0)
    code_lines = [
        f"x, y = {x!r}, {y!r}",
        "gap = f(np.array([x + y]))[0] - f(np.array([x]))[0] "
        "- f(np.array([y]))[0] + f(np.array([0.0]))[0]",
        'print("gap:", num(gap))',
    ]
    if r.entry is not None:
        a = r.entry
        verdict = (
            f"{a.label}: range {a.range.text()}"
            + (
                ", open at both ends"
                if not a.range.lo_closed and not a.range.hi_closed and a.range.bounded
                else ""
            )
            + "."
        )
        if a.linear:
            verdict = f"{a.label} is linear: it adds no nonlinearity, whatever its scale."
        fields.insert(1, Field("Range", _range_text(r)))
        fields.append(Field("Properties", _props(r)))
        if r.saturation:
            fields.append(Field("Floating point", _saturation_text(r)))
            for s in r.saturation:
                numbers.append((f"{s.dtype}_first_x_with_f_equal_1", num(s.x)))
                code_lines.append(
                    f'print("{s.dtype}_first_x_with_f_equal_1:", '
                    f"num(first_x_where_f_is(1.0, np.{s.dtype})))"
                )
        fields.append(Field("Note", a.note + (f"\nSource: {a.reference}" if a.reference else "")))
        defs = ACTIVATION_SRC[a.name] + (SATURATION_SRC if r.saturation else "")
        color = COLOR_FALSE if a.linear else COLOR_INFO
        footer = "Derivative exact, checked against central differences · deterministic"
        command = f"/activation name:{a.name}"
    else:
        assert r.expression is not None
        lo, hi = r.observed
        verdict = {
            "nonlinear": "This adds a nonlinearity: no single matrix can absorb it.",
            "affine": "This is affine: it adds no nonlinearity, layers around it still collapse.",
            "linear": "This is linear: it adds no nonlinearity, whatever it looks like.",
        }[r.linearity.kind]
        fields.append(
            Field(
                "On [−6, 6]",
                f"values from {num(lo)} to {num(hi)}"
                + (f"; undefined at {r.undefined} of {len(r.x)} points" if r.undefined else ""),
            )
        )
        defs = f"f = lambda x: {to_numpy_source(r.expression.tree)}\n"
        color = COLOR_TRUE if r.linearity.kind == "nonlinear" else COLOR_FALSE
        footer = "Custom formula (safe parser, never eval) · derivative by central differences"
        command = f"/activation custom:{custom}"
    code = (
        'import numpy as np\n\nnp.seterr(all="ignore")\n\n\n'
        + NUM
        + "\n\n"
        + defs
        + "\n"
        + "\n".join(code_lines)
        + "\n"
    )
    return Card(
        title=f"Activation: {r.label}" if r.entry else "Activation: a custom formula",
        verdict=verdict,
        fields=tuple(fields),
        image=picture("activation.png", lambda: activation_figure(r), figure),
        code=code,
        numbers=tuple(numbers),
        footer=footer,
        color=color,
        command=command,
    )


def _range_text(r: ActivationReport) -> str:
    a = r.entry
    assert a is not None
    rg = a.range
    if rg.values is not None:
        return f"{rg.text()}: only these values"
    ends = []
    for v, closed, side in ((rg.lo, rg.lo_closed, "lower"), (rg.hi, rg.hi_closed, "upper")):
        if v in (float("inf"), float("-inf")):
            continue
        if closed:
            at = f" at x = {num(a.argmin)}" if side == "lower" and a.argmin is not None else ""
            ends.append(f"{side} end {num(v)} is attained{at}")
        else:
            ends.append(f"{side} end {num(v)} is approached, never reached")
    return rg.text() + ("\n" + "; ".join(ends) if ends else "")


def _saturation_text(r: ActivationReport) -> str:
    lines = []
    for s in r.saturation:
        lines.append(
            f"{s.dtype}: f(x) rounds to exactly 1.0 from x = {num(s.x)} (the float before gives "
            f"{s.value_before!r})"
        )
    lines.append("Mathematically f(x) < 1 for every x; the float simply runs out of digits.")
    return "\n".join(lines)
