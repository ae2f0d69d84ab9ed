"""Card for /collapse: many layers, one matrix (or not, with a nonlinearity between).

The numbers are `collapse_numbers`'s dict, printed by `show`; Show code runs that same
kernel. The verdict is decided in the lab (`Verdict`) and only worded here.
"""

from __future__ import annotations

import numpy as np

from bot.cards import COLOR_TRUE, Card, Field, code_block, fit_fields, picture
from bot.figures.collapse import collapse_figure
from bot.lab.collapse import (
    AFFINE_TOL,
    N_FIT,
    N_TEST,
    SMALL_SCALE,
    UNDEFINED,
    Collapse,
    Kind,
    Small,
    collapse,
    collapse_numbers,
)
from bot.script import lines, script, show

BETWEEN_TEXT = {
    "none": "nothing",
    "squash": "a linear squash x/1000",
    "tanh": "tanh",
    "relu": "ReLU",
}
SPECS = {
    "max_abs_diff": ".3e",
    "max_output": ".3e",
    "relative": ".3e",
    "residual": ".3g",
    "variance_missed": ".3g",
    "residual_small": ".3g",
    "variance_missed_small": ".3g",
    "spread": ".3g",
    "spread_small": ".3g",
    "condition": ".2e",
}


def _s(values: dict, key: str) -> str:
    return show(values[key], SPECS.get(key, ""))


def _matrix_text(M: np.ndarray) -> str:
    return "\n".join(" ".join(f"{show(v, '.6g'):>12}" for v in row) for row in M)


def _exact(c: Collapse, kind: str) -> tuple[str, str, Field]:
    v = c.values
    rel = _s(v, "relative")
    if c.verdict.kind is Kind.ONE_LAYER:
        verdict = (
            f"One {kind} layer has nothing between it and anything else, so {BETWEEN_TEXT[c.between]} "
            "never applies: it is exactly one affine map."
        )
        body = "A nonlinearity only acts between layers; stack at least 2 to see what it does."
    elif c.layers == 1:
        verdict = (
            f"One {kind} layer is one matrix already: applied as a layer or as its matrix "
            f"[[W, b], [0, 1]] it agrees to {rel} of the largest output. Stack at least 2 to "
            "see layers collapse."
        )
        body = (
            "Each layer x ↦ Wx + b is the matrix [[W, b], [0, 1]] on [x; 1]; multiply several "
            "and you have one layer. Depth without a nonlinearity adds nothing."
        )
    else:
        verdict = (
            f"{c.layers} {kind} layers with {BETWEEN_TEXT[c.between]} between them are exactly "
            f"one matrix: layer by layer and all at once agree to {rel} of the largest output, "
            "pure rounding."
        )
        body = (
            "Each layer x ↦ Wx + b is the matrix [[W, b], [0, 1]] on [x; 1]; multiply them and "
            "you have one layer. Depth without a nonlinearity adds nothing"
            + (", and the narrowest layer caps the rank." if c.bottleneck else ".")
        )
    field = Field(
        f"Layer by layer vs one matrix ({N_TEST} held-out inputs)",
        f"max |diff| = {_s(v, 'max_abs_diff')}, max |output| = {_s(v, 'max_output')}\n"
        f"relative: {rel}",
    )
    return verdict, body, field


def _residual_text(v: dict, key: str, var: str, spread: str) -> str:
    if v[key] == UNDEFINED:
        return f"{UNDEFINED}: spread ‖Y − Ȳ‖/‖Y‖ = {_s(v, spread)}"
    return f"{_s(v, key)} of the spread (RMS); {_s(v, var)} of the variance"


