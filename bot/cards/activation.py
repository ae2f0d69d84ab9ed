"""Card for /activation: a registry entry or a custom formula, with its facts checked.

Every number comes from the kernel `activation_numbers`; the Show-code script runs that
same kernel (a custom formula travels as a def generated from its parse tree).
"""

from __future__ import annotations

from typing import Any

from bot.cards import COLOR_FALSE, COLOR_INFO, COLOR_TRUE, Card, Field, formula_field, picture
from bot.figures.activation import activation_figure
from bot.lab.activation_numbers import OVERFLOW, UNSETTLED, activation_numbers
from bot.lab.activation_report import ActivationReport, Linearity, describe, describe_custom
from bot.lab.expr import overflow_mask, to_numpy_def, to_overflow_def
from bot.script import PRINT, Code, assemble, lines, script, show

SPECS = {"mean_output": ".3g", "rms_output": ".3g"}
TITLE = "Show code for /activation: every number on the card, from the same kernel"
BEYOND = "f, or a step computing it, is beyond float64's range of ±1.8e308"
SATURATES = {
    "none": "no",
    "flat": "flat everywhere (f' = 0)",
    "both": "both ends",
    "left": "as x → −∞",
    "right": "as x → +∞",
}


def _v(r: ActivationReport, key: str) -> str:
    """A kernel value exactly as the card's numbers (and the script) print it."""
    return show(r.numbers[key], SPECS.get(key, ""))


def _code(r: ActivationReport) -> str:
    if r.expression is None:
        return script(activation_numbers, title=TITLE, specs=SPECS, **r.kernel_args)
    call = "activation_numbers(f=f, overflows=f_overflows)"
    tail = PRINT.format(call=call, specs=f", {SPECS!r}")
    return assemble(
        tail,
        activation_numbers,
        lines,
        show,
        overflow_mask,
        Code(to_numpy_def(r.expression)),
        Code(to_overflow_def(r.expression)),
        title=TITLE,
    )


def _yes(b: bool) -> str:
    return "yes" if b else "no"


def _centred(r: ActivationReport) -> str:
    if r.numbers["mean_output"] == OVERFLOW:
        return (
            "not computed: float64 overflows (past ±1.8e308) summing E f(Z) for Z ~ N(0, 1), "
            "which by itself does not say whether E f(Z) exists"
        )
    mean, rms = r.numbers["mean_output"], r.numbers["rms_output"]
    if mean == UNSETTLED:
        return (
            "not settled: the numeric integral for E f(Z), Z ~ N(0, 1), does not settle "
            "(a singularity or heavy tails), which by itself does not say whether it exists"
        )
    if rms == UNSETTLED:
        return (
            f"not decided (mean output for N(0, 1) input E f(Z) = {_v(r, 'mean_output')}; "
            "RMS not settled: the integral for E f(Z)² does not settle, a singularity or "
            "heavy tails)"
        )
    if r.zero_centred is None:
        return "undefined (E f(Z) does not exist for Z ~ N(0, 1))"
    return (
        f"{_yes(r.zero_centred)} (mean output for N(0, 1) input E f(Z) = {_v(r, 'mean_output')}, "
        f"RMS {_v(r, 'rms_output')})"
    )


def _range_field(r: ActivationReport) -> Field:
    a = r.entry
    assert a is not None
    rg = a.range
    text = r.numbers["range"]
    if rg.values:
        return Field("Range", f"{text}: only these values")
    ends = []
    for v, closed, at, side in (
        (rg.lo, rg.lo_closed, a.lo_at, "lower"),
        (rg.hi, rg.hi_closed, a.hi_at, "upper"),
    ):
        if v in (float("inf"), float("-inf")):
            continue
        if "min" in r.numbers and side == "lower":
            ends.append(
                f"lower end: the minimum {_v(r, 'min')} at x = {_v(r, 'argmin')} (printed "
                "rounded down, so the interval contains it)"
            )
        elif closed:
            ends.append(f"{side} end attained at {at}")
        else:
            ends.append(f"{side} end approached, never reached")
    return Field("Range", text + ("\n" + "; ".join(ends) if ends else ""))


