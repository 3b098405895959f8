"""Reconstruct 100 coded survey responses consistent with the paper's published tables.

The paper publishes Table 1 (frequencies of every coded variable) and Table 3 (logit coefficients and
p-values of ``unwilling`` on the nine predictors, entered as numeric codes). This module searches for a
respondent-level dataset whose

1. column frequencies equal Table 1 exactly,
2. logit coefficients round (3 decimals) to Table 3's, and
3. Wald p-values round (3 decimals) to Table 3's -- for every p-value that is *attainable*.

Attainability. Every logistic weight ``mu (1 - mu)`` is at most 1/4 and the residual sum of squares of
``x_j`` on the intercept and the other columns is at most ``sum (x_ij - mean)^2 = (n - 1) s_j^2``, so
``Var(b_j) = [(X'WX)^-1]_jj >= 4 / ((n - 1) s_j^2)``: ``SE_j >= 2 / (s_j sqrt(n - 1))``
(:func:`ridersurvey.precision.se_floor`).
With the coefficient fixed, ``|z| <= |b| / SE_floor`` and the p-value is at least :func:`ridersurvey.precision.p_floor`.
A published p below that floor cannot be produced by *any* dataset with the published frequencies and
coefficient; such targets are excluded from the search and reported (:attr:`Reconstruction.unattainable`).

Search. Simulated annealing over datasets with the published marginals (moves: swap two respondents'
values within one column, or swap two outcomes -- both keep every frequency). The loss is a sum of
squared hinge errors, each target's error normalised by its own rounding tolerance, so coefficients
(tolerance 0.0005) and p-values (tolerance mapped to the z scale) weigh alike. Each proposal is scored by
one warm-started Newton step from the current MLE using incremental updates of ``X'(y - mu)`` and
``X'WX`` for the two changed rows; accepted proposals are refitted to convergence. The hot loop is
compiled with numba and seeded with ``np.random.seed`` inside the compiled code, so a seed fully
determines the path and hence the dataset.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numba import njit
from scipy.stats import norm

from ridersurvey.codebook import load_codebook
from ridersurvey.precision import p_attainable, p_floor, se_floor

N_RESPONDENTS = 100
OUTCOME = "unwilling"
#: The model's predictors, the codebook's nine in Table 2's order (the kernel's column order).
PREDICTORS = tuple(load_codebook().predictors)
#: Rounding half-width of a number printed with 3 decimals.
PRINT_TOL = 0.0005
#: Fraction of the rounding half-width the search aims inside (safety margin against boundary cases).
DEFAULT_MARGIN = 0.9

# numba's on-disk cache needs a writable directory (next to this file, or NUMBA_CACHE_DIR).
_CACHE = bool(os.environ.get("NUMBA_CACHE_DIR")) or os.access(os.path.dirname(os.path.abspath(__file__)), os.W_OK)


# --------------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Targets:
    """What a reconstruction must reproduce.

    ``counts``: ``{variable: {code: count}}`` for the outcome and every predictor.
    ``table3``: DataFrame indexed by predictor with columns ``coef`` and ``p``.
    """

    counts: dict
    table3: pd.DataFrame
    n: int = N_RESPONDENTS
    predictors: tuple = PREDICTORS
    outcome: str = OUTCOME

    def __post_init__(self):
        for var in (self.outcome, *self.predictors):
            if var not in self.counts:
                raise ValueError(f"counts lack {var!r}")
            if sum(self.counts[var].values()) != self.n:
                raise ValueError(f"counts of {var!r} sum to {sum(self.counts[var].values())}, not {self.n}")
        missing = set(self.predictors) - set(self.table3.index)
        if missing:
            raise ValueError(f"table3 lacks {sorted(missing)}")

    def coef(self, var: str) -> float:
        return float(self.table3.loc[var, "coef"])

    def p(self, var: str) -> float:
        return float(self.table3.loc[var, "p"])

    def column(self, var: str) -> np.ndarray:
        """The multiset of codes of ``var`` as a sorted integer array of length n."""
        c = self.counts[var]
        return np.repeat(np.array(sorted(c), dtype=np.int64), [c[k] for k in sorted(c)])

    def sd(self, var: str) -> float:
        return float(np.std(self.column(var), ddof=1))

    def attainability(self) -> pd.DataFrame:
        """Per predictor: sd, SE floor, p floor, published p and whether that p is attainable.

        The p floor is :func:`ridersurvey.precision.p_floor` of the printed coefficient and Table 2's printed
        SD, the number the audit shows; the SE floor and largest z use the SD of Table 1's counts.
        """
        from ridersurvey.published import table2

        printed_sd = table2()["sd"]
        rows = []
        for var in self.predictors:
            sd = self.sd(var)
            b, p = self.coef(var), self.p(var)
            floor = p_floor(b, printed_sd[var], self.n)
            rows.append(
                {
                    "variable": var,
                    "coef": b,
                    "p": p,
                    "sd": sd,
                    "se_floor": se_floor(sd, self.n),
                    "z_max": abs(b) / se_floor(sd, self.n),
                    "p_floor": floor,
                    "attainable": p_attainable(p, b, printed_sd[var], self.n),
                }
            )
        return pd.DataFrame(rows).set_index("variable")


def targets_from_published(counts: dict | None = None, table3: pd.DataFrame | None = None) -> Targets:
    """Targets from ``ridersurvey.published`` (Table 1 counts, Table 3), or from the arguments given."""
    if counts is None or table3 is None:
        from ridersurvey import published

        counts = published.table1_counts() if counts is None else counts
        table3 = published.table3() if table3 is None else table3
    counts = {str(v): {int(k): int(c) for k, c in d.items()} for v, d in counts.items()}
    t3 = table3[["coef", "p"]].astype(float).copy()
    return Targets(counts=counts, table3=t3)


# --------------------------------------------------------------------------------------------------
# Compiled kernel. The state is scored at a fixed linearisation point ``beta`` (the current MLE):
# G = X'(y - mu) and H = X'WX are sums over rows, so a swap changes two rows' terms only, and the
# Newton step d = H^-1 G gives the refitted coefficients beta + d to second order.
# --------------------------------------------------------------------------------------------------
@njit(cache=_CACHE)
def _accumulate(X, y, beta, G, H):
    n, k = X.shape
    G[:] = 0.0
    H[:, :] = 0.0
    x = np.empty(k + 1)
    for i in range(n):
        x[0] = 1.0
        for j in range(k):
            x[j + 1] = X[i, j]
        _add_row(x, y[i], beta, G, H, 1.0)


@njit(cache=_CACHE)
def _add_row(x, yi, beta, G, H, sign):
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
def _score(G, H, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d):
    """Hinge loss of the state whose Newton step from ``beta`` is ``d`` (written in place).

    Errors are normalised by their own tolerance; each costs ``max(0, |e| - hinge)^2``. Returns 0.0 when
    every normalised error is below 1 (all targets met), a large number when H is not positive definite.
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
                    return 1e300
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
            b = zmode * (beta[j] + d[j]) + (1.0 - zmode) * bstar[j]
            e = abs(abs(b) / np.sqrt(v) - zstar[c]) / ztol[c]
            worst = max(worst, e)
            if e > hinge:
                loss += (e - hinge) ** 2
    if worst < 1.0:
        return 0.0
    return loss + 1e-9


