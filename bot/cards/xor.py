"""Cards for /xor: linear, squash, neuron and mlp.

The lab decides (bot.lab.verdicts, bot.lab.decision); these functions only word it.
Every number comes from the lab kernel whose source the Show-code script carries.
"""

from __future__ import annotations

import math

from bot.cards import (
    COLOR_FALSE,
    COLOR_TRUE,
    Card,
    Field,
    code_block,
    converging_lr_text,
    fit_fields,
    picture,
)
from bot.errors import UserError
from bot.figures import xor as fig
from bot.lab import check_seed
from bot.lab import xor as lab
from bot.lab.activations import Activation, lookup
from bot.lab.decision import DecisionSet, Shape
from bot.lab.mlp import mlp_numbers, train_mlp
from bot.lab.neuron import neuron_limit, neuron_numbers, train_neuron
from bot.lab.squash import SQUASH_EPOCHS, SQUASH_LR, SQUASH_W3, squash, squash_numbers
from bot.lab.verdicts import LR_LOW, Advice, Dead, Limit, Outcome, Reach, Verdict
from bot.options import LR
from bot.script import lines, script, show

PROOF_REF = "Minsky & Papert 1969, Perceptrons"
CORNERS = ("(0,0)", "(0,1)", "(1,0)", "(1,1)")


def _activation(name: str) -> Activation:
    act = lookup(name)
    if act is None:
        raise UserError(f"unknown activation {name[:40]!r}; see /activation for the list.")
    return act


def accuracy(right: int, undecided: int) -> str:
    """'3/4 right' or '2/4 right, 2 undecided' (an output within 1e-9 of ½ is undecided)."""
    return f"{right}/4 right" + (f", {undecided} undecided" if undecided else "")


def set_text(s: DecisionSet) -> str:
    """S = {u : f(u) > ½} in words: 'u > 0.549306', '−0.83 < u < 0.83', …"""
    if s.shape is Shape.EMPTY:
        return "no u at all"
    if s.shape is Shape.ALL:
        return "every u"
    parts = []
    for lo, hi in s.intervals:
        if math.isinf(lo) and math.isinf(hi):
            parts.append("every u")
        elif math.isinf(lo):
            parts.append(f"u < {show(hi)}")
        elif math.isinf(hi):
            parts.append(f"u > {show(lo)}")
        else:
            parts.append(f"{show(lo)} < u < {show(hi)}")
    text = " or ".join(parts)
    return text + (f", repeating every {show(s.period)}" if s.period else "")


def _diverged(v: Verdict) -> str:
    return (
        f"Training diverged at epoch {show(v.diverged_at)} (lr {show(v.lr)}): there is no "
        f"result to report. {converging_lr_text(v.converging_lr)}."
    )


ADVICE = {
    Advice.MORE_EPOCHS: "the loss was still falling at the last epoch: try more epochs",
    Advice.LARGER_LR: f"lr is in the bottom decade of its range (at most {LR_LOW:g}; "
    f"the range is {LR.low:g} to {LR.high:g}), so each step is small: try a larger lr",
    Advice.ANOTHER_SEED: "it is stuck on a plateau (tiny gradient): try another seed",
    Advice.SEED_OR_UNITS: "it is stuck on a plateau (tiny gradient): try another seed "
    "or more hidden units",
    Advice.SMALLER_LR: "the loss bounces instead of falling: try a smaller lr",
    Advice.STEPS_JUMP: "the loss is flat but the gradient is not small, so the steps jump "
    "across: try a smaller lr",
}


