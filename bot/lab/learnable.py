"""Learnable activations: the activation's own parameters trained with the weights.

Each kind is h = f(z; θ) with θ per hidden unit, θ of shape (P, H, S), trained by the
same full-batch gradient descent as the weights (∂L/∂θ = Σ_n ∂L/∂h · ∂h/∂θ):
  prelu       f = z if z > 0 else a·z                       (He et al. 2015), a₀ = 0.25
  swish       f = z·σ(βz)                                   (Ramachandran et al. 2017), β₀ = 1
  sine_phase  f = sin(z + φ)                                φ₀ = 0
  fourier     f = Σ_k a_k sin(kz) + b_k cos(kz), k = 1…K    a₁ = 1, the rest 0 (starts as sin)
  rational    f = (p₀ + p₁z + p₂z² + p₃z³)/(1 + |q₁z| + |q₂z²|)  safe PAU (Molina et al. 2019),
              starting as the identity; Q ≥ 1, so the denominator never nears 0.
  kan         a KAN layer (Liu et al. 2024, bot.lab.kan): a learnable function on every
              edge, φ_ij(x) = W1_ij·x + g_ij(x) into the hidden units, W2_j·(z + g_j(z))
              out of them, each g piecewise linear on 7 knots, all knots 0 at the start.
              θ holds the hidden edges' knots; the input edges' knots θ_in (d, 7, H, S)
              are weights of fixed hat features of x (rows after b1 in W).
At its initial θ and with θ frozen each kind is a fixed activation (leaky ReLU with slope
a₀, SiLU, sin, sin, identity; kan: every edge linear, so the identity) and trains exactly,
bit for bit, as that activation does.

The phase of a sine is only a bias: ∂L/∂φ = Σ_n ∂L/∂z1 = ∂L/∂b1, so φ and b1 receive the
same step every epoch and z1 + φ = xW1 + (b1 + φ) moves like a bias with twice the
learning rate: learnable phase ≡ plain sine with the hidden-bias step doubled.
"""

from __future__ import annotations

import numpy as np

from bot.lab.activation_fns import sigmoid
from bot.lab.batch import (
    bind,
    hidden_grads,
    hidden_in,
    init_batch,
    logistic,
    output_grads,
    output_in,
    output_step,
    workspace,
)
from bot.lab.kan import KAN_GRID, KAN_KNOTS, edge_features, input_knots, kan_unit

KINDS = ("prelu", "swish", "sine_phase", "fourier", "rational", "kan")
RATIONAL_P, RATIONAL_Q = 4, 2  # numerator degree 3, denominator terms |q₁z|, |q₂z²|


def theta0(kind: str, hidden: int, seeds: int, K: int = 3) -> np.ndarray:
    """The initial activation parameters (P, H, S), the same for every unit and seed."""
    first = {
        "prelu": [0.25],
        "swish": [1.0],
        "sine_phase": [0.0],
        "fourier": [1.0] + [0.0] * (2 * K - 1),  # a₁ … a_K, then b₁ … b_K
        "rational": [0.0, 1.0, 0.0, 0.0, 0.0, 0.0],  # p₀ … p₃, then q₁, q₂
        "kan": [0.0] * len(KAN_KNOTS),  # the hidden edges' d₀ … d₆: g = 0, f = z
    }[kind]
    return np.array(first, dtype=float)[:, None, None] * np.ones((1, hidden, seeds))


def theta_count(kind: str, inputs: int, hidden: int) -> int:
    """How many activation parameters a net with `inputs` inputs learns: P per hidden unit,
    and for kan KAN_GRID knots on each of the inputs·hidden input edges too."""
    return len(theta0(kind, 1, 1)) * hidden + (KAN_GRID * inputs * hidden if kind == "kan" else 0)


