"""The reconstruction's compiled kernel (numba): scoring data sets against the targets, cheaply.

A state is a data set: ``X`` (n x k codes, float) and ``y`` (n outcomes, float). It is scored at a fixed
linearisation point ``beta`` (the current maximum-likelihood estimate): the score ``G = X'(y - mu)`` and the
information ``H = X'WX`` are sums over rows, so a move that changes a few rows changes only their terms,
and one Newton step ``d = H^-1 G`` from ``beta`` gives the refitted coefficients ``beta + d`` to second
order. Every target error is normalised by its own tolerance (1 = the edge of the aimed interval).

Three groups of functions live here:

* the annealer (:func:`anneal`) and the exhaustive single-swap scan (:func:`best_swaps`) of the original
  search, whose arithmetic is kept exactly as it was so that recorded searches replay bit for bit;
* the exact final step's primitives: every single swap's effect on the error vector
  (:func:`swap_table`), exact scoring of combinations of swaps (:func:`score_combos`) and the brute-force
  meet-in-the-middle search for pairs of small moves whose summed effect lands in the target box
  (:func:`best_pairs`);
* the directed annealer of the envelope (:func:`anneal_directed`), which adds a statistic the paper did
  not publish to the loss as a second objective.
"""

from __future__ import annotations

import os

import numpy as np
from numba import njit

# numba's on-disk cache needs a writable directory (next to this file, or NUMBA_CACHE_DIR).
_CACHE = bool(os.environ.get("NUMBA_CACHE_DIR")) or os.access(os.path.dirname(os.path.abspath(__file__)), os.W_OK)

#: Loss of a state whose information matrix is not positive definite.
INFEASIBLE = 1e300


# --------------------------------------------------------------------------------------------------
# Score and information, one row at a time
# --------------------------------------------------------------------------------------------------
@njit(cache=_CACHE)
def accumulate(X, y, beta, G, H):
    """``G = X'(y - mu)`` and ``H = X'WX`` at ``beta`` (intercept first), written in place."""
    n, k = X.shape
    G[:] = 0.0
    H[:, :] = 0.0
    x = np.empty(k + 1)
    for i in range(n):
        x[0] = 1.0
        for j in range(k):
            x[j + 1] = X[i, j]
        add_row(x, y[i], beta, G, H, 1.0)


@njit(cache=_CACHE)
def add_row(x, yi, beta, G, H, sign):
    """Add (``sign = 1``) or remove (``sign = -1``) one row's terms of ``G`` and ``H`` at ``beta``."""
    m = x.shape[0]
    eta = 0.0
    for j in range(m):
        eta += x[j] * beta[j]
    mu = 1.0 / (1.0 + np.exp(-eta))
    w = sign * mu * (1.0 - mu)
    r = sign * (yi - mu)
    for a in range(m):
        G[a] += x[a] * r
        wa = w * x[a]
        for b in range(m):
            H[a, b] += wa * x[b]


@njit(cache=_CACHE)
def loglik(X, y, beta):
    """Log-likelihood of the logit at ``beta`` (intercept first)."""
    n, k = X.shape
    s = 0.0
    for i in range(n):
        e = beta[0]
        for j in range(k):
            e += X[i, j] * beta[j + 1]
        s += y[i] * e - (max(e, 0.0) + np.log1p(np.exp(-abs(e))))
    return s


@njit(cache=_CACHE)
def changes(X, y, col, a, b):
    """Whether swapping column ``col`` (the outcome when ``col == k``) between rows a and b changes the data."""
    if col == X.shape[1]:
        return y[a] != y[b]
    return X[a, col] != X[b, col]


@njit(cache=_CACHE)
def is_noop(X, y, col, a, b):
    """Whether the swap leaves the data set (the multiset of rows) unchanged: rows a and b agree everywhere
    but in the swapped column, so the swap only exchanges the two rows."""
    k = X.shape[1]
    if col != k and y[a] != y[b]:
        return False
    for j in range(k):
        if j != col and X[a, j] != X[b, j]:
            return False
    return True


@njit(cache=_CACHE)
def swap(X, y, col, a, b):
    """Swap column ``col`` (the outcome when ``col == k``) between rows a and b, in place."""
    if col == X.shape[1]:
        y[a], y[b] = y[b], y[a]
    else:
        X[a, col], X[b, col] = X[b, col], X[a, col]


@njit(cache=_CACHE)
def workspace(m):
    """Score, information, their proposal copies, two row buffers and the Newton step, for m terms."""
    return (np.zeros(m), np.zeros((m, m)), np.zeros(m), np.zeros((m, m)), np.empty(m), np.empty(m), np.zeros(m))


@njit(cache=_CACHE)
def cholesky(H, L):
    """Lower Cholesky factor of ``H`` into ``L``; False if ``H`` is not (numerically) positive definite."""
    m = H.shape[0]
    for i in range(m):
        for j in range(i + 1):
            s = H[i, j]
            for q in range(j):
                s -= L[i, q] * L[j, q]
            if i == j:
                if s <= 1e-12:
                    return False
                L[i, i] = np.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
    return True


@njit(cache=_CACHE)
def newton_step(L, G, d):
    """``d = H^-1 G`` from the Cholesky factor ``L`` of ``H``."""
    m = G.shape[0]
    t = np.empty(m)
    for i in range(m):
        s = G[i]
        for q in range(i):
            s -= L[i, q] * t[q]
        t[i] = s / L[i, i]
    for i in range(m - 1, -1, -1):
        s = t[i]
        for q in range(i + 1, m):
            s -= L[q, i] * d[q]
        d[i] = s / L[i, i]


