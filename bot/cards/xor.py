"""Cards for /xor: linear, squash, neuron and mlp."""

from __future__ import annotations

import numpy as np

from bot.cards import (
    COLOR_FALSE,
    COLOR_TRUE,
    Card,
    Field,
    code_block,
    fit_fields,
    num,
    picture,
)
from bot.cards import snippets as S
from bot.errors import UserError
from bot.figures import xor as fig
from bot.lab import xor as lab
from bot.lab.activations import lookup
from bot.lab.mlp import train_mlp
from bot.lab.neuron import train_neuron

PROOF_REF = "Minsky & Papert 1969, Perceptrons"
CORNERS = ("(0,0)", "(0,1)", "(1,0)", "(1,1)")


def _activation(name: str):
    act = lookup(name)
    if act is None:
        raise UserError(f"unknown activation {name[:40]!r}; see /activation for the list.")
    return act


def linear_card(figure: bool = True) -> Card:
    fit = lab.linear_fit()
    cert = lab.certificate()
    proof = "\n".join(
        f"{c}→{int(y)}: {ineq}"
        for c, y, ineq in zip(CORNERS, lab.Y, cert.inequalities, strict=True)
    )
    proof += "\nadd the two '>' lines: w1 + w2 + 2b > 0\nadd the two '<' lines: w1 + w2 + 2b < 0"
    numbers = (
        ("w1", num(fit.w[0])),
        ("w2", num(fit.w[1])),
        ("b", num(fit.b)),
        ("mse", num(fit.mse)),
        ("best_line_correct", str(fit.best_threshold_correct)),
    )
    fields = [
        Field(
            "Least-squares fit",
            f"w1 = {num(fit.w[0])}, w2 = {num(fit.w[1])}, b = {num(fit.b)}\n"
            f"predictions: {', '.join(num(p) for p in fit.predictions)}\nMSE = {num(fit.mse)}",
        ),
        Field("Best any line can classify", f"{fit.best_threshold_correct}/4 points"),
        Field("Proof: the four inequalities contradict", code_block(proof)),
    ]
    code = (
        S.PRELUDE
        + S.BEST_LINE
        + """
A = np.column_stack([X, np.ones(4)])  # rows [x1, x2, 1]
coef, *_ = np.linalg.lstsq(A, Y, rcond=None)
coef = np.round(coef, 12) + 0.0  # drop rounding noise: 0.5, not 0.4999999999999996
w1, w2, b = coef
print("w1:", num(w1))
print("w2:", num(w2))
print("b:", num(b))
print("mse:", num(np.mean((A @ coef - Y) ** 2)))
print("best_line_correct:", best_line_correct())
"""
    )
    return Card(
        title="XOR vs one line: y = w1·x1 + w2·x2 + b",
        verdict="No line separates XOR: least squares predicts 0.5 everywhere (MSE 0.25), "
        "and the best any line classifies is 3 of 4.",
        body="Sum the inequalities a correct line would need and you get 0 > 0, "
        f"so no choice of w1, w2, b works. {cert.conclusion}.",
        fields=tuple(fields),
        image=picture("xor-linear.png", lambda: fig.linear_figure((1.0, 1.0, -0.5)), figure),
        code=code,
        numbers=numbers,
        footer=f"Deterministic, no seed · {PROOF_REF}",
        color=COLOR_TRUE,
        command="/xor linear",
    )


SQUASH_W3 = (1.0, 1e-3, -2.0)
SQUASH_EPOCHS, SQUASH_LR = 2000, 1.0


