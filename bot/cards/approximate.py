"""Card for /approximate: how many units a target needs, and what the theorem does not promise."""

from __future__ import annotations

from bot.cards import COLOR_FALSE, COLOR_INFO, COLOR_TRUE, Card, Field, formula_field, picture
from bot.figures.approximate import approximate_figure
from bot.lab.approximate import (
    GRID_POINTS,
    INTERVAL_TEXT,
    INTERVALS,
    LADDER,
    SLOPE_FROM,
    STEEPNESS,
    Approximation,
    Kind,
    Trained,
    approximate,
    approximation_numbers,
    jumps_of,
)
from bot.lab.approximate_train import TRAIN_POINTS, training_numbers
from bot.script import lines, script, show

SPECS = {
    "max_error": ".3e",
    "rms_error": ".3e",
    "best_line_error": ".4f",
    "ladder_max": ".2e",
    "ladder_rms": ".2e",
    "slope": ".2f",
    "trained_max_error": ".3e",
    "trained_rms_error": ".3e",
    "train_lr": ".3g",
    "half_jump": ".4f",
}
LABEL = {
    "sin": "sin x",
    "abs": "|x|",
    "step": "a step",
    "sawtooth": "a sawtooth",
    "bump": "a Gaussian bump",
}
HOW_HERE = (  # how this card's network was found, after THEOREM's "training finds them"
    "here the first layer is built or drawn and only the output layer is solved.",
    "here gradient descent trains every weight, and the constructed fit beside it shows what "
    "the same N can reach.",
)
UNIT_TEXT = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}
THEOREM = (
    "Universal approximation (Cybenko 1989; Hornik 1991; Leshno et al. 1993: any "
    "non-polynomial activation) says some one-hidden-layer network gets within any ε of a "
    "continuous target *on a bounded interval*. It does not say how many units, nothing "
    "about x outside the interval (see the dark margins), and not that training finds "
    "those weights: "
)


def _shown(key: str, value) -> str:
    return show(value, SPECS.get(key, ""))


def _verdict(r: Approximation, label: str) -> tuple[str, int]:
    n, f, N = r.numbers, r.finding, r.units
    err = _shown("max_error", n["max_error"])
    slope = "undefined" if f.slope is None else show(f.slope, ".2f")
    if f.kind is Kind.EXACT:
        why = " (with N even a kink lands on the corner at 0)" if r.target == "abs" else ""
        return (
            f"Exact: {label} is itself such a network{why}; max error {err}, rounding.",
            COLOR_TRUE,
        )
    if f.kind is Kind.LINE:
        best = _shown("best_line_error", n["best_line_error"])
        return (
            f"Linear units never beat the best straight line: at N = {N} the network is a line "
            f"with max error {err}, and no N gets below {best}, the best line's (max norm).",
            COLOR_FALSE,
        )
    if f.kind is Kind.JUMP:
        rms = n["ladder_rms"]
        bound = _shown("half_jump", f.half_jump)
        if f.line_at_bound:
            head = (
                f"No N beats the best straight line in the max norm here: beside a jump every "
                f"continuous network misses by at least half the jump ({bound}), and the line "
                "already misses by exactly that"
            )
        else:
            head = (
                f"A jump can't be matched in the max norm: beside it every continuous network "
                f"misses by at least half the jump ({bound}), at every N"
            )
        at_n = f"max error {err} at N = {N}"
        how = f"least squares overshoots beside the jump ({at_n})" if f.overshoot else at_n
        return (
            f"{head}; {how}, while the root-mean-square error falls "
            f"({_shown('ladder_rms', rms[0])} at N = 1, "
            f"{_shown('ladder_rms', rms[-1])} at N = {LADDER[-1]}).",
            COLOR_FALSE,
        )
    if f.kind is Kind.KINKS:
        return (
            f"Max error falls like 1/N² with evenly spaced ReLU kinks: measured slope {slope} "
            f"(N ≥ {SLOPE_FROM}); {err} at N = {N}.",
            COLOR_TRUE,
        )
    if f.kind is Kind.CORNER:
        return (
            f"With N = {N} (odd) no kink lands on the corner of |x|: the max error {err} falls "
            "only like 1/N. Any even N puts a kink at 0 and fits |x| exactly.",
            COLOR_INFO,
        )
    if f.kind is Kind.STALLS:
        return (
            f"The max error is not falling (measured slope {slope}; {err} at N = {N}): the "
            "theorem needs a continuous target, so look for a jump or a spike in the formula.",
            COLOR_FALSE,
        )
    if f.slope is None:
        return (
            f"Max error {err} at N = {N}; the ladder's fits are exact (rounding), so there is "
            "no rate to measure.",
            COLOR_INFO,
        )
    return (
        f"The max error falls (measured slope {slope}, N ≥ {SLOPE_FROM}; {err} at N = {N}): "
        "convergence is what the theorem promises, not this rate.",
        COLOR_TRUE,
    )


