"""Train S small networks at once: one array computation, seeds on the last axis.

A 2-H-1 classifier (BCE) or a 1-H-1 regressor (MSE) is a handful of array operations
per gradient step. With every weight carrying a trailing seed axis, e.g. W1 of shape
(d, H, S), the same operations train S independent networks: broadcasting pairs each
seed's weights only with that seed's activations, and there is no Python loop over
seeds. Full-batch gradient descent in float64:

    z1 = x W1 + b1,  h = f(z1),  z2 = h W2 + b2,  output p = σ(z2) (BCE) or z2 (MSE)
    dL/dz2 = (p − y)/N (BCE) or 2(z2 − y)/N (MSE),  dL/dz1 = dL/dz2 · W2 · f'(z1)

Network s of a batch is bit for bit the network a run with S = 1 and that seed gives:
every sum runs over points, inputs or units in a fixed order (never across seeds), and
the arrays always have at least two seeds (a single seed is trained twice and one copy
kept), so NumPy never switches to its pairwise summation for a one-seed vector.
For speed (each NumPy call costs microseconds whatever its size, so the step is written
in as few calls as possible, into buffers allocated once): b1 is the weight of an input
fixed at 1, so z1 and ∂L/∂W1 are each one BLAS matrix product over (d + 1, H·S) with a
column per seed's unit (BLAS sums each column alike whatever the number of columns; the
per-seed tests check it bit for bit); z2 and ∂L/∂W2 are one einsum each (a per-seed sum
over units or points, never across seeds); lr is folded into
dL/dz2; f' of tanh and the logistic reuses h (1 − h², h(1 − h)); σ(z2) is formed only
where an output is reported; and tanh itself comes from a table (`table_tanh`: half the
cost of NumPy's float64 tanh, the largest single cost of a step). On small arrays a call's
fixed cost is what counts, so outputs are passed positionally (an `out=` keyword costs
~0.5 µs a call) and constants are 0-d arrays (a Python float is converted on every call):
the same ufuncs on the same values, so the same bits, 1.5–2× faster for one network. With
one seed and the normal init this is /xor mlp's training.
Everything here is a plain NumPy function so a Show-code script can carry it verbatim.
"""

from __future__ import annotations

import numpy as np

from bot.lab.activation_fns import sigmoid_df, tanh, tanh_df

INITS = ("normal", "glorot", "he")
TANH_STEPS = 256  # table_tanh's grid: tanh(k/256) ...
TANH_TOP = 19.5  # ... for |k/256| ≤ 19.5; beyond, tanh rounds to ±1
ROUNDER = 1.5 * 2.0**52  # x + ROUNDER rounds x (|x| < 2⁵¹) to an integer, as np.rint does
ROUNDER_BITS = 0x4338000000000000  # ROUNDER's bits: x + ROUNDER has the bits ROUNDER_BITS + x
MAX_KEPT = 2**21  # z2 values train_batch keeps for the losses after its loop (16 MB)
# the step's constants as 0-d arrays: a ufunc takes them without converting a Python number
ONE = np.array(1.0)
TOP = np.array(TANH_TOP)
BOTTOM = np.array(-TANH_TOP)
STEPS = np.array(float(TANH_STEPS))
ROUND = np.array(ROUNDER)
FIRST = np.array(ROUNDER_BITS - int(TANH_STEPS * TANH_TOP))  # int64: the index of −19.5
C5 = np.array(2 / 15)
C3 = np.array(1 / 3)


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


def slope(df, z, h, out=None):
    """f'(z1); for tanh and the logistic from h = f(z1) as 1 − h² and h(1 − h), one
    transcendental call fewer. `out`, if given, receives it."""
    if df is tanh_df:
        out = np.multiply(h, h, out)
        return np.subtract(ONE, out, out)
    if df is sigmoid_df:
        out = np.subtract(ONE, h, out)
        out *= h
        return out
    if out is None:
        return df(z)
    out[...] = df(z)
    return out


