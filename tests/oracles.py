"""Independent computations that several test modules check the library against.

Written from textbook formulas, without calling the code under test.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.special import expit


def newton_raphson(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> tuple[np.ndarray, np.ndarray, float]:
    """Textbook Newton–Raphson for the logit of ``y`` on the design ``x`` (intercept column included):
    coefficients, their covariance (the inverse information) and the log-likelihood."""
    beta = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = expit(x @ beta)
        info = x.T @ (x * (p * (1 - p))[:, None])
        step = np.linalg.solve(info, x.T @ (y - p))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    p = expit(x @ beta)
    info = x.T @ (x * (p * (1 - p))[:, None])
    loglik = float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return beta, np.linalg.inv(info), loglik


def newton_logit(y: np.ndarray, x: np.ndarray, iters: int = 50) -> tuple[np.ndarray, np.ndarray, float]:
    """:func:`newton_raphson` with Wald SEs in place of the covariance: coefficients, SEs, log-likelihood."""
    beta, cov, loglik = newton_raphson(x, y, iters)
    return beta, np.sqrt(np.diag(cov)), loglik


def brute_force_auc(y, p) -> float:
    """The AUC as the share of (event, non-event) pairs ranked correctly, ties counted half."""
    pos = [pi for yi, pi in zip(y, p) if yi == 1]
    neg = [pi for yi, pi in zip(y, p) if yi == 0]
    score = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in itertools.product(pos, neg))
    return score / (len(pos) * len(neg))


def hl_by_hand(y: np.ndarray, p: np.ndarray, groups: int) -> tuple[float, list[int]]:
    """Hosmer–Lemeshow chi-square over ``groups`` equal-sized groups of sorted probabilities (no ties)."""
    order = np.argsort(p)
    chi2, sizes = 0.0, []
    for chunk in np.array_split(order, groups):
        o1, e1 = y[chunk].sum(), p[chunk].sum()
        o0, e0 = len(chunk) - o1, len(chunk) - e1
        chi2 += (o1 - e1) ** 2 / e1 + (o0 - e0) ** 2 / e0
        sizes.append(len(chunk))
    return chi2, sizes


def one_step_changes(x: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per slope: the 1 -> 2 contrast for a two-code predictor, else the mean one-step change below the top code."""
    out = []
    for j in range(1, len(b)):
        codes = np.unique(x[:, j])
        if len(codes) == 2:
            lo, hi = x.copy(), x.copy()
            lo[:, j], hi[:, j] = codes
        else:
            lo = x[x[:, j] < codes[-1]]
            hi = lo.copy()
            hi[:, j] += 1
        out.append(np.mean(expit(hi @ b) - expit(lo @ b)))
    return np.array(out)


def permuted_table1_data(seed: int = 20231010) -> pd.DataFrame:
    """Independent columns with exactly Table 1's marginals (built from the ledger, not the data file)."""
    from ridersurvey.data.codebook import load_codebook
    from ridersurvey.data.ledger import table1_counts

    rng = np.random.default_rng(seed)
    counts = table1_counts()
    book = load_codebook()
    cols: dict[str, np.ndarray] = {"respondent_id": np.arange(1, 101)}
    for var in book.names:
        col = np.repeat(list(counts[var]), list(counts[var].values()))
        cols[var] = rng.permutation(col)
    return pd.DataFrame(cols)[book.columns]


def toy_survey(seed: int = 7) -> pd.DataFrame:
    """A simulated data set with the survey's shape (Table 1's marginals), so tests need not use the committed data."""
    from ridersurvey.data.codebook import load_codebook
    from ridersurvey.robustness.power import published_marginals

    rng = np.random.default_rng(seed)
    marg = published_marginals()
    frame = pd.DataFrame(
        {v: rng.choice(marg[v][0], size=100, p=marg[v][1]).astype(int) for v in load_codebook().predictors}
    )
    eta = -1.0 + 0.8 * frame["gender"] - 0.6 * frame["education"] + 0.3 * frame["health"]
    frame["unwilling"] = (rng.random(100) < expit(eta)).astype(int)
    return frame


def hand_firth(X: np.ndarray, y: np.ndarray, fixed: int | None = None, tol: float = 1e-12) -> np.ndarray:
    """Firth's Newton iteration with the modified score U* = X'(y - p + h(1/2 - p)), written out by hand.

    With ``fixed`` set, that coefficient is held at 0 and the others solve the modified score equations.
    """
    k = X.shape[1]
    free = [j for j in range(k) if j != fixed]
    beta = np.zeros(k)
    for _ in range(200):
        p = 1 / (1 + np.exp(-X @ beta))
        w = p * (1 - p)
        info = X.T @ (w[:, None] * X)
        inv = np.linalg.inv(info)
        h = np.einsum("ij,jk,ik->i", X * w[:, None], inv, X)
        score = X.T @ (y - p + h * (0.5 - p))
        step = np.linalg.solve(info[np.ix_(free, free)], score[free])
        beta[free] += step
        if np.abs(step).max() < tol:
            return beta
    raise AssertionError("hand-written Firth iteration did not converge")


def penalised_loglik(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> float:
    eta = X @ beta
    p = expit(eta)
    ll = np.sum(y * eta - np.logaddexp(0, eta))
    return float(ll + 0.5 * np.linalg.slogdet(X.T @ ((p * (1 - p))[:, None] * X))[1])
