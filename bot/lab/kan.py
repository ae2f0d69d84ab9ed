"""A tiny KAN layer: a learnable univariate function on every edge, the nodes just sum.

A Kolmogorov-Arnold network (Liu et al. 2024) puts φ(x) = w_b·b(x) + w_s·spline(x) on
each edge. Here the base b is the identity and the spline piecewise linear on a fixed
grid of KAN_GRID knots (linear beyond the end knots), zero at the start; w_s is 1 on
the input edges and W2_j (= w_b) on the hidden ones, which spans the same functions:
  input → hidden   φ_ij(x_i) = W1_ij·x_i + g_ij(x_i),  knots evenly over x_i's range
                   z_j = Σ_i φ_ij(x_i) + b1_j
  hidden → output  ψ_j(z_j) = W2_j·(z_j + g_j(z_j)),    knots t = −3, −2, …, 3
                   output  Σ_j ψ_j(z_j) + b2
Σ_k d_k B_k(x) with the hat functions B_k is the line through the knots (t_k, d_k), so
an input edge's spline is a linear model on fixed features B_k(x_i) of the data: its
knot values are weights of d·KAN_GRID extra inputs, trained by the same products and
sums as W1. With every knot 0 each edge is linear and so is the network, exactly.
"""

from __future__ import annotations

import numpy as np

KAN_GRID = 7  # knots per edge function
KAN_KNOTS = np.linspace(-3.0, 3.0, KAN_GRID)  # the hidden edges' knots, one apart


def segment(z, t):
    """The segment k (t_k ≤ z ≤ t_k+1, the end ones extended) of increasing knots t that
    z falls on, and u = (z − t_k)/(t_k+1 − t_k): 0 at t_k, exactly 1 at t_k+1."""
    k = np.clip(np.searchsorted(t, z, side="right") - 1, 0, len(t) - 2)
    return k, (z - t[k]) / (t[k + 1] - t[k])


def hats(k, u, K):
    """B (K, *k.shape), the hat functions at z from its segment k and u: B_k = 1 − u,
    B_k+1 = u, the rest 0, so Σ_k d_k B_k is the line through the knot values d."""
    first = np.arange(K).reshape(K, *[1] * np.ndim(k)) == k  # (K, …): the segment's knot
    B = first * (1 - u)
    B[1:] += first[:-1] * u
    return B


def kan_unit(z, th):
    """f = z + g(z), g through (t_k, d_k) on KAN_KNOTS, for z (N, H, S) and the knot values
    th (K, H, S): f, ∂f/∂z = 1 + (d_k+1 − d_k) and ∂f/∂d = B (K, N, H, S). The knots are one
    apart, so z's segment is ⌊z − t₀⌋ (fmin/fmax send a NaN to the last one, not to an
    index that does not exist) and u = z − t₀ − k."""
    K, H, S = th.shape
    p = z - KAN_KNOTS[0]  # (N, H, S)
    k = np.fmax(np.fmin(np.floor(p), K - 2), 0)
    u = p - k
    at = (k.astype(np.intp), np.arange(H)[:, None], np.arange(S))  # th[at]: d_k (N, H, S)
    d0 = th[at]
    rise = th[at[0] + 1, at[1], at[2]] - d0
    return z + (d0 + rise * u), 1 + rise, hats(k, u, K)


def input_knots(X):
    """The input edges' knots (d, KAN_GRID): evenly from the least to the largest value
    each input takes in the data (a constant input gets [x, x + 1])."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    hi = np.where(hi > lo, hi, lo + 1)
    return np.linspace(lo, hi, KAN_GRID, axis=1)


def edge_features(X, knots):
    """B_k(x_i) for every input i and knot k (N, d·KAN_GRID), i major: Σ_k D_ik B_k(x_i)
    is input edge i's spline g(x_i) with knot values D_i."""
    cols = [hats(*segment(X[:, i], knots[i]), KAN_GRID).T for i in range(X.shape[1])]
    return np.concatenate(cols, axis=1)
