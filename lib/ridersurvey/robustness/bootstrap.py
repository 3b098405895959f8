"""The case-resampling bootstrap of the paper's logit (Efron and Tibshirani 1993), with Monte Carlo errors."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ridersurvey import messages
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.model.batch_logit import batch_logit
from ridersurvey.model.logit import OUTCOME, design_matrix

#: Where a bootstrap interval lies relative to 0 (:func:`bootstrap_intervals`'s ``side``).
EXCLUDES, COVERS, AT_ZERO = "excludes 0", "covers 0", "at 0 within Monte Carlo error"
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
    seed: int | list[int]
    n_boot: int
    summary: dict = field(default_factory=dict)


def bootstrap(
    df: pd.DataFrame,
    n_boot: int = 2000,
    seed: int | list[int] = BOOTSTRAP_SEED,
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
        "seed": int(seed) if isinstance(seed, int) else [int(k) for k in seed],
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


def bootstrap_intervals(result: BootstrapResult, level: float = 0.95, se_mcse: pd.Series | None = None) -> pd.DataFrame:
    """Percentile intervals for coefficients and odds ratios from the valid resamples, with Monte Carlo errors.

    Percentile intervals are invariant under monotone maps, so the odds-ratio interval is the exponential
    of the coefficient interval. ``ci_low_mcse`` and ``ci_high_mcse`` are the Monte Carlo standard errors
    of the two limits (:func:`quantile_mcse`). ``boot_se_mcse`` is that of the bootstrap SE when ``se_mcse``
    gives it (by term, from :func:`repeat_se_spread`), else NaN: the normal-theory ``SE / sqrt(2 (B - 1))``
    holds only for normal replicates, and no formula on one run's heavy-tailed replicates is trusted here.
    ``side`` says where the interval lies relative to 0: "excludes 0", "covers 0", or "at 0 within Monte
    Carlo error" when the limit nearest 0 is within two of its Monte Carlo standard errors of it, so that
    another seed could put it on either side.
    """
    reps = result.replicates[result.valid]
    a = (1 - level) / 2
    lo, hi = np.quantile(reps, [a, 1 - a], axis=0)
    boot_se = reps.std(axis=0, ddof=1)
    table = pd.DataFrame(
        {
            "coef": result.estimate,
            "boot_se": boot_se,
            "boot_se_mcse": np.nan if se_mcse is None else se_mcse.reindex(result.names).to_numpy(dtype=float),
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
        AT_ZERO,
        np.where(excludes, EXCLUDES, COVERS),
    )
    table["share_positive"] = (reps > 0).mean(axis=0)
    return table


#: Independent bootstrap runs behind the Monte Carlo error of the bootstrap SE (``data/robustness/``).
SE_REPEATS = 100


def repeat_se(
    df: pd.DataFrame,
    n_boot: int = 2000,
    repeats: int = SE_REPEATS,
    seed: int = BOOTSTRAP_SEED,
    cols: list[str] | None = None,
) -> pd.DataFrame:
    """The bootstrap SE of every term from ``repeats`` independent bootstrap runs of ``n_boot`` resamples each.

    Run ``r`` is :func:`bootstrap` with generator seed ``[seed, r + 1]``, so no run shares its stream with the
    book's run (seed ``seed``) or with another; each SE is the SD (ddof = 1) of that run's converged resamples,
    as in :func:`bootstrap_intervals`.

    Returns
    -------
    DataFrame
        One row per run (index ``repeat``), one column per term, plus ``n_valid`` (converged resamples).
    """
    rows = []
    for r in range(repeats):
        result = bootstrap(df, n_boot=n_boot, seed=[seed, r + 1], cols=cols)
        reps = result.replicates[result.valid]
        rows.append({**dict(zip(result.names, reps.std(axis=0, ddof=1), strict=True)), "n_valid": int(len(reps))})
    return pd.DataFrame(rows).rename_axis("repeat")


def repeat_se_spread(ses: pd.DataFrame | np.ndarray) -> pd.Series | np.ndarray:
    """Monte Carlo standard error of a bootstrap SE: the SD (ddof = 1) of its value across independent runs.

    Why repeats: the SD of ``B`` replicates has sampling SD ``sigma sqrt((kappa - 1) / (4 B))`` (kurtosis
    ``kappa``), which is ``sigma / sqrt(2 B)`` only for normal replicates. Bootstrap replicates of a logit
    on 100 riders are heavy-tailed (resamples near separation give large finite coefficients), and the sample
    kurtosis of one run is itself dominated by those few resamples, so no formula on one run's replicates is
    reliable. The spread of the SE over independent runs at the same ``B`` measures the error directly, with
    no assumption about the tails; its own relative precision is about ``sqrt((kappa_s - 1) / (4 R))`` for
    ``R`` runs (``kappa_s`` the kurtosis of the SE across runs). Failed resamples (separated: infinite
    coefficients) are left out of every run's SE, as in :func:`bootstrap_intervals`; keeping them at the value
    where a fitter stops would make the SE, and its spread, a property of the fitter.

    Parameters
    ----------
    ses : DataFrame or ndarray
        One row per run (:func:`repeat_se`; a column ``n_valid`` is ignored).

    Returns
    -------
    Series or ndarray
        One standard error per term.
    """
    if isinstance(ses, pd.DataFrame):
        return ses.drop(columns="n_valid", errors="ignore").std(axis=0, ddof=1)
    return np.asarray(ses, dtype=float).std(axis=0, ddof=1)


def _frame_sha256(df: pd.DataFrame) -> str:
    """SHA-256 of the questionnaire's columns (the id, the outcome, the paper's predictors), which the runs use;
    a variable the codebook adds leaves it unchanged."""
    import hashlib

    return hashlib.sha256(df[load_codebook().columns].to_csv(index=False).encode()).hexdigest()


def precompute_se_repeats(
    df: pd.DataFrame, out_dir=None, n_boot: int = 2000, repeats: int = SE_REPEATS, seed: int = BOOTSTRAP_SEED
):
    """Regenerate ``data/robustness/bootstrap_se_repeats.csv`` and its ``.json`` (seed, runs, B, data hash).

    Returns
    -------
    Path
        The directory written.
    """
    import json
    from pathlib import Path

    out_dir = Path(out_dir) if out_dir else DATA_DIR / "robustness"
    out_dir.mkdir(parents=True, exist_ok=True)
    ses = repeat_se(df, n_boot, repeats, seed)
    ses.to_csv(out_dir / "bootstrap_se_repeats.csv", float_format="%.10g")
    meta = {
        "seed": seed,
        "repeats": repeats,
        "n_boot": n_boot,
        **{key: messages.text(f"bootstrap.se_repeats.{key}") for key in ("generator", "statistic")},
        "data_sha256": _frame_sha256(df),
        "function": "ridersurvey.robustness.bootstrap.precompute_se_repeats",
    }
    (out_dir / "bootstrap_se_repeats.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out_dir


def load_se_repeats(df: pd.DataFrame, path=None) -> tuple[pd.DataFrame, dict]:
    """The stored runs of :func:`precompute_se_repeats` and their metadata; raises if ``df`` is not their data."""
    import json
    from pathlib import Path

    path = Path(path) if path else DATA_DIR / "robustness"
    meta = json.loads((path / "bootstrap_se_repeats.json").read_text(encoding="utf-8"))
    if meta["data_sha256"] != _frame_sha256(df):
        raise RuntimeError(messages.text("bootstrap.se_repeats.stale"))
    return pd.read_csv(path / "bootstrap_se_repeats.csv", index_col="repeat"), meta
