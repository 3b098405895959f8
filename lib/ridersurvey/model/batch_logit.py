"""Maximum-likelihood logits for a batch of data sets at once (bootstrap resamples, simulated data sets), in NumPy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

#: Estimates beyond this size in absolute value mark a fit as separated rather than converged.
SEPARATION_BOUND = 30.0


@dataclass
class BatchFit:
    """Result of :func:`batch_logit`: one row per fitted model."""

    beta: np.ndarray
    se: np.ndarray
    converged: np.ndarray
    n_iter: int
    loglik: np.ndarray


def batch_logit(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, max_iter: int = 50, tol: float = 1e-8
) -> BatchFit:
    """Maximum-likelihood logits for a batch of data sets by Newton-Raphson, all in NumPy at once.

    ``X`` is (n, k) shared by every model or (B, n, k); ``y`` is (n,) or (B, n); ``weights`` (B, n) are
    frequency weights (a bootstrap resample is the original rows with multinomial counts). Models whose
    Hessian is singular, whose step does not settle below ``tol`` within ``max_iter`` iterations, or whose
    estimates drift beyond ``SEPARATION_BOUND`` are returned with ``converged = False``; the rest are exact
    ML fits. Standard errors come from the inverse observed information.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    shared = X.ndim == 2
    if weights is None:
        B = X.shape[0] if not shared else (y.shape[0] if y.ndim == 2 else 1)
        weights = np.ones((B, X.shape[-2]))
    weights = np.asarray(weights, dtype=float)
    B, n = weights.shape
    k = X.shape[-1]
    if y.ndim == 1:
        y = np.broadcast_to(y, (B, n))
    beta = np.zeros((B, k))
    active = np.ones(B, dtype=bool)
    converged = np.zeros(B, dtype=bool)
    eye = np.eye(k)
    it = 0

    def linpred(b):
        return X @ b.T if shared else np.einsum("bnk,bk->bn", X, b)

    def information(w):
        if shared:
            return np.einsum("nk,bn,nl->bkl", X, w, X, optimize=True)
        return np.einsum("bnk,bn,bnl->bkl", X, w, X, optimize=True)

    def score(r):
        return r @ X if shared else np.einsum("bnk,bn->bk", X, r)

    for it in range(1, max_iter + 1):  # noqa: B007 (the count is returned)
        eta = linpred(beta)
        eta = eta.T if shared else eta
        p = expit(eta)
        info = information(weights * p * (1 - p))
        grad = score(weights * (y - p))
        det_ok = np.linalg.cond(info) < 1e12
        safe = np.where(det_ok[:, None, None], info, eye)
        step = np.linalg.solve(safe, grad[..., None])[..., 0]
        step[~det_ok | ~active] = 0.0
        active &= det_ok
        beta = beta + step
        done = active & (np.abs(step).max(axis=1) < tol)
        converged |= done
        active &= ~done
        diverged = np.abs(beta).max(axis=1) > SEPARATION_BOUND
        active &= ~diverged
        if not active.any():
            break
    converged &= np.abs(beta).max(axis=1) <= SEPARATION_BOUND
    eta = linpred(beta)
    eta = eta.T if shared else eta
    p = expit(eta)
    info = information(weights * p * (1 - p))
    ok = np.linalg.cond(info) < 1e12
    cov = np.linalg.inv(np.where(ok[:, None, None], info, eye))
    se = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))
    se[~ok] = np.nan
    converged &= ok
    loglik = (weights * (y * eta - np.logaddexp(0.0, eta))).sum(axis=1)
    return BatchFit(beta=beta, se=se, converged=converged, n_iter=it, loglik=loglik)