@njit(cache=_CACHE)
def _relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, steps):
    _accumulate(X, y, beta, G, H)
    loss = _score(G, H, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d)
    for _ in range(steps):
        if loss >= 1e300:
            return loss
        for q in range(beta.shape[0]):
            beta[q] += d[q]
        _accumulate(X, y, beta, G, H)
        loss = _score(G, H, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d)
    return loss


@njit(cache=_CACHE)
def _swap_loss(X, y, beta, G, H, col, a, b, bstar, btol, zidx, zstar, ztol, zmode, hinge, G2, H2, xa, xb, d):
    n, k = X.shape
    G2[:] = G
    H2[:, :] = H
    xa[0] = 1.0
    xb[0] = 1.0
    for j in range(k):
        xa[j + 1] = X[a, j]
        xb[j + 1] = X[b, j]
    _add_row(xa, y[a], beta, G2, H2, -1.0)
    _add_row(xb, y[b], beta, G2, H2, -1.0)
    if col == k:
        _add_row(xa, y[b], beta, G2, H2, 1.0)
        _add_row(xb, y[a], beta, G2, H2, 1.0)
    else:
        xa[col + 1], xb[col + 1] = xb[col + 1], xa[col + 1]
        _add_row(xa, y[a], beta, G2, H2, 1.0)
        _add_row(xb, y[b], beta, G2, H2, 1.0)
    return _score(G2, H2, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, d)


@njit(cache=_CACHE)
def _changes(X, y, col, a, b):
    """Whether swapping column ``col`` (the outcome when ``col == k``) between rows a and b changes the data."""
    if col == X.shape[1]:
        return y[a] != y[b]
    return X[a, col] != X[b, col]


@njit(cache=_CACHE)
def _swap(X, y, col, a, b):
    if col == X.shape[1]:
        y[a], y[b] = y[b], y[a]
    else:
        X[a, col], X[b, col] = X[b, col], X[a, col]


@njit(cache=_CACHE)
def _workspace(m):
    """Score, information, their proposal copies, two row buffers and the Newton step, for m terms."""
    return (np.zeros(m), np.zeros((m, m)), np.zeros(m), np.zeros((m, m)), np.empty(m), np.empty(m), np.zeros(m))


@njit(cache=_CACHE)
def _anneal(X, y, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, seed, nprop, T0, T1, p_outcome, relin_every):
    """Metropolis annealing over marginal-preserving swaps; stops early when every target is met.

    Returns (proposals made, final loss). ``X``, ``y`` and ``beta`` are updated in place.
    """
    np.random.seed(seed)
    n, k = X.shape
    m = k + 1
    G, H, G2, H2, xa, xb, d = _workspace(m)
    cur = _relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, 3)
    if cur == 0.0:
        return 0, cur
    log_ratio = np.log(T1 / T0)
    accepted = 0
    for it in range(nprop):
        T = T0 * np.exp(log_ratio * it / nprop)
        col = k if np.random.random() < p_outcome else np.random.randint(0, k)
        a = np.random.randint(0, n)
        b = np.random.randint(0, n)
        if not _changes(X, y, col, a, b):
            continue
        new = _swap_loss(X, y, beta, G, H, col, a, b, bstar, btol, zidx, zstar, ztol, zmode, hinge, G2, H2, xa, xb, d)
        delta = new - cur
        if delta <= 0.0 or np.random.random() < np.exp(-delta / T):
            _swap(X, y, col, a, b)
            G[:] = G2
            H[:, :] = H2
            cur = new
            accepted += 1
            if cur == 0.0 or accepted % relin_every == 0:
                cur = _relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, 3)
                if cur == 0.0:
                    return it + 1, cur
    return nprop, cur


