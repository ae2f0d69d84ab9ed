"""The batched trainer: per-seed identity, the /xor mlp trainer, gradients, inits, divergence."""

from __future__ import annotations

import numpy as np
import pytest

from bot.lab import batch, mlp
from bot.lab.activation_fns import sigmoid, softplus
from bot.lab.activation_numbers import central_df
from bot.lab.activations import REGISTRY
from bot.lab.batch import INITS, init_weights, train_batch
from bot.lab.expr import parse
from bot.lab.xor import X, Y

RNG = np.random.default_rng(12345)
X2 = RNG.normal(size=(7, 2))  # a 2-D classification set with no point at the origin
Y2 = np.array([0, 1, 1, 0, 1, 0, 0], dtype=float)
X1 = np.linspace(-2, 2, 20)[:, None]  # 1-D regression: 20 points (more than NumPy's 8-block),
# none at 0, where b1 = 0 would put z1 on the kink of ReLU or step
Y1 = np.sin(2 * X1[:, 0])


def _custom():
    expr = parse("x*sin(x) + 0.1*x")

    def df(z):
        return central_df(expr, z)

    return expr, df


KINDS = [(a.f, a.df, name) for name, a in REGISTRY.items()] + [(*_custom(), "custom")]


@pytest.mark.parametrize(("f", "df", "name"), KINDS, ids=[k[2] for k in KINDS])
def test_network_s_of_a_batch_is_the_single_seed_run_bit_for_bit(f, df, name):
    seeds = [0, 5, 2**31 - 1, 17, 3, 1, 99, 12, 40]
    for data, loss, hidden, init in [
        ((X, Y), "bce", 2, "normal"),
        ((X2, Y2), "bce", 9, "glorot"),
        ((X1, Y1), "mse", 1, "he"),
        ((X1, Y1), "mse", 16, "normal"),
    ]:
        kw = dict(loss=loss, hidden=hidden, epochs=40, lr=0.5, init=init, losses=True)
        big = train_batch(f, df, *data, seeds=seeds, checkpoints=(0, 7, 40), **kw)
        for i in (0, 2, 8):
            one = train_batch(f, df, *data, seeds=[seeds[i]], checkpoints=(0, 7, 40), **kw)
            for key, v in one.items():
                assert np.array_equal(v[..., 0], big[key][..., i], equal_nan=True), (key, i)


def _per_seed_descent(f, df, W1, b1, W2, b2, epochs, lr):
    """The per-seed XOR trainer written independently (the loop /xor mlp ran before it
    used the batched one): BLAS matmuls, the where-form logistic, softplus BCE."""
    with np.errstate(all="ignore"):
        for k in range(epochs + 1):
            z1 = X @ W1 + b1  # (4, H)
            h = f(z1)
            z2 = h @ W2 + b2  # (4,)
            p = sigmoid(z2)
            if k == epochs:
                return W1, b1, W2, b2, p, np.mean(softplus(z2) - Y * z2)
            dz2 = (p - Y) / 4
            dz1 = np.outer(dz2, W2) * df(z1)  # (4, H)
            W1, b1 = W1 - lr * (X.T @ dz1), b1 - lr * dz1.sum(axis=0)
            W2, b2 = W2 - lr * (h.T @ dz2), b2 - lr * float(np.sum(dz2))


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid", "sin", "elu", "identity"])
@pytest.mark.parametrize("hidden", [1, 2, 3, 8, 16])
def test_single_seed_with_normal_init_is_the_per_seed_trainer(name, hidden):
    """Same training as an independent per-seed loop, up to rounding (that loop uses BLAS
    matmuls, NumPy's tanh and the where-form logistic): the largest difference seen is 1.4e-14.
    /xor mlp (bot.lab.mlp) trains with the batched trainer, so this also checks the card."""
    act = REGISTRY[name]
    worst = 0.0
    for seed in (0, 1, 7):
        start = init_weights(2, hidden, seed, "normal")
        *ref, p_ref, loss_ref = _per_seed_descent(act.f, act.df, *start, 500, 1.0)
        run = mlp.train_mlp(act, hidden, seed, 500, 1.0)
        pairs = [*zip(ref, (run.W1, run.b1, run.W2, run.b2), strict=True), (p_ref, run.outputs)]
        for a, b in pairs:
            worst = max(worst, float(np.max(np.abs(np.asarray(a) - np.asarray(b)))))
        decided = np.abs(p_ref - 0.5) > 1e-9  # identity units end at ½ ± ulps
        same = (np.asarray(run.outputs) > 0.5) == (p_ref > 0.5)
        assert same[decided].all()
        assert abs(run.loss - loss_ref) < 1e-12
    assert worst < 1e-12