def tanh_grid():
    """tanh(k/256) for k/256 from −19.5 to 19.5 (NumPy's tanh, once per run)."""
    return np.tanh(np.arange(-TANH_TOP * TANH_STEPS, TANH_TOP * TANH_STEPS + 1) / TANH_STEPS)


def table_tanh(z, out, b, k, table):
    """tanh(z) into `out` from a table and the addition formula, within 4 ulp of the exact value
    (NumPy's own float64 tanh is within 3, and costs twice as much on AVX2 machines):
    z = a + b with a = k/256 the nearest grid point, |b| ≤ 1/512, and
    tanh(a + b) = (tanh a + tanh b)/(1 + tanh a · tanh b), tanh b = b − b³/3 + 2b⁵/15 (the next
    term is below 2⁻⁵³·b). b and k are work arrays shaped like z (float, int64), `table` is
    `tanh_grid()`, or None to take tanh a from NumPy at each point instead (the same bits: the
    grid is NumPy's tanh of the same a). −0 gives +0."""
    z.clip(BOTTOM, TOP, out)  # tanh(±19.5) is ±1 to the last bit (NaN stays NaN)
    np.multiply(out, STEPS, b)
    b += ROUND  # rounds 256·z to the nearest integer j, which sits in the low bits
    np.subtract(b.view(np.int64), FIRST, k)  # j's index in the table
    b -= ROUND  # j, exactly
    b /= STEPS  # a = j/256, exactly
    ta = np.tanh(b) if table is None else table.take(k, None, None, "clip")
    np.subtract(out, b, b)  # b = z − a, exact: z and a are within a factor 2, or a = 0
    s = np.multiply(b, b, out)
    p = np.multiply(s, C5, k.view(float))  # reuses k's bytes: k is no longer needed
    p -= C3
    p *= s
    p *= b
    p += b  # tanh b
    np.multiply(ta, p, s)
    s += ONE
    p += ta
    return np.divide(p, s, out)


def tanh_as_trained(z):
    """tanh(z), bit for bit as train_batch computes it (`table_tanh`), for code that trains
    tanh through another function (a comparison's columns) and must get the same network."""
    z = np.array(z, dtype=float)
    return table_tanh(z, np.empty_like(z), np.empty_like(z), np.empty(z.shape, np.int64), None)


def workspace(N, d, H, S):
    """The arrays one gradient step writes, allocated once per run."""
    return {
        "z1": np.empty((N, H, S)),
        "h": np.empty((N, H, S)),
        "z2": np.empty((N, S)),
        "dz2": np.empty((N, S)),
        "dz1": np.empty((N, H, S)),
        "df": np.empty((N, H, S)),
        "b": np.empty((N, H, S)),
        "k": np.empty((N, H, S), dtype=np.int64),
        "table": tanh_grid(),
    }


def rows(a):
    """a (k, …) seen as (k, rest) without a copy, as an `out=` must be."""
    if not a.flags.c_contiguous:
        raise ValueError("an out= array must be C-contiguous")
    return a.reshape(len(a), -1)


def bind(ws, xa, W, V, dW, dV):
    """Put into the workspace the views of the run's arrays that every step reads or writes:
    made once per run, not every step (a view costs about a microsecond, a step of one
    small network ~70). xa (N, d + 1, 1, 1): the inputs and a 1; W (d + 1, H, S): W1 with
    b1 as its last row; V (H + 1, S): W2 with b2 last; dW, dV their steps. The arrays are
    then only ever changed in place, so the views stay theirs."""
    x = xa[:, :, 0, 0]  # (N, d + 1)
    ws.update(
        x=x,
        xT=x.T,  # (d + 1, N)
        W=rows(W),  # (d + 1, H·S)
        dW=rows(dW),
        z1_rows=rows(ws["z1"]),  # (N, H·S)
        W2=V[:-1],  # (H, S)
        b2=V[-1],  # (S,)
        dW2=dV[:-1],
        db2=dV[-1],
        dz2_col=ws["dz2"][:, None],  # (N, 1, S)
    )
    return ws