@njit(cache=_CACHE)
def _best_swaps(X, y, beta, bstar, btol, zidx, zstar, ztol, zmode, hinge, K, top_l, top_c, top_a, top_b):
    """Exhaustive scan of every swap from the state: the K lowest losses (ascending)."""
    n, k = X.shape
    m = k + 1
    G, H, G2, H2, xa, xb, d = _workspace(m)
    _relinearise(X, y, beta, G, H, bstar, btol, zidx, zstar, ztol, zmode, hinge, d, 3)
    for q in range(K):
        top_l[q] = 1e300
    for col in range(k + 1):
        for a in range(n):
            for b in range(a + 1, n):
                if not _changes(X, y, col, a, b):
                    continue
                lval = _swap_loss(
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
# Python driver
# --------------------------------------------------------------------------------------------------
#: Default annealing stages: (coefficient tolerance multiplier, share of the cycle's proposals, T0, T1).
#: Early stages hold the p-value (z) targets at the published coefficients while the coefficients are
#: still loose: this shapes the correlation structure the standard errors need before the coefficients
#: are tightened (a search that holds every coefficient tightly from the start cannot walk there).
DEFAULT_STAGES = ((20.0, 0.4, 10.0, 0.01), (5.0, 0.2, 0.5, 0.01), (2.0, 0.2, 0.3, 0.01), (1.0, 0.2, 0.3, 0.001))


@dataclass(frozen=True)
class Schedule:
    """Search schedule of one cycle (a cycle starts from a fresh random dataset with the marginals)."""

    proposals_per_cycle: int = 25_000_000
    chunk: int = 1_000_000  # proposals per compiled call (the wall-clock limit is checked between)
    T0: float = 10.0  # temperature at the start of the first stage
    T1: float = 0.001  # temperature at the end of the last stage
    hinge: float = 0.8  # normalised errors below this cost nothing
    p_outcome: float = 0.1  # share of proposals that swap two outcomes
    stages: tuple = DEFAULT_STAGES
    beam_width: int = 30  # final polish: beam search over exhaustive single swaps
    beam_candidates: int = 30
    beam_depth: int = 8
    relin_every: int = 1  # re-linearise (refit) after this many accepted swaps


@dataclass
class Reconstruction:
    seed: int
    data: pd.DataFrame
    targets: Targets
    achieved: pd.DataFrame  # index: const + predictors; columns coef, se, p
    unattainable: list
    proposals: int
    proposals_per_second: float
    wall_seconds: float
    success: bool
    cycles: int = 0
    margin: float = DEFAULT_MARGIN
    failures: list = field(default_factory=list)  # unmet requirements (empty on success)


def _target_arrays(targets: Targets, margin: float):
    """Arrays the kernel scores against: coefficients (tolerance margin x 0.0005) and, for attainable
    p-values, the |z| window that maps onto ``p +- margin x 0.0005``."""
    m = len(targets.predictors) + 1
    bstar, btol = np.zeros(m), np.ones(m)
    zidx, zstar, ztol = [], [], []
    att = targets.attainability()
    half = margin * PRINT_TOL
    for j, var in enumerate(targets.predictors, start=1):
        bstar[j], btol[j] = targets.coef(var), half
        if att.loc[var, "attainable"]:
            p = targets.p(var)
            z_lo, z_hi = norm.isf((p + half) / 2.0), norm.isf((p - half) / 2.0)
            zidx.append(j)
            zstar.append((z_lo + z_hi) / 2.0)
            ztol.append((z_hi - z_lo) / 2.0)
    return bstar, btol, np.array(zidx, dtype=np.int64), np.array(zstar), np.array(ztol)


def unattainable_targets(targets: Targets) -> list[dict]:
    """Published p-values no dataset with the published counts and coefficients can reproduce."""
    att = targets.attainability()
    out = []
    for var, row in att[~att["attainable"]].iterrows():
        out.append(
            {
                "variable": var,
                "statistic": "p",
                "published": float(row["p"]),
                "coef": float(row["coef"]),
                "sd": float(row["sd"]),
                "se_floor": float(row["se_floor"]),
                "z_max": float(row["z_max"]),
                "p_floor": float(row["p_floor"]),
                "reason": (
                    f"with b = {row['coef']}, SD(x) = {row['sd']:.4f} and n = {targets.n}, "
                    f"SE >= 2/(SD sqrt(n-1)) = {row['se_floor']:.4f}, so |z| <= {row['z_max']:.4f} "
                    f"and p >= {row['p_floor']:.4f} > published {row['p']} + 0.0005"
                ),
            }
        )
    return out


def _initial_state(targets: Targets, seed: int, cycle: int):
    """Random dataset with the published marginals, and the published slopes with an intercept that
    makes the mean fitted probability equal the outcome's share."""
    rng = np.random.default_rng([seed, cycle])
    X = np.column_stack([rng.permutation(targets.column(v)) for v in targets.predictors]).astype(np.float64)
    y = rng.permutation(targets.column(targets.outcome)).astype(np.float64)
    slopes = np.array([targets.coef(v) for v in targets.predictors])
    b0 = 0.0
    for _ in range(60):
        mu = 1.0 / (1.0 + np.exp(-(b0 + X @ slopes)))
        b0 += (y.sum() - mu.sum()) / (mu * (1.0 - mu)).sum()
    return X, y, np.concatenate([[b0], slopes])


def _kernel_seed(*keys: int) -> int:
    return int(np.random.SeedSequence(list(keys)).generate_state(1, np.uint32)[0])


def _frame(targets: Targets, X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    cols = [targets.outcome, *targets.predictors]
    vals = np.column_stack([y, X]).round().astype(np.int64)
    df = pd.DataFrame(vals, columns=cols).sort_values(cols, kind="mergesort").reset_index(drop=True)
    df.insert(0, "respondent_id", np.arange(1, len(df) + 1, dtype=np.int64))
    return df


def _final_loss(X, y, beta, arrays, hinge) -> float:
    bstar, btol, zidx, zstar, ztol = arrays
    m = beta.shape[0]
    return float(
        _relinearise(
            X, y, beta, np.zeros(m), np.zeros((m, m)), bstar, btol, zidx, zstar, ztol, 1.0, hinge, np.zeros(m), 3
        )
    )


def _beam_polish(X, y, beta, arrays, sch: Schedule):
    """Beam search over exhaustive single swaps from the annealed state (deterministic).

    Returns the best state found, its loss, and how many swaps were scored.
    """
    bstar, btol, zidx, zstar, ztol = arrays
    K = sch.beam_candidates
    top_l, top_c = np.empty(K), np.empty(K, np.int64)
    top_a, top_b = np.empty(K, np.int64), np.empty(K, np.int64)
    n_swaps = int(X.shape[1] * X.shape[0] * (X.shape[0] - 1) / 2 + X.shape[0] * (X.shape[0] - 1) / 2)
    best = (_final_loss(X, y, beta, arrays, sch.hinge), X, y, beta)
    beam, seen, scored = [best], set(), 0
    for _ in range(sch.beam_depth):
        candidates = []
        for _loss, Xs, ys, bs in beam:
            _best_swaps(Xs, ys, bs, bstar, btol, zidx, zstar, ztol, 1.0, sch.hinge, K, top_l, top_c, top_a, top_b)
            scored += n_swaps
            candidates += [(top_l[q], Xs, ys, bs, top_c[q], top_a[q], top_b[q]) for q in range(K) if top_l[q] < 1e299]
        candidates.sort(key=lambda c: c[0])
        beam = []
        for _, Xs, ys, bs, col, a, b in candidates:
            X2, y2, b2 = Xs.copy(), ys.copy(), bs.copy()
            _swap(X2, y2, col, a, b)
            key = (X2.tobytes(), y2.tobytes())
            if key in seen:
                continue
            seen.add(key)
            state = (_final_loss(X2, y2, b2, arrays, sch.hinge), X2, y2, b2)
            beam.append(state)
            if state[0] < best[0]:
                best = state
            if state[0] == 0.0 or len(beam) >= sch.beam_width:
                break
        if best[0] == 0.0 or not beam:
            break
    return best, scored


def fit_logit(data: pd.DataFrame, predictors=PREDICTORS, outcome: str = OUTCOME) -> pd.DataFrame:
    """The model's coef, se and p (index const + predictors): :func:`ridersurvey.model.fit_logit`."""
    from ridersurvey.model import fit_logit as fit

    return fit(data, list(predictors), outcome).coefficients()[["coef", "se", "p"]]


def verify(data: pd.DataFrame, targets: Targets, margin: float = DEFAULT_MARGIN) -> list[str]:
    """Unmet requirements of ``data`` (empty list: all met). Independent of the search code: pandas
    value_counts and statsmodels."""
    problems = []
    if len(data) != targets.n:
        problems.append(f"{len(data)} rows, expected {targets.n}")
    for var in (targets.outcome, *targets.predictors):
        got = {int(k): int(v) for k, v in data[var].value_counts().items()}
        if got != targets.counts[var]:
            problems.append(f"{var}: counts {got} != {targets.counts[var]}")
    fit = fit_logit(data, targets.predictors, targets.outcome)
    bad_p = {u["variable"] for u in unattainable_targets(targets)}
    lim = margin * PRINT_TOL
    for var in targets.predictors:
        b, p = fit.loc[var, "coef"], fit.loc[var, "p"]
        if abs(b - targets.coef(var)) > lim or round(b, 3) != round(targets.coef(var), 3):
            problems.append(f"{var}: coef {b:.6f} vs {targets.coef(var)}")
        if var not in bad_p and (abs(p - targets.p(var)) > lim or round(p, 3) != round(targets.p(var), 3)):
            problems.append(f"{var}: p {p:.6f} vs {targets.p(var)}")
    return problems


def reconstruct(
    seed: int,
    max_seconds: float = 600,
    targets: Targets | None = None,
    schedule: Schedule | None = None,
    margin: float = DEFAULT_MARGIN,
    max_proposals: int | None = None,
) -> Reconstruction:
    """Search for a dataset meeting every attainable target.

    Each cycle starts from a random dataset with the published marginals, anneals through the stages of
    ``schedule`` (coefficient tolerances tightening, p-value targets held throughout) and finishes with a
    beam search over exhaustive single swaps. Cycles repeat until success, ``max_seconds`` or
    ``max_proposals``. The path is a pure function of ``seed`` (and targets, schedule, margin); the limits
    only truncate it, between chunks. On failure the closest state seen is returned with
    ``success=False`` and the unmet requirements in ``failures``.
    """
    targets = targets_from_published() if targets is None else targets
    sch = Schedule() if schedule is None else schedule
    arrays = _target_arrays(targets, margin)
    bstar, btol, zidx, zstar, ztol = arrays
    start = time.perf_counter()
    proposals, cycle, success = 0, 0, False
    best_loss, best = np.inf, None

    def out_of_budget() -> bool:
        return (time.perf_counter() - start > max_seconds) or bool(max_proposals and proposals >= max_proposals)

    while True:
        X, y, beta = _initial_state(targets, seed, cycle)
        loss = np.inf
        for s, (scale, share, T0, T1) in enumerate(sch.stages):
            final = scale == 1.0
            n_stage = max(1, int(share * sch.proposals_per_cycle))
            for c, i0 in enumerate(range(0, n_stage, sch.chunk)):
                i1 = min(n_stage, i0 + sch.chunk)
                t_a = T0 * (T1 / T0) ** (i0 / n_stage)
                t_b = T0 * (T1 / T0) ** (i1 / n_stage)
                done, loss = _anneal(
                    X,
                    y,
                    beta,
                    bstar,
                    btol * scale if not final else btol,
                    zidx,
                    zstar,
                    ztol,
                    1.0 if final else 0.0,
                    sch.hinge,
                    _kernel_seed(seed, cycle, s, c),
                    i1 - i0,
                    t_a,
                    t_b,
                    sch.p_outcome,
                    sch.relin_every if final else 200,
                )
                proposals += int(done)
                if loss == 0.0 or out_of_budget():
                    break
            if out_of_budget() or (final and loss == 0.0):
                break
        if not out_of_budget() and _final_loss(X, y, beta, arrays, sch.hinge) > 0.0:
            (loss, X, y, beta), scored = _beam_polish(X, y, beta, arrays, sch)
            proposals += scored
        loss = _final_loss(X, y, beta, arrays, sch.hinge)
        if loss < best_loss:
            best_loss, best = loss, (X.copy(), y.copy())
        if loss == 0.0:
            success = not verify(_frame(targets, X, y), targets, margin)
        cycle += 1
        if success or out_of_budget():
            break
    wall = time.perf_counter() - start
    X, y = best  # type: ignore[misc]  # set by the first cycle
    data = _frame(targets, X, y)
    failures = verify(data, targets, margin)
    fit = fit_logit(data, targets.predictors, targets.outcome)
    return Reconstruction(
        seed=seed,
        data=data,
        targets=targets,
        achieved=fit,
        unattainable=unattainable_targets(targets),
        proposals=proposals,
        proposals_per_second=proposals / wall if wall > 0 else float("nan"),
        wall_seconds=wall,
        success=not failures,
        cycles=cycle,
        margin=margin,
        failures=failures,
    )


def _version() -> str:
    try:
        from ridersurvey import __version__

        return str(__version__)
    except ImportError:
        try:
            from importlib.metadata import version

            return version("ridersurvey")
        except Exception:
            return "0+unknown"


def provenance(rec: Reconstruction) -> dict:
    """JSON-ready record of a reconstruction. The timing fields (``wall_seconds``,
    ``proposals_per_second``) vary between runs; byte-identity checks should compare the data files."""
    t = rec.targets
    unatt = {u["variable"] for u in rec.unattainable}
    targets = {
        var: {
            "coef": t.coef(var),
            "p": t.p(var),
            "p_targeted": var not in unatt,
            "counts": {str(k): v for k, v in t.counts[var].items()},
        }
        for var in t.predictors
    }
    targets[t.outcome] = {"counts": {str(k): v for k, v in t.counts[t.outcome].items()}}
    achieved = {
        str(idx): {"coef": float(r["coef"]), "se": float(r["se"]), "p": float(r["p"])}
        for idx, r in rec.achieved.iterrows()
    }
    return {
        "seed": int(rec.seed),
        "ridersurvey_version": _version(),
        "n": int(t.n),
        "tolerance": {
            "printed_half_width": PRINT_TOL,
            "margin": rec.margin,
            "aimed_half_width": rec.margin * PRINT_TOL,
        },
        "targets": targets,
        "achieved": achieved,
        "unattainable": rec.unattainable,
        "proposals": int(rec.proposals),
        "cycles": int(rec.cycles),
        "proposals_per_second": float(rec.proposals_per_second),
        "wall_seconds": float(rec.wall_seconds),
        "success": bool(rec.success),
        "failures": list(rec.failures),
    }


# --------------------------------------------------------------------------------------------------
# Output files, replay, ensembles and the command line
# --------------------------------------------------------------------------------------------------
import dataclasses  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

#: Where :func:`write_outputs` puts its three files, relative to the output directory (the layout of ``data/``).
RAW_FILE = Path("raw") / "responses.csv"
CODED_FILE = Path("riders_survey.csv")
PROVENANCE_FILE = Path("provenance.json")
#: Collected questionnaires the paper excluded for a missing key variable (103 collected, 100 valid).
N_EXCLUDED = 3
#: Stream tag that separates the raw-file randomness from the search's (``SeedSequence([seed, tag])``).
_RAW_STREAM = 103


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes (recorded in provenance so a reader can check the committed files)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def raw_responses(data: pd.DataFrame, seed: int, n_excluded: int = N_EXCLUDED, book=None) -> pd.DataFrame:
    """The collected questionnaires as a platform would list them: ``data``'s valid responses in a seeded
    submission order, with ``n_excluded`` incomplete responses interleaved at seeded positions.

    Each incomplete response has one key item left empty (NA) and its other answers drawn from the valid
    responses' frequencies. Ids run 1..len(data)+n_excluded in file order. Everything is a function of
    ``seed`` through one ``numpy`` PCG64 stream, so the same seed gives the same rows on any machine.
    """
    from ridersurvey.codebook import load_codebook

    book = book or load_codebook()
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), _RAW_STREAM]))
    names = book.names
    valid = data[names].astype("int64").to_numpy()[rng.permutation(len(data))]
    extra = np.empty((n_excluded, len(names)), dtype=np.int64)
    for j, var in enumerate(names):
        codes, counts = np.unique(data[var].to_numpy(), return_counts=True)
        extra[:, j] = rng.choice(codes, size=n_excluded, p=counts / counts.sum())
    blank = rng.integers(len(names), size=n_excluded)
    total = len(data) + n_excluded
    positions = np.sort(rng.choice(total, size=n_excluded, replace=False))
    rows = np.empty((total, len(names)), dtype=np.int64)
    is_extra = np.zeros(total, dtype=bool)
    is_extra[positions] = True
    rows[is_extra] = extra
    rows[~is_extra] = valid
    frame = pd.DataFrame(rows, columns=names).astype("Int64")
    for pos, j in zip(positions, blank):
        frame.iat[int(pos), int(j)] = pd.NA
    frame.insert(0, book.id_variable, np.arange(1, total + 1, dtype=np.int64))
    return frame