@njit(cache=_CACHE)
def inverse_factor(L, Li):
    """``Li = L^-1`` (lower triangular); then ``[H^-1]_jj = sum_q Li[q, j]^2``."""
    m = L.shape[0]
    Li[:, :] = 0.0
    for i in range(m):
        Li[i, i] = 1.0 / L[i, i]
        for j in range(i):
            s = 0.0
            for q in range(j, i):
                s -= L[i, q] * Li[q, j]
            Li[i, j] = s / L[i, i]


@njit(cache=_CACHE)
def variance(Li, j):
    """``[H^-1]_jj`` from ``Li = L^-1``."""
    v = 0.0
    for q in range(j, Li.shape[0]):
        v += Li[q, j] * Li[q, j]
    return v


# --------------------------------------------------------------------------------------------------
# The annealer of the original search. Its arithmetic is frozen: recorded searches replay bit for bit.
# --------------------------------------------------------------------------------------------------
@njit(cache=_CACHE)
def score(G, H, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d):
    """Hinge loss of the state whose Newton step from ``beta`` is ``d`` (written in place).

    Errors are normalised by their own tolerance; each costs ``max(0, |e| - hinge)^2``. The |z| of p-value
    target ``c`` is taken at the state's coefficient where ``zmode[c] = 1`` and at the published one where
    ``zmode[c] = 0``. Returns 0.0 when every normalised error is below 1 (all targets met) and
    :data:`INFEASIBLE` when H is not positive definite.
    """
    m = G.shape[0]
    L = np.zeros((m, m))
    for i in range(m):
        for j in range(i + 1):
            s = H[i, j]
            for q in range(j):
                s -= L[i, q] * L[j, q]
            if i == j:
                if s <= 1e-12:
                    return INFEASIBLE
                L[i, i] = np.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
    t = np.empty(m)
    for i in range(m):
        s = G[i]
        for q in range(i):
            s -= L[i, q] * t[q]
        t[i] = s / L[i, i]
    for i in range(m - 1, -1, -1):
        s = t[i]
        for q in range(i + 1, m):
            s -= L[q, i] * d[q]
        d[i] = s / L[i, i]
    loss = 0.0
    worst = 0.0
    for j in range(1, m):
        e = abs(beta[j] + d[j] - bstar[j]) / btol[j]
        worst = max(worst, e)
        if e > hinge:
            loss += (e - hinge) ** 2
    if zidx.shape[0] > 0:
        Li = np.zeros((m, m))
        for i in range(m):
            Li[i, i] = 1.0 / L[i, i]
            for j in range(i):
                s = 0.0
                for q in range(j, i):
                    s -= L[i, q] * Li[q, j]
                Li[i, j] = s / L[i, i]
        for c in range(zidx.shape[0]):
            j = zidx[c]
            v = 0.0
            for q in range(j, m):
                v += Li[q, j] * Li[q, j]
            b = zmode[c] * (beta[j] + d[j]) + (1.0 - zmode[c]) * bstar[j]
            e = abs(abs(b) / np.sqrt(v) - zstar[c]) / ztol[c]
            worst = max(worst, e)
            if e > hinge:
                loss += (e - hinge) ** 2
    if worst < 1.0:
        return 0.0
    return loss + 1e-9


@njit(cache=_CACHE)
def relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, steps, guard=False):
    """Refit ``beta`` by ``steps`` Newton steps (in place) and return the loss of the state.

    With ``guard``, a step that lowers the log-likelihood is halved (up to 30 times) until it does not: free
    coefficients are not held near a target, and a full Newton step from a poor estimate can then run off.
    """
    accumulate(X, y, beta, G, H)
    loss = score(G, H, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d)
    for _ in range(steps):
        if loss >= INFEASIBLE:
            return loss
        if guard:
            step = d.copy()
            start = beta.copy()
            before = loglik(X, y, start)
            for _half in range(30):
                for q in range(beta.shape[0]):
                    beta[q] = start[q] + step[q]
                if loglik(X, y, beta) >= before:
                    break
                step *= 0.5
            accumulate(X, y, beta, G, H)
            loss = score(G, H, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d)
            continue
        for q in range(beta.shape[0]):
            beta[q] += d[q]
        accumulate(X, y, beta, G, H)
        loss = score(G, H, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d)
    return loss


@njit(cache=_CACHE)
def swap_loss(X, y, beta, G, H, col, a, b, bstar, btol, zidx, zstar, ztol, zmode, hinge, G2, H2, xa, xb, d):
    """Loss after swapping column ``col`` between rows a and b (the data are not changed; G2, H2 hold the
    proposal's score and information)."""
    n, k = X.shape
    G2[:] = G
    H2[:, :] = H
    xa[0] = 1.0
    xb[0] = 1.0
    for j in range(k):
        xa[j + 1] = X[a, j]
        xb[j + 1] = X[b, j]
    add_row(xa, y[a], beta, G2, H2, -1.0)
    add_row(xb, y[b], beta, G2, H2, -1.0)
    if col == k:
        add_row(xa, y[b], beta, G2, H2, 1.0)
        add_row(xb, y[a], beta, G2, H2, 1.0)
    else:
        xa[col + 1], xb[col + 1] = xb[col + 1], xa[col + 1]
        add_row(xa, y[a], beta, G2, H2, 1.0)
        add_row(xb, y[b], beta, G2, H2, 1.0)
    return score(G2, H2, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d)


