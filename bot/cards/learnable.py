"""Card for /learnable: learn the activation, or keep it fixed? Many seeds decide."""

from __future__ import annotations

from bot.cards import COLOR_FALSE, COLOR_TRUE, Card, Field, formula_field, picture
from bot.lab import learnable_compare as lab
from bot.lab.expr import parse
from bot.script import lines, script, show

TITLE = "Should we learn the activation?"
FROZEN = {
    "prelu": "leaky ReLU with slope ¼",
    "swish": "SiLU (β = 1)",
    "sine_phase": "sin",
    "fourier": "sin (a₁ = 1)",
    "rational": "the identity",
    "kan": "every knot 0: each edge linear (W1·x in, W2·z out), so the whole network is linear",
}
CANNOT = {  # why the frozen twin cannot solve XOR (lab.frozen_cannot)
    "linear": "the network is linear",
    "monotone": "one monotone unit draws a single line",
}
REFS = {
    "prelu": "He et al. 2015",
    "swish": "Ramachandran, Zoph & Le 2017",
    "sine_phase": "Sitzmann et al. 2020 (SIREN)",
    "fourier": "Tancik et al. 2020; Liu et al. 2024 (KAN)",
    "rational": "Molina et al. 2019 (PAU)",
    "kan": "Liu et al. 2024 (KAN)",
}


def _specs(values: dict) -> dict[str, str]:
    return {
        k: ".3f" if k.endswith((" rate", " se")) else ".3g"
        for k, v in values.items()
        if isinstance(v, float)  # NumPy's float64 included
    }


def _verdict(c: lab.Comparison) -> str:
    v, outcome = c.values, c.verdict.outcome
    if outcome == "diverged":
        return (
            f"Every run diverged, learned and frozen ({c.seeds} of {c.seeds} each): there is "
            "nothing to compare at this learning rate; try a smaller lr."
        )
    if outcome in ("learned diverged", "frozen diverged"):
        side, other = outcome.split()[0], "frozen" if outcome.startswith("learned") else "learned"
        finite = c.seeds - v[f"{other} diverged"]  # the other side's runs that stayed finite
        text = (
            f"Every {side} run diverged ({c.seeds} of {c.seeds}; {other}: "
            f"{v[f'{other} diverged']} of {c.seeds}), so there is nothing to compare at lr "
            f"{show(c.lr)}"
        )
        if side == "frozen" and finite == c.seeds:
            return text + ": only the learned shape trains at all here."
        if side == "frozen":
            return (
                text
                + f": the learned shape kept {finite} of {c.seeds} runs finite. Try a smaller lr."
            )
        return text + ". Try a smaller lr."
    if outcome == "neither":
        return _neither(c)
    if outcome == "absorbed":
        text = (
            "The phase is a bias in disguise: ∂L/∂φ = ∂L/∂b1, so a learnable phase trains exactly "
            f"like a plain sine with the hidden-bias step doubled ({_phase_gap(c)}): learning it "
            "adds no capacity, only a doubled bias step, which here "
            + (
                f"solved XOR in {show(100 * v['learned rate'], '.1f')} % of seeds against plain "
                f"sine's {show(100 * v['frozen rate'], '.1f')} %."
                if c.task == "xor"
                else f"ended at a median MSE of {show(v['learned median mse'], '.3g')} against plain "
                f"sine's {show(v['frozen median mse'], '.3g')}."
            )
        )
    elif c.task == "xor" and c.verdict.frozen_cannot:
        text = (
            f"Learned {c.kind} solved XOR in {show(100 * v['learned rate'], '.1f')} % of "
            f"{c.seeds} seeds, frozen in {show(100 * v['frozen rate'], '.1f')} %, as theory says "
            f"it must: frozen, {CANNOT[c.verdict.frozen_cannot]}, and one line classifies at "
            "most 3 of XOR's 4 points. "
            + {
                "helps": "Learning the shape is what makes XOR solvable here.",
                "hurts": "Learning the shape did not help within this budget either.",
                "same": "Learning the shape could, but did not beyond 2 SE within this budget.",
            }[outcome]
        )
    elif c.task == "xor":
        text = (
            f"Learned {c.kind} solved XOR in {show(100 * v['learned rate'], '.1f')} % of "
            f"{c.seeds} seeds, frozen in {show(100 * v['frozen rate'], '.1f')} %: "
            + {
                "helps": "learning the shape helps here.",
                "hurts": "learning the shape hurts here.",
                "same": (
                    "both solved every seed, so this budget leaves learning the shape nothing "
                    "to add."
                    if v["learned solved"] == v["frozen solved"] == c.seeds
                    else "no difference beyond 2 SE."
                ),
            }[outcome]
        )
    else:
        text = (
            f"Learned {c.kind} ended with a lower MSE than frozen in {v['learned better']} of "
            f"{c.seeds} seeds (median over the finite runs {show(v['learned median mse'], '.3g')} "
            f"vs {show(v['frozen median mse'], '.3g')}): "
            + {
                "helps": "learning the shape helps here.",
                "hurts": "learning the shape hurts here.",
                "same": "no clear difference (sign test, 2 SD).",
                "mixed": (
                    "mixed — learned is lower in more seeds, but its median error is higher, so "
                    "learning the shape doesn't clearly help."
                    if v["learned better"] > v["frozen better"]
                    else "mixed — frozen is lower in more seeds, but learned's median error is "
                    "lower, so learning the shape doesn't clearly hurt."
                ),
            }[outcome]
        )
    if c.kind == "kan" and outcome != "diverged":
        text += (
            " Every edge learns its own function: W1·x + g(x) on each input → hidden edge, "
            "W2·(z + g(z)) on each hidden → output edge, g piecewise linear on 7 knots: "
            f"{v['theta']} knot values on top of {v['weights']} weights (all knots 0: a "
            "linear network)."
        )
        if c.task == "xor":
            text += (
                " XOR's inputs are only 0 and 1, so an input edge's function is only ever "
                "read at its two end knots: there it is one more weight and bias."
            )
    if c.verdict.destabilised:
        text += (
            f" But it destabilised training: {v['learned diverged']} "
            f"run{'s' * (v['learned diverged'] != 1)} diverged "
            f"(frozen: {v['frozen diverged']})."
        )
    return text