def _json_dump(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _schedule_dict(schedule: Schedule | None) -> dict:
    return dataclasses.asdict(Schedule() if schedule is None else schedule)


def write_outputs(
    rec: Reconstruction,
    out_dir: str | os.PathLike,
    *,
    max_seconds: float | None = None,
    max_proposals: int | None = None,
    schedule: Schedule | None = None,
) -> dict:
    """Write a reconstruction as ``out_dir/raw/responses.csv``, ``out_dir/riders_survey.csv`` and
    ``out_dir/provenance.json``; return the provenance record.

    The raw file (:func:`raw_responses`, via :func:`ridersurvey.io.write_raw_export`: Chinese labels and
    question texts, UTF-8 with BOM) holds all collected responses; the coded file is *made from it* by the
    cleaning code (:func:`ridersurvey.io.load_responses` then :func:`ridersurvey.io.write_coded`), so it is
    exactly what ``ridersurvey clean`` produces. Both CSVs depend only on the reconstructed data and the
    seed. The provenance adds the search budget (``max_seconds``, ``max_proposals``, the schedule), the
    proposal count that replays the search deterministically, the cleaning summary, the Table 1 counts of
    the coded file and the files' SHA-256; timing fields are the only run-dependent values.
    """
    from ridersurvey.codebook import load_codebook
    from ridersurvey.io import load_responses, write_coded, write_raw_export

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} exists and is not a directory")
    book = load_codebook()
    raw_path, coded_path, prov_path = out / RAW_FILE, out / CODED_FILE, out / PROVENANCE_FILE
    raw_path.parent.mkdir(parents=True, exist_ok=True)
    write_raw_export(raw_responses(rec.data, rec.seed, book=book), raw_path, lang="zh", book=book)
    cleaned = load_responses(raw_path)
    write_coded(cleaned.data, coded_path, book=book)
    coded = pd.read_csv(coded_path)
    prov = provenance(rec)
    prov["budget"] = {
        "max_seconds": None if max_seconds is None else float(max_seconds),
        "max_proposals": None if max_proposals is None else int(max_proposals),
        "schedule": _schedule_dict(schedule),
        # the search stops only between chunks, so this budget replays it exactly
        "replay_max_proposals": int(rec.proposals),
    }
    prov["cleaning"] = {
        "n_collected": int(cleaned.n_collected),
        "n_excluded": int(cleaned.n_excluded),
        "n_valid": int(cleaned.n_valid),
        "exclusions": [
            {"row": int(r.row), "respondent_id": int(r.respondent_id), "reason": str(r.reason)}
            for r in cleaned.exclusions.itertuples(index=False)
        ],
    }
    prov["achieved_counts"] = {
        var: {str(int(k)): int(v) for k, v in sorted(coded[var].value_counts().items())}
        for var in (rec.targets.outcome, *rec.targets.predictors)
    }
    prov["files"] = {str(p.relative_to(out).as_posix()): {"sha256": sha256_file(p)} for p in (raw_path, coded_path)}
    _json_dump(prov, prov_path)
    return prov