def test_normal_init_is_the_mlp_init_exactly():
    for hidden in (1, 2, 16):
        for seed in (0, 3, 2**31 - 1):
            for a, b in zip(
                init_weights(2, hidden, seed, "normal"), mlp.init(hidden, seed), strict=True
            ):
                assert np.array_equal(a, b)


@pytest.mark.parametrize("init", ["glorot", "he"])
def test_uniform_inits_have_the_literature_limits(init):
    hidden = 8
    draws = [init_weights(2, hidden, s, init) for s in range(400)]
    W1 = np.array([d[0] for d in draws])  # (400, 2, 8)
    W2 = np.array([d[2] for d in draws])  # (400, 8)
    lim1, lim2 = (
        (np.sqrt(6 / (2 + hidden)), np.sqrt(6 / (hidden + 1)))
        if init == "glorot"
        else (np.sqrt(6 / 2), np.sqrt(6 / hidden))
    )
    for w, lim in ((W1, lim1), (W2, lim2)):
        assert np.abs(w).max() <= lim
        assert np.abs(w).max() > 0.99 * lim  # the whole interval is used
        assert abs(w.var() - lim**2 / 3) < 0.05 * lim**2 / 3  # U(−a, a) has variance a²/3
    assert all(np.all(d[1] == 0) and d[3] == 0 for d in draws)


def test_unknown_init_is_refused():
    with pytest.raises(ValueError, match="init"):
        init_weights(2, 2, 0, "orthogonal")
    assert INITS == ("normal", "glorot", "he")


def _loss(f, Xd, Yd, loss, W1, b1, W2, b2):
    """The loss written independently: matmuls, the textbook sigmoid and BCE."""
    z2 = f(Xd @ W1 + b1) @ W2 + b2
    if loss == "bce":
        p = 1 / (1 + np.exp(-z2))
        return -np.mean(Yd * np.log(p) + (1 - Yd) * np.log(1 - p))
    return np.mean((z2 - Yd) ** 2)


@pytest.mark.parametrize(("f", "df", "name"), KINDS, ids=[k[2] for k in KINDS])
@pytest.mark.parametrize(("data", "loss"), [((X2, Y2), "bce"), ((X1, Y1), "mse")])
def test_gradient_step_matches_finite_differences(f, df, name, data, loss):
    """One step with lr = 1 moves each weight by −∂L/∂w; compare with central differences."""
    hidden, seed = 3, 4
    before = init_weights(data[0].shape[1], hidden, seed, "normal")
    after = train_batch(f, df, *data, loss, hidden, [seed], 1, 1.0, "normal")
    params = [np.array(p, dtype=float) for p in before]
    steps = [after[k][..., 0] for k in ("W1", "b1", "W2", "b2")]
    for k, (p, moved) in enumerate(zip(params, steps, strict=True)):
        grad = p - moved  # what the trainer subtracted
        fd = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            e = 1e-6
            hi = [q.copy() for q in params]
            lo = [q.copy() for q in params]
            hi[k][idx] += e
            lo[k][idx] -= e
            fd[idx] = (_loss(f, *data, loss, *hi) - _loss(f, *data, loss, *lo)) / (2 * e)
        assert np.allclose(grad, fd, rtol=1e-5, atol=1e-7), (name, k)


