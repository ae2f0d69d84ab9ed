"""The claims people make about neural networks, each with its verdict and its proof.

Pure data: a claim's verdict and why come from theory (DESIGN.md section 5), the
numbers from the experiments it names, which are the bot's own commands. `phrasings`
say how people word a claim: each phrasing is groups separated by `;`, alternatives
by `|`; a sentence matches when every group has one alternative in it (words are
stemmed and forgive one typo, see bot.claims.text). `<div>` stands for "symbol / number"
(y/1000), `<mul>` for "symbol * constant" (y * w3).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Verdict(Enum):
    TRUE = "true"
    FALSE = "false"
    TRUE_BUT = "true, but"


@dataclass(frozen=True)
class Experiment:
    """One existing job with options: what the bot runs to show the claim."""

    kind: str  # a bot.jobs.BUILDERS key
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def command(self) -> str:
        """The slash command a person types to run it themselves."""
        name = "/" + self.kind.replace(".", " ")
        return " ".join([name, *(f"{k}:{_word(v)}" for k, v in self.options)])

    def job_options(self) -> dict[str, Any]:
        return dict(self.options)


def _word(v: Any) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def run(kind: str, **options: Any) -> Experiment:
    return Experiment(kind, tuple(options.items()))


@dataclass(frozen=True)
class Claim:
    id: str
    wording: str  # canonical, as people say it (≤ 100 chars: an autocomplete choice)
    label: str  # ≤ 40 chars, for a button
    verdict: Verdict
    why: str  # one sentence
    experiments: tuple[Experiment, ...]  # the first is the one attached to a verdict
    reference: str
    phrasings: tuple[str, ...]
    overrides: tuple[str, ...] = ()  # vaguer claims this one replaces in the same sentence


LINEAR_WORDS = "linear|linearly|matrix|matrices|affine|dense|fully connected"
SQUASH_WORDS = "squash|smash|squish|scale|scaling|shrink|<div>|<mul>"
ACTIVATION_WORDS = "tanh|sigmoid|nonlinear|nonlinearity|activation|activation function"

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="linear-stack",
        wording="Stacking linear layers makes a network more powerful",
        label="Stacked linear layers",
        verdict=Verdict.FALSE,
        why="Linear (even affine) layers multiply into one matrix, so any depth computes exactly what one layer does.",
        experiments=(run("collapse", layers=5, between="none"), run("explain", topic="collapse")),
        reference="Minsky & Papert 1969, Perceptrons",
        phrasings=(
            f"{LINEAR_WORDS} ; layer|stack|deep|depth|transform|chain|chaining|compose|composition ; collapse|power|powerful|more expressive|expressive|extra|single matrix|one matrix|single linear|still one|still a single|same as one|only fit|better|bigger|beat|help|smart|smarter|capable|more capable|stronger|clever|cleverer",
            "fit ; single layer|one layer ; single matrix|one matrix",
            "collapse|multiply|multiplied|product ; single matrix|one matrix|single layer|one layer|single linear",
            "layer ; weight matrix|matrices ; multiply|product",
            "without|no ; nonlinearity|nonlinear|activation ; collapse|single|one matrix",
        ),
    ),
    Claim(
        id="linear-squash",
        wording="A linear squash (y·w3, y/1000) keeps the numbers small and helps",
        label="Linear squash y/1000",
        verdict=Verdict.FALSE,
        why="Multiplying by a constant is linear: it folds into the next matrix, so the layers still collapse and XOR stays out of reach.",
        experiments=(run("collapse", layers=4, between="squash"), run("xor.squash")),
        reference="Minsky & Papert 1969, Perceptrons",
        phrasings=(
            "squash|squashing|smash ; linear|linearly",
            "<div>|<mul> ; squash|linear|nonlinear|nonlinearity|layer|output|small|large|blow|big|explode|help",
            "multiply|multiplying|divide|dividing|scale ; small value|small number|small constant|constant|1000|big number|large number",
        ),
    ),
    Claim(
        id="tanh-range",
        wording="tanh squashes every number to less than 1",
        label="tanh: less than 1?",
        verdict=Verdict.TRUE_BUT,
        why="tanh maps onto (−1, 1), open at both ends: it is odd, so negative inputs give outputs down to −1, with slope 1 at 0.",
        experiments=(run("activation", name="tanh"), run("explain", topic="tanh")),
        reference="LeCun, Bottou, Orr & Müller 1998, Efficient BackProp",
        phrasings=(
            "tanh|squash|squashes|smash|activation|output ; less than 1|less than one|below 1|below one|under 1|under one|smaller than 1|smaller than one|at most 1",
            "tanh ; range|between|interval|bounded ; 0 and 1|zero and one|0 to 1|minus one|-1|1",
        ),
    ),
    Claim(
        id="squash-only",
        wording="tanh is only there to stop numbers blowing up",
        label="tanh only stops blow-ups?",
        verdict=Verdict.FALSE,
        why="Bounding is a side effect: the job of tanh is to be nonlinear, without it the layers collapse into one matrix (and unbounded ReLU works).",
        experiments=(run("collapse", layers=5, between="tanh"), run("explain", topic="squash")),
        reference="Leshno, Lin, Pinkus & Schocken 1993 (any non-polynomial activation works)",
        phrasings=(
            f"{ACTIVATION_WORDS}|smashing function|squashing function ; blow up|blowing up|explode|exploding|stay small|keep small|number small|value small|stable",
            "just|only|merely|simply|all its|all it ; squash|squashing|smash|smashing|clamp|bound ; below|less than|range|blow|large|nonlinearity",
            "nonlinearity|nonlinear|activation ; just|only|merely|simply ; squash|smash|clamp",
        ),
    ),
    Claim(
        id="magic-in-weights",
        wording="All the magic is in the weights, none in the activation",
        label="All magic in the weights?",
        verdict=Verdict.FALSE,
        why="Without the nonlinearity the same weights can only ever make one matrix; the power is in weights and nonlinearity together.",
        experiments=(
            run("collapse", layers=5, between="none"),
            run("collapse", layers=5, between="tanh"),
        ),
        reference="Leshno, Lin, Pinkus & Schocken 1993",
        phrasings=(
            "magic|knowledge|intelligence|power|smart ; weight|parameter",
            "magic|intelligence ; tanh|activation|nonlinearity|smashing|squashing",
        ),
    ),
    Claim(
        id="weights-lines",
        wording="All trainable parameters are just slopes of lines",
        label="Weights are slopes?",
        verdict=Verdict.TRUE_BUT,
        why="Each weight is a slope (each bias an intercept) inside one unit's pre-activation, but the network's output is a nonlinear function of all of them, and only the activation lets them build more than one line.",
        experiments=(run("xor.mlp", hidden=2, activation="tanh"), run("xor.linear")),
        reference="Cybenko 1989; Hornik 1991",
        phrasings=(
            "weight|parameter|param ; slope",
            "train|training|adjust ; input ; nonlinear|activation",
        ),
    ),
    Claim(
        id="relu-gating",
        wording="ReLU is just linear gating",
        label="ReLU just gating?",
        verdict=Verdict.TRUE_BUT,
        why="ReLU passes or blocks, linear on each side, yet that gate is exactly the nonlinearity: gated units cut the input into linear regions and solve XOR.",
        experiments=(run("xor.mlp", hidden=8, activation="relu"), run("explain", topic="relu")),
        reference="Montúfar, Pascanu, Cho & Bengio 2014; Hanin & Rolnick 2019",
        phrasings=(
            "relu|rectifier ; gate|gating|switch|block|pass through|pass thru|on off",
            "relu|rectifier ; just|only|basically|simply|merely ; linear|piecewise",
        ),
    ),
    Claim(
        id="relu-discontinuous",
        wording="ReLU makes a discontinuity, a jump in behaviour",
        label="ReLU discontinuous?",
        verdict=Verdict.FALSE,
        why="ReLU is continuous; its slope jumps from 0 to 1 at 0 (a kink), and that kink is what makes it nonlinear.",
        experiments=(run("activation", name="relu"),),
        reference="Montúfar, Pascanu, Cho & Bengio 2014",
        phrasings=(
            "discontinuity|discontinuous|jump ; relu|nonlinear|nonlinearity|activation|decision|behavior|gate|threshold",
        ),
    ),
    Claim(
        id="nonlinear-decisions",
        wording="Nonlinear layers make decisions, so they do more than linear layers",
        label="Nonlinear layers decide",
        verdict=Verdict.TRUE,
        why="A nonlinearity treats the two sides of a threshold differently; several such units together separate what no single line can, such as XOR.",
        experiments=(run("xor.mlp", hidden=2, activation="tanh"), run("collapse", between="relu")),
        reference="Minsky & Papert 1969; Cybenko 1989",
        phrasings=(
            "decision|decide ; layer|nonlinear|nonlinearity|unit|neuron|network",
            "nonlinear|nonlinearity ; threshold ; side",
        ),
    ),
    Claim(
        id="xor-line",
        wording="XOR can be fit by a line (y = w1·x1 + w2·x2 + b)",
        label="XOR by a line?",
        verdict=Verdict.FALSE,
        why="The four inequalities XOR needs add up to 0 > 0: no w1, w2, b exist, and the best line gets 3 of 4.",
        experiments=(run("xor.linear"), run("explain", topic="xor")),
        reference="Minsky & Papert 1969, Perceptrons",
        phrasings=(
            "xor|exclusive or ; line|linear|w1|single neuron|single unit|one neuron|perceptron|one layer|single layer|logistic regression|gate",
        ),
    ),
    Claim(
        id="monotone-squash",
        wording="Putting tanh or sigmoid on one unit lets it solve XOR",
        label="Squashed unit on XOR?",
        verdict=Verdict.FALSE,
        why="For a monotone f the set where f(w·x + b) > ½ is a half-plane (or empty, or everything), still one line; a non-monotone unit such as sin(π/2·(x1 + x2)) does solve XOR.",
        experiments=(run("xor.squash"), run("xor.neuron", activation="sin")),
        reference="Minsky & Papert 1969, Perceptrons",
        phrasings=(
            "xor ; tanh|sigmoid|squash|squashing|monotone|activation ; one unit|single unit|one neuron|single neuron|output|help",
        ),
        overrides=("xor-line",),
    ),
    Claim(
        id="universal",
        wording="Neural networks can fit any continuous function",
        label="Fit any function?",
        verdict=Verdict.TRUE_BUT,
        why="One nonlinear hidden layer can approximate any continuous function on a bounded set, but the theorem promises no unit count, no training success and no generalisation.",
        experiments=(
            run("explain", topic="universal"),
            run("xor.mlp", hidden=16, activation="relu"),
        ),
        reference="Cybenko 1989; Hornik 1991; Leshno, Lin, Pinkus & Schocken 1993",
        phrasings=(
            "fit|approximate|represent|learn|model|express ; any|every|arbitrary ; function",
            "universal approximation|universal approximator",
        ),
    ),
    Claim(
        id="training-easy",
        wording="If the right weights exist, training will find them",
        label="Training finds them?",
        verdict=Verdict.FALSE,
        why="Existence is not learnability: a 2-2-1 XOR net from random starts often stalls on plateaus or dead ReLUs; more units make it reliable.",
        experiments=(run("explain", topic="training"), run("xor.mlp", activation="relu", seed=0)),
        reference="Hamey 1998; Sprinkhuizen-Kuyper & Boers 1998",
        phrasings=(
            "training|gradient descent|backprop|optimizer|sgd ; always|guarantee|guaranteed|easy ; find|reach|converge",
        ),
    ),
    Claim(
        id="learned-activation",
        wording="The activation itself could be learned (a phase, Fourier coefficients)",
        label="Learn the activation?",
        verdict=Verdict.TRUE_BUT,
        why="Learned activations exist (PReLU, Swish-β, PAU, KAN), but a per-unit phase, frequency or amplitude adds nothing: biases and weights absorb it.",
        experiments=(run("explain", topic="trainable"), run("xor.neuron", activation="sin")),
        reference="He et al. 2015 (PReLU); Ramachandran et al. 2017 (Swish); Liu et al. 2024 (KAN)",
        phrasings=(
            "activation|activation function ; trainable|learnable|learn|learned|tune|tunes|adjust|parameterise|parameterize|parameterising|parameterizing|parametric",
            "phase|frequency|fourier ; weight|activation|learn|learnable|train|trainable|tune|adjust|adjusted|parameter",
        ),
    ),
    Claim(
        id="deeper-better",
        wording="Deeper networks are always better",
        label="Deeper always better?",
        verdict=Verdict.FALSE,
        why="Depth without nonlinearity adds nothing, a narrow layer caps the rank, and deep saturating stacks pass back vanishing gradients.",
        experiments=(
            run("collapse", layers=64, width=16, bottleneck=2),
            run("explain", topic="vanishing"),
        ),
        reference="Glorot & Bengio 2010; Montúfar et al. 2014",
        phrasings=(
            "deeper|more layer|depth|deep network ; always|better|more power|more powerful|the more",
        ),
    ),
    Claim(
        id="sigmoid-tanh",
        wording="Sigmoid and tanh are interchangeable",
        label="Sigmoid = tanh?",
        verdict=Verdict.TRUE_BUT,
        why="tanh(x) = 2σ(2x) − 1, so weights can convert one network into the other exactly, but the range (0, 1) vs (−1, 1) and slope ¼ vs 1 at 0 change training.",
        experiments=(run("activation", name="sigmoid"), run("activation", name="tanh")),
        reference="LeCun, Bottou, Orr & Müller 1998, Efficient BackProp",
        phrasings=(
            "sigmoid|logistic ; tanh ; same|interchangeable|equivalent|identical|swap|difference|either|rescaled|shifted",
        ),
    ),
)

BY_ID: dict[str, Claim] = {c.id: c for c in CLAIMS}