def load_provenance(path: str | os.PathLike | None = None) -> dict:
    """The provenance record of the committed reconstruction (default ``data/provenance.json``)."""
    from ridersurvey.paths import DATA_DIR

    path = Path(path) if path is not None else DATA_DIR / PROVENANCE_FILE
    return json.loads(Path(path).read_text(encoding="utf-8"))


def provenance_table(prov: dict) -> pd.DataFrame:
    """Table 3 targets against what the reconstruction achieved, one row per coefficient and p-value.

    Columns ``variable``, ``statistic`` ('coef' or 'p'), ``published``, ``achieved``, ``targeted`` (False for
    p-values no dataset can reach) and ``met``: the achieved value rounds to the published one and lies
    within the aimed tolerance (``tolerance.aimed_half_width``) -- the criterion :func:`verify` applies.
    """
    half = float(prov["tolerance"]["aimed_half_width"])
    rows = []
    for var, tgt in prov["targets"].items():
        if "coef" not in tgt:
            continue
        for stat in ("coef", "p"):
            published = float(tgt[stat])
            achieved = float(prov["achieved"][var][stat])
            targeted = True if stat == "coef" else bool(tgt["p_targeted"])
            met = targeted and abs(achieved - published) <= half and round(achieved, 3) == round(published, 3)
            rows.append(
                {
                    "variable": var,
                    "statistic": stat,
                    "published": published,
                    "achieved": achieved,
                    "targeted": targeted,
                    "met": bool(met),
                }
            )
    order = {v: i for i, v in enumerate(PREDICTORS)}
    frame = pd.DataFrame(rows)
    frame["_o"] = frame["variable"].map(order).fillna(len(order))
    return frame.sort_values(["_o", "statistic"], kind="mergesort").drop(columns="_o").reset_index(drop=True)