def linear_card(figure: bool = True) -> Card:
    v = lab.linear_numbers()
    cert = lab.certificate()
    proof = "\n".join(
        f"{c}→{int(y)}: {ineq}"
        for c, y, ineq in zip(CORNERS, lab.Y, cert.inequalities, strict=True)
    )
    proof += "\nadd the two '>' lines: w1 + w2 + 2b > 0\nadd the two '<' lines: w1 + w2 + 2b < 0"
    at_half = f"at threshold ½: {v['right']} right, {v['wrong']} wrong, {v['undecided']} undecided"
    fields = [
        Field(
            "Least-squares fit",
            f"w1 = {show(v['w1'])}, w2 = {show(v['w2'])}, b = {show(v['b'])}\n"
            f"predictions: {show(v['predictions'])}\nMSE = {show(v['mse'])}\n{at_half}",
        ),
        Field("Best any line can classify", f"{show(v['best_line_correct'])}/4 points"),
        Field("Proof: the four inequalities contradict", code_block(proof)),
    ]
    tie = "every corner sits exactly on the threshold" if v["undecided"] == 4 else at_half
    return Card(
        title="XOR vs one line: y = w1·x1 + w2·x2 + b",
        verdict=f"No line separates XOR: least squares predicts {show(v['b'])} everywhere "
        f"(MSE {show(v['mse'])}), so {tie}: {accuracy(v['right'], v['undecided'])}. The best "
        f"any line classifies is {show(v['best_line_correct'])} of 4.",
        body="Sum the inequalities a correct line would need and you get 0 > 0, "
        f"so no choice of w1, w2, b works. {cert.conclusion}.",
        fields=tuple(fields),
        image=picture("xor-linear.png", lambda: fig.linear_figure((1.0, 1.0, -0.5)), figure),
        code=script(lab.linear_numbers, title="/xor linear"),
        numbers=tuple(lines(v)),
        footer=f"Deterministic, no seed · {PROOF_REF}",
        color=COLOR_TRUE,
        command="/xor linear",
    )


def squash_card(seed: int = 0, figure: bool = True) -> Card:
    check_seed(seed)  # a raw interaction or a forged button can carry any integer
    sq = squash(seed) if figure else None  # one run of the kernel serves card and figure
    v = sq.values if sq else squash_numbers(seed)
    tanh_s, sig_s = (neuron_limit(_activation(n))[0] for n in ("tanh", "sigmoid"))
    fields = [
        Field(
            "Linear squash y' = w3·y (least squares)",
            "\n".join(f"w3 = {show(w3)}: MSE {show(v[f'mse_w3={w3:g}'])}" for w3 in SQUASH_W3)
            + f"\nbest threshold: {show(v['best_line_correct'])}/4 for every w3 ≠ 0"
            "\nw3·(w·x + b) is still a line: the same fit, rescaled.",
        ),
        Field(
            "Monotone squash, trained (MSE, gradient descent)",
            "\n".join(
                f"{n}(w·x + b): {accuracy(v[f'{n}_right'], v[f'{n}_undecided'])}, "
                f"loss {show(v[f'{n}_loss'])}; S = {{u : {n}(u) > ½}}: {set_text(s)}"
                for n, s in (("tanh", tanh_s), ("sigmoid", sig_s))
            )
            + "\nA half-line S is one line in the plane: impossible at any seed.",
        ),
        Field(
            "Non-monotone: sin(π/2·(x1 + x2))",
            f"outputs {show(v['sine_outputs'])}\n{show(v['sine_right'])}/4 right; "
            f"max error {show(v['sine_max_error'])} (rounding of π)",
        ),
    ]
    return Card(
        title="Does squashing one line help with XOR?",
        verdict="No: a linear squash is still a line, and a monotone squash (tanh, sigmoid) "
        "keeps {u : f(u) > ½} a half-line, one cut of the plane: impossible at any seed. "
        f"A sine unit gets {show(v['sine_right'])}/4: the point is monotonicity.",
        fields=tuple(fields),
        image=picture("xor-squash.png", lambda: fig.squash_figure(sq), figure),
        code=script(squash_numbers, title=f"/xor squash seed:{seed}", seed=seed),
        numbers=tuple(lines(v)),
        footer=f"seed {seed} · {SQUASH_EPOCHS} epochs, lr {show(SQUASH_LR)} · {PROOF_REF}",
        color=COLOR_TRUE,
        seed=seed,
        command=f"/xor squash seed:{seed}",
    )