def _phase_gap(c: lab.Comparison) -> str:
    """The phase identity's measured gap, and when it is beyond rounding, why."""
    gap = show(c.values["phase vs doubled bias max diff"], ".3g")
    if not lab.phase_amplified(c.values):
        return f"max difference {gap}"
    return (
        f"in exact arithmetic; the two round differently, and at lr {show(c.lr)} training "
        f"amplifies that to a max output difference of {gap}, as it would a 1e-15 nudge to the start"
    )


def _neither(c: lab.Comparison) -> str:
    """Neither side learned the regression: most runs diverged, or the finite ones ended no
    better than predicting the target's mean."""
    v, lr = c.values, show(c.lr)
    constant = show(v["best constant mse"], ".3g")
    medians = (
        f"median final MSE of the finite runs {show(v['learned median mse'], '.3g')} learned, "
        f"{show(v['frozen median mse'], '.3g')} frozen"
    )
    if 2 * v["learned diverged"] > c.seeds and 2 * v["frozen diverged"] > c.seeds:
        text = (
            f"Most runs diverged on both sides at lr {lr} ({v['learned diverged']} learned, "
            f"{v['frozen diverged']} frozen, of {c.seeds}), so there is little to compare"
        )
        if lab.no_better_than_constant(v):
            text += f"; the rest ended no better than predicting the mean ({medians}; the mean: {constant})"
    else:
        text = (
            f"Neither side learned the target at lr {lr}: {medians}, no better than predicting "
            f"the mean ({constant})"
        )
        if lab.fell_from_start(v):  # descending, not bouncing: a smaller lr would be slower
            start = show(v["median start mse"], ".3g")
            return (
                text + f", though both fell from a median of {start} at the start: the target "
                "is small next to the untrained network's error. Try more epochs, or scale the "
                "target up."
            )
    return text + ". Try a smaller lr."


