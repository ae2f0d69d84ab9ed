"""The batched trainer against the same training in PyTorch and scikit-learn.

1000 seeds × 2000 epochs of a 2-2-1 tanh network on XOR: full-batch gradient descent,
BCE, lr 1, float64. PyTorch and scikit-learn are timed only when they are importable
(this benchmark never installs them); PyTorch runs on one thread, like NumPy;
scikit-learn is fitted seed by seed on 20 seeds and extrapolated to 1000.
"""

from __future__ import annotations

import importlib.util
import time
import warnings

import numpy as np

from bot.lab.activations import REGISTRY
from bot.lab.batch import train_batch
from bot.lab.xor import X, Y

SEEDS, EPOCHS, HIDDEN, LR = 1000, 2000, 2, 1.0
SKLEARN_SEEDS = 20


def numpy_batched() -> float:
    tanh = REGISTRY["tanh"]
    t = time.perf_counter()
    train_batch(tanh.f, tanh.df, X, Y, "bce", HIDDEN, range(SEEDS), EPOCHS, LR, "normal")
    return time.perf_counter() - t


def torch_batched() -> float:
    """Seeds on a leading axis, autograd, BCE with logits summed over seeds (each seed's
    gradient is then its own mean-over-points gradient)."""
    import torch

    torch.set_num_threads(1)  # like NumPy here: one core (two threads fight on a shared box)
    x = torch.tensor(X, dtype=torch.float64)  # (4, 2)
    y = torch.tensor(Y, dtype=torch.float64)  # (4,)
    g = torch.Generator().manual_seed(0)
    W1 = torch.randn(SEEDS, 2, HIDDEN, generator=g, dtype=torch.float64).requires_grad_()
    b1 = torch.zeros(SEEDS, 1, HIDDEN, dtype=torch.float64, requires_grad=True)
    W2 = (
        torch.randn(SEEDS, HIDDEN, 1, generator=g, dtype=torch.float64) / HIDDEN**0.5
    ).requires_grad_()
    b2 = torch.zeros(SEEDS, 1, 1, dtype=torch.float64, requires_grad=True)
    params = (W1, b1, W2, b2)
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    t = time.perf_counter()
    for _ in range(EPOCHS):
        z2 = (torch.tanh(x @ W1 + b1) @ W2 + b2).squeeze(-1)  # (S, 4)
        loss = bce(z2, y.expand_as(z2)).mean(dim=1).sum()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, gp in zip(params, grads, strict=True):
                p -= LR * gp
    return time.perf_counter() - t


def sklearn_per_seed() -> float:
    """MLPClassifier with plain full-batch SGD (batch 4, no momentum, no L2), one fit per seed;
    the time for SKLEARN_SEEDS seeds scaled to SEEDS."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    t = time.perf_counter()
    for seed in range(SKLEARN_SEEDS):
        clf = MLPClassifier(
            hidden_layer_sizes=(HIDDEN,),
            activation="tanh",
            solver="sgd",
            learning_rate_init=LR,
            momentum=0.0,
            nesterovs_momentum=False,
            alpha=0.0,
            batch_size=4,
            max_iter=EPOCHS,
            tol=0.0,
            n_iter_no_change=EPOCHS + 1,
            shuffle=False,
            random_state=seed,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, Y.astype(int))
    return (time.perf_counter() - t) * SEEDS / SKLEARN_SEEDS


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def stats_default() -> tuple[float, float]:
    """The default /xor stats reply: its lab (training) and the whole card with the figure."""
    from bot.cards.stats import stats_card
    from bot.lab import stats

    t = time.perf_counter()
    stats.xor_stats(("tanh", "relu"), (2, 4, 8), 1000, 2000, 1.0, "normal")
    lab = time.perf_counter() - t
    t = time.perf_counter()
    stats_card()
    return lab, time.perf_counter() - t


def main(repeats: int = 3) -> None:
    print(f"\nbatched training: {SEEDS} seeds × {EPOCHS} epochs, 2-2-1 tanh XOR (median s)")
    ours = float(np.median([numpy_batched() for _ in range(repeats)]))
    print(f"{'NumPy batched (bot.lab.batch)':<44} {ours:8.3f} s")
    if _has("torch"):
        torch_s = float(np.median([torch_batched() for _ in range(repeats)]))
        print(f"{'PyTorch batched autograd':<44} {torch_s:8.3f} s   ratio {torch_s / ours:6.1f}×")
    else:
        print("PyTorch not importable: skipped (this benchmark never installs it)")
    if _has("sklearn"):
        sk = sklearn_per_seed()
        print(
            f"{f'scikit-learn per seed (from {SKLEARN_SEEDS} seeds)':<44} {sk:8.3f} s   "
            f"ratio {sk / ours:6.0f}×"
        )
    else:
        print("scikit-learn not importable: skipped (this benchmark never installs it)")
    lab, card = stats_default()
    print(f"{'/xor stats defaults: lab (2 × 3 settings)':<44} {lab:8.3f} s")
    print(f"{'/xor stats defaults: whole card':<44} {card:8.3f} s")
    from bot.cards.learnable import learnable_card

    t = time.perf_counter()
    learnable_card()
    print(f"{'/learnable defaults: whole card':<44} {time.perf_counter() - t:8.3f} s")


if __name__ == "__main__":
    main()