def _training_verdict(r: Approximation) -> tuple[str, int]:
    n, f, N = r.numbers, r.finding, r.units
    built = _shown("max_error", n["max_error"])
    steps = n["train_steps"]
    if f.trained is Trained.DIVERGED:
        text = (
            f"Training diverged (no result): gradient descent at lr {_shown('train_lr', n['train_lr'])} "
            f"blew up; the construction with N = {N} gets max error {built}."
        )
        color = COLOR_FALSE
    else:
        got = _shown("trained_max_error", n["trained_max_error"])
        if f.trained is Trained.BEHIND:
            text = (
                f"The weights exist, training didn't find them: after {steps} gradient-descent "
                f"steps the trained network's max error is {got}; the construction with the same "
                f"N = {N} gets {built}."
            )
            color = COLOR_FALSE
        elif f.trained is Trained.EXACT:
            text = (
                f"Training fits it exactly too: max error {got} after {steps} steps, the "
                f"construction's {built} with the same N = {N}; both are exact up to rounding."
            )
            color = COLOR_TRUE
        elif f.trained is Trained.CLOSE:
            text = (
                f"Training came within 1 % of the construction here: max error {got} after "
                f"{steps} steps against {built} with the same N = {N}. The theorem itself "
                "promises nothing about training."
            )
            color = COLOR_INFO
        else:
            than = "as well as" if got == built else "better than"  # ahead: never worse
            text = (
                f"Training did {than} the construction here: max error {got} after {steps} "
                f"steps against {built} (least squares minimises the mean square, not the max). "
                "The theorem itself promises nothing about training."
            )
            color = COLOR_INFO
    if f.kind is Kind.LINE:
        best = _shown("best_line_error", n["best_line_error"])
        text += f" Linear units never beat the best straight line ({best}), trained or built."
    elif f.kind is Kind.STALLS:
        slope = show(f.slope, ".2f")
        text += (
            f" The construction's max error is not falling as N grows (measured slope "
            f"{slope}): the theorem needs a continuous target, so look for a jump or a spike "
            "in the formula."
        )
    elif f.kind is Kind.JUMP:
        bound = _shown("half_jump", f.half_jump)
        text += f" Neither gets below half the jump ({bound}) in the max norm, at any N"
        text += ", which the best straight line already reaches." if f.line_at_bound else "."
    return text, color


def _slope_note(r: Approximation) -> str:
    if r.numbers["slope"] == "undefined":
        return " (the fits are exact: nothing to fit)"
    if r.finding.kind is Kind.JUMP:
        bound = _shown("half_jump", r.finding.half_jump)
        return f" (not a rate of convergence: no N gets the max error below {bound})"
    if r.finding.kind is Kind.LINE:
        return " (not a rate of convergence: linear units only ever make a line)"
    return ""


def _method_text(r: Approximation) -> str:
    if r.method == "training":
        return (
            f"Training (seed {r.seed}): starts from the random method's kinks/centres with "
            f"slopes N(0, 1) on x/a and output weights 0; every weight trained by full-batch "
            f"gradient descent on the mean squared error at {TRAIN_POINTS} evenly spaced points, "
            "lr = 1/λ_max of the output layer's Hessian at the start. Errors are measured on the "
            "construction's grid; the table and slope are the construction's."
        )
    if r.method == "constructive":
        if r.activation == "linear":
            first = (
                "units x − c at c = −a + k·h, h = 2a/N, where ReLU kinks would go (linear: no "
                "kinks, so their sum is one line)"
            )
        elif r.activation == "relu":
            first = "kinks at −a + k·h, h = 2a/N (the one at −a gives the linear term)"
        else:
            first = f"steps centred in each cell of width h = 2a/N, slope {STEEPNESS:g}/h"
        return f"Constructive: {first}; output layer by least squares."
    return (
        f"Random features (seed {r.seed}): centres uniform on the interval, slopes "
        f"N(0, ({STEEPNESS:g}/h)²), h = 2a/N; output layer by least squares."
    )


