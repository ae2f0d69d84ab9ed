"""Card for /train: a network learning a 2-D dataset, animated; and why a linear one can't."""

from __future__ import annotations

from bot.cards import (
    COLOR_FALSE,
    COLOR_INFO,
    COLOR_TRUE,
    Attachment,
    Card,
    Field,
    converging_lr_text,
)
from bot.lab.neuron import BLOWUP
from bot.lab.train import (
    ACTIVATIONS,
    Outcome,
    Training,
    half_plane,
    rose,
    train,
    train_numbers,
)
from bot.script import lines, script, show

SPECS = {
    f"{name}_{key}": ".4g" for name in ACTIVATIONS for key in ("loss", "start_loss", "end_loss")
}
NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear", "sin": "sin"}
DATA = {"xor": "XOR", "circle": "a circle", "moons": "two moons", "spiral": "a spiral"}
WHY = (
    "A linear hidden layer makes the whole network one affine map w·x + c, so it predicts "
    "class 1 on a half-plane: no weights, width or training beat the best straight line. One "
    "unit with a monotone activation (ReLU, tanh, sigmoid) is also a half-plane. Two or more "
    "nonlinear units, or a sine, can bend the boundary: whether gradient descent finds such "
    "weights in the epochs given is what the run measures (Minsky & Papert 1969; Cybenko 1989)."
)


def _half_plane_reason(r: Training, name: str) -> str:
    if name == "linear":
        return "a linear network is one affine map, so it predicts a half-plane"
    return f"one {NAMES[name]} unit is monotone, so v·f(w·x + b) + c > 0 is a half-plane"


def _blown_up(r: Training, name: str) -> str:
    """How network `name` diverged: where its loss left BLOWUP × its start for good."""
    n = r.numbers
    at = r.diverged_at[r.activations.index(name)]
    start = show(n[f"{name}_start_loss"], SPECS[f"{name}_start_loss"])
    end = n[f"{name}_end_loss"]
    end = "overflowed" if isinstance(end, str) else f"was {show(end, SPECS[f'{name}_end_loss'])}"
    return (
        f"diverged at epoch {at} (lr {r.lr:g}): from there on its loss stayed above "
        f"{show(BLOWUP)}× its start of {start} and at the end {end}"
    )


def _one_verdict(r: Training) -> tuple[str, int]:
    n, name, out = r.numbers, r.activations[0], r.outcomes[0]
    N, best, right = n["points"], n["best_line_right"], n[f"{name}_right"]
    data = DATA[r.dataset]
    units = f"{r.hidden} {NAMES[name]} unit{'s' * (r.hidden > 1)}"
    if out is Outcome.DIVERGED:
        bound = (
            f" Trained or not, it can't: {_half_plane_reason(r, name)}, and no straight line "
            f"gets more than {best}/{N} of {data} right."
            if half_plane(name, r.hidden) and best < N
            else ""
        )
        return (
            f"Training {_blown_up(r, name)}, so there is no result to report. "
            f"{converging_lr_text(n[name + '_converging_lr'])}.{bound}",
            COLOR_FALSE,
        )
    if out is Outcome.HALF_PLANE:
        return (
            f"Can't: {_half_plane_reason(r, name)}, and no straight line gets more than "
            f"{best}/{N} of {data} right; training reached {right}/{N}.",
            COLOR_FALSE,
        )
    if out is Outcome.LINE_FITS:
        return (
            f"This sample of {data} happens to be linearly separable (a line gets all {N}), so "
            f"even a half-plane can fit it; training reached {right}/{N}.",
            COLOR_INFO,
        )
    if out is Outcome.FIT:
        return (
            f"{units} fit{'s' * (r.hidden == 1)} {data}: all {N} points right after {r.epochs} "
            f"epochs, where the best straight line gets {best}/{N}.",
            COLOR_TRUE,
        )
    if out is Outcome.DEAD:
        return (
            f"{_all_dead(r, name)}: {right}/{N} right, where the best straight line gets "
            f"{best}/{N}. More epochs can't change that; a smaller lr or another seed may "
            "avoid it." + (f" {_rose(r, name)}, even the output bias's." if rose(n, name) else ""),
            COLOR_INFO,
        )
    if rose(n, name):
        return (
            f"{right}/{N} right after {r.epochs} epochs, where the best straight line gets "
            f"{best}/{N}. {_rose(r, name)}. Try a smaller lr before more epochs or units."
            f"{_some_dead(r, name)}",
            COLOR_INFO,
        )
    return (
        f"{right}/{N} right after {r.epochs} epochs, where the best straight line gets "
        f"{best}/{N}. Whether {units} could get all {N} this run doesn't settle: more epochs, "
        f"units, another lr or seed may do better.{_some_dead(r, name)}",
        COLOR_INFO,
    )