@njit(cache=_CACHE)
def anneal(
    X, y, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, seed, nprop, T0, T1, p_outcome, relin_every, guard=False
):
    """Metropolis annealing over marginal-preserving swaps; stops early when every target is met.

    The temperature falls geometrically from T0 to T1 over ``nprop`` proposals; a share ``p_outcome`` of
    proposals swap two outcomes, the rest two codes of one predictor. Returns (proposals made, final loss).
    ``X``, ``y`` and ``beta`` are updated in place; ``guard`` as in :func:`relinearise`.
    """
    np.random.seed(seed)
    n, k = X.shape
    m = k + 1
    G, H, G2, H2, xa, xb, d = workspace(m)
    cur = relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, 3, guard)
    if cur == 0.0:
        return 0, cur
    log_ratio = np.log(T1 / T0)
    accepted = 0
    for it in range(nprop):
        T = T0 * np.exp(log_ratio * it / nprop)
        col = k if np.random.random() < p_outcome else np.random.randint(0, k)
        a = np.random.randint(0, n)
        b = np.random.randint(0, n)
        if not changes(X, y, col, a, b):
            continue
        new = swap_loss(X, y, beta, G, H, col, a, b, bstar, btol, zidx, zstar, ztol, zmode, hinge, G2, H2, xa, xb, d)
        delta = new - cur
        if delta <= 0.0 or np.random.random() < np.exp(-delta / T):
            swap(X, y, col, a, b)
            G[:] = G2
            H[:, :] = H2
            cur = new
            accepted += 1
            if cur == 0.0 or accepted % relin_every == 0:
                cur = relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, 3, guard)
                if cur == 0.0:
                    return it + 1, cur
    return nprop, cur


@njit(cache=_CACHE)
def best_swaps(X, y, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, K, top_l, top_c, top_a, top_b):
    """Exhaustive scan of every swap from the state: the K lowest losses (ascending), written in place."""
    n, k = X.shape
    m = k + 1
    G, H, G2, H2, xa, xb, d = workspace(m)
    relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, 3)
    for q in range(K):
        top_l[q] = INFEASIBLE
    for col in range(k + 1):
        for a in range(n):
            for b in range(a + 1, n):
                if not changes(X, y, col, a, b):
                    continue
                lval = swap_loss(
                    X, y, beta, G, H, col, a, b, bstar, btol, zidx, zstar, ztol, zmode, hinge, G2, H2, xa, xb, d
                )
                if lval < top_l[K - 1]:
                    q = K - 1
                    while q > 0 and top_l[q - 1] > lval:
                        top_l[q] = top_l[q - 1]
                        top_c[q] = top_c[q - 1]
                        top_a[q] = top_a[q - 1]
                        top_b[q] = top_b[q - 1]
                        q -= 1
                    top_l[q] = lval
                    top_c[q] = col
                    top_a[q] = a
                    top_b[q] = b


# --------------------------------------------------------------------------------------------------
# The exact final step: signed error vectors of single swaps and of combinations of swaps
# --------------------------------------------------------------------------------------------------
@njit(cache=_CACHE)
def errors(G, H, beta, cidx, bstar, btol, zidx, zstar, ztol, out):
    """Signed normalised errors of the state whose score and information at ``beta`` are G and H.

    ``out[:len(cidx)]`` are the coefficient errors ``(b_j - b*_j) / tol``, the rest the |z| errors of the
    p-value targets (at the state's own coefficients). Returns False if H is not positive definite.
    """
    m = G.shape[0]
    L = np.zeros((m, m))
    if not cholesky(H, L):
        return False
    d = np.empty(m)
    newton_step(L, G, d)
    nc = cidx.shape[0]
    for c in range(nc):
        j = cidx[c]
        out[c] = (beta[j] + d[j] - bstar[j]) / btol[j]
    if zidx.shape[0] > 0:
        Li = np.empty((m, m))
        inverse_factor(L, Li)
        for c in range(zidx.shape[0]):
            j = zidx[c]
            out[nc + c] = (abs(beta[j] + d[j]) / np.sqrt(variance(Li, j)) - zstar[c]) / ztol[c]
    return True