def unit(kind: str, z: np.ndarray, th: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f(z; θ), ∂f/∂z and ∂f/∂θ for z (N, H, S) and θ (P, H, S); ∂f/∂θ is (P, N, H, S)."""
    if kind == "prelu":
        a = th[0]
        pos = z > 0
        return np.where(pos, z, a * z), np.where(pos, 1.0, a), np.where(pos, 0.0, z)[None]
    if kind == "swish":
        b = th[0]
        u = b * z
        s = sigmoid(u)
        return z * s, s * (1 + u * (1 - s)), (z * z * s * (1 - s))[None]
    if kind == "sine_phase":
        u = z + th[0]
        c = np.cos(u)
        return np.sin(u), c, c[None]
    if kind == "fourier":
        K = len(th) // 2
        k = np.arange(1, K + 1, dtype=float)[:, None, None, None]  # (K, 1, 1, 1)
        s, c = np.sin(k * z), np.cos(k * z)  # (K, N, H, S)
        a, b = th[:K, None], th[K:, None]  # (K, 1, H, S)
        h, dz = a[0] * s[0], k[0] * a[0] * c[0] - k[0] * b[0] * s[0]
        h = h + b[0] * c[0]
        for i in range(1, K):
            h = h + a[i] * s[i] + b[i] * c[i]
            dz = dz + k[i] * a[i] * c[i] - k[i] * b[i] * s[i]
        return h, dz, np.concatenate([s, c])
    if kind == "rational":
        p, q = th[:RATIONAL_P], th[RATIONAL_P:]
        P = ((p[3] * z + p[2]) * z + p[1]) * z + p[0]
        dP = (3 * p[3] * z + 2 * p[2]) * z + p[1]
        u1, u2 = q[0] * z, q[1] * z * z
        s1, s2 = np.where(u1 >= 0, 1.0, -1.0), np.where(u2 >= 0, 1.0, -1.0)  # d|u|/du, +1 at 0
        Q = 1 + np.abs(u1) + np.abs(u2)
        dQ = s1 * q[0] + s2 * 2 * q[1] * z
        powers = np.stack([np.ones_like(z), z, z * z, z * z * z])  # (4, N, H, S)
        dth = np.concatenate([powers / Q, (-P / (Q * Q)) * np.stack([s1 * z, s2 * z * z])])
        return P / Q, (dP * Q - P * dQ) / (Q * Q), dth
    if kind == "kan":
        return kan_unit(z, th)
    raise ValueError(f"unknown learnable kind {kind!r}")


def train_learnable(
    kind,
    X,
    Y,
    loss,
    hidden,
    seeds,
    epochs,
    lr,
    init,
    lr_theta=None,
    bias_scale=1.0,
    K=3,
    theta=None,
    theta_in=None,
):
    """Gradient descent on weights and θ for S seeds at once (seeds last, as bot.lab.batch).

    lr_theta: θ's learning rate (default lr; 0 freezes θ). bias_scale multiplies the
    hidden-bias step. theta (P,) or (P, H), if given, replaces the initial θ; theta_in
    (d, 7) or (d, 7, H) the kan input edges' knots (0 otherwise). Returns W1, b1, W2, b2,
    θ, for kan θ_in (d, 7, H, S), the final outputs (N, S), the loss per epoch (epochs + 1,
    S) and `diverged_at` (S,), −1 where the loss stayed finite.
    """
    lr_theta = lr if lr_theta is None else lr_theta
    single = len(seeds) == 1
    seeds = list(seeds) * 2 if single else list(seeds)  # ≥ 2 seeds, as in bot.lab.batch
    X = np.asarray(X, dtype=float)
    N, d = X.shape
    S = len(seeds)
    W1, b1, W2, b2 = init_batch(d, hidden, seeds, init)
    W, V = np.concatenate([W1, b1[None]]), np.concatenate([W2, b2[None]])
    th = theta0(kind, hidden, S, K)
    if theta is not None:
        th = np.array(np.broadcast_to(np.reshape(theta, (len(th), -1, 1)), th.shape), dtype=float)
    xa = np.column_stack([X, np.ones(N)])  # (N, d + 1): b1 is the weight of an input 1
    if kind == "kan":  # the input edges' splines: their knots weigh hat features of x
        xa = np.column_stack([xa, edge_features(X, input_knots(X))])  # (N, d + 1 + 7d)
        D = np.zeros((d, KAN_GRID, hidden, S))
        if theta_in is not None:
            D[...] = np.reshape(theta_in, (d, KAN_GRID, -1, 1))
        W = np.concatenate([W, D.reshape(d * KAN_GRID, hidden, S)])  # (d + 1 + 7d, H, S)
    xa = xa[:, :, None, None]  # (N, rows of W, 1, 1)
    dW, dV = np.empty_like(W), np.empty_like(V)
    ws = bind(workspace(N, len(W) - 1, hidden, S), xa, W, V, dW, dV)
    y = np.asarray(Y, dtype=float)[:, None]
    step = lr / N if loss == "bce" else 2 * lr / N
    ys = step * y
    curve = []
    with np.errstate(all="ignore"):
        for t in range(epochs + 1):
            z1 = hidden_in(ws)
            h, dz, dth_unit = unit(kind, z1, th)  # (N, H, S), (N, H, S), (P, N, H, S)
            z2 = output_in(h, ws)
            curve.append(_loss(z2, y, loss))
            if t == epochs:
                break
            dz2 = output_step(z2, y, ys, step, loss, ws)  # (N, S): lr × ∂L/∂z2
            dh = ws["dz2_col"] * ws["W2"]  # (N, H, S): lr × ∂L/∂h
            dth = np.add.reduce(dth_unit * dh, axis=1)  # (P, H, S)
            output_grads(h, dz2, ws)
            hidden_grads(dh * dz, ws)
            if bias_scale != 1:
                dW[d] *= bias_scale
            W[: d + 1] -= dW[: d + 1]
            V -= dV
            if lr_theta:
                W[d + 1 :] -= dW[d + 1 :] * (lr_theta / lr)  # kan's input knots (else empty)
                th -= dth * (lr_theta / lr)
        out = logistic(z2) if loss == "bce" else z2
    losses = np.array(curve)
    bad = ~np.isfinite(losses)
    diverged_at = np.where(bad.any(axis=0), np.argmax(bad, axis=0), -1)
    keep = slice(0, 1) if single else slice(None)
    result = {
        "W1": W[:d],
        "b1": W[d],
        "W2": V[:hidden],
        "b2": V[hidden],
        "theta": th,
        "out": out,
        "losses": losses,
        "diverged_at": diverged_at,
    }
    if kind == "kan":
        result["theta_in"] = W[d + 1 :].reshape(d, KAN_GRID, hidden, S)
    return {k: v[..., keep] for k, v in result.items()}


def _loss(z2, y, loss):
    if loss == "bce":
        return np.add.reduce(np.logaddexp(0, -(2 * y - 1) * z2), axis=0) / len(y)
    return np.add.reduce((z2 - y) ** 2, axis=0) / len(y)