def neuron_verdict(act: Activation, v: Verdict, s: DecisionSet) -> tuple[str, int]:
    """The one-line verdict and colour for a single unit."""
    where = f"S = {{u : f(u) > ½}} is {set_text(s)}"
    if v.outcome is Outcome.DIVERGED:
        extra = f" Whatever lr: one {act.label} unit cannot solve XOR ({where})." if v.limit else ""
        return _diverged(v) + extra, COLOR_FALSE
    got = accuracy(v.right, v.undecided)
    if v.limit is Limit.HALF_LINE:
        run = (
            f"f' = 0 almost everywhere, so the weights never moved: untrained, it gets {got}"
            if v.frozen
            else f"this run: {got}"
        )
        return (
            f"Impossible for this f at any seed: {where}, a half-line, so one {act.label} "
            f"unit is still one line on XOR; {run}.",
            COLOR_TRUE,
        )
    if v.outcome is Outcome.SOLVED:
        return (
            f"A single {act.label} unit solved XOR: 4/4 right. {where}, not a half-line.",
            COLOR_TRUE,
        )
    return (
        f"This {act.label} unit got {got}. One {act.label} unit can solve XOR ({where}), "
        f"but not from this run: {ADVICE[v.advice]}.",
        COLOR_FALSE,
    )


def neuron_card(
    activation: str = "tanh",
    seed: int = 0,
    epochs: int = 2000,
    lr: float = 1.0,
    figure: bool = True,
) -> Card:
    act = _activation(activation)
    run = train_neuron(act, seed, epochs, lr)
    values = dict(run.values)
    verdict, color = neuron_verdict(act, run.verdict, run.decision)
    if run.verdict.outcome is Outcome.DIVERGED:
        fields: tuple[Field, ...] = ()
    else:
        state = "Untrained weights (f' = 0: they never move)" if act.saturates == "flat" else ""
        fields = (
            Field(
                state or "Trained weights",
                f"w1 = {show(values['w1'])}, w2 = {show(values['w2'])}, b = {show(values['b'])}",
            ),
            Field(
                "Outputs at (0,0) (0,1) (1,0) (1,1)",
                f"a: {show(values['outputs'])}\nlabels: 0 1 1 0",
            ),
            Field(
                "Result",
                f"{values['right']} right, {values['wrong']} wrong, {values['undecided']} "
                f"undecided (threshold ½) · MSE {show(values['loss'])} · final gradient norm "
                f"{show(values['grad_norm'])}",
            ),
        )
    return Card(
        title=f"One {act.label} unit on XOR",
        verdict=verdict,
        body=f"a = f(w·x + b) with {act.formula}, trained by gradient descent on the mean "
        "squared error.",
        fields=fields,
        image=picture("xor-neuron.png", lambda: fig.neuron_figure(run, act.f), figure),
        code=script(
            neuron_numbers,
            title=f"/xor neuron activation:{act.name} seed:{seed} epochs:{epochs} lr:{show(lr)}",
            f=act.f,
            df=act.df,
            seed=seed,
            epochs=epochs,
            lr=lr,
        ),
        numbers=tuple(lines(values)),
        footer=f"seed {seed} · {epochs} epoch{'s' * (epochs != 1)}, lr {show(lr)} · {PROOF_REF}",
        color=color,
        seed=seed,
        command=f"/xor neuron activation:{act.name} seed:{seed} epochs:{epochs} lr:{show(lr)}",
    )


def _died(since: list[int], lr: float) -> str:
    """When units died: 'since epoch 3 of training at lr 10', 'from the seeded start', or
    '(5 from the seeded start, 3 since epochs 1 to 7 of training at lr 10)'."""
    start = sum(e == 0 for e in since)
    later = sorted(e for e in since if e > 0)
    during = f"of training at lr {show(lr)}"
    if not later:
        return "from the seeded start"
    if later[0] == later[-1]:
        when = f"since epoch {later[0]} {during}"
    else:
        when = f"since epochs {later[0]} to {later[-1]} {during}"
    return f"({start} from the seeded start, {len(later)} {when})" if start else when