def _properties(r: ActivationReport) -> str:
    a = r.entry
    assert a is not None
    return (
        f"monotone: {_yes(a.monotone)} · bounded: {_yes(a.bounded)} · smooth (C¹): "
        f"{_yes(a.smooth)} · linear: {_yes(a.linear)}\nsaturates: {SATURATES[a.saturates]}\n"
        f"zero-centred: {_centred(r)}"
    )


def _saturation(r: ActivationReport) -> str:
    a = r.entry
    assert a is not None
    what, true = (
        ("NumPy's tanh", "tanh(x)")
        if a.tail == "tanh"
        else ("NumPy's two-step 1/(1 + e^−x)", "σ(x)")
    )
    rows = []
    for dt in ("float32", "float64"):
        ours, exact = r.numbers[f"{dt}_numpy"], r.numbers[f"{dt}_rounded"]
        first, second = sorted([ours, exact])
        gap = (
            f"NumPy gives 1.0 while the nearest {dt} is below 1"
            if ours < exact
            else f"NumPy stays below 1 while the nearest {dt} is 1.0"
        )
        rows.append(
            f"{dt}: {what} returns exactly 1.0 from x = {_v(r, f'{dt}_numpy')}; the correctly "
            f"rounded {true} (the {dt} nearest to it) is 1.0 from x = {_v(r, f'{dt}_rounded')}"
            + (f". On [{show(first)}, {show(second)}) {gap}" if first != second else "")
            + "."
        )
    rows.append(
        f"Mathematically {true} < 1 for every x; the float runs out of digits. NumPy's points: "
        "bisection over the float bit patterns; the correctly rounded ones: closed form."
    )
    return "\n".join(rows)


def _gaps(r: ActivationReport) -> str:
    """Where the sample has no value, e.g. "undefined at 3 and float64 overflows at 9"."""
    n = r.numbers
    parts = []
    if n.get("undefined_points"):
        parts.append(f"undefined at {n['undefined_points']}")
    if n.get("overflow_points"):
        parts.append(f"float64 overflows at {n['overflow_points']}")
    return f" ({' and '.join(parts)} of 601 sampled points)" if parts else ""


def _where(r: ActivationReport) -> str:
    n = r.numbers
    undefined, over = n.get("undefined_points"), n.get("overflow_points")
    if undefined and over:
        return " where it is defined and float64 can compute it"
    return " where it is defined" if undefined else " where float64 can compute it" if over else ""


NO_VALUE = "f is undefined (nan or ±inf) at every x tested"
NO_FLOAT = f"float64 computes no value of f at any x tested ({BEYOND} at some of them)"


def _linearity(r: ActivationReport) -> Field:
    n = r.numbers
    undefined = _gaps(r)
    if r.linearity is Linearity.UNDEFINED:
        text = f"No: {NO_VALUE}, so it computes nothing and adds no nonlinearity."
        return Field("Does it add a nonlinearity?", text)
    if r.linearity is Linearity.OVERFLOW:
        text = f"Cannot tell: {NO_FLOAT}, so there is nothing to test."
        return Field("Does it add a nonlinearity?", text)
    at = (
        f"f((a + b)/2) − (f(a) + f(b))/2 = {_v(r, 'midpoint_gap')} at a = {_v(r, 'pair_a')}, "
        f"b = {_v(r, 'pair_b')}"
    )
    if r.linearity is Linearity.NONLINEAR:
        defined = " where it is defined" if n.get("undefined_points") else ""
        text = (
            f"Yes{defined}: every affine map has "
            f"f((a + b)/2) = (f(a) + f(b))/2, and here {at}, with all three values finite."
        )
    else:
        where = _where(r)
        kind = "linear" if r.linearity is Linearity.LINEAR else "affine (a line plus a constant)"
        text = (
            f"No: {kind}{where}, so layers around it still collapse{undefined}.\n{at}, "
            "and the same within 1e-9 for every pair tested."
        )
    return Field("Does it add a nonlinearity?", text)


