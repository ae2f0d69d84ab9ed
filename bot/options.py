"""Every slash-command option in one table: its bounds, default and help text.

The command signatures (`app_commands.Range[...]`), their `describe` texts, the lab's
server-side checks and (through the synced schema) the sandbox's checks all read a bound
from here, so each bound is written once. Pure data: importable without discord, NumPy
or matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEED_MAX = 2**31 - 1  # seeds are 0 … 2³¹ − 1, well inside Discord's integer range (±2^53)


@dataclass(frozen=True)
class Option:
    """One option: `low`/`high` bound a number, or a text's length (`text=True`)."""

    help: str
    default: Any = None
    low: int | float | None = None
    high: int | float | None = None
    text: bool = False

    @property
    def describe(self) -> str:
        """The help text Discord shows, with the bounds (≤ 100 characters)."""
        if self.low is None or self.high is None or self.text or self.high == SEED_MAX:
            return self.help
        return f"{self.help} ({self.low:g}-{self.high:g})"


PRIVATE = Option("Only you see the answer (preview before posting)", False)
SEED = Option("Seed for the random weights (shown on the reply)", 0, 0, SEED_MAX)
EPOCHS = Option("Gradient-descent steps", 2000, 1, 5000)
LR = Option("Learning rate", 1.0, 0.0001, 10.0)
HIDDEN = Option("Hidden units", 2, 1, 16)
LAYERS = Option("How many layers to stack", 3, 1, 64)
WIDTH = Option("Width of every layer", 4, 1, 16)
BOTTLENECK = Option(
    "Make one middle layer this narrow: the product's rank is at most this", None, 1, 16
)
BIAS = Option("Give the layers biases (affine layers, still one matrix)", True)
BETWEEN = Option("What sits between layers: nothing, x/1000, tanh or relu", "none")
ACTIVATION = Option("The unit's activation function", "tanh")
HIDDEN_ACTIVATION = Option("Hidden-layer activation function", "tanh")
NAME = Option("An activation from the list (e.g. tanh, relu, gelu)", "tanh", 1, 40, text=True)
CUSTOM = Option("Or your own formula in x, e.g. x*sin(x) or max(x, 0.1*x)", None, 1, 200, text=True)
TOPIC = Option(
    "What to explain (start typing: collapse, xor, tanh, relu, universal…)",
    "collapse",
    1,
    40,
    text=True,
)

# /xor stats and /learnable: many seeds at once (bot.lab.batch trains them together)
HIDDEN_SIZES = Option(
    "Hidden sizes, comma-separated, each 1-16 (e.g. 2,3,4,8)", "2,8", 1, 60, text=True
)
ACTIVATIONS = Option(
    "Hidden activations, comma-separated (e.g. tanh,relu,sigmoid)", "tanh,relu", 1, 100, text=True
)
STATS_SEEDS = Option("How many seeds (networks) per setting", 1000, 10, 2000)
LEARNABLE_SEEDS = Option("How many seeds (networks)", 200, 10, 1000)
BASE_SEED = Option(
    f"First seed of the batch: seeds seed … seed + seeds − 1 ≤ {SEED_MAX} (New seed: the next)",
    0,
    0,
    SEED_MAX,
)
INIT = Option("Initial weights: normal (W1 ~ N(0,1)), Glorot- or He-uniform", "normal")
LEARNABLE_LR = Option(
    "Learning rate for weights and θ; default 1 on XOR, 0.1 on regression", None, LR.low, LR.high
)
LEARNABLE_EPOCHS = Option("Gradient-descent steps", 1000, EPOCHS.low, EPOCHS.high)
LEARNABLE_CUSTOM = Option(
    "With task:custom, a target in x to fit on [-2, 2], e.g. x*sin(3*x)", None, 1, 200, text=True
)

# /approximate and /regions
UNITS = Option("Hidden units N", 16, 1, 256)
APPROX_SEED = Option("Seed for the random first layer (method:random or training)", 0, 0, SEED_MAX)
APPROX_CUSTOM = Option(
    "With target:custom, a formula in x, e.g. x*sin(3*x)", None, 1, 200, text=True
)
REGIONS_WIDTH = Option("Units per hidden layer", 8, 1, 64)
DEPTH = Option("Hidden layers", 2, 1, 6)

# /train
TRAIN_EPOCHS = Option("Gradient-descent steps", 1000, 10, 2000)
NOISE = Option("Gaussian jitter added to each point (default: the dataset's own)", None, 0.0, 0.5)
COMPARE = Option(
    "Train relu, tanh, sigmoid, linear and sin side by side (the activation option is unused)",
    False,
)