def _rose(r: Training, name: str) -> str:
    """Network `name`'s loss ended above its start (lab.train.rose): its steps overshoot."""
    n = r.numbers
    end, start = (show(n[f"{name}_{k}"], SPECS[f"{name}_{k}"]) for k in ("loss", "start_loss"))
    return (
        f"Its loss ended above where it started ({end} against {start}), which gradient "
        f"descent with small enough steps never does: at lr {r.lr:g} the steps overshoot"
    )


def _capital(name: str) -> str:
    """An activation's name starting a sentence part ('Tanh: …', 'ReLU: …')."""
    return NAMES[name][0].upper() + NAMES[name][1:]


def _every(hidden: int) -> str:
    """'Both' for two units ('All 2 ReLU units' reads oddly), else 'All H'."""
    return "Both" if hidden == 2 else f"All {hidden}"


def _all_dead(r: Training, name: str) -> str:
    """Every hidden unit of network `name` has f' = 0 at every point (Outcome.DEAD)."""
    at = r.numbers[f"{name}_all_dead_from"]
    if name == "relu":  # relu' = 0 exactly where relu = 0: every unit outputs 0 everywhere
        return (
            f"{_every(r.hidden)} ReLU units died by epoch {at}: each is 0 on every point, so no "
            "gradient reaches them again and the network predicts one constant"
        )
    return (
        f"{_every(r.hidden)} {NAMES[name]} units saturated by epoch {at}: f' = 0 on every point, so "
        "no gradient reaches the first layer again and only the output weights train"
    )


def _some_dead(r: Training, name: str) -> str:
    dead = r.numbers.get(f"{name}_dead_units", 0)
    if not dead:
        return ""
    first = r.numbers[f"{name}_dead_from"]
    if dead == 1:
        return (
            f" 1 of {r.hidden} units died on the way (f' = 0 on every point from epoch {first}): "
            "its first-layer weights no longer train."
        )
    return (
        f" {dead} of {r.hidden} units died on the way (f' = 0 on every point; the first at "
        f"epoch {first}): their first-layer weights no longer train."
    )


def _compare_verdict(r: Training) -> tuple[str, int]:
    n = r.numbers
    N, best = n["points"], n["best_line_right"]
    by = {o: [k for k, out in enumerate(r.outcomes) if out is o] for o in Outcome}
    parts = []
    bounded = [k for k, name in enumerate(r.activations) if half_plane(name, r.hidden)]
    if best < N:  # theory: these can't, whatever training does
        names = ", ".join(NAMES[r.activations[k]] for k in bounded)
        reached = ", ".join(
            f"{NAMES[r.activations[k]]} {n[r.activations[k] + '_right']}"
            for k in bounded
            if r.outcomes[k] is not Outcome.DIVERGED
        )
        reason = "a linear network is one affine map" + (
            ", and one monotone unit draws a half-plane too" if r.hidden == 1 else ""
        )
        parts.append(
            f"{names[0].upper()}{names[1:]} can't: {reason}, and no straight line gets more than "
            f"{best}/{N} of {DATA[r.dataset]} right"
            + (f" (reached: {reached})." if reached else ".")
        )
    if by[Outcome.LINE_FITS]:
        parts.append(f"This sample is linearly separable: a line gets all {N}.")
    if by[Outcome.FIT]:
        names = ", ".join(NAMES[r.activations[k]] for k in by[Outcome.FIT])
        parts.append(f"All {N} right: {names}.")
    if by[Outcome.PARTIAL]:
        reached = ", ".join(
            f"{NAMES[r.activations[k]]} {n[r.activations[k] + '_right']}"
            for k in by[Outcome.PARTIAL]
        )
        parts.append(
            f"Short of all {N} after {r.epochs} epochs: {reached} (whether this size could "
            "get all of them, the run doesn't settle)."
        )
        for k in by[Outcome.PARTIAL]:
            name = r.activations[k]
            if rose(n, name):
                why = _rose(r, name)
                parts.append(f"{_capital(name)}: {why[0].lower()}{why[1:]}.")
    for k in by[Outcome.DEAD]:
        name = r.activations[k]
        parts.append(
            f"{_capital(name)}: {_every(r.hidden).lower()} units dead by epoch "
            f"{n[name + '_all_dead_from']} (f' = 0 on every point), so more epochs can't help: "
            f"{n[name + '_right']}/{N}."
        )
    for k in by[Outcome.DIVERGED]:
        name = r.activations[k]
        parts.append(
            f"{_capital(name)} {_blown_up(r, name)}: no result; "
            f"{converging_lr_text(n[name + '_converging_lr'])}."
        )
    color = COLOR_FALSE if by[Outcome.HALF_PLANE] else COLOR_INFO
    return " ".join(parts), color