def _dead_units(d: Dead, lr: float) -> str:
    """The units with f' = 0 at all four corners, in words (no full stop): 'dead' if each
    outputs one constant there, 'saturated' if its outputs still differ between corners."""
    H, texts = d.hidden, []
    for constant in (True, False):
        group = [
            (o, e) for o, e in zip(d.outputs, d.since, strict=True) if (o is not None) == constant
        ]
        if not group:
            continue
        n = len(group)
        if n == H:
            who = "the unit is" if H == 1 else "both units are" if H == 2 else f"all {H} units are"
        else:
            who = f"{n} of {H} units {'is' if n == 1 else 'are'}"
        state = "dead" if constant else "saturated"
        text = (
            f"{who} {state} {_died([e for _, e in group], lr)}: f' = 0 at all four corners, "
            f"so no gradient reaches {'its' if n == 1 else 'their'} weights again"
        )
        shown = {show(o) for o, _ in group} if constant else set()
        if constant and len(shown) == 1:
            text += f", and {'it' if n == 1 else 'each'} outputs {shown.pop()} at every corner"
        elif not constant:
            text += f", though {'its' if n == 1 else 'their'} outputs differ between corners"
        texts.append(text)
    return "; ".join(texts)


def _start_again(d: Dead) -> str:
    lr = "a smaller lr, " if any(e > 0 for e in d.since) else ""
    return f"start again with {lr}another seed, or an activation whose f' is never 0 (leaky ReLU)"


def _dead_verdict(act: Activation, units: str, got: str, v: Verdict) -> str:
    """The verdict when dead units leave too little alive (Advice.DEAD_UNITS)."""
    d = v.dead
    if d.reach is Reach.CONSTANT:
        why = "The network's output is now the same at all four corners, and stays so"
    else:
        why = (
            f"The one live unit is a monotone {act.label}, one line, so 3 of 4 is the most "
            "this run can reach"
        )
    return (
        f"{got} with {units}: {_dead_units(d, v.lr)}. {why} however long it trains: "
        f"{_start_again(d)}."
    )


