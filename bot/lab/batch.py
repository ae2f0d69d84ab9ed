"""Train S small networks at once: one array computation, seeds on the last axis.

A 2-H-1 classifier (BCE) or a 1-H-1 regressor (MSE) is a handful of array operations
per gradient step. With every weight carrying a trailing seed axis, e.g. W1 of shape
(d, H, S), the same operations train S independent networks: broadcasting pairs each
seed's weights only with that seed's activations, and there is no Python loop over
seeds. Full-batch gradient descent in float64:

    z1 = x W1 + b1,  h = f(z1),  z2 = h W2 + b2,  output p = σ(z2) (BCE) or z2 (MSE)
    dL/dz2 = (p − y)/N (BCE) or 2(z2 − y)/N (MSE),  dL/dz1 = dL/dz2 · W2 · f'(z1)

Network s of a batch is bit for bit the network a run with S = 1 and that seed gives:
every sum runs over points or hidden units in a fixed order (never across seeds), and
the arrays always have at least two seeds (a single seed is trained twice and one copy
kept), so NumPy never switches to its pairwise summation for a one-seed vector.
For speed each bias is the weight of a constant input (b1: an input fixed at 1; b2: a
hidden unit fixed at 1), lr is folded into dL/dz2, and tanh' = 1 − h² reuses h. With one
seed and the normal init this is /xor mlp's training (bot.lab.mlp) up to rounding (3e-15).
Everything here is a plain NumPy function so a Show-code script can carry it verbatim.
"""

from __future__ import annotations

import numpy as np

from bot.lab.activation_fns import sigmoid_df, tanh_df

INITS = ("normal", "glorot", "he")


def init_weights(n_in, hidden, seed, init):
    """One seed's weights from default_rng(seed): W1 (n_in, H), b1 (H,), W2 (H,), b2.

    normal: W1 ~ N(0, 1), W2 ~ N(0, 1/H) (the /xor mlp init). glorot: U(±√(6/(fan_in +
    fan_out))) (Glorot & Bengio 2010). he: U(±√(6/fan_in)) (He et al. 2015). Biases 0.
    """
    rng = np.random.default_rng(seed)
    if init == "normal":
        W1 = rng.normal(size=(n_in, hidden))
        W2 = rng.normal(size=hidden) / np.sqrt(hidden)
    elif init == "glorot":
        W1 = rng.uniform(-1, 1, size=(n_in, hidden)) * np.sqrt(6 / (n_in + hidden))
        W2 = rng.uniform(-1, 1, size=hidden) * np.sqrt(6 / (hidden + 1))
    elif init == "he":
        W1 = rng.uniform(-1, 1, size=(n_in, hidden)) * np.sqrt(6 / n_in)
        W2 = rng.uniform(-1, 1, size=hidden) * np.sqrt(6 / hidden)
    else:
        raise ValueError(f"unknown init {init!r}")
    return W1, np.zeros(hidden), W2, 0.0


def init_batch(n_in, hidden, seeds, init):
    """Every seed's weights stacked on a last axis: W1 (d, H, S), b1 (H, S), W2 (H, S), b2 (S,)."""
    drawn = [init_weights(n_in, hidden, int(s), init) for s in seeds]  # init only, not training
    W1 = np.stack([w[0] for w in drawn], axis=-1)
    W2 = np.stack([w[2] for w in drawn], axis=-1)
    return W1, np.zeros((hidden, len(drawn))), W2, np.zeros(len(drawn))


def logistic(z):
    """σ(z) = 1/(1 + e^−z); e^−z overflows to inf for z < −709, giving exactly 0."""
    return 1 / (1 + np.exp(-z))


def slope(df, z, h):
    """f'(z1); for tanh and the logistic from h = f(z1) (1 − h², h(1 − h)): the same bits, one
    transcendental call fewer."""
    if df is tanh_df:
        return 1 - h * h
    if df is sigmoid_df:
        return h * (1 - h)
    return df(z)


