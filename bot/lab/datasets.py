"""Four labelled 2-D datasets in [−1, 1]² (xor, circle, moons, spiral), seeded, with optional noise.

None of them can be split by one straight line: XOR's quadrants, a disc inside a ring, two
interlocking half-circles, two interleaved spirals. `noise` is the standard deviation of
Gaussian jitter added to every point after its label is fixed (so a noisy point may cross
the true boundary); None keeps each dataset's own (0 for xor and circle, 0.04 for moons,
0.02 for spiral: what /regions trains on).
"""

from __future__ import annotations

import numpy as np

POINTS = 200  # points per dataset, half of each class (xor: labels by quadrant)
DATASETS = ("xor", "circle", "moons", "spiral")
DEFAULT_NOISE = {"xor": 0.0, "circle": 0.0, "moons": 0.04, "spiral": 0.02}


def dataset_points(name, seed, noise=None):
    """POINTS labelled points in [−1, 1]²: X (n, 2), y (n,) in {0, 1}."""
    rng = np.random.default_rng([seed, 7])
    n = POINTS
    y = np.arange(n) % 2
    sd = DEFAULT_NOISE[name] if noise is None else noise
    if name == "xor":
        X = rng.uniform(-0.9, 0.9, (n, 2))
        y = (X[:, 0] * X[:, 1] > 0).astype(int)
    elif name == "circle":
        r = np.where(y == 1, rng.uniform(0.0, 0.45, n), rng.uniform(0.6, 0.9, n))
        t = rng.uniform(0, 2 * np.pi, n)
        X = np.column_stack([r * np.cos(t), r * np.sin(t)])
    elif name == "moons":
        t = rng.uniform(0, np.pi, n)
        X = np.where(
            (y == 1)[:, None],
            np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]),
            np.column_stack([np.cos(t), np.sin(t)]),
        )
        X = (X - [0.5, 0.25]) * 0.6 + rng.normal(0, sd, (n, 2))
    else:  # two interleaved spirals
        t = rng.uniform(0.25, 1.0, n) * 3 * np.pi
        X = 0.85 * (t / (3 * np.pi))[:, None] * np.column_stack([np.cos(t), np.sin(t)])
        X = np.where((y == 1)[:, None], -X, X) + rng.normal(0, sd, (n, 2))
    if name in ("xor", "circle") and sd > 0:
        X = X + rng.normal(0, sd, (n, 2))
    return X, y
