"""The batched trainer against the same training in PyTorch and scikit-learn.

1000 seeds × 2000 epochs of a 2-2-1 tanh network on XOR: full-batch gradient descent on
the mean BCE, lr 1, float64, no momentum, no weight decay, no early stopping.
  ours      bot.lab.batch.train_batch, timed whole: the per-seed init included.
  PyTorch   autograd, one thread (NumPy's ufuncs use one core too), started from our
            init so that it trains the same networks; two ways of writing it, a batched
            matmul and the broadcast form ours uses; training loop timed.
  sklearn   MLPClassifier fitted seed by seed (its own Glorot init), configured as
            plain full-batch gradient descent: solver sgd, batch 4 (all of XOR),
            momentum 0, alpha 0, constant lr 1, max_iter 2000, tol 0 and
            n_iter_no_change above max_iter (never stops early), no shuffling; the
            time for SKLEARN_SEEDS seeds scaled to 1000.
PyTorch and scikit-learn are timed only when importable (this never installs them).
Each is run REPEATS times (scikit-learn SKLEARN_REPEATS), interleaved so that all see the
same load; the ratios are of the medians, in wall-clock and in CPU time (CPU time is steadier on a shared box).
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np

from bot.lab.activations import REGISTRY
from bot.lab.batch import init_batch, train_batch
from bot.lab.xor import X, Y

SEEDS, EPOCHS, HIDDEN, LR = 1000, 2000, 2, 1.0
SKLEARN_SEEDS = 20
REPEATS = 5
SKLEARN_REPEATS = 3
GOALS = {"PyTorch": 4.0, "sklearn": 1000.0}  # issue 9: at least this many times faster


def numpy_batched() -> dict:
    tanh = REGISTRY["tanh"]
    return train_batch(tanh.f, tanh.df, X, Y, "bce", HIDDEN, range(SEEDS), EPOCHS, LR, "normal")


def _torch_start(torch, seeds_last: bool):
    """Our init (seeds last) as PyTorch leaf tensors, seeds last or first."""
    W1, b1, W2, b2 = init_batch(2, HIDDEN, range(SEEDS), "normal")
    if not seeds_last:  # (S, 2, H), (S, 1, H), (S, H, 1), (S, 1, 1)
        W1, b1 = W1.transpose(2, 0, 1), b1.T[:, None, :]
        W2, b2 = W2.T[:, :, None], b2[:, None, None]
    return [torch.tensor(np.ascontiguousarray(w), dtype=torch.float64) for w in (W1, b1, W2, b2)]


def torch_batched(form: str) -> tuple[Callable[[], object], Callable[[], np.ndarray]]:
    """(train, outputs): `form` "matmul" (seeds first, x @ W1 per seed) or "broadcast" (seeds
    last, as ours). The loss is each seed's mean BCE summed over seeds, so each seed's
    gradient is its own."""
    import torch

    torch.set_num_threads(1)
    x = torch.tensor(X, dtype=torch.float64)  # (4, 2)
    params = [p.requires_grad_() for p in _torch_start(torch, form == "broadcast")]
    W1, b1, W2, b2 = params
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    if form == "matmul":
        y = torch.tensor(Y, dtype=torch.float64).expand(SEEDS, 4)  # (S, 4)

        def logits():
            return (torch.tanh(x @ W1 + b1) @ W2 + b2).squeeze(-1)  # (S, 4)

        def loss(z2):
            return bce(z2, y, reduction="sum") / 4
    else:
        xs = x[:, :, None, None]  # (4, 2, 1, 1)
        y = torch.tensor(Y, dtype=torch.float64)[:, None].expand(4, SEEDS)  # (4, S)

        def logits():
            return (torch.tanh((xs * W1).sum(1) + b1) * W2).sum(1) + b2  # (4, S)

        def loss(z2):
            return bce(z2, y, reduction="sum") / 4

    def train():
        for _ in range(EPOCHS):
            grads = torch.autograd.grad(loss(logits()), params)
            with torch.no_grad():
                for p, g in zip(params, grads, strict=True):
                    p -= LR * g

    def outputs() -> np.ndarray:  # σ(z2), (4, S)
        with torch.no_grad():
            p = torch.sigmoid(logits()).numpy()
        return p.T if form == "matmul" else p

    return train, outputs


def sklearn_per_seed() -> None:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    for seed in range(SKLEARN_SEEDS):
        clf = MLPClassifier(
            hidden_layer_sizes=(HIDDEN,),
            activation="tanh",
            solver="sgd",
            learning_rate="constant",
            learning_rate_init=LR,
            momentum=0.0,
            nesterovs_momentum=False,
            alpha=0.0,
            batch_size=4,
            max_iter=EPOCHS,
            tol=0.0,
            n_iter_no_change=EPOCHS + 1,
            early_stopping=False,
            shuffle=False,
            random_state=seed,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, Y.astype(int))
        assert clf.n_iter_ == EPOCHS  # every epoch ran: no early stop


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _clock(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall s, CPU s of this process) for one call."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def compare(repeats: int = REPEATS) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds for 1000 seeds of each contender, runs interleaved."""
    runs: dict[str, list[tuple[float, float]]] = {"ours": []}
    torch_forms = {}
    if _has("torch"):
        torch_forms = {f"PyTorch {form}": form for form in ("matmul", "broadcast")}
        for name in torch_forms:
            runs[name] = []
    if _has("sklearn"):
        runs["sklearn"] = []
    agree = {}
    for i in range(repeats):
        runs["ours"].append(_clock(numpy_batched))
        for name, form in torch_forms.items():
            train, outputs = torch_batched(form)
            runs[name].append(_clock(train))
            agree[name] = outputs()
        if "sklearn" in runs and i < SKLEARN_REPEATS:  # ~1 s a seed: fewer runs
            wall, cpu = _clock(sklearn_per_seed)
            runs["sklearn"].append((wall * SEEDS / SKLEARN_SEEDS, cpu * SEEDS / SKLEARN_SEEDS))
    ours = numpy_batched()["out"]
    for name, p in agree.items():  # the same networks trained: how close the outputs end
        print(f"  {name}: max |Δσ(z2)| against ours over all seeds {np.max(np.abs(p - ours)):.1e}")
    return {
        name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for name, r in runs.items()
    }


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