def train_batch(
    f, df, X, Y, loss, hidden, seeds, epochs, lr, init, checkpoints=(), losses=False, start=None
):
    """Gradient descent on S = len(seeds) networks at once; a dict of seeds-last arrays.

    X (N, d), Y (N,); loss "bce" (output σ(z2), labels 0/1) or "mse" (output z2).
    Returns the final weights, the outputs at each epoch in `checkpoints` (C, N, S), the
    final outputs (N, S), z1 (N, H, S), the final loss and gradient norm (S,), the loss
    per epoch (epochs + 1, S) if `losses`, and `diverged_at` (S,): the first epoch whose
    loss was NaN or ±inf (or `epochs` if only a weight is), −1 if none. `start`, if given,
    replaces the drawn weights: (W1, b1, W2, b2), seeds last.
    """
    single = len(seeds) == 1
    seeds = list(seeds) * 2 if single else list(seeds)  # ≥ 2 seeds: see the module docstring
    X = np.asarray(X, dtype=float)
    N, d = X.shape
    if start is None:
        W1, b1, W2, b2 = init_batch(d, hidden, seeds, init)
    else:
        W1, b1, W2, b2 = (
            np.array(np.broadcast_to(w, (*np.shape(w)[:-1], len(seeds)))) for w in start
        )
    S = len(seeds)
    W = np.concatenate([W1, b1[None]])  # (d + 1, H, S): b1 is the weight of an input 1
    V = np.concatenate([W2, b2[None]])  # (H + 1, S): b2 is the weight of a unit fixed at 1
    x = [X[:, i, None, None] for i in range(d)]  # d × (N, 1, 1)
    dW = np.empty_like(W)
    ha = np.ones((N, hidden + 1, S))  # (N, H + 1, S): h and the constant unit
    y = np.asarray(Y, dtype=float)[:, None]  # (N, 1)
    step = lr / N if loss == "bce" else 2 * lr / N  # dL/dz2 = step·(out − y), lr folded in
    wanted = set(checkpoints)
    seen = []
    curve = []
    diverged_at = np.full(S, -1)
    with np.errstate(all="ignore"):
        for t in range(epochs + 1):
            z1, z2 = forward(f, x, W, V, ha)
            out = logistic(z2) if loss == "bce" else z2  # (N, S)
            if losses:
                curve.append(loss_value(z2, y, loss))
            flat = z2.reshape(-1)
            if not flat @ flat < 1e300:  # rare: a |z2| ≥ 1e150, NaN or inf somewhere
                bad = ~np.isfinite(loss_value(z2, y, loss)) & (diverged_at < 0)
                diverged_at[bad] = t
            if t in wanted:
                seen.append(out)
            dW, dV = backward(df, x, z1, ha, V, (out - y) * step, dW)  # lr × the gradients
            if t == epochs:
                break
            W -= dW  # in place: the same bits as W = W − lr·dW
            V -= dV
        grad = np.sqrt(np.add.reduce(np.concatenate([dW.reshape(-1, S), dV]) ** 2, axis=0)) / lr
        weights_ok = np.isfinite(W).all(axis=(0, 1)) & np.isfinite(V).all(axis=0)
        final = loss_value(z2, y, loss)
    diverged_at[~weights_ok & (diverged_at < 0)] = epochs
    keep = slice(0, 1) if single else slice(None)
    result = {
        "W1": W[:d],
        "b1": W[d],
        "W2": V[:hidden],
        "b2": V[hidden],
        "z1": z1,
        "out": out,
        "loss": final,
        "grad_norm": grad,
        "diverged_at": diverged_at,
        "checkpoints": np.array(seen).reshape(len(seen), N, len(seeds)),
        "losses": np.array(curve).reshape(len(curve), len(seeds)),
    }
    return {k: v[..., keep] for k, v in result.items()}


def forward(f, x, W, V, ha):
    """z1 = x W1 + b1 (N, H, S); h = f(z1) into ha[:, :H]; z2 = h W2 + b2 (N, S). Every sum
    runs over inputs or units in a fixed order, the bias last."""
    z1 = x[0] * W[0]  # (N, H, S)
    for i in range(1, len(x)):
        z1 += x[i] * W[i]
    z1 += W[-1]
    ha[:, :-1] = f(z1)
    return z1, np.add.reduce(ha * V, axis=1)


def backward(df, x, z1, ha, V, dz2, dW):
    """(dW, dV) from dL/dz2 (N, S) by the chain rule: dV = Σ h·dz2 (its last row db2) and
    dW = Σ x·dz1 (its last row db1), with dz1 = dz2·W2·f'(z1). dW is filled in place."""
    dz2 = dz2[:, None, :]  # (N, 1, S)
    dV = np.add.reduce(ha * dz2, axis=0)  # (H + 1, S)
    dz1 = dz2 * V[:-1]  # (N, H, S)
    dz1 *= slope(df, z1, ha[:, :-1])
    for i, xi in enumerate(x):
        np.add.reduce(xi * dz1, axis=0, out=dW[i])
    np.add.reduce(dz1, axis=0, out=dW[-1])
    return dW, dV


def loss_value(z2, y, loss):
    """Mean loss per seed (S,) from the output logits z2 (N, S): BCE as log(1 + e^(∓z2)), exact
    even where σ(z2) rounds to 0 or 1; or the mean squared error."""
    if loss == "bce":
        return np.add.reduce(np.logaddexp(0, -(2 * y - 1) * z2), axis=0) / len(y)
    return np.add.reduce((z2 - y) ** 2, axis=0) / len(y)