@njit(cache=_CACHE)
def swap_table(X, y, beta, cidx, bstar, btol, zidx, zstar, ztol):
    """Every single swap that changes the data set, with its effect on the error vector.

    Returns ``(base, E, C, A, B)``: the state's errors, and per swap the change of the errors (one Newton
    step from ``beta`` with the swap applied, minus ``base``), the column (``k`` = the outcome) and the rows.
    Swaps that only exchange two rows (:func:`is_noop`) are left out.
    """
    n, k = X.shape
    m = k + 1
    G, H, G2, H2, xa, xb, _ = workspace(m)
    accumulate(X, y, beta, G, H)
    D = cidx.shape[0] + zidx.shape[0]
    base = np.empty(D)
    if not errors(G, H, beta, cidx, bstar, btol, zidx, zstar, ztol, base):
        base[:] = np.inf
    nmax = (k + 1) * n * (n - 1) // 2
    E = np.empty((nmax, D))
    C = np.empty(nmax, np.int64)
    A = np.empty(nmax, np.int64)
    B = np.empty(nmax, np.int64)
    tmp = np.empty(D)
    cnt = 0
    for col in range(k + 1):
        for a in range(n):
            for b in range(a + 1, n):
                if not changes(X, y, col, a, b) or is_noop(X, y, col, a, b):
                    continue
                G2[:] = G
                H2[:, :] = H
                xa[0] = 1.0
                xb[0] = 1.0
                for j in range(k):
                    xa[j + 1] = X[a, j]
                    xb[j + 1] = X[b, j]
                add_row(xa, y[a], beta, G2, H2, -1.0)
                add_row(xb, y[b], beta, G2, H2, -1.0)
                if col == k:
                    add_row(xa, y[b], beta, G2, H2, 1.0)
                    add_row(xb, y[a], beta, G2, H2, 1.0)
                else:
                    xa[col + 1], xb[col + 1] = xb[col + 1], xa[col + 1]
                    add_row(xa, y[a], beta, G2, H2, 1.0)
                    add_row(xb, y[b], beta, G2, H2, 1.0)
                if errors(G2, H2, beta, cidx, bstar, btol, zidx, zstar, ztol, tmp):
                    for q in range(D):
                        E[cnt, q] = tmp[q] - base[q]
                    C[cnt] = col
                    A[cnt] = a
                    B[cnt] = b
                    cnt += 1
    return base, E[:cnt], C[:cnt], A[:cnt], B[:cnt]


@njit(cache=_CACHE)
def combo_rows(X, y, C, A, B, idx, X2, y2, rows):
    """Apply the swaps ``idx`` (indices into C, A, B; negative entries are skipped) to copies X2, y2 of the
    data, and list the distinct rows they touch in ``rows``; returns how many."""
    X2[:, :] = X
    y2[:] = y
    nr = 0
    for q in range(idx.shape[0]):
        s = idx[q]
        if s < 0:
            continue
        swap(X2, y2, C[s], A[s], B[s])
        for r in (A[s], B[s]):
            seen = False
            for t in range(nr):
                if rows[t] == r:
                    seen = True
            if not seen:
                rows[nr] = r
                nr += 1
    return nr


@njit(cache=_CACHE)
def score_combos(X, y, beta, C, A, B, IDX, cidx, bstar, btol, zidx, zstar, ztol):
    """Errors (one Newton step from ``beta``) of the state after each row of swaps ``IDX`` (negative entries
    skipped), exactly: the touched rows' terms are replaced in G and H. Rows whose information is not
    positive definite get errors of 1e9."""
    n, k = X.shape
    m = k + 1
    G = np.zeros(m)
    H = np.zeros((m, m))
    accumulate(X, y, beta, G, H)
    D = cidx.shape[0] + zidx.shape[0]
    out = np.empty((IDX.shape[0], D))
    tmp = np.empty(D)
    X2 = np.empty_like(X)
    y2 = np.empty_like(y)
    rows = np.empty(2 * IDX.shape[1], np.int64)
    G2 = np.empty(m)
    H2 = np.empty((m, m))
    x = np.empty(m)
    for p in range(IDX.shape[0]):
        nr = combo_rows(X, y, C, A, B, IDX[p], X2, y2, rows)
        G2[:] = G
        H2[:, :] = H
        for t in range(nr):
            r = rows[t]
            x[0] = 1.0
            for j in range(k):
                x[j + 1] = X[r, j]
            add_row(x, y[r], beta, G2, H2, -1.0)
            for j in range(k):
                x[j + 1] = X2[r, j]
            add_row(x, y2[r], beta, G2, H2, 1.0)
        if errors(G2, H2, beta, cidx, bstar, btol, zidx, zstar, ztol, tmp):
            out[p] = tmp
        else:
            out[p] = 1e9
    return out


@njit(cache=_CACHE)
def hinge_cost(e, hinge):
    """``sum_d max(0, |e_d| - hinge)^2`` of one error vector."""
    s = 0.0
    for q in range(e.shape[0]):
        a = abs(e[q]) - hinge
        if a > 0.0:
            s += a * a
    return s