def learnable_card(
    kind: str = "prelu",
    task: str | None = None,
    hidden: int = 2,
    seeds: int = 200,
    epochs: int = 1000,
    lr: float | None = None,
    init: str = "normal",
    figure: bool = True,
    seed: int = 0,
    custom: str | None = None,
) -> Card:
    if task is None:  # not given: XOR, or the formula's regression when one is given
        task = "custom" if custom else "xor"
    lr = lab.DEFAULT_LR.get(task, 1.0) if lr is None else lr  # an unknown task is refused next
    c = lab.learnable_comparison(kind, task, hidden, seeds, epochs, lr, init, seed, custom)
    on = f"f(x) = {custom}" if task == "custom" else task
    v, specs = c.values, _specs(c.values)
    if task == "xor":
        result = "\n".join(
            f"{n}: {v[f'{n} solved']}/{seeds} = {show(v[f'{n} rate'], '.3f')} ± "
            f"{show(v[f'{n} se'], '.3f')} · diverged {v[f'{n} diverged']}"
            for n in ("learned", "frozen")
        )
    else:
        result = "\n".join(
            f"{n}: all {seeds} diverged"
            if v[f"{n} diverged"] == seeds
            else f"{n}: median MSE of the finite runs {show(v[f'{n} median mse'], '.3g')} · "
            f"diverged {v[f'{n} diverged']}"
            for n in ("learned", "frozen")
        )
        if c.verdict.outcome not in ("diverged", "learned diverged", "frozen diverged"):
            both = v["both diverged"]
            tied = seeds - v["learned better"] - v["frozen better"] - both
            result += (
                f"\nlower final MSE (a diverged run loses): learned in {v['learned better']}, "
                f"frozen in {v['frozen better']}"
                + (f", equal to 6 digits in {tied}" if tied else "")
                + (f", both diverged in {both}" if both else "")
                + f" of {seeds} seeds"
            )
    theta = f"activation θ {v['theta']}"
    if kind == "kan":
        theta = (
            f"edge knots {v['theta']}: {v['input edge knots']} on the input edges, "
            f"{v['hidden edge knots']} on the hidden ones"
        )
    fields = [
        Field("Learned vs frozen (same init, seeds, budget)", result),
        Field(
            "Parameters",
            f"weights {v['weights']} · {theta} "
            f"(learned: {v['weights'] + v['theta']}, frozen: {v['weights']})",
        ),
        Field("Frozen counterpart", f"{kind} frozen at its initial θ = {FROZEN[kind]}"),
    ]
    if task == "custom":  # New seed and Show code read the formula back from this field
        fields.insert(0, formula_field(f"f(x) = {custom}"))
    if "phase vs doubled bias max diff" in v:
        fields.append(
            Field(
                "Phase identity",
                "learnable phase vs plain sine with the bias step doubled: max output difference "
                f"{show(v['phase vs doubled bias max diff'], '.3g')}"
                + (
                    f", rounding amplified by training at lr {show(c.lr)}"
                    if lab.phase_amplified(v)
                    else ""
                ),
            )
        )
    loss = "BCE" if task == "xor" else "MSE"
    return Card(
        title=f"{TITLE} {kind} on {on}",
        verdict=_verdict(c),
        fields=tuple(fields),
        image=picture("learnable.png", lambda: _figure(c), figure),
        code=script(
            lab.learnable_numbers,
            title=f"{TITLE} {kind} on {on}",
            specs=specs,
            kind=kind,
            task=task,
            hidden=hidden,
            seeds=seeds,
            epochs=epochs,
            lr=lr,
            init=init,
            seed=seed,
            formula=parse(custom).tree if task == "custom" else None,
        ),
        numbers=tuple(lines(v, specs)),
        footer=(
            f"seeds {seed}–{seed + seeds - 1} · {hidden} hidden unit{'s' * (hidden != 1)} · "
            f"init {init} · lr {show(lr)} "
            f"(θ too) · {epochs} epoch{'s' * (epochs != 1)} · loss {loss} · {REFS[kind]}"
        ),
        color=COLOR_FALSE if c.verdict.destabilised else COLOR_TRUE,
        command=(
            f"/learnable kind:{kind} task:{task} hidden:{hidden} seeds:{seeds} "
            f"epochs:{epochs} lr:{show(lr)} init:{init} seed:{seed}"
            + (f" custom:{custom}" if task == "custom" else "")
        ),
        seed=seed,
    )


def _figure(c: lab.Comparison) -> bytes:
    from bot.figures.learnable import learnable_figure

    return learnable_figure(c)
