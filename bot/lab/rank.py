"""Rank and condition of a long matrix product, without trusting an SVD of the product.

Multiplying 64 random matrices in floating point pushes the product's small singular
values below rounding, so an SVD of the float product under-counts its rank and reports
noise as its condition number. Both come instead from the factors, which are each well
conditioned: the rank from a theorem (full-rank factors along a chain whose widths dip
once), the condition number as ‖P‖·‖P⁺‖ from QR chains, with an exact integer fallback
for the rank when the theorem does not apply.
"""

from __future__ import annotations

import math

import numpy as np

CERTIFY = 100.0  # a factor has full rank if σ_min > CERTIFY · max(shape) · eps · σ_max


def full_rank(W: np.ndarray) -> bool:
    """Certified full rank: an SVD's σ_min is off by at most ~eps·σ_max (backward
    stability), so σ_min above a hundred times that bound cannot be zero."""
    s = np.linalg.svd(W, compute_uv=False)
    return bool(s[-1] > CERTIFY * max(W.shape) * np.finfo(float).eps * s[0])


def product_rank(Ws: list[np.ndarray]) -> int:
    """rank(W_L ⋯ W_1), exactly.

    Theorem: if the widths d_0, …, d_L along the chain fall, then rise (one dip, at
    d_j = k) and every factor has full rank, the product has rank k. Proof: a full-rank
    factor that narrows or keeps the width is onto, so B = W_j ⋯ W_1 maps R^{d_0} onto
    R^k; one that widens is one-to-one, so A = W_L ⋯ W_{j+1} is one-to-one on R^k;
    hence rank(AB) = dim A(R^k) = k. Any other chain gets an exact integer computation.
    """
    dims = [Ws[0].shape[1]] + [W.shape[0] for W in Ws]  # widths along the chain
    j = int(np.argmin(dims))
    falls = all(dims[i] >= dims[i + 1] for i in range(j))
    rises = all(dims[i] <= dims[i + 1] for i in range(j, len(dims) - 1))
    if falls and rises and all(full_rank(W) for W in Ws):
        return int(dims[j])
    return exact_product_rank(Ws)


def integer_matrix(W: np.ndarray) -> list[list[int]]:
    """2^e · W as exact integers: every float is m / 2^p, so one power of two clears them all."""
    ratios = [[float(v).as_integer_ratio() for v in row] for row in W]
    den = max(d for row in ratios for _, d in row)
    return [[n * (den // d) for n, d in row] for row in ratios]


def exact_product_rank(Ws: list[np.ndarray]) -> int:
    """rank(W_L ⋯ W_1) in exact integer arithmetic (scaling a factor keeps the rank)."""
    P = integer_matrix(Ws[0])  # (d_1, d_0)
    for W in Ws[1:]:
        Z = integer_matrix(W)
        cols = list(zip(*P, strict=True))
        P = [[sum(a * b for a, b in zip(row, col, strict=True)) for col in cols] for row in Z]
    return integer_rank(P)


def integer_rank(A: list[list[int]]) -> int:
    """Rank by fraction-free (Bareiss) elimination: every entry stays an exact integer minor."""
    A = [list(row) for row in A]
    m, n = len(A), len(A[0])
    rank, prev = 0, 1
    for col in range(n):
        pivot = next((r for r in range(rank, m) if A[r][col] != 0), None)
        if pivot is None:
            continue
        A[rank], A[pivot] = A[pivot], A[rank]
        p = A[rank][col]
        for r in range(rank + 1, m):
            for c in range(col + 1, n):
                A[r][c] = (A[r][c] * p - A[r][col] * A[rank][c]) // prev
            A[r][col] = 0
        prev, rank = p, rank + 1
        if rank == m:
            break
    return rank


def qr_chain(Ws: list[np.ndarray], start: int) -> list[np.ndarray]:
    """Triangular R_i with Ws[-1] ⋯ Ws[0] · Q_0 = Q · R_last ⋯ R_first, Q_0 = I (start, start).

    Each step factors W_i Q_{i−1} = Q_i R_i; R_i has W_i Q_{i−1}'s singular values, so it
    is as well conditioned as W_i, and only orthonormal matrices are multiplied.
    """
    Q = np.eye(start)
    Rs = []
    for W in Ws:
        Q, R = np.linalg.qr(W @ Q)  # (d_i, k), (k, k)
        Rs.append(R)
    return Rs


def log_norm(factors: list[np.ndarray]) -> float:
    """log ‖F_last ⋯ F_first‖₂, rescaling the partial product so 64 factors never overflow."""
    P = np.eye(factors[0].shape[1])
    log = 0.0
    for F in factors:
        P = F @ P
        s = float(np.max(np.abs(P)))
        P = P / s
        log += math.log(s)
    return log + math.log(float(np.linalg.norm(P, 2)))


def condition_number(Ws: list[np.ndarray]) -> float:
    """σ_max/σ_min of W_L ⋯ W_1 on its range (σ_min = the smallest nonzero one).

    Split the chain at its narrowest width k: P = A·B with B = Q_B (R_B ⋯)ᵀ and
    A = Q_A (R_A ⋯) from QR chains, so P's nonzero singular values are those of the
    k × k core C = R_A ⋯ · (R_B ⋯)ᵀ, and κ = ‖C‖·‖C⁻¹‖, both norms of products of
    well-conditioned triangular factors (no cancellation of tiny singular values).
    """
    dims = [Ws[0].shape[1]] + [W.shape[0] for W in Ws]
    j = int(np.argmin(dims))
    k = dims[j]
    after = qr_chain(Ws[j:], k)  # A = W_L ⋯ W_{j+1}
    before = qr_chain([W.T for W in Ws[:j][::-1]], k)  # Bᵀ = W_1ᵀ ⋯ W_jᵀ
    core = [R.T for R in before[::-1]] + after  # applied first to last, each (k, k)
    inverse = [np.linalg.inv(F) for F in core[::-1]]
    return max(1.0, math.exp(min(log_norm(core) + log_norm(inverse), 700.0)))  # κ ≥ 1