@njit(cache=_CACHE)
def best_pairs(base, F, radius, K, hinge):
    """Meet in the middle: the K moves or pairs of moves whose summed effect brings ``base`` closest to 0.

    ``F`` holds the (linearised) effects of small moves. Every single move and every pair ``p < q`` whose
    predicted errors ``base + F[p] (+ F[q])`` all lie within ``radius`` is ranked by :func:`hinge_cost`
    (ties by the largest error). The coordinates are checked in decreasing order of spread with an early
    exit, and the moves are sorted by the first of them, so each pair's partner is sought only in the band
    of that coordinate that can land. Returns (cost, largest error, p, q) arrays of length K, ascending;
    q = -1 marks a single move and cost = inf an empty slot.
    """
    N, D = F.shape
    spread = np.empty(D)
    for dd in range(D):
        spread[dd] = -np.std(F[:, dd])
    dims = np.argsort(spread)
    order = np.argsort(F[:, dims[0]])
    Fs = np.empty((N, D))
    bs = np.empty(D)
    for dd in range(D):
        bs[dd] = base[dims[dd]]
        for i in range(N):
            Fs[i, dd] = F[order[i], dims[dd]]
    f0 = Fs[:, 0].copy()
    top_c = np.full(K, np.inf)
    top_w = np.full(K, np.inf)
    top_p = np.full(K, -1, np.int64)
    top_q = np.full(K, -1, np.int64)
    e = np.empty(D)
    for ip in range(N + 1):
        # ip == N scores the single moves (q = -1) in one pass at the end
        if ip < N:
            start = max(np.searchsorted(f0, -radius - bs[0] - Fs[ip, 0]), ip + 1)
            stop = np.searchsorted(f0, radius - bs[0] - Fs[ip, 0], side="right")
        else:
            start, stop = 0, N
        for iq in range(start, stop):
            ok = True
            worst = 0.0
            for dd in range(D):
                v = bs[dd] + Fs[iq, dd]
                if ip < N:
                    v += Fs[ip, dd]
                a = abs(v)
                if a > radius:
                    ok = False
                    break
                e[dd] = v
                if a > worst:
                    worst = a
            if not ok:
                continue
            c = hinge_cost(e, hinge)
            if c < top_c[K - 1] or (c == top_c[K - 1] and worst < top_w[K - 1]):
                s = K - 1
                while s > 0 and (top_c[s - 1] > c or (top_c[s - 1] == c and top_w[s - 1] > worst)):
                    top_c[s] = top_c[s - 1]
                    top_w[s] = top_w[s - 1]
                    top_p[s] = top_p[s - 1]
                    top_q[s] = top_q[s - 1]
                    s -= 1
                top_c[s] = c
                top_w[s] = worst
                if ip < N:
                    top_p[s] = order[ip]
                    top_q[s] = order[iq]
                else:
                    top_p[s] = order[iq]
                    top_q[s] = -1
    return top_c, top_w, top_p, top_q


# --------------------------------------------------------------------------------------------------
# The directed annealer of the envelope: targets as a hinge penalty, one statistic as a second objective
# --------------------------------------------------------------------------------------------------
#: Objective kinds of :func:`objective` (parameters in brackets; ``j`` a term index, ``v`` a column).
NONE, COEF, SE, Z, LL, AME, CROSS, CELL, CHI2, ACCURACY, AUC, HL, NONLIN = range(13)


@njit(cache=_CACHE)
def target_loss(G, H, beta, bstar, btol, zidx, zstar, ztol, hinge, d, Li):
    """Squared-hinge loss of every target (the |z| at the state's own coefficients) and the largest
    normalised error; fills the Newton step ``d`` and ``Li = L^-1``. Returns (INFEASIBLE, inf) if H is not
    positive definite."""
    m = G.shape[0]
    L = np.empty((m, m))
    L[:, :] = 0.0
    if not cholesky(H, L):
        return INFEASIBLE, np.inf
    newton_step(L, G, d)
    inverse_factor(L, Li)
    loss = 0.0
    worst = 0.0
    for j in range(1, m):
        e = abs(beta[j] + d[j] - bstar[j]) / btol[j]
        worst = max(worst, e)
        if e > hinge:
            loss += (e - hinge) ** 2
    for c in range(zidx.shape[0]):
        j = zidx[c]
        e = abs(abs(beta[j] + d[j]) / np.sqrt(variance(Li, j)) - zstar[c]) / ztol[c]
        worst = max(worst, e)
        if e > hinge:
            loss += (e - hinge) ** 2
    return loss, worst


@njit(cache=_CACHE)
def _table(X, y, v):
    """Codes 1..5 of column v: counts and outcome-1 counts (index = code)."""
    n_l = np.zeros(8)
    s_l = np.zeros(8)
    for i in range(X.shape[0]):
        c = int(X[i, v])
        n_l[c] += 1.0
        s_l[c] += y[i]
    return n_l, s_l


@njit(cache=_CACHE)
def pearson_chi2(X, y, v):
    """Pearson χ² of column v's k × 2 table against the outcome."""
    n_l, s_l = _table(X, y, v)
    N = X.shape[0]
    pbar = y.sum() / N
    chi = 0.0
    for c in range(8):
        if n_l[c] > 0:
            chi += (s_l[c] - n_l[c] * pbar) ** 2 / (n_l[c] * pbar * (1.0 - pbar))
    return chi


@njit(cache=_CACHE)
def nonlinearity(X, y, ordinal):
    """Sum over the ordinal columns of Pearson χ² minus the Cochran–Armitage trend χ²: the part of each
    item's association with the outcome that linear codes miss (a proxy for the coding test)."""
    N = X.shape[0]
    pbar = y.sum() / N
    total = 0.0
    for q in range(ordinal.shape[0]):
        v = ordinal[q]
        n_l, s_l = _table(X, y, v)
        chi = 0.0
        num = 0.0
        sx = 0.0
        sxx = 0.0
        for c in range(8):
            if n_l[c] > 0:
                dev = s_l[c] - n_l[c] * pbar
                chi += dev * dev / (n_l[c] * pbar * (1.0 - pbar))
                num += c * dev
                sx += n_l[c] * c
                sxx += n_l[c] * c * c
        trend = num * num / (pbar * (1.0 - pbar) * (sxx - sx * sx / N))
        total += chi - trend
    return total


@njit(cache=_CACHE)
def _linear_predictor(X, beta, eta):
    n, k = X.shape
    for i in range(n):
        s = beta[0]
        for j in range(k):
            s += X[i, j] * beta[j + 1]
        eta[i] = s