def squash_card(seed: int = 0, figure: bool = True) -> Card:
    scaled = lab.scaled_fits(SQUASH_W3)
    units = {
        n: train_neuron(_activation(n), seed, SQUASH_EPOCHS, SQUASH_LR) for n in ("tanh", "sigmoid")
    }
    sine = lab.sine_unit()
    numbers = [(f"mse_w3={num(s.w3)}", num(s.mse)) for s in scaled]
    numbers += [(f"{n}_correct", str(r.correct)) for n, r in units.items()]
    numbers += [(f"{n}_loss", num(r.loss)) for n, r in units.items()]
    numbers += [("sine_correct", str(sine.correct)), ("sine_max_error", num(sine.max_error))]
    fields = [
        Field(
            "Linear squash y' = w3·y (least squares)",
            "\n".join(
                f"w3 = {num(s.w3)}: MSE {num(s.mse)}, best {s.best_threshold_correct}/4"
                for s in scaled
            )
            + "\nw3·(w·x + b) is still a line: the same fit, rescaled.",
        ),
        Field(
            "Monotone squash, trained (MSE, gradient descent)",
            "\n".join(f"{n}(w·x + b): {r.correct}/4, loss {num(r.loss)}" for n, r in units.items())
            + "\nf(w·x + b) > ½ ⇔ w·x + b > c for monotone f: one line, so ≤ 3/4.",
        ),
        Field(
            "Non-monotone: sin(π/2·(x1 + x2))",
            f"outputs {', '.join(num(v) for v in sine.outputs)}\n"
            f"{sine.correct}/4 correct; max error {num(sine.max_error)} (rounding of π)",
        ),
    ]
    code = (
        S.PRELUDE
        + S.NEURON
        + "\n"
        + S.SIGMOID
        + f"""
A = np.column_stack([X, np.ones(4)])
for w3 in {SQUASH_W3!r}:
    c, *_ = np.linalg.lstsq(w3 * A, Y, rcond=None)  # fit w3 * (w.x + b)
    comp = w3 * c
    comp = np.round(comp, 12) + 0.0
    print(f"mse_w3={{num(w3)}}:", num(np.mean((A @ comp - Y) ** 2)))
units = {{"tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
         "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z)))}}
runs = {{n: train_neuron(f, df, seed={seed}, epochs={SQUASH_EPOCHS}, lr={SQUASH_LR})
        for n, (f, df) in units.items()}}
for n, r in runs.items():
    print(f"{{n}}_correct:", r[4])
for n, r in runs.items():
    print(f"{{n}}_loss:", num(r[3]))
out = np.sin(np.pi / 2 * (X[:, 0] + X[:, 1]))
print("sine_correct:", int(np.sum((out > 0.5) == (Y > 0.5))))
print("sine_max_error:", num(np.max(np.abs(out - Y))))
"""
    )
    return Card(
        title="Does squashing one line help with XOR?",
        verdict="No: a linear squash is still a line, and a monotone squash (tanh, sigmoid) "
        "still cuts the plane once. A sine unit solves XOR: the point is monotonicity.",
        fields=tuple(fields),
        image=picture(
            "xor-squash.png",
            lambda: fig.neuron_figure(units["tanh"], _activation("tanh").f),
            figure,
        ),
        code=code,
        numbers=tuple(numbers),
        footer=f"seed {seed} · {SQUASH_EPOCHS} epochs, lr {num(SQUASH_LR)} · {PROOF_REF}",
        color=COLOR_TRUE,
        seed=seed,
        command=f"/xor squash seed:{seed}",
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
    if act.monotone:
        spread = max(run.outputs) - min(run.outputs)
        mean = float(np.mean(run.outputs))
        if spread < 0.01 and abs(mean - 0.5) < 0.01:
            outcome = "trained on squared error it hedges at ≈ 0.5 for every point"
        elif spread < 0.01:
            outcome = f"here it got stuck outputting ≈ {num(mean)} for every point"
        else:
            outcome = f"it got {run.correct}/4 here"
        verdict = (
            f"One {act.label} unit is still one line: no monotone activation can beat 3/4, "
            f"and {outcome}."
        )
        color = COLOR_TRUE
    elif run.correct == 4:
        verdict = (
            f"A single {act.label} unit solved XOR: it is not monotone, so it is not one line."
        )
        color = COLOR_TRUE
    else:
        verdict = (
            f"This {act.label} unit got {run.correct}/4: non-monotone units can solve XOR, "
            "but gradient descent did not find it from this seed."
        )
        color = COLOR_FALSE
    numbers = (
        ("w1", num(run.w[0])),
        ("w2", num(run.w[1])),
        ("b", num(run.b)),
        ("loss", num(run.loss)),
        ("correct", str(run.correct)),
    )
    fields = (
        Field("Trained weights", f"w1 = {num(run.w[0])}, w2 = {num(run.w[1])}, b = {num(run.b)}"),
        Field(
            "Outputs",
            "\n".join(
                f"{c} → {num(v)} (label {int(y)})"
                for c, v, y in zip(CORNERS, run.outputs, lab.Y, strict=True)
            ),
        ),
        Field("Result", f"{run.correct}/4 correct (threshold ½) · MSE {num(run.loss)}"),
    )
    code = (
        S.PRELUDE
        + S.NEURON
        + "\n"
        + S.activation(act.name)
        + f"""
w, b, a, loss, correct = train_neuron(f, df, seed={seed}, epochs={epochs}, lr={lr!r})
print("w1:", num(w[0]))
print("w2:", num(w[1]))
print("b:", num(b))
print("loss:", num(loss))
print("correct:", correct)
"""
    )
    return Card(
        title=f"One {act.label} unit on XOR",
        verdict=verdict,
        body=f"a = f(w·x + b) with {act.formula}, trained by gradient descent on the mean "
        "squared error.",
        fields=fields,
        image=picture("xor-neuron.png", lambda: fig.neuron_figure(run, act.f), figure),
        code=code,
        numbers=numbers,
        footer=f"seed {seed} · {epochs} epochs, lr {num(lr)} · {PROOF_REF}",
        color=color,
        seed=seed,
        command=f"/xor neuron activation:{act.name} seed:{seed} epochs:{epochs} lr:{num(lr)}",
    )


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
    if act.linear:
        verdict = (
            f"Linear hidden units collapse to one line: {run.correct}/4, however many there are."
        )
        color = COLOR_TRUE
    elif run.correct == 4:
        verdict = (
            f"{hidden} {act.label} hidden unit{'s' if hidden > 1 else ''} solve XOR: each draws a "
            "line, the output combines their decisions."
        )
        color = COLOR_TRUE
    else:
        verdict = (
            f"Stuck at {run.correct}/4 from seed {seed}: the weights exist, but gradient descent "
            "does not always find them. Try another seed or more hidden units."
        )
        color = COLOR_FALSE
    W1 = np.array(run.W1)
    decisions = "\n".join(
        f"unit {j + 1}: {num(W1[0, j])}·x1 + {num(W1[1, j])}·x2 + {num(run.b1[j])} > 0 at "
        + " ".join(
            f"{c}:{'yes' if d else 'no'}" for c, d in zip(CORNERS, run.decisions[j], strict=True)
        )
        for j in range(hidden)
    )
    weights = (
        "W1 (2×H):\n"
        + "\n".join("  " + "  ".join(f"{num(v):>9}" for v in row) for row in run.W1)
        + "\nb1: "
        + "  ".join(num(v) for v in run.b1)
        + "\nW2: "
        + "  ".join(num(v) for v in run.W2)
        + f"\nb2: {num(run.b2)}"
    )
    fields, files = fit_fields(
        [
            Field("Result", f"{run.correct}/4 correct · cross-entropy {num(run.loss)}"),
            Field(
                "Outputs p(y=1)",
                "  ".join(f"{c} {num(p)}" for c, p in zip(CORNERS, run.outputs, strict=True)),
            ),
            Field("Decisions: which side of each unit's line", code_block(decisions)),
            Field("Final weights", code_block(weights)),
        ],
        "xor-mlp-weights.txt",
    )
    numbers = (
        ("correct", str(run.correct)),
        ("loss", num(run.loss)),
        ("p", " ".join(num(p) for p in run.outputs)),
        ("b2", num(run.b2)),
    )
    code = (
        S.PRELUDE
        + "\n"
        + S.SIGMOID
        + "\n"
        + S.activation(act.name)
        + f"""
H, seed, epochs, lr = {hidden}, {seed}, {epochs}, {lr!r}
rng = np.random.default_rng(seed)
W1 = rng.normal(size=(2, H))  # (2, H)
W2 = rng.normal(size=H) / np.sqrt(H)  # (H,)
b1, b2 = np.zeros(H), 0.0
with np.errstate(all="ignore"):
    for step in range(epochs + 1):
        z1 = X @ W1 + b1  # (4, H)
        h = f(z1)
        p = sigmoid(h @ W2 + b2)  # (4,)
        if step == epochs:
            break
        dz2 = (p - Y) / 4  # cross-entropy gradient at the output
        dW2, db2 = h.T @ dz2, float(np.sum(dz2))
        dz1 = np.outer(dz2, W2) * df(z1)
        W1, b1 = W1 - lr * (X.T @ dz1), b1 - lr * dz1.sum(axis=0)
        W2, b2 = W2 - lr * dW2, b2 - lr * db2
q = np.clip(p, 1e-15, 1 - 1e-15)
print("correct:", int(np.sum((p > 0.5) == (Y > 0.5))))
print("loss:", num(-np.mean(Y * np.log(q) + (1 - Y) * np.log(1 - q))))
print("p:", " ".join(num(v) for v in p))
print("b2:", num(b2))
"""
    )
    return Card(
        title=f"2-{hidden}-1 network with {act.label} hidden units on XOR",
        verdict=verdict,
        fields=fields,
        files=files,
        image=picture("xor-mlp.png", lambda: fig.mlp_figure(run, act.f), figure),
        code=code,
        numbers=numbers,
        footer=f"seed {seed} · {epochs} epochs, lr {num(lr)} · full-batch gradient descent, "
        "sigmoid output, cross-entropy",
        color=color,
        seed=seed,
        command=f"/xor mlp hidden:{hidden} activation:{act.name} seed:{seed} epochs:{epochs} lr:{num(lr)}",
    )
