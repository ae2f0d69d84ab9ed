"""/explain: short, pinnable explanations, each with a figure the lab draws.

Numbers quoted in the texts are computed when the card is built (by the lab), not
typed in, so an explanation cannot drift from what the commands show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.cards import COLOR_INFO, Attachment, Card, Field, num
from bot.errors import UserError

MAX_TEXT = 1200


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    summary: str  # the verdict line: the takeaway in one sentence
    build: Callable[[], tuple[str, bytes]]  # → (explanation text, PNG)
    tries: tuple[str, ...]
    references: tuple[str, ...]


def _collapse():
    from bot.figures.collapse import collapse_figure
    from bot.lab.collapse import collapse

    c = collapse(layers=5, width=4)
    text = (
        "A linear layer computes W·x + b. Feed that into another one: W₂(W₁x + b₁) + b₂ = "
        "(W₂W₁)x + (W₂b₁ + b₂), which is again one layer. Write each layer as the matrix "
        "[[W, b], [0, 1]] acting on [x; 1] and any stack is just their product: 100 layers or "
        "1 of the same width make the same family of functions. Here 5 random layers, applied one by one or as "
        f"one matrix, differ by {c.max_abs_diff:.1e}: rounding, nothing else.\n\n"
        "Depth can even *lose* power: a narrow layer of width k caps the rank of the product at "
        "k. What makes depth useful is the nonlinearity between layers; remove it and a deep "
        "network is a single matrix in disguise."
    )
    return text, collapse_figure(c)


def _xor():
    from bot.figures.xor import linear_figure
    from bot.lab.xor import linear_fit

    fit = linear_fit()
    text = (
        "XOR outputs 1 for (0,1) and (1,0), and 0 for (0,0) and (1,1). A single unit "
        "y = w1·x1 + w2·x2 + b that says 1 when y > 0 would need b < 0, w2 + b > 0, "
        "w1 + b > 0 and w1 + w2 + b < 0. Add the two '>' lines: w1 + w2 + 2b > 0. Add the "
        "two '<' lines: w1 + w2 + 2b < 0. Both cannot hold, so no weights exist: one line "
        "never separates XOR.\n\n"
        f"Least squares agrees: the best fit is w1 = w2 = {num(fit.w[0])}, b = {num(fit.b)}, "
        f"predicting {num(fit.b)} everywhere (MSE {num(fit.mse)}), and the best any line "
        f"classifies is {fit.best_threshold_correct} of 4. Two hidden units with a "
        "monotone nonlinearity (tanh, ReLU) fix it: each draws a line, the output combines "
        "their decisions."
    )
    return text, linear_figure((1.0, 1.0, -0.5))


def _squash():
    from bot.figures.collapse import collapse_figure
    from bot.lab.collapse import collapse

    c = collapse(layers=4, width=4, between="squash")
    text = (
        "'Squash the output so nothing blows up: y' = y/1000.' That is multiplication by a "
        "constant, a linear map, so it folds into the next matrix: layers with x/1000 between "
        f"them still collapse to one matrix (here the gap is {c.rel_diff:.1e} relative). "
        "However small the constant, it adds no new functions: the network still draws a "
        "single line through XOR.\n\n"
        "A monotone squash such as tanh or the sigmoid on a *single* unit does not help "
        "either: for increasing f, f(u) > c holds on a half-line u > t (or everywhere, or "
        "nowhere), so f(w·x + b) > c is the line w·x + b > t again. What the "
        "nonlinearity buys is different behaviour on different sides of a threshold, used "
        "by several units together; a non-monotone unit such as sin(π/2·(x1 + x2)) even "
        "solves XOR alone."
    )
    return text, collapse_figure(c)


def _tanh():
    from bot.figures.activation import activation_figure
    from bot.lab.activation_report import describe

    r = describe("tanh")
    s32 = next(s for s in r.saturation if s.dtype == "float32")
    s64 = next(s for s in r.saturation if s.dtype == "float64")
    text = (
        "tanh maps every real number into (−1, 1), open at both ends: it approaches ±1 and "
        "never reaches them, so 'squashes below one' misses half of it. It is odd "
        "(tanh(−x) = −tanh(x)), has slope 1 at 0, and is nearly linear for small inputs: "
        f"tanh(0.1) = {num(r.entry.f(0.1))}. That is why a tanh network fed tiny inputs behaves almost like a "
        "linear one.\n\n"
        "In floating point the open end closes: NumPy's float32 tanh returns exactly 1.0 "
        f"from x = {num(s32.x)} (measured here; at the float just below it gives "
        f"{s32.value_before:.8g}), its float64 tanh from x = {num(s64.x)}. Correct rounding "
        "would differ: in float32 the nearest float to tanh(x) is 1.0 before x = 10, in "
        "float64 only after NumPy's point (/activation tanh shows both). The "
        "derivative computed as 1 − tanh² is then exactly 0: a saturated unit stops learning."
    )
    return text, activation_figure(r)


def _relu():
    from bot.figures.xor import mlp_figure
    from bot.lab.activations import REGISTRY
    from bot.lab.mlp import train_mlp

    run = train_mlp(REGISTRY["relu"], 8, 0, 2000, 1.0)
    text = (
        "ReLU(x) = max(x, 0) passes its input through or blocks it: a gate, the 'decision' in "
        "the argument. Each hidden unit splits input space with one hyperplane; on each side "
        "it is linear. A network of ReLUs is therefore piecewise linear: the input space is "
        "cut into regions, and in each region the whole network is one affine map.\n\n"
        "Depth multiplies regions: counts can grow exponentially with the number of layers "
        "(Montúfar et al. 2014), though networks reached by training typically have far fewer "
        "than that maximum (Hanin & Rolnick 2019). In the figure, 8 ReLU units trained on XOR "
        f"({run.correct}/4 correct): each coloured line is a unit's gate, where it switches on."
    )
    return text, mlp_figure(run, REGISTRY["relu"].f)


def _universal():
    from bot.figures.explain import approx_figure
    from bot.lab.approx import approximate_sine

    a = approximate_sine()
    text = (
        "One hidden layer with a non-polynomial activation can approximate any continuous "
        "function on a bounded set as closely as you like (Cybenko 1989 for sigmoids, Hornik "
        "1991, Leshno et al. 1993 for any non-polynomial activation). With ReLUs it is "
        "concrete: N evenly spaced kinks (N + 1 ReLU units) give the piecewise-linear "
        "interpolant of sin on [−π, π], whose max error is at most h²/8 for spacing h: it "
        f"falls like N⁻² (fitted exponent {a.slope:.2f}; {num(a.max_errors[0])} at "
        f"N = {a.kinks[0]}, {num(a.max_errors[-1])} at N = {a.kinks[-1]}). Linear hidden "
        "units give a line at any width, and the best line in the max norm (Chebyshev) "
        f"misses sin by {num(a.chebyshev_error)} (the least-squares line by "
        f"{num(a.lsq_line_error)}).\n\n"
        "What it does not promise: how many units you need, that training finds them, or "
        "that the fit generalises. Nor can a continuous network match a jump in the max norm: "
        "next to a unit step any continuous function misses by at least ½, half the jump. "
        f"The ReLU ramp through ½ reaches exactly that ({num(a.step_max_errors[-1])} at every "
        "N), while its root-mean-square error falls "
        f"({num(a.step_rms_errors[0])} at N = {a.step_kinks[0]}, "
        f"{num(a.step_rms_errors[-1])} at N = {a.step_kinks[-1]})."
    )
    return text, approx_figure(a)


def _trainable():
    from bot.figures.explain import phase_figure
    from bot.lab.phase import compare

    p = compare()
    text = (
        "Why not learn the activation, say the phase of a sine? A per-unit phase, frequency "
        "or amplitude adds no new functions. A phase is a bias: sin(w·x + b + φ) has the same gradient for b and φ, so "
        "training moves b + φ exactly like a plain sine whose bias learns twice as fast. "
        f"Trained side by side, their losses differ by at most {p.max_loss_gap:.1e}. "
        "Frequency is absorbed by the weights w, amplitude by the next layer.\n\n"
        "Genuine shape parameters do exist and are used: PReLU learns the negative slope "
        "(He et al. 2015), Swish-β its sharpness (Ramachandran et al. 2017), Padé units "
        "rational shapes (Molina et al. 2019), KANs learn a whole 1-D function on every edge "
        "and only sum at the nodes (Liu et al. 2024; /learnable kind:kan); SIREN uses sines with fixed frequency scaling (Sitzmann et al. 2020). "
        "They cost parameters and can destabilise training; plain ReLU and GELU remain "
        "the defaults."
    )
    return text, phase_figure(p)


def _vanishing():
    from bot.figures.explain import gradient_figure
    from bot.lab.activations import REGISTRY
    from bot.lab.gradients import gradient_flow

    sig, tanh, relu = REGISTRY["sigmoid"], REGISTRY["tanh"], REGISTRY["relu"]
    base = gradient_flow(sig.f, sig.df)
    big = gradient_flow(sig.f, sig.df, gain=8.0)
    flows = {
        "sigmoid, W ~ N(0, 1/n)": base,
        "sigmoid, W ~ N(0, 64/n)": big,
        "tanh, W ~ N(0, 1/n)": gradient_flow(tanh.f, tanh.df),
        "ReLU, W ~ N(0, 2/n)": gradient_flow(relu.f, relu.df, gain=2**0.5),
    }
    shrink = [f.shrink for f in flows.values()]
    depth = len(base.ratios)
    wnorm = sum(base.weight_norms) / depth
    factor = sum(w * d for w, d in zip(base.weight_norms, base.slopes, strict=True)) / depth
    text = (
        "Backpropagation multiplies one factor per layer: the gradient at layer l − 1 is "
        "W_lᵀ·diag(f'(z_l)) times the gradient at layer l. The sigmoid's slope is at most "
        "¼, but that bounds only the diagonal factor: the weights multiply in too. A random "
        f"64×64 layer with N(0, 1/64) weights has spectral norm ‖W‖₂ ≈ {num(wnorm)}, so what "
        "bounds the factor per layer is ‖W_l‖₂·max σ' (here about "
        f"{num(factor)}), not ¼.\n\n"
        f"Measured in random {depth}-layer, 64-wide networks, the gradient reaching the input "
        f"is {num(shrink[0])} times the one leaving the output for sigmoid (¼^{depth} = "
        f"{num(0.25**depth)}); with 8× larger weights {num(shrink[1])}; tanh with N(0, 1/n) "
        f"weights {num(shrink[2])}; ReLU with N(0, 2/n) weights {num(shrink[3])}. Saturated "
        f"units pass back almost nothing (σ'(10) = {num(sig.df(10.0))}), and once float32 "
        "rounds σ(x) to 1.0 the computed σ(1 − σ) is exactly 0. The cures in use: "
        "non-saturating activations (ReLU, GELU), initialisation scaled to the layer (Glorot "
        "& Bengio 2010; He et al. 2015), normalisation, residual connections."
    )
    return text, gradient_figure(flows, base)


def _training():
    from bot.figures.xor import mlp_figure
    from bot.lab.activations import REGISTRY
    from bot.lab.mlp import train_mlp

    runs = [train_mlp(REGISTRY["relu"], 2, s, 2000, 1.0) for s in range(5)]
    fails = [r.seed for r in runs if r.correct < 4]
    shown = next((r for r in runs if r.correct < 4), runs[0])
    text = (
        "Weights that solve XOR with 2 hidden units exist, but gradient descent does not "
        "always find them. From random starts a 2-2-1 network often stops short of 4/4: "
        "ReLU units can die (negative for every input, so their gradient is 0) and the error "
        "surface has flat plateaus. For sigmoid 2-2-1 XOR, the local minima are flat regions where hidden units "
        "saturate, and from every finite point a strictly decreasing path leads to zero "
        "error (Hamey 1998; Sprinkhuizen-Kuyper & Boers 1998, 1999).\n\n"
        f"Here, ReLU 2-2-1 with seeds 0-4 (2000 epochs, lr 1): {5 - len(fails)} of 5 reach "
        "4/4. More hidden units make success far more likely (try hidden:8): "
        "over-parameterised networks are easier to train. "
        "Existence (universal approximation) and learnability are different questions."
    )
    return text, mlp_figure(shown, REGISTRY["relu"].f)


TOPICS: dict[str, Topic] = {
    t.key: t
    for t in [
        Topic(
            "collapse",
            "Why stacking linear layers collapses",
            "Without a nonlinearity between them, any stack of linear layers is exactly one matrix.",
            _collapse,
            ("/collapse 5", "/collapse layers:64 width:16", "/collapse 5 between:tanh"),
            ("Minsky & Papert 1969, Perceptrons",),
        ),
        Topic(
            "xor",
            "XOR: why no single line works (with proof)",
            "No choice of w1, w2, b separates XOR: the four conditions add up to 0 > 0.",
            _xor,
            ("/xor linear", "/xor mlp"),
            ("Minsky & Papert 1969, Perceptrons",),
        ),
        Topic(
            "squash",
            "Linear squashing (y/1000) adds nothing",
            "Multiplying by a small constant is linear: the layers still collapse into one matrix.",
            _squash,
            ("/xor squash", "/collapse 5 between:squash", "/activation custom:x/1000"),
            ("Minsky & Papert 1969, Perceptrons",),
        ),
        Topic(
            "tanh",
            "tanh: range (−1, 1), and where floats round it to 1",
            "tanh maps onto (−1, 1), open at both ends; odd, slope 1 at 0.",
            _tanh,
            ("/activation tanh", "/activation sigmoid"),
            (
                "LeCun, Bottou, Orr & Müller 1998, Efficient BackProp",
                "IEEE 754-2019, Standard for Floating-Point Arithmetic",
            ),
        ),
        Topic(
            "relu",
            "ReLU is a gate; ReLU networks are piecewise linear",
            "ReLU passes or blocks; a ReLU network is one affine map per region of input space.",
            _relu,
            ("/activation relu", "/xor mlp hidden:8 activation:relu"),
            (
                "Montúfar, Pascanu, Cho & Bengio 2014, On the Number of Linear Regions of Deep "
                "Neural Networks",
                "Hanin & Rolnick 2019, Complexity of Linear Regions in Deep Networks",
            ),
        ),
        Topic(
            "universal",
            "Universal approximation, and what it does not promise",
            "One nonlinear hidden layer can approximate any continuous function on a bounded set; it says nothing about finding it.",
            _universal,
            ("/xor mlp hidden:16", "/collapse 5 between:relu"),
            (
                "Cybenko 1989, Approximation by Superpositions of a Sigmoidal Function",
                "Hornik 1991, Approximation Capabilities of Multilayer Feedforward Networks",
                "Leshno, Lin, Pinkus & Schocken 1993, Multilayer Feedforward Networks with a "
                "Nonpolynomial Activation Function Can Approximate Any Function",
            ),
        ),
        Topic(
            "trainable",
            "Why trainable activations are rare (a learnable phase is a bias)",
            "A learnable phase, frequency or amplitude per unit is absorbed by biases and weights.",
            _trainable,
            ("/activation sin", "/xor neuron activation:sin"),
            (
                "He, Zhang, Ren & Sun 2015, Delving Deep into Rectifiers (PReLU)",
                "Ramachandran, Zoph & Le 2017, Searching for Activation Functions",
                "Molina, Schramowski & Kersting 2019, Padé Activation Units",
                "Sitzmann et al. 2020, Implicit Neural Representations with Periodic "
                "Activation Functions (SIREN)",
                "Liu et al. 2024, KAN: Kolmogorov-Arnold Networks",
            ),
        ),
        Topic(
            "vanishing",
            "Saturation and vanishing gradients",
            "A gradient going back is a product of weights and slopes, layer by layer: σ' ≤ ¼ "
            "bounds only the slopes.",
            _vanishing,
            ("/activation sigmoid", "/activation tanh", "/activation relu"),
            (
                "Bengio, Simard & Frasconi 1994, Learning Long-Term Dependencies with Gradient "
                "Descent is Difficult",
                "Glorot & Bengio 2010, Understanding the Difficulty of Training Deep "
                "Feedforward Neural Networks",
                "Pascanu, Mikolov & Bengio 2013, On the Difficulty of Training Recurrent Neural "
                "Networks (the bound with ‖W‖)",
                "He, Zhang, Ren & Sun 2015, Delving Deep into Rectifiers (N(0, 2/n) init)",
            ),
        ),
        Topic(
            "training",
            "Finding the weights is not easy",
            "The weights exist; gradient descent does not always find them.",
            _training,
            ("/xor mlp activation:relu", "/xor mlp hidden:8 activation:relu"),
            (
                "Hamey 1998, XOR Has No Local Minima: A Case Study in Neural Network Error Surface "
                "Analysis",
                "Sprinkhuizen-Kuyper & Boers 1998, The Error Surface of the 2-2-1 XOR Network: "
                "The Finite Stationary Points (Neural Networks 11)",
                "Sprinkhuizen-Kuyper & Boers 1999, The Local Minima of the Error Surface of the "
                "2-2-1 XOR Network (Annals of Mathematics and Artificial Intelligence 25)",
            ),
        ),
    ]
}


CLAIM_HINT = "Settle a claim: `/claim`, or right-click a message → Apps → Settle this"


def tries_text(t: Topic) -> str:
    """The commands to try, then where to settle a claim someone made."""
    return "\n".join([*(f"`{c}`" for c in t.tries), CLAIM_HINT])


def explain_card(topic: str = "collapse") -> Card:
    t = TOPICS.get(topic)
    if t is None:
        raise UserError(f"no topic {topic[:40]!r}. Topics: {', '.join(TOPICS)}.")
    text, png = t.build()
    fields = [Field("Try it yourself", tries_text(t))]
    if t.references:
        fields.append(Field("References", "\n".join(f"• {r}" for r in t.references)))
    return Card(
        title=t.title,
        verdict=t.summary,
        body=text,
        fields=tuple(fields),
        image=Attachment(f"explain-{t.key}.png", png),
        footer="Nonlinear · /explain "
        + t.key
        + " · every number above is computed by the bot's lab",
        color=COLOR_INFO,
        command=f"/explain topic:{t.key}",
    )