@njit(cache=_CACHE)
def mid_ranks(values):
    """Ranks 1..n of ``values`` with ties given their mean rank."""
    n = values.shape[0]
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(n)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[order[j + 1]] == values[order[i]]:
            j += 1
        r = 0.5 * (i + j) + 1.0
        for q in range(i, j + 1):
            ranks[order[q]] = r
        i = j + 1
    return ranks


@njit(cache=_CACHE)
def hosmer_lemeshow_chi2(y, p, groups, tol):
    """Hosmer–Lemeshow χ² with the grouping of :func:`ridersurvey.model.logit.hosmer_lemeshow` (blocks of tied
    probabilities kept whole, block ending at case c to group ceil(groups c / n), empty groups dropped)."""
    n = p.shape[0]
    order = np.argsort(p, kind="mergesort")
    raw = np.empty(n, np.int64)
    start = 0
    for i in range(n):
        last = i == n - 1 or p[order[i + 1]] - p[order[i]] > tol
        if last:
            g = -((-groups * (i + 1)) // n)
            for q in range(start, i + 1):
                raw[q] = g
            start = i + 1
    size = np.zeros(groups + 1)
    obs = np.zeros(groups + 1)
    exp_ = np.zeros(groups + 1)
    for q in range(n):
        g = raw[q]
        size[g] += 1.0
        obs[g] += y[order[q]]
        exp_[g] += p[order[q]]
    chi = 0.0
    for g in range(groups + 1):
        if size[g] > 0:
            chi += (obs[g] - exp_[g]) ** 2 / (exp_[g] * (1.0 - exp_[g] / size[g]))
    return chi


@njit(cache=_CACHE)
def _cross_sum(X, a, b):
    """Sum over riders of the product of columns ``a`` and ``b``."""
    s = 0.0
    for i in range(X.shape[0]):
        s += X[i, a] * X[i, b]
    return s


@njit(cache=_CACHE)
def _cell_sum(X, y, column, code):
    """Outcome total of the riders with ``code`` in ``column``."""
    s = 0.0
    for i in range(X.shape[0]):
        if X[i, column] == code:
            s += y[i]
    return s


@njit(cache=_CACHE)
def _log_likelihood(y, eta):
    s = 0.0
    for i in range(eta.shape[0]):
        e = eta[i]
        s += y[i] * e - (max(e, 0.0) + np.log1p(np.exp(-abs(e))))
    return s


@njit(cache=_CACHE)
def _average_marginal_effect(X, beta2, eta, par):
    """:meth:`ridersurvey.model.logit.LogitFit.marginal_effects`: codes par[1] < par[2] (lowest, highest); two codes
    (par[3] == 2): every rider at the higher against the lower code; more codes: the riders below the top
    code, one step up."""
    j = par[0]
    b = beta2[j]
    s = 0.0
    riders = 0
    for i in range(eta.shape[0]):
        x = X[i, j - 1]
        if par[3] == 2:
            s += 1.0 / (1.0 + np.exp(-(eta[i] + b * (par[2] - x)))) - 1.0 / (1.0 + np.exp(-(eta[i] + b * (par[1] - x))))
            riders += 1
        elif x < par[2]:
            s += 1.0 / (1.0 + np.exp(-(eta[i] + b))) - 1.0 / (1.0 + np.exp(-eta[i]))
            riders += 1
    return s / riders


@njit(cache=_CACHE)
def _accuracy(y, eta):
    """Per cent of riders classified correctly at the 0.5 cut-off."""
    n = eta.shape[0]
    s = 0.0
    for i in range(n):
        if (eta[i] > 0.0) == (y[i] > 0.5):
            s += 1.0
    return 100.0 * s / n


@njit(cache=_CACHE)
def _auc(y, eta):
    """Area under the ROC curve (Mann-Whitney, mid-ranks for ties)."""
    n = eta.shape[0]
    ranks = mid_ranks(eta)
    n1 = 0.0
    r1 = 0.0
    for i in range(n):
        if y[i] > 0.5:
            n1 += 1.0
            r1 += ranks[i]
    return (r1 - n1 * (n1 + 1.0) / 2.0) / (n1 * (n - n1))


@njit(cache=_CACHE)
def _hosmer_lemeshow(y, eta):
    n = eta.shape[0]
    p = np.empty(n)
    for i in range(n):
        p[i] = 1.0 / (1.0 + np.exp(-eta[i]))
    return hosmer_lemeshow_chi2(y, p, 10, 1e-10)


@njit(cache=_CACHE)
def _data_objective(kind, par, X, y, ordinal):
    """An objective of the data alone (no fit): CROSS, CELL, CHI2, NONLIN; NONE (and any other) is 0."""
    if kind == CROSS:
        return _cross_sum(X, par[0], par[1])
    if kind == CELL:
        return _cell_sum(X, y, par[0], par[1])
    if kind == CHI2:
        return pearson_chi2(X, y, par[0])
    if kind == NONLIN:
        return nonlinearity(X, y, ordinal)
    return 0.0


@njit(cache=_CACHE)
def objective(kind, par, X, y, beta2, Li, eta, ordinal):
    """Value of objective ``kind`` (parameters ``par``) for data (X, y) fitted at ``beta2`` (Li as from
    :func:`target_loss`). ``eta`` is a work buffer of length n; ``ordinal`` the columns :func:`nonlinearity`
    sums over."""
    if kind == COEF:
        return beta2[par[0]]
    if kind == SE:
        return np.sqrt(variance(Li, par[0]))
    if kind == Z:
        return beta2[par[0]] / np.sqrt(variance(Li, par[0]))
    if kind not in (LL, AME, ACCURACY, AUC, HL):
        return _data_objective(kind, par, X, y, ordinal)
    _linear_predictor(X, beta2, eta)
    if kind == LL:
        return _log_likelihood(y, eta)
    if kind == AME:
        return _average_marginal_effect(X, beta2, eta, par)
    if kind == ACCURACY:
        return _accuracy(y, eta)
    if kind == AUC:
        return _auc(y, eta)
    return _hosmer_lemeshow(y, eta)


@njit(cache=_CACHE)
def anneal_directed(
    X, y, beta, bstar, btol, zidx, zstar, ztol, hinge, kind, par, weight, ordinal, seed, nprop, T0, T1, p_outcome
):
    """Metropolis annealing on ``target loss - weight x objective``: the targets as a squared-hinge penalty
    (errors below ``hinge`` free) and a statistic the paper did not publish as a second objective
    (``weight > 0`` raises it, ``weight < 0`` lowers it).

    Each proposal is applied, scored by one Newton step from ``beta`` (its objective at ``beta + d``) and
    undone if rejected; an accepted one is refitted by three Newton steps. Returns (proposals, target loss,
    objective) of the final state; X, y and beta are updated in place.
    """
    np.random.seed(seed)
    n, k = X.shape
    m = k + 1
    G, H, G2, H2, xa, xb, d = workspace(m)
    Li = np.zeros((m, m))
    eta = np.empty(n)
    beta2 = np.empty(m)
    accumulate(X, y, beta, G, H)
    tl, _ = target_loss(G, H, beta, bstar, btol, zidx, zstar, ztol, hinge, d, Li)
    for q in range(m):
        beta2[q] = beta[q] + d[q]
    g = objective(kind, par, X, y, beta2, Li, eta, ordinal)
    cur = tl - weight * g
    log_ratio = np.log(T1 / T0)
    for it in range(nprop):
        T = T0 * np.exp(log_ratio * it / nprop)
        col = k if np.random.random() < p_outcome else np.random.randint(0, k)
        a = np.random.randint(0, n)
        b = np.random.randint(0, n)
        if not changes(X, y, col, a, b):
            continue
        G2[:] = G
        H2[:, :] = H
        xa[0] = 1.0
        xb[0] = 1.0
        for j in range(k):
            xa[j + 1] = X[a, j]
            xb[j + 1] = X[b, j]
        add_row(xa, y[a], beta, G2, H2, -1.0)
        add_row(xb, y[b], beta, G2, H2, -1.0)
        swap(X, y, col, a, b)
        for j in range(k):
            xa[j + 1] = X[a, j]
            xb[j + 1] = X[b, j]
        add_row(xa, y[a], beta, G2, H2, 1.0)
        add_row(xb, y[b], beta, G2, H2, 1.0)
        tl2, _ = target_loss(G2, H2, beta, bstar, btol, zidx, zstar, ztol, hinge, d, Li)
        if tl2 >= INFEASIBLE:
            swap(X, y, col, a, b)
            continue
        for q in range(m):
            beta2[q] = beta[q] + d[q]
        g2 = objective(kind, par, X, y, beta2, Li, eta, ordinal)
        new = tl2 - weight * g2
        delta = new - cur
        if delta <= 0.0 or np.random.random() < np.exp(-delta / T):
            for _ in range(3):
                accumulate(X, y, beta, G, H)
                Lf = np.zeros((m, m))
                if not cholesky(H, Lf):
                    break
                newton_step(Lf, G, d)
                for q in range(m):
                    beta[q] += d[q]
            accumulate(X, y, beta, G, H)
            tl, _ = target_loss(G, H, beta, bstar, btol, zidx, zstar, ztol, hinge, d, Li)
            for q in range(m):
                beta2[q] = beta[q] + d[q]
            g = objective(kind, par, X, y, beta2, Li, eta, ordinal)
            cur = tl - weight * g
        else:
            swap(X, y, col, a, b)
    return nprop, tl, g


@njit(cache=_CACHE)
def extend_candidates(base, F, P, Q, radius, K, hinge):
    """One more small move for each candidate: the K best (candidate, move) combinations.

    Candidate ``c`` predicts ``base + F[P[c]] (+ F[Q[c]] if Q[c] >= 0)``; every move ``r`` not already in
    it is added and the result ranked as in :func:`best_pairs`. Returns (cost, largest error, c, r).
    """
    N, D = F.shape
    top_c = np.full(K, np.inf)
    top_w = np.full(K, np.inf)
    top_i = np.full(K, -1, np.int64)
    top_r = np.full(K, -1, np.int64)
    v = np.empty(D)
    e = np.empty(D)
    for c in range(P.shape[0]):
        for dd in range(D):
            v[dd] = base[dd] + F[P[c], dd]
            if Q[c] >= 0:
                v[dd] += F[Q[c], dd]
        for r in range(N):
            if r == P[c] or r == Q[c]:
                continue
            ok = True
            worst = 0.0
            for dd in range(D):
                x = v[dd] + F[r, dd]
                a = abs(x)
                if a > radius:
                    ok = False
                    break
                e[dd] = x
                if a > worst:
                    worst = a
            if not ok:
                continue
            cost = hinge_cost(e, hinge)
            if cost < top_c[K - 1] or (cost == top_c[K - 1] and worst < top_w[K - 1]):
                s = K - 1
                while s > 0 and (top_c[s - 1] > cost or (top_c[s - 1] == cost and top_w[s - 1] > worst)):
                    top_c[s] = top_c[s - 1]
                    top_w[s] = top_w[s - 1]
                    top_i[s] = top_i[s - 1]
                    top_r[s] = top_r[s - 1]
                    s -= 1
                top_c[s] = cost
                top_w[s] = worst
                top_i[s] = c
                top_r[s] = r
    return top_c, top_w, top_i, top_r


@njit(cache=_CACHE)
def score_combos_objective(X, y, beta, C, A, B, IDX, cidx, bstar, btol, zidx, zstar, ztol, kind, par, ordinal):
    """:func:`score_combos` and, per row of swaps, the objective ``kind`` of the resulting state (at its
    Newton step from ``beta``); -inf objectives for states whose information is not positive definite."""
    n, k = X.shape
    m = k + 1
    G = np.zeros(m)
    H = np.zeros((m, m))
    accumulate(X, y, beta, G, H)
    D = cidx.shape[0] + zidx.shape[0]
    out = np.empty((IDX.shape[0], D))
    obj = np.empty(IDX.shape[0])
    X2 = np.empty_like(X)
    y2 = np.empty_like(y)
    rows = np.empty(2 * IDX.shape[1], np.int64)
    G2 = np.empty(m)
    H2 = np.empty((m, m))
    x = np.empty(m)
    d = np.empty(m)
    Li = np.empty((m, m))
    L = np.empty((m, m))
    beta2 = np.empty(m)
    eta = np.empty(n)
    for p in range(IDX.shape[0]):
        nr = combo_rows(X, y, C, A, B, IDX[p], X2, y2, rows)
        G2[:] = G
        H2[:, :] = H
        for t in range(nr):
            r = rows[t]
            x[0] = 1.0
            for j in range(k):
                x[j + 1] = X[r, j]
            add_row(x, y[r], beta, G2, H2, -1.0)
            for j in range(k):
                x[j + 1] = X2[r, j]
            add_row(x, y2[r], beta, G2, H2, 1.0)
        L[:, :] = 0.0
        if not cholesky(H2, L):
            out[p] = 1e9
            obj[p] = -np.inf
            continue
        newton_step(L, G2, d)
        inverse_factor(L, Li)
        for c in range(cidx.shape[0]):
            j = cidx[c]
            out[p, c] = (beta[j] + d[j] - bstar[j]) / btol[j]
        nc = cidx.shape[0]
        for c in range(zidx.shape[0]):
            j = zidx[c]
            out[p, nc + c] = (abs(beta[j] + d[j]) / np.sqrt(variance(Li, j)) - zstar[c]) / ztol[c]
        for q in range(m):
            beta2[q] = beta[q] + d[q]
        obj[p] = objective(kind, par, X2, y2, beta2, Li, eta, ordinal)
    return out, obj


@njit(cache=_CACHE)
def best_feasible_pairs(base, F, phi, radius, K):
    """The K single moves or pairs of moves with the largest summed ``phi`` whose predicted errors
    ``base + F[p] (+ F[q])`` all stay within ``radius`` (the box the state is in). Sorted and pruned as
    :func:`best_pairs`. Returns (gain, p, q) arrays of length K, descending; q = -1 marks a single move and
    gain = -inf an empty slot."""
    N, D = F.shape
    spread = np.empty(D)
    for dd in range(D):
        spread[dd] = -np.std(F[:, dd])
    dims = np.argsort(spread)
    order = np.argsort(F[:, dims[0]])
    Fs = np.empty((N, D))
    bs = np.empty(D)
    ph = np.empty(N)
    for i in range(N):
        ph[i] = phi[order[i]]
    for dd in range(D):
        bs[dd] = base[dims[dd]]
        for i in range(N):
            Fs[i, dd] = F[order[i], dims[dd]]
    f0 = Fs[:, 0].copy()
    top_g = np.full(K, -np.inf)
    top_p = np.full(K, -1, np.int64)
    top_q = np.full(K, -1, np.int64)
    for ip in range(N + 1):
        if ip < N:
            start = max(np.searchsorted(f0, -radius - bs[0] - Fs[ip, 0]), ip + 1)
            stop = np.searchsorted(f0, radius - bs[0] - Fs[ip, 0], side="right")
        else:
            start, stop = 0, N
        for iq in range(start, stop):
            gain = ph[iq] + (ph[ip] if ip < N else 0.0)
            if gain <= top_g[K - 1] or gain <= 0.0:
                continue
            ok = True
            for dd in range(D):
                v = bs[dd] + Fs[iq, dd]
                if ip < N:
                    v += Fs[ip, dd]
                if abs(v) > radius:
                    ok = False
                    break
            if not ok:
                continue
            s = K - 1
            while s > 0 and top_g[s - 1] < gain:
                top_g[s] = top_g[s - 1]
                top_p[s] = top_p[s - 1]
                top_q[s] = top_q[s - 1]
                s -= 1
            top_g[s] = gain
            if ip < N:
                top_p[s] = order[ip]
                top_q[s] = order[iq]
            else:
                top_p[s] = order[iq]
                top_q[s] = -1
    return top_g, top_p, top_q