def mlp_verdict(act: Activation, hidden: int, v: Verdict) -> tuple[str, int]:
    """The one-line verdict and colour for a 2-H-1 network."""
    units = f"{hidden} {act.label} hidden unit{'s' if hidden > 1 else ''}"
    if v.outcome is Outcome.DIVERGED:
        extra = {
            Limit.LINEAR_HIDDEN: " Whatever lr: linear hidden units draw one line, at most 3/4.",
            Limit.ONE_MONOTONE_UNIT: " Whatever lr: one monotone hidden unit is still one line.",
            None: "",
        }[v.limit]
        return _diverged(v) + extra, COLOR_FALSE
    got = accuracy(v.right, v.undecided)
    if v.limit is Limit.LINEAR_HIDDEN:
        return (
            f"Linear hidden units collapse to one affine map, so the network draws one line: "
            f"at most 3/4 at any width and any seed. This run: {got}.",
            COLOR_TRUE,
        )
    if v.limit is Limit.ONE_MONOTONE_UNIT:
        return (
            "Impossible: one hidden unit is still one line. σ(v·f(u) + c) > ½ picks a level "
            f"set of the monotone {act.label} along one direction, a half-plane. This run: {got}.",
            COLOR_TRUE,
        )
    frozen = (
        " f' = 0 almost everywhere, so the hidden weights never moved: only the output layer "
        "learned, on the initial random lines."
        if v.frozen
        else ""
    )
    some_dead = f" {_cap(_dead_units(v.dead, v.lr))}." if v.dead else ""
    if v.outcome is Outcome.SOLVED:
        if hidden == 1:
            how = (
                "f is not monotone, so along one direction the output rises and falls: it "
                "passes ½ between parallel lines (or outside them), not in a half-plane"
            )
        elif act.monotone:
            how = "each draws a line, the output combines their decisions"
        else:
            how = (
                f"{act.label} is not monotone, so each unit's output rises and falls across "
                "parallel lines (bands, not one line); the output combines them"
            )
        solve = "solves" if hidden == 1 else "solve"
        return f"{units} {solve} XOR, 4/4 right: {how}.{frozen}{some_dead}", COLOR_TRUE
    if v.frozen:
        return f"{got} with {units}.{frozen} Try an activation with a gradient.", COLOR_FALSE
    if v.advice is Advice.DEAD_UNITS:
        return _dead_verdict(act, units, got, v), COLOR_FALSE
    return (
        f"{got} with {units}: weights that solve XOR exist, but gradient descent has not "
        f"found them here: {ADVICE[v.advice]}.{some_dead}",
        COLOR_FALSE,
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _affine(w1: float, w2: float, b: float) -> str:
    """'0.5·x1 − 2·x2 + 1' (signs folded in, digits as `show` prints them)."""
    text = f"{show(w1)}·x1"
    for v, name in ((w2, "·x2"), (b, "")):
        t = show(v)
        text += f" − {t[1:]}{name}" if t.startswith("-") else f" + {t}{name}"
    return text


def _mlp_fields(run, values: dict) -> list[Field]:
    dead = run.verdict.dead
    died = (
        {
            j: f"{'dead' if o is not None else 'saturated'} since epoch {e}"
            for j, e, o in zip(dead.units, dead.since, dead.outputs, strict=True)
        }
        if dead
        else {}
    )
    decisions = "\n".join(
        f"unit {j + 1}: {_affine(run.W1[0][j], run.W1[1][j], run.b1[j])} > 0 at "
        + " ".join(
            f"{c}:{'yes' if d else 'no'}" for c, d in zip(CORNERS, run.decisions[j], strict=True)
        )
        + (f" · {died[j + 1]}" if j + 1 in died else "")
        for j in range(run.hidden)
    )
    weights = "\n".join(f"{k}: {show(values[k])}" for k in ("W1", "b1", "W2", "b2"))
    died = (
        [
            Field(
                "Units with f' = 0 at all four corners (no gradient, for good)",
                f"units: {show(values['dead_units'])}\n"
                f"since epoch: {show(values['died_at_epoch'])}",
            )
        ]
        if "dead_units" in values
        else []
    )
    return [
        Field(
            "Result",
            f"{values['right']} right, {values['wrong']} wrong, {values['undecided']} undecided"
            f" · cross-entropy {show(values['loss'])} · final gradient norm "
            f"{show(values['grad_norm'])}",
        ),
        Field(
            "Outputs p(y=1)",
            "  ".join(f"{c} {show(p)}" for c, p in zip(CORNERS, values["p"], strict=True)),
        ),
        *died,
        Field(
            "Decisions: which side of each unit's line"
            if run.monotone
            else "Which side of each unit's w·x + b = 0 (f is not monotone, so this is not "
            "the unit's decision: its output rises and falls across parallel lines)",
            code_block(decisions),
        ),
        Field("Final weights (W1 row by row)", code_block(weights)),
    ]


def mlp_card(
    hidden: int = 2,
    activation: str = "tanh",
    seed: int = 0,
    epochs: int = 2000,
    lr: float = 1.0,
    figure: bool = True,
) -> Card:
    act = _activation(activation)
    run = train_mlp(act, hidden, seed, epochs, lr)
    values = dict(run.values)
    verdict, color = mlp_verdict(act, hidden, run.verdict)
    if run.verdict.outcome is Outcome.DIVERGED:
        fields, files = (), ()
    else:
        fields, files = fit_fields(_mlp_fields(run, values), "xor-mlp-weights.txt")
    return Card(
        title=f"2-{hidden}-1 network with {act.label} hidden units on XOR",
        verdict=verdict,
        fields=fields,
        files=files,
        image=picture("xor-mlp.png", lambda: fig.mlp_figure(run, act.f), figure),
        code=script(
            mlp_numbers,
            title=f"/xor mlp hidden:{hidden} activation:{act.name} seed:{seed} epochs:{epochs} "
            f"lr:{show(lr)}",
            f=act.f,
            df=act.df,
            hidden=hidden,
            seed=seed,
            epochs=epochs,
            lr=lr,
        ),
        numbers=tuple(lines(values)),
        footer=f"seed {seed} · {epochs} epoch{'s' * (epochs != 1)}, lr {show(lr)} · full-batch "
        "gradient descent, sigmoid output, cross-entropy",
        color=color,
        seed=seed,
        command=f"/xor mlp hidden:{hidden} activation:{act.name} seed:{seed} epochs:{epochs} "
        f"lr:{show(lr)}",
    )