def _nonlinear(c: Collapse) -> tuple[str, str, Field]:
    v, d = c.values, c.verdict
    name = BETWEEN_TEXT[c.between]
    if d.kind is Kind.CONSTANT:
        if d.dead_layer:
            verdict = (
                f"With {name} between the layers this stack still outputs a constant for every "
                f"input, and a constant is an affine map (x ↦ c): every ReLU of layer "
                f"{d.dead_layer} is off for every input (weights and bias ≤ 0 after a ReLU), so "
                "everything after it sees 0."
            )
        else:
            varies = (
                "gives exactly the same float64 output"
                if v["spread"] == 0
                else f"varies by only {_s(v, 'spread')} of its size (float64 rounding level)"
            )
            verdict = (
                f"With {name} between the layers this stack {varies} on all {N_TEST} held-out "
                "inputs: numerically a constant, and a constant is an affine map (x ↦ c)."
                + (
                    " (Each tanh layer of width 1 is one-to-one, so in exact arithmetic it still "
                    "varies: the layers squeeze that below float64's resolution.)"
                    if c.between == "tanh" and c.width == 1
                    else ""
                )
            )
    elif d.kind is Kind.AFFINE_HERE and c.between == "relu":
        verdict = (
            f"With {name} between the layers these inputs never make a ReLU change side: the "
            f"best affine fit leaves {_s(v, 'residual')} of the spread (below {AFFINE_TOL:g}), so "
            "the stack is exactly affine there, though not everywhere."
        )
    elif d.kind is Kind.AFFINE_HERE:
        verdict = (
            f"With {name} between the layers the best affine fit leaves only "
            f"{_s(v, 'residual')} of the spread (below {AFFINE_TOL:g}): affine to within that "
            "on these inputs, though tanh is never exactly linear."
        )
    else:
        verdict = (
            f"With {name} between the layers there is no single matrix: the best affine fit "
            f"still misses {_s(v, 'residual')} of the output's spread (RMS), "
            f"{_s(v, 'variance_missed')} of its variance."
        )
    small = f"For tiny inputs (×{SMALL_SCALE:g})"
    if d.small is Small.CONSTANT:
        body = (
            f"{small} the output is constant too (spread {_s(v, 'spread_small')})."
            if d.kind is Kind.CONSTANT
            else f"{small} the output is numerically constant (spread {_s(v, 'spread_small')} "
            "of its size), so the affine fit's residual is undefined there."
        )
    elif d.small is Small.EXACT and c.between == "relu":
        body = (
            f"{small} the miss is {_s(v, 'residual_small')}: every ReLU stays on the side its bias "
            "puts it, so the network is exactly affine there; it bends only where inputs cross "
            "a kink."
        )
    elif d.small is Small.EXACT:
        body = (
            f"{small} the miss is {_s(v, 'residual_small')}: affine to within that, as tanh is "
            "nearly linear near 0 (though never exactly)."
        )
    elif d.small is Small.HOMOGENEOUS:
        body = (
            f"{small} the miss is {_s(v, 'residual_small')}, the same: without biases every kink "
            "passes through 0 and the network is positively homogeneous, f(αx) = α·f(x) for "
            "α > 0, so no scale makes it linear."
        )
    elif d.small is Small.SHRINKS and c.between == "tanh":
        body = (
            f"{small} the miss is {_s(v, 'residual_small')}: near 0, tanh(z) ≈ z − z³/3 is almost "
            "linear, so the nonlinearity only pays off where inputs are large enough to bend it."
        )
    elif d.small is Small.SHRINKS:
        body = f"{small} the miss shrinks to {_s(v, 'residual_small')}: fewer inputs cross a kink."
    else:
        body = f"{small} the miss is {_s(v, 'residual_small')}: shrinking them does not help."
    field = Field(
        f"Best single affine map (least squares on {N_FIT}, scored on {N_TEST} held-out inputs)",
        "‖Y − Ŷ‖/‖Y − Ȳ‖ = "
        + _residual_text(v, "residual", "variance_missed", "spread")
        + f"\nwith inputs ×{SMALL_SCALE:g}: "
        + _residual_text(v, "residual_small", "variance_missed_small", "spread_small"),
    )
    return verdict, body, field


def _footer(c: Collapse) -> str:
    if c.bottleneck and c.bottleneck != c.width:
        init = (
            f"weights N(0, 1/fan-in): 1/{c.width}, and 1/{c.bottleneck} for the layer after the "
            "bottleneck"
        )
    else:
        init = f"weights N(0, 1/{c.width})"
    bias = "biases N(0, 0.1²)" if c.bias else "no biases"
    return f"seed {c.seed} · {init}, {bias} · {N_FIT} fit / {N_TEST} held-out inputs N(0, 1)"


def collapse_card(
    layers: int = 3,
    width: int = 4,
    bottleneck: int | None = None,
    bias: bool = True,
    between: str = "none",
    seed: int = 0,
    figure: bool = True,
) -> Card:
    c = collapse(layers, width, bottleneck, bias, between, seed)
    v = c.values
    kind = "affine" if bias else "linear"
    shape = " → ".join(str(s[1]) for s in c.shapes) + f" → {c.shapes[-1][0]}"
    verdict, body, result = _exact(c, kind) if c.exact else _nonlinear(c)
    cond = v["condition"]
    rank_text = (
        f"{_s(v, 'rank')}"
        + (f" (≤ bottleneck {bottleneck})" if bottleneck else "")
        + (
            " exactly: every factor has full rank, so the narrowest width sets it"
            if v["rank"] == min(min(s) for s in c.shapes)
            else " exactly (integer arithmetic)"
        )
        + f"\nσ_max/σ_min on its range: {_s(v, 'condition')}"
        + (", beyond what float64 resolves" if isinstance(cond, str) else "")
        + f"\na float SVD of the product says rank {_s(v, 'svd_rank')}"
        + ("" if v["svd_rank"] == v["rank"] else ": rounding hides the smallest directions")
    )
    fields, files = fit_fields(
        [
            Field(
                "Layers", f"{layers} {kind} layer{'s' * (layers > 1)}, widths {shape}", inline=False
            ),
            result,
            Field("Rank of the collapsed linear part", rank_text),
            Field(
                "Collapsed matrix [[W, b], [0, 1]]"
                if c.exact
                else "Product of the layer matrices (ignores the nonlinearity, so not the network)",
                code_block(_matrix_text(c.product)),
            ),
        ],
        "collapse-matrices.txt",
    )
    title = f"Collapse: {layers} layer{'s' if layers > 1 else ''}, {BETWEEN_TEXT[between]} between"
    options = dict(
        layers=layers, width=width, bottleneck=bottleneck, bias=bias, between=between, seed=seed
    )
    return Card(
        title=title,
        verdict=verdict,
        body=body,
        fields=fields,
        files=files,
        image=picture("collapse.png", lambda: collapse_figure(c), figure),
        code=script(collapse_numbers, title=title, specs=SPECS, **options),
        numbers=tuple(lines(v, SPECS)),
        footer=_footer(c),
        color=COLOR_TRUE,
        seed=seed,
        command=f"/collapse layers:{layers} width:{width}"
        + (f" bottleneck:{bottleneck}" if bottleneck else "")
        + f" bias:{bias} between:{between} seed:{seed}",
    )