def counts_table(prov: dict) -> pd.DataFrame:
    """Table 1 cells (variable, code) with the published and the achieved count and whether they agree."""
    rows = []
    for var, tgt in prov["targets"].items():
        got = prov.get("achieved_counts", {}).get(var, {})
        for code, count in sorted(tgt["counts"].items(), key=lambda kv: int(kv[0])):
            achieved = int(got.get(code, 0))
            rows.append(
                {
                    "variable": var,
                    "code": int(code),
                    "published": int(count),
                    "achieved": achieved,
                    "met": achieved == int(count),
                }
            )
    return pd.DataFrame(rows)


def regenerate(prov: dict, out_dir: str | os.PathLike | None = None) -> Reconstruction:
    """Rerun the search a provenance record describes (seed, schedule, margin and the replay budget), and
    write its files into ``out_dir`` if given; the CSVs then equal the recorded ones byte for byte."""
    budget = prov["budget"]
    rec = reconstruct(
        int(prov["seed"]),
        max_seconds=math.inf,
        schedule=Schedule(**budget["schedule"]),
        margin=float(prov["tolerance"]["margin"]),
        max_proposals=int(budget["replay_max_proposals"]),
    )
    if out_dir is not None:
        write_outputs(
            rec,
            out_dir,
            max_seconds=budget["max_seconds"],
            max_proposals=budget["max_proposals"],
            schedule=Schedule(**budget["schedule"]),
        )
    return rec


