"""The case-resampling bootstrap of the paper's logit (Efron and Tibshirani 1993), with Monte Carlo errors."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ridersurvey.batch_logit import batch_logit
from ridersurvey.codebook import load_codebook
from ridersurvey.model import OUTCOME, design_matrix

BOOTSTRAP_SEED = 20231010


@dataclass
class BootstrapResult:
    """Bootstrap replicates of the logit coefficients and how each resample fared."""

    names: list[str]
    estimate: np.ndarray
    replicates: np.ndarray
    valid: np.ndarray
    separated: np.ndarray
    counts: np.ndarray
    seed: int
    n_boot: int
    summary: dict = field(default_factory=dict)


def bootstrap(
    df: pd.DataFrame,
    n_boot: int = 2000,
    seed: int = BOOTSTRAP_SEED,
    cols: list[str] | None = None,
    outcome: str = OUTCOME,
) -> BootstrapResult:
    """Nonparametric case-resampling bootstrap of the ML logit (efron1993), vectorised over resamples.

    Each resample draws n respondents with replacement (``numpy.random.default_rng(seed)``), represented as
    multinomial frequency weights on the original rows. Resamples whose fit does not converge are checked
    for (quasi-)separation with the linear program of :func:`firthmodels.detect_separation`; all failed
    resamples (separated or not) are dropped from the percentile intervals and counted in ``summary``.
    """
    from firthmodels import detect_separation

    cols = load_codebook().predictors if cols is None else list(cols)
    X = design_matrix(df, cols)
    names = ["const", *cols]
    y = df[outcome].to_numpy(dtype=float)
    n = len(df)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    counts = np.zeros((n_boot, n))
    np.add.at(counts, (np.arange(n_boot)[:, None], idx), 1.0)
    fit = batch_logit(X, y, counts)
    full = batch_logit(X, y, np.ones((1, n)))
    separated = np.zeros(n_boot, dtype=bool)
    for b in np.flatnonzero(~fit.converged):
        rows = np.repeat(np.arange(n), counts[b].astype(int))
        try:
            separated[b] = detect_separation(X[rows, 1:], y[rows]).separation
        except np.linalg.LinAlgError:
            separated[b] = False
    summary = {
        "n_boot": int(n_boot),
        "seed": int(seed),
        "n_valid": int(fit.converged.sum()),
        "n_failed": int((~fit.converged).sum()),
        "n_separated": int(separated.sum()),
        "n_nonconverged_other": int((~fit.converged & ~separated).sum()),
    }
    return BootstrapResult(
        names=names,
        estimate=full.beta[0],
        replicates=fit.beta,
        valid=fit.converged,
        separated=separated,
        counts=counts,
        seed=seed,
        n_boot=n_boot,
        summary=summary,
    )


def quantile_mcse(samples: np.ndarray, q: float, level: float = 0.95) -> np.ndarray:
    """Monte Carlo standard error of the sample ``q``-quantile, by the order-statistic (binomial) method.

    The rank of the population quantile among ``B`` draws is Binomial(B, q); the order statistics at the
    ranks ``Bq -/+ z sqrt(Bq(1 - q))`` bracket it with the given confidence, and half their distance over
    ``z`` estimates the standard error without assuming a density.

    Parameters
    ----------
    samples : ndarray
        Draws, one column per quantity (B, k) or a vector.
    q : float
    level : float

    Returns
    -------
    ndarray
        One standard error per column.
    """
    x = np.sort(np.asarray(samples, dtype=float), axis=0)
    b = x.shape[0]
    z = stats.norm.ppf(0.5 + level / 2)
    half = z * np.sqrt(b * q * (1 - q))
    lo = int(np.clip(np.floor(b * q - half), 0, b - 1))
    hi = int(np.clip(np.ceil(b * q + half), 0, b - 1))
    return (x[hi] - x[lo]) / (2 * z)


def bootstrap_table(result: BootstrapResult, level: float = 0.95) -> pd.DataFrame:
    """Percentile intervals for coefficients and odds ratios from the valid resamples, with Monte Carlo errors.

    Percentile intervals are invariant under monotone maps, so the odds-ratio interval is the exponential
    of the coefficient interval. ``ci_low_mcse`` and ``ci_high_mcse`` are the Monte Carlo standard errors
    of the two limits (:func:`quantile_mcse`), ``boot_se_mcse`` that of the bootstrap SE
    (``SE / sqrt(2 (B - 1))``). ``side`` says where the interval lies relative to 0: "excludes 0", "covers 0",
    or "at 0 within Monte Carlo error" when the limit nearest 0 is within two of its Monte Carlo standard
    errors of it, so that another seed could put it on either side.
    """
    reps = result.replicates[result.valid]
    a = (1 - level) / 2
    lo, hi = np.quantile(reps, [a, 1 - a], axis=0)
    boot_se = reps.std(axis=0, ddof=1)
    table = pd.DataFrame(
        {
            "coef": result.estimate,
            "boot_se": boot_se,
            "boot_se_mcse": boot_se / np.sqrt(2 * (len(reps) - 1)),
            "ci_low": lo,
            "ci_low_mcse": quantile_mcse(reps, a),
            "ci_high": hi,
            "ci_high_mcse": quantile_mcse(reps, 1 - a),
            "odds_ratio": np.exp(result.estimate),
            "or_low": np.exp(lo),
            "or_high": np.exp(hi),
        },
        index=pd.Index(result.names, name="term"),
    )
    nearest = np.where(np.abs(lo) < np.abs(hi), lo, hi)
    nearest_mcse = np.where(np.abs(lo) < np.abs(hi), table["ci_low_mcse"], table["ci_high_mcse"])
    excludes = (lo > 0) | (hi < 0)
    table["side"] = np.where(
        np.abs(nearest) <= 2 * nearest_mcse,
        "at 0 within Monte Carlo error",
        np.where(excludes, "excludes 0", "covers 0"),
    )
    table["share_positive"] = (reps > 0).mean(axis=0)
    return table
