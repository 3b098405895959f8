"""Firth's penalised logistic regression (Firth 1993) with penalised likelihood-ratio tests (Heinze and Schemper 2002).

The fit is delegated to ``firthmodels``; its standard errors are reported as logistf and brglm2 report them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from ridersurvey import messages
from ridersurvey.model.logit import OUTCOME, ModelSpec, design_matrix, fit_logit


def fit_firth(df: pd.DataFrame, cols: list[str] | None = None, outcome: str = OUTCOME, profile_ci: bool = True):
    """Firth-penalised logit (firth1993) with penalised likelihood-ratio tests for every coefficient.

    Uses the NumPy backend of ``firthmodels`` (the Numba one costs ~25 s of compilation), iterating until
    the gradient is below 1e-6, then runs ``lrt()`` so that ``lrt_pvalues_`` holds profile
    penalised-likelihood p-values (heinze2002). Arrays from ``firthmodels`` put the intercept last. Raises
    if the fit or any likelihood-ratio test fails to converge.
    """
    from firthmodels import FirthLogisticRegression

    cols = list(ModelSpec.paper().predictors) if cols is None else list(cols)
    model = FirthLogisticRegression(backend="numpy", gtol=1e-6, xtol=1e-6, max_iter=200)
    model.fit(df[cols].to_numpy(dtype=float), df[outcome].to_numpy(dtype=int))
    model.lrt()
    if not model.converged_ or np.isnan(model.lrt_pvalues_).any():
        raise RuntimeError(messages.text("firth.not_converged"))
    if profile_ci:
        model.conf_int(method="pl", tol=1e-8, max_iter=100)
    return model


def firth_standard_errors(X: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Standard errors of a Firth fit as logistf and brglm2 report them: ``sqrt(diag((X'WX)^-1))`` at the estimate.

    ``W`` holds the logistic weights ``p(1 - p)`` at the Firth estimate; the information is the ordinary
    (unpenalised) Fisher information, not the penalised likelihood's Hessian.

    Parameters
    ----------
    X : ndarray
        Design matrix with the constant column.
    beta : ndarray
        Firth estimates in the columns' order.

    Returns
    -------
    ndarray
    """
    p = expit(X @ beta)
    info = X.T @ (X * (p * (1 - p))[:, None])
    return np.sqrt(np.diag(np.linalg.inv(info)))


def firth_estimates(df: pd.DataFrame, cols: list[str] | None = None, outcome: str = OUTCOME) -> pd.DataFrame:
    """ML and Firth estimates side by side: coefficient, SE, Wald p (ML), penalised-LR p and profile CI (Firth).

    Rows are 'const' then the predictors; the Firth columns are re-ordered from firthmodels' intercept-last
    layout. The Firth SE is :func:`firth_standard_errors` (logistf's convention); ``p_firth_wald`` is
    firthmodels' Wald p and is not shown in the book, which tests by penalised likelihood ratio.
    """
    cols = list(ModelSpec.paper().predictors) if cols is None else list(cols)
    ml = fit_logit(df, cols, outcome)
    fm = fit_firth(df, cols, outcome)
    order = np.r_[len(cols), np.arange(len(cols))]
    beta = np.r_[fm.coef_, fm.intercept_][order]
    ci = fm.conf_int(method="pl", tol=1e-8, max_iter=100)[order]
    names = ["const", *cols]
    X = design_matrix(df, cols)
    table = pd.DataFrame(
        {
            "coef_ml": ml.params.to_numpy(),
            "se_ml": ml.bse.to_numpy(),
            "p_ml": ml.pvalues.to_numpy(),
            "coef_firth": beta,
            "se_firth": firth_standard_errors(X, beta),
            "p_firth_wald": fm.pvalues_[order],
            "p_firth_lr": fm.lrt_pvalues_[order],
            "ci_low_firth": ci[:, 0],
            "ci_high_firth": ci[:, 1],
        },
        index=pd.Index(names, name="term"),
    )
    table["shrinkage"] = 1 - table["coef_firth"] / table["coef_ml"]
    return table