def ensemble_seeds(k: int, seed: int) -> list[int]:
    """K independent 32-bit seeds derived from ``seed`` (``numpy.random.SeedSequence(seed).spawn(k)``)."""
    return [int(s.generate_state(1, np.uint32)[0]) for s in np.random.SeedSequence(int(seed)).spawn(int(k))]


def _ensemble_member(
    index: int, seed: int, max_seconds: float, max_proposals: int | None, schedule: Schedule | None
) -> tuple[int, dict]:
    from ridersurvey.model import fit_logit as fit

    rec = reconstruct(seed, max_seconds=max_seconds, schedule=schedule, max_proposals=max_proposals)
    row: dict[str, float] = {"seed": int(seed), "success": bool(rec.success), "n_failures": len(rec.failures)}
    row.update(fit(rec.data).summary_row())
    row.update({"proposals": int(rec.proposals), "wall_seconds": float(rec.wall_seconds)})
    return index, row


def run_ensemble(
    k: int,
    seed: int,
    jobs: int = 1,
    scheduler: str | None = None,
    max_seconds: float = 600.0,
    progress: bool = True,
    max_proposals: int | None = None,
    schedule: Schedule | None = None,
) -> pd.DataFrame:
    """K independent reconstructions and the fit of each, one row per reconstruction.

    Seeds come from :func:`ensemble_seeds`. The runs go to local processes with joblib (``jobs`` workers,
    loky backend) or, given ``scheduler='tcp://HOST:PORT'``, to an existing Dask distributed cluster. Columns:
    ``seed``, ``success``, ``n_failures``, :meth:`ridersurvey.model.LogitFit.summary_row`'s statistics,
    ``proposals`` and ``wall_seconds``; rows follow the derived seeds' order whatever the completion order.
    With a proposal budget (``max_proposals``) and no binding time limit, every column but ``wall_seconds``
    is a function of ``seed`` and ``k`` alone.
    """
    from tqdm.auto import tqdm

    seeds = ensemble_seeds(k, seed)
    args = [(i, s, max_seconds, max_proposals, schedule) for i, s in enumerate(seeds)]
    bar = tqdm(total=len(args), desc="reconstructions", unit="run", disable=not progress, file=sys.stderr)
    results: dict[int, dict] = {}
    try:
        if scheduler is not None:
            from distributed import Client, as_completed

            with Client(scheduler) as client:
                futures = [client.submit(_ensemble_member, *a, pure=False) for a in args]
                for fut in as_completed(futures):
                    i, row = fut.result()
                    results[i] = row
                    bar.update()
        elif jobs == 1:
            for a in args:
                i, row = _ensemble_member(*a)
                results[i] = row
                bar.update()
        else:
            from joblib import Parallel, delayed

            parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator_unordered")
            for i, row in parallel(delayed(_ensemble_member)(*a) for a in args):
                results[i] = row
                bar.update()
    finally:
        bar.close()
    return pd.DataFrame([results[i] for i in range(len(seeds))])