def main(repeats: int = REPEATS) -> None:
    print(
        f"\nbatched training: {SEEDS} seeds × {EPOCHS} epochs, 2-2-1 tanh XOR, full-batch GD "
        f"on the mean BCE, lr {LR:g}, float64; median of {repeats} interleaved runs "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    if not _has("torch"):
        print("PyTorch not importable: skipped (this benchmark never installs it)")
    if not _has("sklearn"):
        print("scikit-learn not importable: skipped (this benchmark never installs it)")
    times = compare(repeats)
    ours_wall, ours_cpu = times["ours"]
    labels = {
        "ours": "NumPy batched (bot.lab.batch, init included)",
        "PyTorch matmul": "PyTorch autograd, batched matmul",
        "PyTorch broadcast": "PyTorch autograd, broadcast (seeds last)",
        "sklearn": f"scikit-learn per seed (×{SEEDS // SKLEARN_SEEDS} from {SKLEARN_SEEDS})",
    }
    for name, (wall, cpu) in times.items():
        line = f"{labels[name]:<46} wall {wall:8.3f} s  CPU {cpu:8.3f} s"
        if name != "ours":
            goal = GOALS[name.split()[0]]
            rw, rc = wall / ours_wall, cpu / ours_cpu
            met = "met" if min(rw, rc) >= goal else "NOT met"
            line += f"   ours {rw:6.1f}× faster (CPU {rc:6.1f}×), goal {goal:g}×: {met}"
        print(line)
    print(f"(load average at the end {os.getloadavg()[0]:.1f})")
    lab, card = stats_default()
    print(f"{'/xor stats defaults: lab (2 × 3 settings)':<46} {lab:8.3f} s")
    print(f"{'/xor stats defaults: whole card':<46} {card:8.3f} s")
    from bot.cards.learnable import learnable_card

    t = time.perf_counter()
    learnable_card()
    print(f"{'/learnable defaults: whole card':<46} {time.perf_counter() - t:8.3f} s")


if __name__ == "__main__":
    main()