@pytest.mark.parametrize("kept", [True, False], ids=["losses after the loop", "per epoch"])
def test_divergence_is_found_per_seed_with_its_epoch(kept, monkeypatch):
    """exp hidden units with a big step blow up for some seeds: the epoch is the first whose
    loss is not finite, per seed, and seeds that stay finite are not flagged; whether the
    losses are worked out after the loop (small runs) or epoch by epoch (large ones)."""
    if not kept:
        monkeypatch.setattr(batch, "MAX_KEPT", 0)
    expr = parse("exp(x)")
    seeds = list(range(12))
    run = train_batch(expr, expr, X1, Y1, "mse", 2, seeds, 60, 1.0, "normal", losses=True)
    first_bad = [
        int(np.argmax(~np.isfinite(c))) if not np.isfinite(c).all() else -1 for c in run["losses"].T
    ]
    assert list(run["diverged_at"]) == first_bad
    assert any(e > 0 for e in first_bad)
    for s in seeds:
        e = run["diverged_at"][s]
        finite = np.isfinite(run["out"][:, s]).all()
        assert (e >= 0) == (not finite)


def test_losses_after_the_loop_are_the_per_epoch_losses_bit_for_bit(monkeypatch):
    """Both ways of reporting losses give the same bits, diverging seeds included, and a
    run without losses finds the same divergence epochs."""
    expr = parse("exp(x)")
    seeds = list(range(12))
    kept = train_batch(expr, expr, X1, Y1, "mse", 2, seeds, 60, 1.0, "normal", losses=True)
    silent = train_batch(expr, expr, X1, Y1, "mse", 2, seeds, 60, 1.0, "normal")
    monkeypatch.setattr(batch, "MAX_KEPT", 0)
    stepwise = train_batch(expr, expr, X1, Y1, "mse", 2, seeds, 60, 1.0, "normal", losses=True)
    for k in kept:
        assert np.array_equal(kept[k], stepwise[k], equal_nan=True), k
    assert np.array_equal(kept["diverged_at"], silent["diverged_at"])
    tanh = REGISTRY["tanh"]
    a = train_batch(tanh.f, tanh.df, X, Y, "bce", 3, [4, 5], 200, 5.0, "he", losses=True)
    monkeypatch.setattr(batch, "MAX_KEPT", 2**21)
    b = train_batch(tanh.f, tanh.df, X, Y, "bce", 3, [4, 5], 200, 5.0, "he", losses=True)
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_checkpoints_and_losses_follow_the_training():
    act = REGISTRY["tanh"]
    run = train_batch(act.f, act.df, X, Y, "bce", 2, [0, 1], 30, 1.0, "normal", (0, 30), True)
    W1, b1, W2, b2 = init_weights(2, 2, 1, "normal")
    p0 = 1 / (1 + np.exp(-(np.tanh(X @ W1 + b1) @ W2 + b2)))
    assert np.allclose(run["checkpoints"][0][:, 1], p0, rtol=0, atol=1e-15)
    assert np.array_equal(run["checkpoints"][1], run["out"])
    assert run["losses"].shape == (31, 2)
    assert np.array_equal(run["losses"][-1], run["loss"])
    assert np.all(run["diverged_at"] == -1)


def test_start_weights_in_any_memory_order_train_the_same_networks():
    """A `start` picked from a larger batch by fancy indexing (not C-ordered) trains as a copy."""
    act = REGISTRY["tanh"]
    drawn = batch.init_batch(2, 3, range(6), "normal")
    pick = np.array([4, 1, 3])
    picked = tuple(w[..., pick] for w in drawn)
    assert not picked[0].flags.c_contiguous  # what used to be refused
    copies = tuple(np.ascontiguousarray(w) for w in picked)
    a = train_batch(act.f, act.df, X, Y, "bce", 3, pick, 50, 1.0, "normal", start=picked)
    b = train_batch(act.f, act.df, X, Y, "bce", 3, pick, 50, 1.0, "normal", start=copies)
    c = train_batch(act.f, act.df, X, Y, "bce", 3, pick, 50, 1.0, "normal")
    for k in ("W1", "b1", "W2", "b2", "out"):
        assert np.array_equal(a[k], b[k]) and np.array_equal(a[k], c[k])