def write_ensemble(summary: pd.DataFrame, out_dir: str | os.PathLike, meta: dict) -> None:
    """``out_dir/summary.csv`` (floats as ``%.6g``) and ``out_dir/ensemble.json`` (``meta``, sorted keys)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.csv").write_text(
        summary.to_csv(index=False, float_format="%.6g", lineterminator="\n"), encoding="utf-8"
    )
    _json_dump(meta, out / "ensemble.json")


def summary_lines(prov: dict) -> list[str]:
    """Human-readable summary of a provenance record (what ``ridersurvey reconstruct`` prints)."""
    table = provenance_table(prov)
    counts = counts_table(prov)
    coef = table[table["statistic"] == "coef"]
    ptab = table[(table["statistic"] == "p") & table["targeted"]]
    verdict = (
        "success: every attainable target met"
        if prov["success"]
        else f"NOT successful: {len(prov['failures'])} requirement(s) unmet"
    )
    lines = [
        f"reconstruction seed {prov['seed']}: {verdict}",
        f"  Table 1 cells reproduced: {int(counts['met'].sum())}/{len(counts)}",
        f"  coefficients within tolerance: {int(coef['met'].sum())}/{len(coef)}",
        f"  attainable p-values within tolerance: {int(ptab['met'].sum())}/{len(ptab)}",
    ]
    for msg in prov["failures"]:
        lines.append(f"    unmet: {msg}")
    for u in prov["unattainable"]:
        lines.append(
            f"  unattainable: {u['variable']} p = {u['published']} (no dataset gives p below {u['p_floor']:.4f})"
        )
    lines.append(
        f"  search: {prov['proposals']:,} proposals, {prov['proposals_per_second']:,.0f} proposals/s, "
        f"{prov['wall_seconds']:.1f} s wall"
    )
    if "cleaning" in prov:
        c = prov["cleaning"]
        lines.append(f"  raw file: {c['n_collected']} responses, {c['n_excluded']} excluded, {c['n_valid']} valid")
    return lines


def cli_main(args) -> int:
    """``ridersurvey reconstruct``: one reconstruction into ``--out`` (exit 0 if every attainable target is
    met, 1 if not -- the files are written either way and the provenance says so), or with ``--ensemble K``
    the ensemble summary (exit 0); exit 2 for unusable arguments."""
    out = getattr(args, "out", None)
    if out is None:
        print("reconstruct: give an output directory with --out DIR", file=sys.stderr)
        return 2
    out = Path(out)
    if out.exists() and not out.is_dir():
        print(f"{out}: exists and is not a directory; --out takes a directory", file=sys.stderr)
        return 2
    max_seconds = float(args.max_seconds)
    max_proposals = getattr(args, "max_proposals", None)
    schedule = getattr(args, "schedule", None)
    k = int(getattr(args, "ensemble", 0) or 0)
    if k < 0 or int(getattr(args, "jobs", 1)) == 0:
        print("reconstruct: --ensemble must be >= 0 and --jobs non-zero", file=sys.stderr)
        return 2
    if k:
        start = time.perf_counter()
        summary = run_ensemble(
            k,
            args.seed,
            jobs=int(args.jobs),
            scheduler=args.scheduler,
            max_seconds=max_seconds,
            max_proposals=max_proposals,
            schedule=schedule,
        )
        meta = {
            "k": k,
            "base_seed": int(args.seed),
            "seeds": ensemble_seeds(k, args.seed),
            "n_success": int(summary["success"].sum()),
            "ridersurvey_version": _version(),
            "wall_seconds": time.perf_counter() - start,
            "jobs": int(args.jobs),
            "scheduler": args.scheduler,
            "max_seconds": max_seconds,
            "max_proposals": max_proposals,
            "schedule": _schedule_dict(schedule),
        }
        write_ensemble(summary, out, meta)
        print(
            f"ensemble of {k} reconstructions (base seed {args.seed}): {meta['n_success']} met every "
            f"attainable target; {meta['wall_seconds']:.1f} s wall"
        )
        print(f"wrote {out / 'summary.csv'} and {out / 'ensemble.json'}")
        return 0
    rec = reconstruct(args.seed, max_seconds=max_seconds, schedule=schedule, max_proposals=max_proposals)
    prov = write_outputs(rec, out, max_seconds=max_seconds, max_proposals=max_proposals, schedule=schedule)
    print("\n".join(summary_lines(prov)))
    print(f"wrote {out / RAW_FILE}, {out / CODED_FILE} and {out / PROVENANCE_FILE}")
    return 0 if prov["success"] else 1
