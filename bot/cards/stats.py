"""Card for /xor stats: how often a 2-H-1 network learns XOR, over many seeds, and why not."""

from __future__ import annotations

from bot.cards import COLOR_FALSE, COLOR_TRUE, Card, Field, code_block, fit_fields, picture
from bot.lab import stats as lab
from bot.lab.activations import REGISTRY
from bot.script import PRINT, assemble, lines, script, show

REFS = "Hamey 1998; Sprinkhuizen-Kuyper & Boers 1999"
TITLE = "How often does gradient descent solve XOR?"


def _specs(values: dict) -> dict[str, str]:
    return {k: ".3f" for k in values if k.endswith((" rate", " se"))}


def _pct(rate: float) -> str:
    return f"{show(100 * rate, '.1f')} %"


def _share(part: int, whole: int) -> str:
    return f"{show(100 * part / whole, '.0f')} %"


def _verdict(st: lab.Stats) -> str:
    v = st.verdict
    if len(v.linear) == len({s.activation for s in st.settings}):
        return (
            "Linear hidden units add up to one line: no seed solves XOR, at any width "
            "(the best a line does is 3 of 4)."
        )
    if v.failures == 0:
        return f"Every one of the {st.seeds} seeds solved XOR in every setting here."
    impossible = set(v.impossible)
    if len(impossible) == len(st.settings):
        return (
            "One monotone hidden unit (or any number of linear ones) draws a single line, "
            "and no line classifies XOR: no seed can solve these settings, however long it "
            "trains (the best a line does is 3 of 4)."
        )
    worst, best = v.worst, v.best
    if (worst.activation, worst.hidden) in impossible:
        text = (
            f"{worst.label} with 1 hidden unit cannot solve XOR at any seed (one monotone unit "
            f"draws a single line): 0 of {st.seeds}, as theory says"
        )
    else:
        text = (
            f"{worst.label} with {worst.hidden} hidden unit{'s' if worst.hidden > 1 else ''} "
            f"solved XOR in {_pct(worst.rate[-1])} of {st.seeds} seeds"
        )
    if len(st.settings) > 1:
        text += f"; {best.label} with {best.hidden} in {_pct(best.rate[-1])}"
    if v.width_gain and all(ok and d > 0 for _, d, ok in v.width_gain):
        text += " (more hidden units help, beyond 2 SE)"
    possible = [s for s in st.settings if (s.activation, s.hidden) not in impossible]
    failures = sum(s.failed for s in possible)  # where a solution exists
    if not failures:
        return text + "; every other setting solved XOR with every seed."
    causes = [sum(s.causes[i] for s in possible) for i in range(len(lab.CAUSES))]
    parts = [
        f"{_share(n, failures)} {what}"
        for n, what in zip(
            causes, ("dead units", "plateaus", "diverged", "still moving"), strict=True
        )
        if n
    ]
    where = " where a solution exists" if impossible else ""
    text += f". Of the {failures} failures{where}: {', '.join(parts)}"
    if v.flat:
        text += f" ({', '.join(v.flat)}: f' = 0, so gradient descent cannot move the first layer)"
    if 2 * causes[lab.CAUSES.index("moving")] > failures:  # epochs can't help the impossible
        return text + ": most were still descending when the budget ran out; try more epochs."
    return text + f": stuck regions of the error surface, not XOR being hard ({REFS})."


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
    head = f"{'setting':<14}{'failed':>7}{'dead':>6}{'plateau':>8}{'diverged':>9}{'moving':>7}"
    rows = [
        f"{s.activation + ' H=' + str(s.hidden):<14}{s.failed:>7}"
        + "".join(f"{n:>{w}}" for n, w in zip(s.causes, (6, 8, 9, 7), strict=True))
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
                f"{show(lab.PLATEAU)} · diverged: the loss became NaN or ±inf · moving: none "
                "of these (still descending). SE = √(p(1 − p)/seeds).",
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
            f"seeds {seed}–{seed + seeds - 1} · init {init} · lr {show(lr)} · {epochs} epochs of full-batch "
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