def test_linear_hidden_units_reach_the_least_squares_line():
    """A 1-H-1 network with identity units is an affine map: GD ends at the LS line."""
    act = REGISTRY["identity"]
    run = train_batch(act.f, act.df, X1, Y1, "mse", 2, [0, 1, 2], 3000, 0.05, "normal")
    A = np.column_stack([X1[:, 0], np.ones(len(X1))])
    coef, *_ = np.linalg.lstsq(A, Y1, rcond=None)
    assert np.allclose(run["out"], (A @ coef)[:, None], atol=1e-9)


def test_table_tanh_is_within_4_ulp_of_the_exact_tanh():
    """The trainer's tanh (a table and the addition formula) against the C library's tanh,
    over every scale from 1e-300 to past saturation, and at the edges."""
    import math

    from bot.lab.batch import table_tanh, tanh_grid

    grid = tanh_grid()
    rng = np.random.default_rng(3)
    scales = (1e-300, 1e-8, 1 / 512, 1e-2, 0.3, 1.0, 4.0, 19.0, 40.0)
    z = np.concatenate([rng.normal(size=3000) * s for s in scales] + [np.linspace(-21, 21, 8001)])
    exact = np.array([math.tanh(v) for v in z])
    with np.errstate(all="ignore"):
        got = table_tanh(z, np.empty_like(z), np.empty_like(z), np.empty(z.shape, np.int64), grid)
    ulps = np.abs(got - exact) / np.spacing(np.abs(exact))
    assert ulps.max() <= 4
    edges = np.array([0.0, np.inf, -np.inf, 19.5, -19.5, 1e4, np.nan])
    with np.errstate(all="ignore"):
        out = table_tanh(edges, np.empty(7), np.empty(7), np.empty(7, np.int64), grid)
    assert np.array_equal(out, [0, 1, -1, 1, -1, 1, np.nan], equal_nan=True)


def test_tracking_dead_units_changes_no_bit_and_a_dead_unit_never_moves_again():
    relu = REGISTRY["relu"]
    seeds = [0, 5, 2**31 - 1, 3]
    kw = dict(loss="bce", hidden=8, seeds=seeds, epochs=200, lr=4.0, init="normal", losses=True)
    plain = train_batch(relu.f, relu.df, X, Y, **kw)
    tracked = train_batch(relu.f, relu.df, X, Y, **kw, dead=True)
    assert "dead_since" not in plain
    for key, v in plain.items():
        assert np.array_equal(v, tracked[key], equal_nan=True), key
    since = tracked["dead_since"]  # (8, 4)
    assert (since > 0).sum() > 0 and (since < 0).sum() > 0  # alive, dead at the start, died later
    for s in range(len(seeds)):
        for j in np.flatnonzero(since[:, s] >= 0):
            e = int(since[j, s])
            # retrained to its death epoch and to the end: the unit's weights are identical
            at = train_batch(relu.f, relu.df, X, Y, **{**kw, "seeds": [seeds[s]], "epochs": e})
            assert at["W1"][:, j, 0].tolist() == tracked["W1"][:, j, s].tolist()
            assert at["b1"][j, 0] == tracked["b1"][j, s]
            z1 = X @ at["W1"][:, j, 0] + at["b1"][j, 0]
            assert np.all(z1 <= 0)  # ReLU's f' = 0 at every input from that epoch on
            if e > 0:  # and the epoch before, it was still alive somewhere
                before = train_batch(
                    relu.f, relu.df, X, Y, **{**kw, "seeds": [seeds[s]], "epochs": e - 1}
                )
                assert np.any(X @ before["W1"][:, j, 0] + before["b1"][j, 0] > 0)