def _custom_fields(r: ActivationReport) -> list[Field]:
    n = r.numbers
    if "sampled_range" not in n:
        if not n["overflow_points"]:
            text = "undefined (nan or ±inf) at every one of the 601 sampled points"
        else:
            text = (
                f"no value at any of the 601 sampled points: float64 overflows at "
                f"{n['overflow_points']} ({BEYOND})"
                + (f", undefined at {n['undefined_points']}" if n["undefined_points"] else "")
            )
        return [Field("On [−6, 6]", text)]
    lines_ = [f"values within {n['sampled_range']} at the 601 sampled points"]
    if n["undefined_points"]:
        lines_.append(f"undefined (nan or ±inf) at {n['undefined_points']} of them")
    if n["overflow_points"]:
        lines_.append(f"float64 overflows at {n['overflow_points']} of them ({BEYOND})")
    fields = [Field("On [−6, 6] (sampled)", "; ".join(lines_))]
    slopes = f"f'(−10000.5) = {_v(r, 'slope_far_left')}, f'(10000.5) = {_v(r, 'slope_far_right')}"
    props = (
        f"monotone on the sampled points: {n.get('monotone_on_sample', 'no')}\n"
        f"far out (numeric): {slopes}\nzero-centred: {_centred(r)}"
    )
    fields.append(Field("Properties", props))
    tails = []
    for side in ("left", "right"):
        if f"{side}_limit" in n:
            sign = "≤" if side == "left" else "≥"
            tails.append(
                f"NumPy float64: f(x) is exactly {_v(r, f'{side}_limit')} for x {sign} "
                f"{_v(r, f'{side}_from')} (measured by bisection over the float bit patterns)"
            )
    if tails:
        fields.append(Field("Floating point", "\n".join(tails)))
    return fields


def _verdict(r: ActivationReport) -> str:
    a = r.entry
    if a is not None and a.linear:
        return f"{a.label} is linear: it adds no nonlinearity, whatever its scale."
    if a is not None:
        rg = a.range
        both_open = not rg.values and rg.bounded and not rg.lo_closed and not rg.hi_closed
        return f"{a.label}: range {r.numbers['range']}{', open at both ends' if both_open else ''}."
    where = _where(r) + _gaps(r)
    nonlinear_where = (" where it is defined" if r.numbers.get("undefined_points") else "") + _gaps(
        r
    )
    return {
        Linearity.NONLINEAR: (
            f"This adds a nonlinearity{nonlinear_where}: no single matrix can absorb it."
        ),
        Linearity.AFFINE: f"This is affine{where}: it adds no nonlinearity; layers still collapse.",
        Linearity.LINEAR: f"This is linear{where}: it adds no nonlinearity, whatever it looks like.",
        Linearity.UNDEFINED: "This formula is undefined at every x tested: it is no activation.",
        Linearity.OVERFLOW: (
            "float64 computes no value of this formula at any x tested (it overflows past "
            "±1.8e308): nothing about it can be judged."
        ),
    }[r.linearity]


def activation_card(name: str = "tanh", custom: str | None = None, figure: bool = True) -> Card:
    r = describe_custom(custom) if custom else describe(name)
    fields = [formula_field(r.formula)]
    a = r.entry
    extra: dict[str, Any]
    if a is not None:
        fields += [_range_field(r), _linearity(r), Field("Properties", _properties(r))]
        if a.tail:
            fields.append(Field("Floating point", _saturation(r)))
        fields.append(Field("Note", a.note + (f"\nSource: {a.reference}" if a.reference else "")))
        extra = {
            "color": COLOR_FALSE if a.linear else COLOR_INFO,
            "footer": "Derivative exact, checked against central differences · deterministic",
            "command": f"/activation name:{a.name}",
        }
    else:
        fields += [_linearity(r), *_custom_fields(r)]
        extra = {
            "color": COLOR_TRUE if r.linearity is Linearity.NONLINEAR else COLOR_FALSE,
            "footer": "Custom formula (safe parser, never eval) · derivative by central differences",
            "command": f"/activation custom:{custom}",
        }
    return Card(
        title=f"Activation: {r.label}" if a else "Activation: a custom formula",
        verdict=_verdict(r),
        fields=tuple(fields),
        image=picture("activation.png", lambda: activation_figure(r), figure),
        code=_code(r),
        numbers=tuple(lines(r.numbers, SPECS)),
        **extra,
    )