def hidden_in(ws):
    """z1 = x W1 + b1 (N, H, S): one matrix product, (N, d + 1) @ (d + 1, H·S)."""
    np.matmul(ws["x"], ws["W"], ws["z1_rows"])
    return ws["z1"]


def activate(f, z1, ws):
    """h = f(z1) (N, H, S), into the workspace (tanh by `table_tanh`)."""
    if f is tanh:
        return table_tanh(z1, ws["h"], ws["b"], ws["k"], ws["table"])
    ws["h"][...] = f(z1)
    return ws["h"]


def output_in(h, ws):
    """z2 = h W2 + b2 (N, S)."""
    z2 = np.einsum("nhs,hs->ns", h, ws["W2"], out=ws["z2"])  # per seed, the sum over units
    z2 += ws["b2"]
    return z2


def output_step(z2, y, ys, step, loss, ws):
    """lr·dL/dz2 (N, S): step/(1 + e^−z2) − ys for BCE (ys = step·y), step·(z2 − y) for MSE."""
    dz2 = ws["dz2"]
    if loss == "bce":
        np.negative(z2, dz2)
        np.exp(dz2, dz2)
        dz2 += ONE
        np.divide(step, dz2, dz2)
        dz2 -= ys
    else:
        np.subtract(z2, y, dz2)
        dz2 *= step
    return dz2


def output_grads(h, dz2, ws):
    """dV = (Σ_n h·dz2, Σ_n dz2): W2's step and b2's, into the bound dV (H + 1, S)."""
    np.einsum("nhs,ns->hs", h, dz2, out=ws["dW2"])  # per seed, the sum over points
    np.add.reduce(dz2, 0, None, ws["db2"])


def hidden_grads(dz1, ws):
    """dW = Σ_n x·dz1 into the bound dW (d + 1, H, S): W1's step with b1's (Σ_n dz1) last;
    one matrix product, (d + 1, N) @ (N, H·S)."""
    np.matmul(ws["xT"], dz1.reshape(len(dz1), -1), ws["dW"])


