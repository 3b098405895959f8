"""Reconstruct 100 coded survey responses consistent with the paper's published tables.

The paper publishes Table 1 (frequencies of every coded variable) and Table 3 (logit coefficients and
p-values of ``unwilling`` on the nine predictors, entered as numeric codes). This module searches for a
respondent-level dataset whose

1. column frequencies equal Table 1 exactly,
2. logit coefficients round (3 decimals) to Table 3's, and
3. Wald p-values round (3 decimals) to Table 3's -- for every p-value that is *attainable*.

Attainability. Every logistic weight ``mu (1 - mu)`` is at most 1/4 and the residual sum of squares of
``x_j`` on the intercept and the other columns is at most ``sum (x_ij - mean)^2 = (n - 1) s_j^2``, so
``Var(b_j) = [(X'WX)^-1]_jj >= 4 / ((n - 1) s_j^2)``: ``SE_j >= 2 / (s_j sqrt(n - 1))`` (:func:`se_floor`).
With the coefficient fixed, ``|z| <= |b| / SE_floor`` and the p-value is at least :func:`p_value_floor`.
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

N_RESPONDENTS = 100
OUTCOME = "unwilling"
PREDICTORS = ["gender", "hukou", "age_group", "marital_status", "education", "health",
              "employment_duration", "policy_awareness", "publicity"]
#: Rounding half-width of a number printed with 3 decimals.
PRINT_TOL = 0.0005
#: Fraction of the rounding half-width the search aims inside (safety margin against boundary cases).
DEFAULT_MARGIN = 0.9

# numba's on-disk cache needs a writable directory (next to this file, or NUMBA_CACHE_DIR).
_CACHE = bool(os.environ.get("NUMBA_CACHE_DIR")) or os.access(os.path.dirname(os.path.abspath(__file__)),
                                                              os.W_OK)


# --------------------------------------------------------------------------------------------------
# Attainability bounds
# --------------------------------------------------------------------------------------------------
def se_floor(sd: float, n: int) -> float:
    """Smallest possible logit standard error of a predictor with sample SD ``sd`` (ddof=1) in n rows.

    ``Var(b_j) = [(X'WX)^-1]_jj = 1 / (sum_i w_i r_ij^2)`` with ``r_j`` the W-weighted residual of x_j on the
    other columns; ``w_i <= 1/4`` and ``sum r_ij^2 <= (n-1) sd^2`` give ``SE_j >= 2 / (sd sqrt(n-1))``.
    """
    return 2.0 / (sd * math.sqrt(n - 1))


def p_value_floor(b: float, sd: float, n: int) -> float:
    """Smallest attainable two-sided Wald p-value for coefficient ``b`` (see :func:`se_floor`)."""
    z_max = abs(b) / se_floor(sd, n)
    return float(2.0 * norm.sf(z_max))


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
    predictors: tuple = tuple(PREDICTORS)
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
        """Per predictor: sd, SE floor, p floor, published p and whether that p is attainable."""
        rows = []
        for var in self.predictors:
            sd = self.sd(var)
            b, p = self.coef(var), self.p(var)
            floor = p_value_floor(b, sd, self.n)
            rows.append({"variable": var, "coef": b, "p": p, "sd": sd, "se_floor": se_floor(sd, self.n),
                         "z_max": abs(b) / se_floor(sd, self.n), "p_floor": floor,
                         # the printed p stands for [p - 0.0005, p + 0.0005): attainable if that interval
                         # reaches the floor
                         "attainable": p + PRINT_TOL > floor})
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
# numba kernels
# --------------------------------------------------------------------------------------------------
@njit(cache=_CACHE)
def _full_pass(X, y, beta, g, H):
    n, k = X.shape
    for a in range(k):
        g[a] = 0.0
        for b in range(k):
            H[a, b] = 0.0
    for i in range(n):
        eta = 0.0
        for a in range(k):
            eta += X[i, a] * beta[a]
        mu = 1.0 / (1.0 + math.exp(-eta))
        w = mu * (1.0 - mu)
        r = y[i] - mu
        for a in range(k):
            xa = X[i, a]
            g[a] += xa * r
            wxa = w * xa
            for b in range(a + 1):
                H[a, b] += wxa * X[i, b]
    for a in range(k):
        for b in range(a + 1, k):
            H[a, b] = H[b, a]


@njit(cache=_CACHE)
def _chol(H, L):
    """Cholesky H = L L' (lower). False if H is not numerically positive definite."""
    k = H.shape[0]
    for j in range(k):
        s = H[j, j]
        for m in range(j):
            s -= L[j, m] * L[j, m]
        if s <= 1e-12:
            return False
        d = math.sqrt(s)
        L[j, j] = d
        for i in range(j + 1, k):
            s2 = H[i, j]
            for m in range(j):
                s2 -= L[i, m] * L[j, m]
            L[i, j] = s2 / d
    return True


@njit(cache=_CACHE)
def _chol_solve(L, g, out):
    k = L.shape[0]
    for i in range(k):
        s = g[i]
        for m in range(i):
            s -= L[i, m] * out[m]
        out[i] = s / L[i, i]
    for i in range(k - 1, -1, -1):
        s = out[i]
        for m in range(i + 1, k):
            s -= L[m, i] * out[m]
        out[i] = s / L[i, i]


@njit(cache=_CACHE)
def _inv_diag(L, Linv, diag):
    """diag((L L')^-1) = column sums of squares of L^-1."""
    k = L.shape[0]
    for j in range(k):
        for i in range(k):
            Linv[i, j] = 0.0
        Linv[j, j] = 1.0 / L[j, j]
        for i in range(j + 1, k):
            s = 0.0
            for m in range(j, i):
                s -= L[i, m] * Linv[m, j]
            Linv[i, j] = s / L[i, i]
    for j in range(k):
        s = 0.0
        for i in range(j, k):
            s += Linv[i, j] * Linv[i, j]
        diag[j] = s


@njit(cache=_CACHE)
def _fit(X, y, beta, g, H, L, tmp, iters):
    """Newton-Raphson in place from ``beta``; True once the step is below 1e-11."""
    for _ in range(iters):
        _full_pass(X, y, beta, g, H)
        if not _chol(H, L):
            return False
        _chol_solve(L, g, tmp)
        mx = 0.0
        for a in range(beta.shape[0]):
            beta[a] += tmp[a]
            if abs(tmp[a]) > mx:
                mx = abs(tmp[a])
        if mx < 1e-11:
            return True
    return False


@njit(cache=_CACHE)
def _loss(beta, var, bstar, bw, zstar, zw, hinge, cs, zs):
    """Sum of squared hinge errors; each error is normalised by its own tolerance (coefficients' x cs)."""
    k = beta.shape[0]
    tot = 0.0
    for j in range(k):
        if bw[j] > 0.0:
            u = abs(beta[j] - bstar[j]) * bw[j] / cs - hinge
            if u > 0.0:
                tot += u * u
        if zw[j] > 0.0:
            z = beta[j] / math.sqrt(var[j])
            u = abs(z - zstar[j]) * zw[j] * zs - hinge
            if u > 0.0:
                tot += u * u
    return tot


@njit(cache=_CACHE)
def _check(beta, var, bstar, bmask, pstar, pmask, tol):
    """All coefficient and attainable p-value targets met to within ``tol``."""
    k = beta.shape[0]
    for j in range(k):
        if bmask[j] > 0 and abs(beta[j] - bstar[j]) > tol:
            return False
        if pmask[j] > 0:
            z = abs(beta[j]) / math.sqrt(var[j])
            p = math.erfc(z / math.sqrt(2.0))
            if abs(p - pstar[j]) > tol:
                return False
    return True


@njit(cache=_CACHE)
def _state_loss(X, y, bstar, bw, zstar, zw, hinge):
    """Exact loss (final tolerances) of a state."""
    k = X.shape[1]
    beta = np.zeros(k)
    g = np.zeros(k)
    H = np.zeros((k, k))
    L = np.zeros((k, k))
    Linv = np.zeros((k, k))
    tmp = np.zeros(k)
    var = np.zeros(k)
    _fit(X, y, beta, g, H, L, tmp, 100)
    _full_pass(X, y, beta, g, H)
    if not _chol(H, L):
        return np.inf
    _inv_diag(L, Linv, var)
    return _loss(beta, var, bstar, bw, zstar, zw, hinge, 1.0, 1.0)


@njit(cache=_CACHE)
def _anneal(X, y, bstar, bw, bmask, zstar, zw, pstar, pmask, tol, seed, it0, it1, n_total,
            T0, T1, hinge, p_y, cs0, zs0, cs_frac):
    """Anneal proposals it0..it1-1 of a schedule of n_total (temperature T0 -> T1, geometric).

    X: (n, k) float64, column 0 the intercept; y: (n,) float64 0/1. Both are modified in place.
    Returns (success, proposals done, accepted, loss).
    """
    np.random.seed(seed)
    n, k = X.shape
    cs = cs0 ** max(0.0, 1.0 - (it0 / n_total) / cs_frac) if cs_frac > 0 else 1.0
    zs = zs0 ** max(0.0, 1.0 - (it0 / n_total) / cs_frac) if cs_frac > 0 else 1.0
    beta = np.zeros(k)
    g = np.zeros(k)
    H = np.zeros((k, k))
    L = np.zeros((k, k))
    Linv = np.zeros((k, k))
    tmp = np.zeros(k)
    var = np.zeros(k)
    beta1 = np.zeros(k)
    g1 = np.zeros(k)
    H1 = np.zeros((k, k))
    L1 = np.zeros((k, k))
    var1 = np.zeros(k)
    xi_new = np.zeros(k)
    xj_new = np.zeros(k)

    ones = np.empty(n, np.int64)
    zeros = np.empty(n, np.int64)
    n1 = 0
    n0 = 0
    for i in range(n):
        if y[i] > 0.5:
            ones[n1] = i
            n1 += 1
        else:
            zeros[n0] = i
            n0 += 1

    for a in range(k):
        beta[a] = 0.0
    _fit(X, y, beta, g, H, L, tmp, 100)
    _full_pass(X, y, beta, g, H)
    if not _chol(H, L):
        return False, 0, 0, np.inf
    _inv_diag(L, Linv, var)
    cur = _loss(beta, var, bstar, bw, zstar, zw, hinge, cs, zs)
    if _check(beta, var, bstar, bmask, pstar, pmask, tol):
        return True, 0, 0, cur
    lnT0 = math.log(T0)
    lnT1 = math.log(T1)
    accepted = 0
    for it in range(it0, it1):
        T = math.exp(lnT0 + (lnT1 - lnT0) * (it / n_total))
        if (cs != 1.0 or zs != 1.0) and (it & 1023) == 0:
            # early on coefficient tolerances are loosened by cs and z tolerances tightened by zs
            # (shape the SE structure first); both -> 1
            cs = cs0 ** max(0.0, 1.0 - (it / n_total) / cs_frac)
            zs = zs0 ** max(0.0, 1.0 - (it / n_total) / cs_frac)
            cur = _loss(beta, var, bstar, bw, zstar, zw, hinge, cs, zs)
        # ---- propose a marginal-preserving swap
        if np.random.random() < p_y:
            ia = np.random.randint(n1)
            ib = np.random.randint(n0)
            i = ones[ia]
            j = zeros[ib]
            c = -1
        else:
            ia = 0
            ib = 0
            c = 1 + np.random.randint(k - 1)
            i = np.random.randint(n)
            j = np.random.randint(n)
            while X[i, c] == X[j, c]:
                i = np.random.randint(n)
                j = np.random.randint(n)
        u = np.random.random()
        thresh = cur - T * math.log(u + 1e-300)
        for a in range(k):
            xi_new[a] = X[i, a]
            xj_new[a] = X[j, a]
        if c >= 0:
            xi_new[c] = X[j, c]
            xj_new[c] = X[i, c]
            yi_new = y[i]
            yj_new = y[j]
        else:
            yi_new = y[j]
            yj_new = y[i]
        # ---- one Newton step from the current MLE: g, H updated for the two changed rows
        for a in range(k):
            g1[a] = g[a]
            for b in range(a + 1):
                H1[a, b] = H[a, b]
        for r in range(4):
            if r == 0:
                row = X[i]
                yy = y[i]
                sgn = -1.0
            elif r == 1:
                row = X[j]
                yy = y[j]
                sgn = -1.0
            elif r == 2:
                row = xi_new
                yy = yi_new
                sgn = 1.0
            else:
                row = xj_new
                yy = yj_new
                sgn = 1.0
            eta = 0.0
            for a in range(k):
                eta += row[a] * beta[a]
            mu = 1.0 / (1.0 + math.exp(-eta))
            w = sgn * mu * (1.0 - mu)
            rr = sgn * (yy - mu)
            for a in range(k):
                g1[a] += row[a] * rr
                wa = w * row[a]
                for b in range(a + 1):
                    H1[a, b] += wa * row[b]
        if not _chol(H1, L1):
            continue
        _chol_solve(L1, g1, tmp)
        # coefficient part first: it alone often rules the proposal out
        lb = 0.0
        for a in range(k):
            beta1[a] = beta[a] + tmp[a]
            if bw[a] > 0.0:
                e = abs(beta1[a] - bstar[a]) * bw[a] / cs - hinge
                if e > 0.0:
                    lb += e * e
        if lb > thresh:
            continue
        _inv_diag(L1, Linv, var1)
        new = _loss(beta1, var1, bstar, bw, zstar, zw, hinge, cs, zs)
        if new > thresh:
            continue
        # ---- accept: apply, refit to convergence, exact loss
        accepted += 1
        if c >= 0:
            X[i, c] = xi_new[c]
            X[j, c] = xj_new[c]
        else:
            y[i] = yi_new
            y[j] = yj_new
            ones[ia] = j
            zeros[ib] = i
        for a in range(k):
            beta[a] = beta1[a]
        _fit(X, y, beta, g, H, L, tmp, 30)
        _full_pass(X, y, beta, g, H)
        _chol(H, L)
        _inv_diag(L, Linv, var)
        cur = _loss(beta, var, bstar, bw, zstar, zw, hinge, cs, zs)
        if _check(beta, var, bstar, bmask, pstar, pmask, tol):
            return True, it + 1 - it0, accepted, cur
    return False, it1 - it0, accepted, cur


# --------------------------------------------------------------------------------------------------
# Python driver
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    """Annealing schedule of one cycle (a cycle restarts from a fresh random dataset)."""

    proposals_per_cycle: int = 5_000_000
    chunk: int = 250_000            # proposals per compiled call (the wall-clock limit is checked between)
    T0: float = 1e4                 # initial temperature (loss units: squared tolerance-normalised errors)
    T1: float = 0.5                 # final temperature
    hinge: float = 0.8              # errors within 0.8 tolerances cost nothing
    p_outcome: float = 0.1          # share of proposals that swap two outcomes
    coef_scale0: float = 10.0       # coefficient tolerance multiplier at the start (1 = off)
    z_weight0: float = 1.0          # z-error weight multiplier at the start (1 = off)
    coef_scale_frac: float = 1.0    # share of the cycle over which both decay to 1
    reheat_T: float = 0.0           # > 0: after a cycle, re-anneal the same state from this temperature
    reheat_proposals: int = 1_000_000
    reheats_per_restart: int = 20   # reheats before a fresh random restart


@dataclass
class Reconstruction:
    seed: int
    data: pd.DataFrame
    targets: Targets
    achieved: pd.DataFrame          # index: const + predictors; columns coef, se, p
    unattainable: list
    proposals: int
    proposals_per_second: float
    wall_seconds: float
    success: bool
    cycles: int = 0
    margin: float = DEFAULT_MARGIN
    failures: list = field(default_factory=list)   # unmet requirements (empty on success)


def _target_arrays(targets: Targets):
    k = len(targets.predictors) + 1
    bstar, bw, bmask = np.zeros(k), np.zeros(k), np.zeros(k)
    zstar, zw, pstar, pmask = np.zeros(k), np.zeros(k), np.zeros(k), np.zeros(k)
    att = targets.attainability()
    for j, var in enumerate(targets.predictors, start=1):
        b, p = targets.coef(var), targets.p(var)
        bstar[j], bw[j], bmask[j] = b, 1.0 / PRINT_TOL, 1.0
        if att.loc[var, "attainable"]:
            z = math.copysign(norm.isf(p / 2.0), b)
            # the p tolerance mapped to the z scale at the target (dp/dz = 2 phi(z))
            zstar[j], zw[j] = z, 2.0 * norm.pdf(z) / PRINT_TOL
            pstar[j], pmask[j] = p, 1.0
    return bstar, bw, bmask, zstar, zw, pstar, pmask


def unattainable_targets(targets: Targets) -> list[dict]:
    """Published p-values no dataset with the published counts and coefficients can reproduce."""
    att = targets.attainability()
    out = []
    for var, row in att[~att["attainable"]].iterrows():
        out.append({"variable": var, "statistic": "p", "published": float(row["p"]),
                    "coef": float(row["coef"]), "sd": float(row["sd"]), "se_floor": float(row["se_floor"]),
                    "z_max": float(row["z_max"]), "p_floor": float(row["p_floor"]),
                    "reason": (f"with b = {row['coef']}, SD(x) = {row['sd']:.4f} and n = {targets.n}, "
                               f"SE >= 2/(SD sqrt(n-1)) = {row['se_floor']:.4f}, so |z| <= {row['z_max']:.4f} "
                               f"and p >= {row['p_floor']:.4f} > published {row['p']} + 0.0005")})
    return out


def _initial_state(targets: Targets, seed: int, cycle: int):
    rng = np.random.default_rng([seed, cycle])
    X = np.ones((targets.n, len(targets.predictors) + 1))
    for j, var in enumerate(targets.predictors, start=1):
        X[:, j] = rng.permutation(targets.column(var))
    y = rng.permutation(targets.column(targets.outcome)).astype(np.float64)
    return X, y


def _kernel_seed(seed: int, cycle: int, chunk: int) -> int:
    return int(np.random.SeedSequence([seed, cycle, chunk]).generate_state(1, np.uint32)[0])


def _frame(targets: Targets, X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    cols = [targets.outcome, *targets.predictors]
    vals = np.column_stack([y, X[:, 1:]]).round().astype(np.int64)
    df = pd.DataFrame(vals, columns=cols).sort_values(cols, kind="mergesort").reset_index(drop=True)
    df.insert(0, "respondent_id", np.arange(1, len(df) + 1, dtype=np.int64))
    return df


def fit_logit(data: pd.DataFrame, predictors=PREDICTORS, outcome: str = OUTCOME) -> pd.DataFrame:
    """statsmodels ML logit of ``outcome`` on the numeric codes: coef, se, p (index const + predictors)."""
    import statsmodels.api as sm

    X = sm.add_constant(data[list(predictors)].astype(float))
    res = sm.Logit(data[outcome].astype(float), X).fit(disp=0)
    return pd.DataFrame({"coef": res.params, "se": res.bse, "p": res.pvalues})


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


def reconstruct(seed: int, max_seconds: float = 600, targets: Targets | None = None,
                schedule: Schedule | None = None, margin: float = DEFAULT_MARGIN,
                max_proposals: int | None = None) -> Reconstruction:
    """Search for a dataset meeting every attainable target; a pure function of ``seed`` (and targets,
    schedule, margin) as long as it succeeds within ``max_seconds`` -- the limit only truncates the path.

    ``max_proposals`` (checked between chunks of ``schedule.chunk`` proposals) is a deterministic budget.
    On failure the closest state seen (lowest loss, checked between chunks) is returned with ``success=False`` and the unmet requirements in
    ``failures``.
    """
    targets = targets_from_published() if targets is None else targets
    schedule = Schedule() if schedule is None else schedule
    arrays = _target_arrays(targets)
    tol = margin * PRINT_TOL
    sch = schedule
    start = time.perf_counter()
    proposals = 0
    cycle = 0
    success = False
    X = y = None
    restart = 0
    best_loss, best = np.inf, None
    while not success:
        reheat = sch.reheat_T > 0 and cycle % (sch.reheats_per_restart + 1) != 0
        if reheat:
            n_total, T0, cs0, zs0 = sch.reheat_proposals, sch.reheat_T, 1.0, 1.0
        else:
            X, y = _initial_state(targets, seed, restart)
            restart += 1
            n_total, T0, cs0, zs0 = sch.proposals_per_cycle, sch.T0, sch.coef_scale0, sch.z_weight0
        for chunk_index, it0 in enumerate(range(0, n_total, sch.chunk)):
            it1 = min(n_total, it0 + sch.chunk)
            ok, done, _acc, _loss_value = _anneal(
                X, y, *arrays[:6], arrays[6], tol, _kernel_seed(seed, cycle, chunk_index), it0, it1,
                n_total, T0, sch.T1, sch.hinge, sch.p_outcome, cs0, zs0, sch.coef_scale_frac)
            proposals += int(done)
            state_loss = _state_loss(X, y, arrays[0], arrays[1], arrays[3], arrays[4], sch.hinge)
            if state_loss < best_loss:
                best_loss, best = state_loss, (X.copy(), y.copy())
            if ok:
                success = not verify(_frame(targets, X, y), targets, margin)
                if success:
                    break
            if time.perf_counter() - start > max_seconds or (max_proposals and proposals >= max_proposals):
                break
        cycle += 1
        if success or time.perf_counter() - start > max_seconds or (max_proposals and proposals >= max_proposals):
            break
    wall = time.perf_counter() - start
    if not success and best is not None:  # report the closest state seen (checked between chunks)
        X, y = best
    data = _frame(targets, X, y)
    failures = verify(data, targets, margin)
    fit = fit_logit(data, targets.predictors, targets.outcome)
    return Reconstruction(seed=seed, data=data, targets=targets, achieved=fit,
                          unattainable=unattainable_targets(targets), proposals=proposals,
                          proposals_per_second=proposals / wall if wall > 0 else float("nan"),
                          wall_seconds=wall, success=not failures, cycles=cycle, margin=margin,
                          failures=failures)


def _version() -> str:
    try:
        from ridersurvey import __version__

        return str(__version__)
    except ImportError:
        try:
            from importlib.metadata import version

            return version("ridersurvey")
        except Exception:  # noqa: BLE001 - any metadata failure
            return "0+unknown"


def provenance(rec: Reconstruction) -> dict:
    """JSON-ready record of a reconstruction. The timing fields (``wall_seconds``,
    ``proposals_per_second``) vary between runs; byte-identity checks should compare the data files."""
    t = rec.targets
    unatt = {u["variable"] for u in rec.unattainable}
    targets = {var: {"coef": t.coef(var), "p": t.p(var), "p_targeted": var not in unatt,
                     "counts": {str(k): v for k, v in t.counts[var].items()}} for var in t.predictors}
    targets[t.outcome] = {"counts": {str(k): v for k, v in t.counts[t.outcome].items()}}
    achieved = {str(idx): {"coef": float(r["coef"]), "se": float(r["se"]), "p": float(r["p"])}
                for idx, r in rec.achieved.iterrows()}
    return {
        "seed": int(rec.seed),
        "ridersurvey_version": _version(),
        "n": int(t.n),
        "tolerance": {"printed_half_width": PRINT_TOL, "margin": rec.margin,
                      "aimed_half_width": rec.margin * PRINT_TOL},
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


def write_outputs(rec: Reconstruction, out_dir: str | os.PathLike, *, max_seconds: float | None = None,
                  max_proposals: int | None = None, schedule: Schedule | None = None) -> dict:
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
    prov["budget"] = {"max_seconds": None if max_seconds is None else float(max_seconds),
                      "max_proposals": None if max_proposals is None else int(max_proposals),
                      "schedule": _schedule_dict(schedule),
                      # the search stops only between chunks, so this budget replays it exactly
                      "replay_max_proposals": int(rec.proposals)}
    prov["cleaning"] = {
        "n_collected": int(cleaned.n_collected), "n_excluded": int(cleaned.n_excluded),
        "n_valid": int(cleaned.n_valid),
        "exclusions": [{"row": int(r.row), "respondent_id": int(r.respondent_id), "reason": str(r.reason)}
                       for r in cleaned.exclusions.itertuples(index=False)]}
    prov["achieved_counts"] = {var: {str(int(k)): int(v) for k, v in sorted(coded[var].value_counts().items())}
                               for var in (rec.targets.outcome, *rec.targets.predictors)}
    prov["files"] = {str(p.relative_to(out).as_posix()): {"sha256": sha256_file(p)}
                     for p in (raw_path, coded_path)}
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
            rows.append({"variable": var, "statistic": stat, "published": published, "achieved": achieved,
                         "targeted": targeted, "met": bool(met)})
    order = {v: i for i, v in enumerate(PREDICTORS)}
    frame = pd.DataFrame(rows)
    frame["_o"] = frame["variable"].map(order).fillna(len(order))
    return (frame.sort_values(["_o", "statistic"], kind="mergesort").drop(columns="_o")
            .reset_index(drop=True))


def counts_table(prov: dict) -> pd.DataFrame:
    """Table 1 cells (variable, code) with the published and the achieved count and whether they agree."""
    rows = []
    for var, tgt in prov["targets"].items():
        got = prov.get("achieved_counts", {}).get(var, {})
        for code, count in sorted(tgt["counts"].items(), key=lambda kv: int(kv[0])):
            achieved = int(got.get(code, 0))
            rows.append({"variable": var, "code": int(code), "published": int(count), "achieved": achieved,
                         "met": achieved == int(count)})
    return pd.DataFrame(rows)


def regenerate(prov: dict, out_dir: str | os.PathLike | None = None) -> Reconstruction:
    """Rerun the search a provenance record describes (seed, schedule, margin and the replay budget), and
    write its files into ``out_dir`` if given; the CSVs then equal the recorded ones byte for byte."""
    budget = prov["budget"]
    rec = reconstruct(int(prov["seed"]), max_seconds=math.inf, schedule=Schedule(**budget["schedule"]),
                      margin=float(prov["tolerance"]["margin"]),
                      max_proposals=int(budget["replay_max_proposals"]))
    if out_dir is not None:
        write_outputs(rec, out_dir, max_seconds=budget["max_seconds"], max_proposals=budget["max_proposals"],
                      schedule=Schedule(**budget["schedule"]))
    return rec


def ensemble_seeds(k: int, seed: int) -> list[int]:
    """K independent 32-bit seeds derived from ``seed`` (``numpy.random.SeedSequence(seed).spawn(k)``)."""
    return [int(s.generate_state(1, np.uint32)[0]) for s in np.random.SeedSequence(int(seed)).spawn(int(k))]


def _ensemble_member(index: int, seed: int, max_seconds: float, max_proposals: int | None,
                     schedule: Schedule | None) -> tuple[int, dict]:
    from ridersurvey.model import fit_summary_row

    rec = reconstruct(seed, max_seconds=max_seconds, schedule=schedule, max_proposals=max_proposals)
    row = {"seed": int(seed), "success": bool(rec.success), "n_failures": len(rec.failures)}
    row.update(fit_summary_row(rec.data))
    row.update({"proposals": int(rec.proposals), "wall_seconds": float(rec.wall_seconds)})
    return index, row


def run_ensemble(k: int, seed: int, jobs: int = 1, scheduler: str | None = None, max_seconds: float = 600.0,
                 progress: bool = True, max_proposals: int | None = None,
                 schedule: Schedule | None = None) -> pd.DataFrame:
    """K independent reconstructions and the fit of each, one row per reconstruction.

    Seeds come from :func:`ensemble_seeds`. The runs go to local processes with joblib (``jobs`` workers,
    loky backend) or, given ``scheduler='tcp://HOST:PORT'``, to an existing Dask distributed cluster. Columns:
    ``seed``, ``success``, ``n_failures``, :func:`ridersurvey.model.fit_summary_row`'s statistics,
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
    (out / "summary.csv").write_text(summary.to_csv(index=False, float_format="%.6g", lineterminator="\n"),
                                     encoding="utf-8")
    _json_dump(meta, out / "ensemble.json")


def summary_lines(prov: dict) -> list[str]:
    """Human-readable summary of a provenance record (what ``ridersurvey reconstruct`` prints)."""
    table = provenance_table(prov)
    counts = counts_table(prov)
    coef = table[table["statistic"] == "coef"]
    ptab = table[(table["statistic"] == "p") & table["targeted"]]
    verdict = "success: every attainable target met" if prov["success"] else \
        f"NOT successful: {len(prov['failures'])} requirement(s) unmet"
    lines = [f"reconstruction seed {prov['seed']}: {verdict}",
             f"  Table 1 cells reproduced: {int(counts['met'].sum())}/{len(counts)}",
             f"  coefficients within tolerance: {int(coef['met'].sum())}/{len(coef)}",
             f"  attainable p-values within tolerance: {int(ptab['met'].sum())}/{len(ptab)}"]
    for msg in prov["failures"]:
        lines.append(f"    unmet: {msg}")
    for u in prov["unattainable"]:
        lines.append(f"  unattainable: {u['variable']} p = {u['published']} (no dataset gives p below "
                     f"{u['p_floor']:.4f})")
    lines.append(f"  search: {prov['proposals']:,} proposals, {prov['proposals_per_second']:,.0f} proposals/s, "
                 f"{prov['wall_seconds']:.1f} s wall")
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
        summary = run_ensemble(k, args.seed, jobs=int(args.jobs), scheduler=args.scheduler,
                               max_seconds=max_seconds, max_proposals=max_proposals, schedule=schedule)
        meta = {"k": k, "base_seed": int(args.seed), "seeds": ensemble_seeds(k, args.seed),
                "n_success": int(summary["success"].sum()), "ridersurvey_version": _version(),
                "wall_seconds": time.perf_counter() - start, "jobs": int(args.jobs),
                "scheduler": args.scheduler, "max_seconds": max_seconds, "max_proposals": max_proposals,
                "schedule": _schedule_dict(schedule)}
        write_ensemble(summary, out, meta)
        print(f"ensemble of {k} reconstructions (base seed {args.seed}): {meta['n_success']} met every "
              f"attainable target; {meta['wall_seconds']:.1f} s wall")
        print(f"wrote {out / 'summary.csv'} and {out / 'ensemble.json'}")
        return 0
    rec = reconstruct(args.seed, max_seconds=max_seconds, schedule=schedule, max_proposals=max_proposals)
    prov = write_outputs(rec, out, max_seconds=max_seconds, max_proposals=max_proposals, schedule=schedule)
    print("\n".join(summary_lines(prov)))
    print(f"wrote {out / RAW_FILE}, {out / CODED_FILE} and {out / PROVENANCE_FILE}")
    return 0 if prov["success"] else 1
