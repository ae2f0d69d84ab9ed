"""Card for /regions: how many pieces a ReLU network cuts the plane into, and why not more."""

from __future__ import annotations

from bot.cards import COLOR_INFO, Card, Field, picture
from bot.figures.regions import regions_figure
from bot.lab.regions import (
    BIAS_SD,
    SWEEP_BUDGET,
    SWEEP_DEPTHS,
    TRAIN_STEPS,
    Verdict,
    regions,
    regions_numbers,
)
from bot.script import lines, script, show

SPECS = {"sweep": ".1f"}
DATASET_TEXT = {
    "none": "at initialisation",
    "circle": "briefly trained on a circle",
    "moons": "briefly trained on two moons",
    "spiral": "briefly trained on a spiral",
    "xor": "briefly trained on XOR",
}


def _sweep_note(width: int, depth: int, dataset: str) -> str:
    """The sweep is an experiment of its own: say so, and how it differs from the user's network."""
    differs = (
        [f"has {width * depth} neuron{'s' * (width * depth != 1)}"]
        if width * depth != SWEEP_BUDGET
        else []
    )
    if dataset != "none":
        differs.append(f"was {DATASET_TEXT[dataset]}")
    unlike = f"; the {depth}×{width} network above {' and '.join(differs)}" if differs else ""
    return f"The sweep's networks are its own (random, untrained, seeds (seed, 0…2)){unlike}."


def regions_card(
    width: int = 8, depth: int = 2, seed: int = 0, dataset: str = "none", figure: bool = True
) -> Card:
    r = regions(width, depth, seed, dataset, polygons=figure)
    n = r.numbers
    count = n["regions"]
    neurons = width * depth
    if depth == 1:
        verdict = (
            f"{count} linear regions in the square: one layer of {width} unit{'s' * (width > 1)} "
            f"draws {width} straight line{'s' * (width > 1)}, and {count} = 1 + lines crossing + "
            "crossings inside, never more "
            f"than {n['plane_bound_one_layer']} = 1 + w + w(w−1)/2 in the whole plane."
        )
    else:
        drawn = "line makes" if width == 1 else "lines make"
        verdict = (
            f"{count} linear regions in the square from {neurons} neurons ({depth} layers of "
            f"{width}): the first layer's {drawn} {n['first_layer']}; "
            + (
                (
                    "the deeper layers add the rest"
                    if width == 1
                    else "deeper layers bend those lines and add the rest"
                )
                if count > n["first_layer"]
                else "the deeper layers added none here"
            )
        )
        if r.verdict is Verdict.FAR_BELOW:
            which = "a random network" if dataset == "none" else "this briefly trained network"
            verdict += (
                f", far fewer than the {show(n['montufar_max'])} some network of this shape "
                f"can make: depth's exponential maximum is not what {which} gets."
            )
        else:
            verdict += (
                f". Some network of this shape makes at least {show(n['montufar_max'])} "
                "(Montúfar et al. 2014)."
                if width >= 2
                else "; with one unit per layer every deeper unit is monotone along the first "
                "line's normal, so each layer adds at most one cut parallel to it: at most "
                f"{n['width_one_max']} regions in the whole plane."
            )
    shapes = ", ".join(f"{d}×{SWEEP_BUDGET // d}" for d in SWEEP_DEPTHS)
    fields = [
        Field(
            "Regions in [−1, 1]²",
            f"**{count}**, counted exactly: each region is a convex polygon cut unit by unit "
            "(no grid, no sampling)",
        ),
        Field(
            "One layer (lines in the plane)",
            f"its first layer alone: {n['first_layer']} regions in the square · bound "
            f"1 + w + w(w−1)/2 = {n['plane_bound_one_layer']} in the whole plane",
        ),
        Field(
            "Most possible for this shape",
            f"at least {show(n['montufar_max'])} in the whole plane for some weights "
            "(Montúfar et al. 2014: exponential in depth)"
            if width >= 2
            else f"{n['montufar_max']} for the Montúfar et al. (2014) construction",
        ),
        Field(
            f"Depth against width at {SWEEP_BUDGET} neurons, untrained (mean of 3 seeds)",
            f"depth×width {shapes}\nregions: {show(n['sweep'], SPECS['sweep'])}\n"
            "At initialisation the count follows the number of neurons, not "
            "depth (Hanin & Rolnick 2019): the exponential maximum is not what you get. "
            + _sweep_note(width, depth, dataset),
        ),
    ]
    if dataset != "none":
        fields.append(
            Field(f"Training ({TRAIN_STEPS} full-batch steps)", f"{n['train_accuracy']} of 200")
        )
    else:
        fields.append(Field("Training", f"{n['train_accuracy']}: the random initialisation"))
    command = f"/regions width:{width} depth:{depth} seed:{seed} dataset:{dataset}"
    return Card(
        title=f"Linear regions: {depth} layer{'s' * (depth > 1)} of {width} ReLU unit{'s' * (width > 1)}, "
        f"{DATASET_TEXT[dataset]}",
        verdict=verdict,
        fields=tuple(fields),
        image=picture(
            "regions.png",
            lambda: regions_figure(r, f"{count} regions, {DATASET_TEXT[dataset]}"),
            figure,
        ),
        code=script(
            regions_numbers,
            title=command,
            specs=SPECS,
            width=width,
            depth=depth,
            seed=seed,
            dataset=dataset,
        ),
        numbers=tuple(lines(n, SPECS)),
        footer=f"seed {seed} · weights N(0, 2/fan-in), biases N(0, {BIAS_SD:g}²) · input square "
        "[−1, 1]² · exact up to float rounding: slivers thinner than 1e-12 are not cut",
        color=COLOR_INFO,
        seed=seed,
        command=command,
    )