def approximate_card(
    target: str = "sin",
    units: int = 16,
    activation: str = "relu",
    method: str = "constructive",
    interval: str = "pi",
    seed: int = 0,
    custom: str | None = None,
    figure: bool = True,
) -> Card:
    r = approximate(target, units, activation, method, interval, seed, custom, curves=figure)
    label = LABEL.get(target, f"f(x) = {custom}")
    verdict, color = _training_verdict(r) if method == "training" else _verdict(r, label)
    n = r.numbers
    ladder = "\n".join(  # each value is 8 characters wide: the rows line up with N
        [
            "N    " + " ".join(f"{k:>8}" for k in LADDER),
            "max  " + _shown("ladder_max", n["ladder_max"]),
            "rms  " + _shown("ladder_rms", n["ladder_rms"]),
        ]
    )
    fields = [
        Field(
            f"N = {units} {UNIT_TEXT[activation]} unit{'s' * (units != 1)} on "
            f"{INTERVAL_TEXT[interval]}",
            f"max |error| = {_shown('max_error', n['max_error'])}\n"
            f"root mean square = {_shown('rms_error', n['rms_error'])}",
            inline=True,
        ),
        Field(
            "Best straight line (max norm, Chebyshev)",
            f"max |error| = {_shown('best_line_error', n['best_line_error'])}\n"
            "in general not the least-squares line",
            inline=True,
        ),
        Field("Error against N", f"```\n{ladder}\n```"),
        Field(
            f"Fitted slope of log(max error) against log N (N ≥ {SLOPE_FROM})",
            _shown("slope", n["slope"]) + _slope_note(r),
        ),
        Field("How the network is built", _method_text(r)),
        Field("What the theorem promises, and what not", THEOREM + HOW_HERE[method == "training"]),
    ]
    if method == "training":
        fields[0] = Field(f"Constructed: {fields[0].name}", fields[0].value, inline=True)
        trained = (
            f"max |error| = {_shown('trained_max_error', n['trained_max_error'])}\n"
            f"root mean square = {_shown('trained_rms_error', n['trained_rms_error'])}\n"
            f"{n['train_steps']} steps, lr {_shown('train_lr', n['train_lr'])}"
        )
        fields.insert(1, Field(f"Trained: the same N = {units}", trained, inline=True))
    if custom:
        fields.insert(0, formula_field(f"f(x) = {custom}"))
    kwargs = dict(target=target, formula=r.tree, act=activation, a=r.a, units=units)
    kernel = training_numbers if method == "training" else approximation_numbers
    kwargs |= {"seed": seed} if method == "training" else {"method": method, "seed": seed}
    title = f"Approximate {label} with {units} {UNIT_TEXT[activation]} unit{'s' * (units > 1)}"
    command = f"/approximate target:{target} units:{units} activation:{activation}"
    command += f" method:{method} interval:{interval}"
    command += f" seed:{seed}" if method in ("random", "training") else ""
    command += f" custom:{custom}" if custom else ""
    return Card(
        title=title[:256],
        verdict=verdict,
        fields=tuple(fields),
        image=picture(
            "approximate.png", lambda: approximate_figure(r, _figure_title(r, label)), figure
        ),
        code=script(kernel, title=command, specs=SPECS, **kwargs),
        numbers=tuple(lines(n, SPECS)),
        footer=f"errors on {GRID_POINTS} evenly spaced points of {INTERVAL_TEXT[interval]} "
        + ("(plus both sides of each jump) " if jumps_of(target, INTERVALS[interval]) else "")
        + "· slope fitted over N ≥ 8 on log-log axes",
        color=color,
        seed=seed if method in ("random", "training") else None,
        command=command,
    )


def _figure_title(r: Approximation, label: str) -> str:
    short = label if len(label) <= 28 else label[:27] + "…"
    units = f"{r.units} {UNIT_TEXT[r.activation]} unit{'s' * (r.units > 1)}"
    return f"{short}: {units}, {r.method}"
