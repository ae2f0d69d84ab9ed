"""Card for /xor stats: how often a 2-H-1 network learns XOR, over many seeds, and why not."""

from __future__ import annotations

from bot.cards import COLOR_FALSE, COLOR_TRUE, Card, Field, code_block, fit_fields, picture
from bot.lab import stats as lab
from bot.lab.activations import REGISTRY
from bot.lab.verdicts import LR_LOW
from bot.options import LR
from bot.script import PRINT, assemble, lines, script, show

REFS = "Hamey 1998; Sprinkhuizen-Kuyper & Boers 1999"
TITLE = "How often does gradient descent solve XOR?"


def _specs(values: dict) -> dict[str, str]:
    return {k: ".3f" for k in values if k.endswith((" rate", " se"))}


def _pct(rate: float) -> str:
    text = show(100 * rate, ".1f")
    if 0 < rate < 1 and text in ("0.0", "100.0"):  # never round a miss or a win away
        text = show(100 * rate, ".2f")  # ≤ 2000 seeds: never within 0.005 % of 0 or 100
    return f"{text} %"


def _share(part: int, whole: int) -> str:
    text = show(100 * part / whole, ".0f")
    return "< 1 %" if part and text == "0" else f"{text} %"


def _units(h: int) -> str:
    return f"{h} hidden unit{'s' if h != 1 else ''}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _impossible(st: lab.Stats) -> str:
    """The settings no seed can solve, as theory says (empty when there are none)."""
    v = st.verdict
    parts = []
    if v.linear:
        labels = _and([REGISTRY[n].label for n in v.linear])
        parts.append(
            f"linear hidden units add up to one line, so {labels} solved 0 of {st.seeds} seeds "
            "at any width, as theory says"
        )
    single = [REGISTRY[a].label for a, h in v.impossible if h == 1 and a not in v.linear]
    if single:
        parts.append(
            f"one monotone hidden unit draws a single line, so {_and(single)} with 1 hidden "
            f"unit solved 0 of {st.seeds} seeds, as theory says"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + ". " if text else ""


def _row(row: lab.SizeRow, seeds: int, first: bool, stated: frozenset = frozenset()) -> str:
    """One size, the activations side by side: only the activation changes. When every rate
    of the row was just stated (`stated`: (activation, hidden) pairs), only the comparison."""
    low, *rest = row.settings
    head = f"2-{row.hidden}-1 fails often" if row.fails_often else f"With {_units(row.hidden)}"
    if all((s.activation, s.hidden) in stated for s in row.settings):
        if row.worst is None:
            return f"At {_units(row.hidden)} no activation is worst beyond 2 SE. "
        text = f"At {_units(row.hidden)} {row.worst.label} is worst (beyond 2 SE)"
    else:
        if first:
            text = f"{head}: {low.label} solved XOR in {_pct(low.rate[-1])} of {seeds} seeds"
            text += "".join(f", {s.label} in {_pct(s.rate[-1])}" for s in rest)
        else:
            text = f"{head}: " + ", ".join(f"{s.label} {_pct(s.rate[-1])}" for s in row.settings)
        if row.worst is not None:
            text += f" — {row.worst.label} worst (beyond 2 SE)"
        elif rest:
            text += " (no activation is worst beyond 2 SE)"
    if row.worst is not None and row.mostly_dead:
        dead = row.worst.causes[lab.CAUSES.index("dead")]
        if dead == row.worst.failed:
            text += ", every failure a dead unit"
        else:
            text += (
                f", mostly through dead units ({_share(dead, row.worst.failed)} of its failures)"
            )
    return text + ". "


def _widths(v: lab.Verdict) -> str:
    """Each activation, narrowest against widest: only the hidden size changes."""
    steps = "; ".join(
        f"with {w.narrow.label}, {w.narrow.hidden} → {w.wide.hidden} units: "
        f"{_pct(w.narrow.rate[-1])} → {_pct(w.wide.rate[-1])}"
        for w in v.widths
    )
    changes = {c: [w.narrow.label for w in v.widths if w.change == c] for c in lab.CHANGES}
    if len(changes["helps"]) == len(v.widths):
        why = "more hidden units help beyond 2 SE"
        if v.nearly_certain:
            why += (
                " and make success nearly certain, at least "
                f"{show(float(100 * lab.NEARLY_CERTAIN))} %"
            )
    else:
        why = "; ".join(
            text.format(_and(labels))
            for text, labels in (
                ("more units help {} beyond 2 SE", changes["helps"]),
                ("more units hurt {} beyond 2 SE", changes["hurts"]),
                ("for {} the change is within 2 SE", changes["same"]),
            )
            if labels
        )
    return f"Same activation, more units: {steps} ({why}). "


def _causes(st: lab.Stats) -> str:
    v = st.verdict
    parts = [
        f"{_share(n, v.possible_failures)} {what}"
        for n, what in zip(
            v.possible_causes,
            ("dead units", "plateaus", "diverged", "bouncing", "still moving"),
            strict=True,
        )
        if n
    ]
    where = " where a solution exists" if v.impossible else ""
    text = f"Of the {v.possible_failures} failures{where}: {', '.join(parts)}"
    if v.flat:
        text += f" ({', '.join(v.flat)}: f' = 0, so gradient descent cannot move the first layer)"
    return (
        text
        + {
            "stuck": f": stuck regions of the error surface, not XOR being hard ({REFS}).",
            "bouncing": (
                ": most ended with a loss going up and down, steps overshooting the valley; "
                "try a smaller lr."
            ),
            "moving": ": most were still descending when the budget ran out; try more epochs.",
            "slow": (
                ": most were still descending when the budget ran out, slowly: lr is in the "
                f"bottom decade of its range (at most {LR_LOW:g}; the range is {LR.low:g} to "
                f"{LR.high:g}); try a larger lr."
            ),
            "diverged": ": most diverged; try a smaller lr.",
            "mixed": ".",
        }[v.why]
    )


def _verdict(st: lab.Stats) -> str:
    v = st.verdict
    if len(v.linear) == len({s.activation for s in st.settings}):
        return (
            "Linear hidden units add up to one line: no seed solves XOR, at any width "
            "(the best a line does is 3 of 4)."
        )
    if v.failures == 0:
        return f"Every one of the {st.seeds} seeds solved XOR in every setting here."
    if len(v.impossible) == len(st.settings):
        return (
            "One monotone hidden unit (or any number of linear ones) draws a single line, "
            "and no line classifies XOR: no seed can solve these settings, however long it "
            "trains (the best a line does is 3 of 4)."
        )
    text = _impossible(st)
    if v.possible_failures == 0:
        return text + f"Every other setting solved XOR with every one of the {st.seeds} seeds."
    narrow, *wide = v.sizes
    text += _row(narrow, st.seeds, first=True)
    if v.widths:
        text += _widths(v)
    stated = frozenset((s.activation, s.hidden) for w in v.widths for s in (w.narrow, w.wide))
    text += "".join(_row(row, st.seeds, first=False, stated=stated) for row in wide)
    return text + _causes(st)


def _rates_table(st: lab.Stats) -> str:
    head = f"{'setting':<14}" + "".join(f"{'@' + str(t):>15}" for t in st.checkpoints)
    rows = [
        f"{s.activation + ' H=' + str(s.hidden):<14}"
        + "".join(
            f"{show(r, '.3f') + ' ± ' + show(e, '.3f'):>15}"
            for r, e in zip(s.rate, s.se, strict=True)
        )
        for s in st.settings
    ]
    return code_block("\n".join([head, *rows]))


def _causes_table(st: lab.Stats) -> str:
    head = (
        f"{'setting':<14}{'failed':>7}{'dead':>6}{'plateau':>8}{'diverged':>9}{'bouncing':>9}"
        f"{'moving':>7}"
    )
    rows = [
        f"{s.activation + ' H=' + str(s.hidden):<14}{s.failed:>7}"
        + "".join(f"{n:>{w}}" for n, w in zip(s.causes, (6, 8, 9, 9, 7), strict=True))
        for s in st.settings
    ]
    return code_block("\n".join([head, *rows]))


def _code(names, sizes, seeds, epochs, lr, init, specs, seed) -> str:
    kwargs = dict(hidden=sizes, seeds=seeds, epochs=epochs, lr=lr, init=init, seed=seed)
    if len(names) == 1:
        act = REGISTRY[names[0]]
        return script(
            lab.xor_stats_numbers,
            title=TITLE,
            specs=specs,
            f=act.f,
            df=act.df,
            name=act.name,
            **kwargs,
        )
    calls = "".join(
        f"values |= xor_stats_numbers(f={REGISTRY[n].f.__name__}, df={REGISTRY[n].df.__name__}, "
        f"name={n!r}, hidden={sizes!r}, seeds={seeds}, epochs={epochs}, lr={lr!r}, init={init!r}, "
        f"seed={seed})\n"
        for n in names
    )
    tail = "values = {}\n" + calls + PRINT.format(call="values", specs=f", {specs!r}")
    fns = [g for n in names for g in (REGISTRY[n].f, REGISTRY[n].df)]
    return assemble(tail, lab.xor_stats_numbers, lines, show, *fns, title=TITLE)


def stats_card(
    sizes: str = "2,4,8",
    activations: str = "tanh,relu",
    seeds: int = 1000,
    epochs: int = 2000,
    lr: float = 1.0,
    init: str = "normal",
    figure: bool = True,
    seed: int = 0,
) -> Card:
    names, hidden = lab.parse_activations(activations), lab.parse_sizes(sizes)
    st, values = lab.xor_stats(names, hidden, seeds, epochs, lr, init, seed)
    specs = _specs(values)
    fields, files = fit_fields(
        [
            Field("Solved XOR (all four right and decided), rate ± SE", _rates_table(st)),
            Field("Failures at the end, by cause", _causes_table(st)),
            Field(
                "How a failure is classified",
                "dead: a hidden unit has f' = 0 on all four inputs · plateau: ‖∇L‖ < "
                f"{show(lab.PLATEAU)} · diverged: the loss became NaN or ±inf · bouncing: the "
                "loss rose in one of the last 10 epochs, or stopped falling while ‖∇L‖ stayed "
                "large (the steps overshoot) · moving: still falling over the last tenth (at lr ≤ "
                f"{show(lab.LR_LOW)}: not done, too slow to tell). "
                "The rules /xor mlp applies to one run. SE = √(p(1 − p)/seeds).",
            ),
        ],
        "xor-stats-tables.txt",
    )
    return Card(
        title=TITLE,
        verdict=_verdict(st),
        fields=fields,
        files=files,
        image=picture("xor-stats.png", lambda: _figure(st), figure),
        code=_code(names, hidden, seeds, epochs, lr, init, specs, seed),
        numbers=tuple(lines(values, specs)),
        footer=(
            f"seeds {seed}–{seed + seeds - 1} · init {init} · lr {show(lr)} · {epochs} epoch{'s' * (epochs != 1)} of full-batch "
            f"gradient descent · loss BCE · undecided: |p − ½| < {show(lab.UNDECIDED)} · {REFS}"
        ),
        color=COLOR_FALSE if st.verdict.failures else COLOR_TRUE,
        command=(
            f"/xor stats hidden:{','.join(map(str, hidden))} activation:{','.join(names)} "
            f"seeds:{seeds} epochs:{epochs} lr:{show(lr)} init:{init} seed:{seed}"
        ),
        seed=seed,
    )


def _figure(st: lab.Stats) -> bytes:
    from bot.figures.stats import stats_figure  # matplotlib only when a picture is wanted

    return stats_figure(st)
