"""Independent computations the tests compare the library with: textbook algorithms written out by hand.

One home for each oracle, so that every test file checks against the same independent implementation.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.special import expit


def newton_logit(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> tuple[np.ndarray, np.ndarray, float]:
    """Textbook Newton–Raphson for the logit of ``y`` on the design ``x`` (with its intercept column).

    Returns the coefficients, their covariance (the inverse information) and the log-likelihood.
    """
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


def brute_force_auc(y, p) -> float:
    """The AUC as the share of (event, non-event) pairs ranked correctly, ties counted half."""
    pos = [pi for yi, pi in zip(y, p) if yi == 1]
    neg = [pi for yi, pi in zip(y, p) if yi == 0]
    score = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in itertools.product(pos, neg))
    return score / (len(pos) * len(neg))


def hosmer_lemeshow_by_hand(y: np.ndarray, p: np.ndarray, groups: int) -> tuple[float, list[int]]:
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
    """Average of F(x_i'b + b_j) − F(x_i'b) over riders, for each slope j."""
    eta = x @ b
    return np.array([np.mean(expit(eta + b[j]) - expit(eta)) for j in range(1, len(b))])


def firth_by_hand(X: np.ndarray, y: np.ndarray, fixed: int | None = None, tol: float = 1e-12) -> np.ndarray:
    """Firth's Newton iteration with the modified score U* = X'(y - p + h(1/2 - p)), written out by hand.

    With ``fixed`` set, that coefficient is held at 0 and the others solve the modified score equations.
    """
    k = X.shape[1]
    free = [j for j in range(k) if j != fixed]
    beta = np.zeros(k)
    for _ in range(200):
        p = expit(X @ beta)
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


def firth_penalised_loglik(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> float:
    """The log-likelihood plus half the log-determinant of the information (Firth's penalty)."""
    eta = X @ beta
    p = expit(eta)
    ll = np.sum(y * eta - np.logaddexp(0, eta))
    return float(ll + 0.5 * np.linalg.slogdet(X.T @ ((p * (1 - p))[:, None] * X))[1])
