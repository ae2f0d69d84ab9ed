"""Card for /collapse: many layers, one matrix (or not, with a nonlinearity between)."""

from __future__ import annotations

import numpy as np

from bot.cards import COLOR_TRUE, Card, Field, code_block, fit_fields, num, picture
from bot.figures.collapse import collapse_figure
from bot.lab.collapse import SMALL_SCALE, collapse

BETWEEN_TEXT = {
    "none": "nothing",
    "squash": "a linear squash x/1000",
    "tanh": "tanh",
    "relu": "ReLU",
}


def _matrix_text(M: np.ndarray) -> str:
    return "\n".join(" ".join(f"{num(v):>10}" for v in row) for row in M)


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
    kind = "affine" if bias else "linear"
    shape = " → ".join(str(s[1]) for s in c.shapes) + f" → {c.shapes[-1][0]}"
    rank_text = f"{c.rank}" + (f" (≤ bottleneck {bottleneck})" if bottleneck else "")
    if c.numerical_rank != c.rank:
        rank_text += (
            f"; a float SVD of the product resolves only {c.numerical_rank} "
            f"(condition number {c.condition:.1e})"
        )
    if c.exact:
        verdict = (
            f"{layers} {kind} layers with {BETWEEN_TEXT[between]} between them are exactly one "
            f"matrix: the difference is {c.max_abs_diff:.1e}, pure rounding."
        )
        body = (
            "Each layer x ↦ Wx + b is the matrix [[W, b], [0, 1]] on [x; 1]; multiply them and "
            "you have one layer. Depth without a nonlinearity adds nothing"
            + (", and the narrowest layer caps the rank." if bottleneck else ".")
        )
        result = [
            Field(
                "Sequential vs one matrix (held-out inputs)",
                f"max |diff| = {c.max_abs_diff:.3e}\nrelative = {c.rel_diff:.3e}",
            ),
        ]
        numbers = [("max_abs_diff", f"{c.max_abs_diff:.3e}"), ("relative", f"{c.rel_diff:.3e}")]
    else:
        shrink = c.residual_small < 0.5 * c.residual
        verdict = (
            f"With {BETWEEN_TEXT[between]} between the layers there is no single matrix: the best "
            f"affine fit still misses {c.residual:.1%} of the output's variation."
        )
        small = f"For tiny inputs (×{SMALL_SCALE:g}) the miss is {c.residual_small:.2%}"
        if shrink and between == "tanh":
            body = (
                f"{small}: near 0, tanh(z) ≈ z − z³/3 is almost linear, so the nonlinearity "
                "only pays off where inputs are large enough to bend it."
            )
        elif shrink:
            body = (
                f"{small}: tiny inputs leave every ReLU on the side its bias puts it, so the "
                "network is exactly affine there; it bends only where inputs cross a kink."
            )
        elif between == "relu" and not bias:
            body = (
                f"{small}: without biases every kink passes through 0 and the network is "
                "positively homogeneous, f(αx) = α·f(x) for α > 0, so no scale makes it linear."
            )
        else:
            body = f"{small}: shrinking the inputs does not make this stack linear."
        result = [
            Field(
                "Best single affine map (least squares, held-out inputs)",
                f"relative residual ‖Y − Ŷ‖/‖Y − Ȳ‖ = {c.residual:.4f}\n"
                f"with inputs ×{SMALL_SCALE:g}: {c.residual_small:.4f}",
            )
        ]
        numbers = [("residual", f"{c.residual:.4f}"), ("residual_small", f"{c.residual_small:.4f}")]
    numbers.append(("rank", str(c.rank)))
    fields, files = fit_fields(
        [
            Field("Layers", f"{layers} {kind} layers, widths {shape}", inline=False),
            *result,
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
    code = f"""import numpy as np

L, width, bottleneck, bias, between, seed = {layers}, {width}, {bottleneck!r}, {bias!r}, {between!r}, {seed}
dims = [width] * (L + 1)
if bottleneck is not None:
    dims[L // 2 if L > 1 else 1] = bottleneck
rng = np.random.default_rng(seed)
layers = []
for n_in, n_out in zip(dims[:-1], dims[1:]):
    W = rng.normal(size=(n_out, n_in)) / np.sqrt(n_in)
    b = rng.normal(scale=0.1, size=n_out) if bias else np.zeros(n_out)
    layers.append((W, b))
act = {{"none": lambda z: z, "squash": lambda z: z * 1e-3, "tanh": np.tanh,
       "relu": lambda z: np.maximum(z, 0.0)}}[between]


def forward(x):
    for i, (W, b) in enumerate(layers):
        x = x @ W.T + b
        if i < L - 1:
            x = act(x)
    return x


inputs = np.random.default_rng(seed + 1)
x_fit, x_test = inputs.normal(size=(400, width)), inputs.normal(size=(200, width))
if between in ("none", "squash"):
    M = np.eye(width + 1)
    for i, (W, b) in enumerate(layers):
        H = np.zeros((W.shape[0] + 1, W.shape[1] + 1))
        H[:-1, :-1], H[:-1, -1], H[-1, -1] = W, b, 1.0  # [[W, b], [0, 1]]
        M = H @ M
        if i < L - 1 and between == "squash":
            S = np.eye(M.shape[0]) * 1e-3
            S[-1, -1] = 1.0
            M = S @ M
    one = np.column_stack([x_test, np.ones(len(x_test))]) @ M.T
    seq = forward(x_test)
    diff = np.max(np.abs(seq - one[:, :-1]))
    top = np.max(np.abs(seq))
    print("max_abs_diff:", f"{{diff:.3e}}")
    print("relative:", f"{{diff / top if top > 0 else 0.0:.3e}}")
else:
    for scale, key in ((1.0, "residual"), ({SMALL_SCALE!r}, "residual_small")):
        A = np.column_stack([x_fit * scale, np.ones(400)])
        coef, *_ = np.linalg.lstsq(A, forward(x_fit * scale), rcond=None)
        Yt = forward(x_test * scale)
        Yh = np.column_stack([x_test * scale, np.ones(200)]) @ coef
        print(f"{{key}}:", f"{{np.linalg.norm(Yt - Yh) / np.linalg.norm(Yt - Yt.mean(axis=0)):.4f}}")
print("rank:", min(dims))  # every factor has full rank; the narrowest width caps the product
"""
    return Card(
        title=f"Collapse: {layers} layer{'s' if layers > 1 else ''}, {BETWEEN_TEXT[between]} between",
        verdict=verdict,
        body=body,
        fields=fields,
        files=files,
        image=picture("collapse.png", lambda: collapse_figure(c), figure),
        code=code,
        numbers=tuple(numbers),
        footer=f"seed {seed} · weights N(0, 1/width), biases N(0, 0.1²) · 400 fit / 200 held-out "
        "inputs N(0, 1)",
        color=COLOR_TRUE,
        seed=seed,
        command=f"/collapse layers:{layers} width:{width}"
        + (f" bottleneck:{bottleneck}" if bottleneck else "")
        + f" bias:{bias} between:{between} seed:{seed}",
    )