def train_batch(
    f,
    df,
    X,
    Y,
    loss,
    hidden,
    seeds,
    epochs,
    lr,
    init,
    checkpoints=(),
    losses=False,
    start=None,
    dead=False,
    loss_at=(),
):
    """Gradient descent on S = len(seeds) networks at once; a dict of seeds-last arrays.

    X (N, d), Y (N,); loss "bce" (output σ(z2), labels 0/1) or "mse" (output z2).
    Returns the final weights, the outputs at each epoch in `checkpoints` (C, N, S), the
    final outputs (N, S), z1 (N, H, S), the final loss and gradient norm (S,), the loss
    per epoch (epochs + 1, S) if `losses`, and `diverged_at` (S,): the first epoch whose
    loss was NaN or ±inf (or `epochs` if only a weight is), −1 if none. `start`, if given,
    replaces the drawn weights: (W1, b1, W2, b2), seeds last. With `dead`, also
    `dead_since` (H, S): the epoch from which a unit's f'(z1) was 0 at every input through
    the last epoch, −1 for a unit alive at the end. Such a unit's weights get no gradient,
    so its z1 and f' never change again: once dead, dead for good. With `loss_at` (epochs in
    increasing order), also `loss_at` (len(loss_at), S): the loss at each of those epochs.
    """
    single = len(seeds) == 1
    seeds = list(seeds) * 2 if single else list(seeds)  # ≥ 2 seeds: see the module docstring
    X = np.asarray(X, dtype=float)
    N, d = X.shape
    if start is None:
        W1, b1, W2, b2 = init_batch(d, hidden, seeds, init)
    else:
        W1, b1, W2, b2 = (
            np.array(np.broadcast_to(w, (*np.shape(w)[:-1], len(seeds))), order="C") for w in start
        )
    S = len(seeds)
    W = np.concatenate([W1, b1[None]])  # (d + 1, H, S): b1 is the weight of an input 1
    V = np.concatenate([W2, b2[None]])  # (H + 1, S): b2 is the weight of a unit fixed at 1
    xa = np.column_stack([X, np.ones(N)])[:, :, None, None]  # (N, d + 1, 1, 1)
    dW, dV = np.empty_like(W), np.empty_like(V)
    ws = bind(workspace(N, d, hidden, S), xa, W, V, dW, dV)
    y = np.asarray(Y, dtype=float)[:, None]  # (N, 1)
    step = np.array(lr / N if loss == "bce" else 2 * lr / N)  # dL/dz2 = step·(out − y)
    ys = step * y
    sign = -(2 * y - 1)  # (N, 1): BCE's loss is log(1 + e^(sign·z2))
    wanted = set(checkpoints)
    seen = []
    curve = []
    at = set(loss_at)
    ends = []  # the loss at each epoch of `loss_at`
    # every epoch's z2, its losses worked out after the loop in one pass (a few calls an
    # epoch fewer), unless that array would be large
    Z = np.empty((epochs + 1, N, S)) if losses and (epochs + 1) * N * S <= MAX_KEPT else None
    diverged_at = np.full(S, -1)
    last_alive = np.full((hidden, S), -1)  # the last epoch each unit had f' ≠ 0 somewhere
    with np.errstate(all="ignore"):
        for t in range(epochs + 1):
            z1 = hidden_in(ws)
            h = activate(f, z1, ws)
            z2 = output_in(h, ws)
            if Z is not None:
                Z[t] = z2  # divergence is read from the losses after the loop
            else:
                if losses:
                    curve.append(loss_value(z2, y, loss, sign))
                flat = z2.reshape(-1)
                if not flat @ flat < 1e300:  # rare: a |z2| ≥ 1e150, NaN or inf somewhere
                    bad = ~np.isfinite(loss_value(z2, y, loss)) & (diverged_at < 0)
                    diverged_at[bad] = t
            if t in wanted:
                seen.append(logistic(z2) if loss == "bce" else z2.copy())
            if t in at:
                ends.append(loss_value(z2, y, loss, sign))
            dz2 = output_step(z2, y, ys, step, loss, ws)  # lr × dL/dz2
            output_grads(h, dz2, ws)
            dz1 = np.multiply(ws["dz2_col"], ws["W2"], ws["dz1"])  # (N, H, S)
            dz1 *= slope(df, z1, h, ws["df"])
            if dead:
                last_alive[np.logical_or.reduce(ws["df"] != 0, axis=0)] = t
            hidden_grads(dz1, ws)
            if t == epochs:
                break
            W -= dW  # in place: the same bits as W = W − lr·dW
            V -= dV
        if Z is not None:
            curve = loss_value(Z, y, loss, sign)  # (epochs + 1, S)
            bad = ~np.isfinite(curve)  # a loss is NaN or inf only where z2 is
            diverged_at = np.where(bad.any(axis=0), np.argmax(bad, axis=0), -1)
        grad = np.sqrt(np.add.reduce(np.concatenate([dW.reshape(-1, S), dV]) ** 2, axis=0)) / lr
        weights_ok = np.isfinite(W).all(axis=(0, 1)) & np.isfinite(V).all(axis=0)
        final = loss_value(z2, y, loss)
        out = logistic(z2) if loss == "bce" else z2
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
    if loss_at:
        result["loss_at"] = np.array(ends).reshape(len(ends), len(seeds))
    if dead:
        result["dead_since"] = np.where(last_alive == epochs, -1, last_alive + 1)
    return {k: v[..., keep] for k, v in result.items()}


def loss_value(z2, y, loss, sign=None):
    """Mean loss per seed (S,) from the output logits z2 (N, S), or per epoch and seed from
    (E, N, S): BCE as log(1 + e^(∓z2)), exact even where σ(z2) rounds to 0 or 1; or the mean
    squared error. `sign`, if given, is −(2y − 1) (N, 1), computed once per run."""
    if loss == "bce":
        sign = -(2 * y - 1) if sign is None else sign
        return np.add.reduce(np.logaddexp(0, sign * z2), axis=-2) / len(y)
    return np.add.reduce((z2 - y) ** 2, axis=-2) / len(y)