def _end(loss: float | str) -> str:
    return loss if isinstance(loss, str) else show(loss, ".4g")


def _result(n: dict, name: str) -> str:
    loss = n[f"{name}_loss"]
    if isinstance(loss, str):
        found = n[f"{name}_converging_lr"]
        retry = f"\nlr {show(found)} trains" if not isinstance(found, str) else ""
        return (
            f"{loss}: {n[name + '_right']}\nloss {show(n[name + '_start_loss'], '.4g')} at the "
            f"start, {_end(n[name + '_end_loss'])} at the end{retry}"
        )
    dead = n.get(f"{name}_dead_units", 0)
    return (
        f"**{n[name + '_right']}/{n['points']}** right\nloss {show(loss, SPECS[name + '_loss'])}"
        f"\nundecided (σ = ½): {n[name + '_undecided']}"
        + (f"\ndead units (f' = 0 on every point): {dead}" if dead else "")
    )


def train_card(
    dataset: str = "circle",
    activation: str = "tanh",
    hidden: int = 8,
    epochs: int = 1000,
    lr: float = 1.0,
    seed: int = 0,
    noise: float | None = None,
    compare: bool = False,
    figure: bool = True,
) -> Card:
    r = train(dataset, activation, hidden, epochs, lr, seed, noise, compare, frames=figure)
    n = r.numbers
    verdict, color = _compare_verdict(r) if compare else _one_verdict(r)
    fields = [
        Field(NAMES[name], _result(n, name), inline=True) for k, name in enumerate(r.activations)
    ]
    fields += [
        Field(
            "Best straight line",
            f"{n['best_line_right']}/{n['points']} right: the most any line gets on these points "
            "(exact: an optimal line can be moved to pass through two of them)",
        ),
        Field(
            "Setup",
            f"{n['points']} points of {DATA[r.dataset]}, Gaussian jitter σ = {r.noise:g}; "
            f"2-{hidden}-1 network, full-batch gradient descent on cross-entropy, lr {lr:g}, "
            f"{epochs} epochs, W1 ~ N(0, 1), W2 ~ N(0, 1/H), biases 0, seed {seed}"
            + ("; every activation starts from the same data and weights" if compare else ""),
        ),
        Field("Why", WHY),
    ]
    image, files = None, ()
    if figure:
        from bot.figures.train import train_animation  # matplotlib only when drawing

        gif, png = train_animation(r)
        image, files = Attachment("train.png", png), (Attachment("train.gif", gif),)
        frames = len(r.grids[0])
        fields.append(
            Field(
                "Animation",
                f"train.gif: {frames} frames from epoch 0 to {r.frame_epochs[frames - 1]}",
            )
        )
    command = f"/train dataset:{dataset} activation:{activation} hidden:{hidden} epochs:{epochs}"
    command += f" lr:{lr:g} seed:{seed}"
    command += f" noise:{noise:g}" if noise is not None else ""
    command += " compare:True" if compare else ""
    title = (
        f"ReLU, tanh, sigmoid, linear and sin learning {DATA[dataset]}: 2-{hidden}-1 networks"
        if compare
        else f"A 2-{hidden}-1 {NAMES[activation]} network learning {DATA[dataset]}"
    )
    return Card(
        title=title,
        verdict=verdict,
        fields=tuple(fields),
        image=image,
        files=files,
        code=script(
            train_numbers,
            title=command,
            specs=SPECS,
            dataset=dataset,
            activations=r.activations,
            hidden=hidden,
            epochs=epochs,
            lr=lr,
            seed=seed,
            noise=noise,
        ),
        numbers=tuple(lines(n, SPECS)),
        footer=f"seed {seed} · accuracy on the {n['points']} training points; a point with "
        "σ within 1e-9 of ½ is undecided · frames at evenly spaced epochs",
        color=color,
        seed=seed,
        command=command,
    )
