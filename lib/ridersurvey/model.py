"""The paper's binary logit of unwillingness on nine rider characteristics, and the fit statistics SPSS prints.

Everything here computes from whatever ``data/riders_survey.csv`` holds. In this book those are reconstructed
responses consistent with the published tables of Wu (2023), not the survey's original answers. statsmodels
and scipy are imported by the functions that use them, so that reading the data costs only pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ridersurvey.codebook import load_codebook
from ridersurvey.paths import DATA_DIR
from ridersurvey.published import load_ledger, table3

OUTCOME = "unwilling"


def load_analysis_data(path: str | Path | None = None) -> pd.DataFrame:
    """Read the coded analysis file (``data/riders_survey.csv`` by default) with integer columns.

    Columns are the codebook's: ``respondent_id`` then the outcome and the nine predictors in Table 2's order.
    """
    path = Path(path) if path else DATA_DIR / "riders_survey.csv"
    frame = pd.read_csv(path)
    columns = load_codebook().columns
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    return frame[columns].astype("int64")


def default_predictors() -> list[str]:
    """The nine predictors in Table 2's order (gender first, publicity last)."""
    return load_codebook().predictors


def fit_logit(df: pd.DataFrame, predictors: list[str] | None = None, outcome: str = OUTCOME):
    """Fit the binary logit of ``outcome`` on ``predictors`` (entered as scores) by maximum likelihood.

    The predictors default to the codebook's nine, in Table 2's order, as the paper enters them; an
    intercept named ``const`` comes first. Returns the statsmodels ``LogitResults``.
    """
    import statsmodels.api as sm

    predictors = default_predictors() if predictors is None else list(predictors)
    exog = sm.add_constant(df[predictors].astype(float), has_constant="add")
    endog = df[outcome].astype(float)
    return sm.Logit(endog, exog).fit(disp=0, method="newton", maxiter=100)


def _arrays(res) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outcome, design matrix and fitted probabilities of a fitted logit."""
    y = np.asarray(res.model.endog, dtype=float)
    x = np.asarray(res.model.exog, dtype=float)
    p = 1.0 / (1.0 + np.exp(-(x @ np.asarray(res.params, dtype=float))))
    return y, x, p


def coefficient_table(res, level: float = 0.95) -> pd.DataFrame:
    """Coefficients with Wald standard errors, z, two-sided p and odds ratios with Wald confidence limits.

    One row per term (``const`` first); columns coef, se, z, p, odds_ratio, or_ci_low, or_ci_high. The
    odds-ratio limits are ``exp(coef ± z_{(1+level)/2} · se)``, the "95% C.I. for EXP(B)" SPSS prints.
    """
    from scipy import stats

    coef = np.asarray(res.params, dtype=float)
    se = np.sqrt(np.diag(np.asarray(res.cov_params(), dtype=float)))
    z = coef / se
    crit = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame(
        {
            "coef": coef,
            "se": se,
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
            "odds_ratio": np.exp(coef),
            "or_ci_low": np.exp(coef - crit * se),
            "or_ci_high": np.exp(coef + crit * se),
        },
        index=pd.Index(res.params.index, name="term"),
    )


@dataclass(frozen=True)
class HosmerLemeshow:
    """Result of the Hosmer–Lemeshow test: statistic, degrees of freedom, p-value and the 2 × g table."""

    chi2: float
    df: int
    p: float
    table: pd.DataFrame


def hosmer_lemeshow(y, p, groups: int = 10, tol: float = 1e-10) -> HosmerLemeshow:
    """Hosmer–Lemeshow goodness-of-fit test on "deciles of risk", grouped the way SPSS describes it.

    Grouping rule (deterministic, so any reader can redo it by hand):

    1. Sort cases by predicted probability, ascending.
    2. Cases whose predicted probabilities differ from their sorted neighbour by at most ``tol`` form one
       *block* of ties (in a logit these are cases with the same covariate pattern). A block is never split.
    3. With ``c`` the number of cases up to and including the last case of a block and ``n`` the total,
       the block goes to group ``ceil(groups · c / n)``. Without ties every group therefore holds
       ``n / groups`` cases (10 of 10 for n = 100); a block that straddles a cut point moves whole into the
       later group.
    4. Group numbers that receive no block are dropped and the rest renumbered 1, 2, ..., so ties can leave
       fewer than ``groups`` groups, exactly as SPSS warns.

    The statistic is the Pearson chi-square of the 2 × g table of observed and expected counts,
    ``sum_k (O_k − E_k)² / (E_k (1 − E_k / n_k))`` with ``E_k`` the sum of predicted probabilities in group
    k, referred to chi-square with ``g − 2`` degrees of freedom (Hosmer and Lemeshow 1980).

    Returns
    -------
    HosmerLemeshow
        ``table`` has one row per group: n, observed_1, expected_1, observed_0, expected_0, p_min, p_max.
    """
    from scipy import stats

    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    n = len(y)
    order = np.argsort(p, kind="mergesort")
    ps, ys = p[order], y[order]
    new_block = np.concatenate([[True], np.diff(ps) > tol])
    block_id = np.cumsum(new_block) - 1
    block_end = np.r_[np.flatnonzero(new_block)[1:], n]
    group_of_block = -(-groups * block_end // n)
    raw_group = group_of_block[block_id]
    _, group = np.unique(raw_group, return_inverse=True)
    g = int(group.max()) + 1
    size = np.bincount(group, minlength=g).astype(float)
    obs1 = np.bincount(group, weights=ys, minlength=g)
    exp1 = np.bincount(group, weights=ps, minlength=g)
    table = pd.DataFrame(
        {
            "n": size.astype(int),
            "observed_1": obs1.astype(int),
            "expected_1": exp1,
            "observed_0": (size - obs1).astype(int),
            "expected_0": size - exp1,
            "p_min": [ps[group == k].min() for k in range(g)],
            "p_max": [ps[group == k].max() for k in range(g)],
        },
        index=pd.RangeIndex(1, g + 1, name="group"),
    )
    chi2 = float(np.sum((obs1 - exp1) ** 2 / (exp1 * (1 - exp1 / size))))
    df = g - 2
    return HosmerLemeshow(chi2, df, float(stats.chi2.sf(chi2, df)) if df > 0 else float("nan"), table)


def classification_table(y, p, cutoff: float = 0.5) -> pd.DataFrame:
    """Observed by predicted counts at ``cutoff`` (predicted 1 when the probability exceeds it), as SPSS prints.

    Rows are the observed outcome (0, 1), columns the predicted outcome (0, 1) and ``percent_correct``,
    the share of each observed row classified correctly.
    """
    y = np.asarray(y).astype(int)
    pred = (np.asarray(p, dtype=float) > cutoff).astype(int)
    counts = np.zeros((2, 2), dtype=int)
    np.add.at(counts, (y, pred), 1)
    table = pd.DataFrame(counts, index=pd.Index([0, 1], name="observed"), columns=pd.Index([0, 1], name="predicted"))
    with np.errstate(invalid="ignore", divide="ignore"):
        table["percent_correct"] = 100.0 * np.diag(counts) / counts.sum(axis=1)
    return table


def roc_curve(y, p) -> pd.DataFrame:
    """Receiver operating characteristic: false- and true-positive rates as the threshold falls.

    One row per distinct predicted probability (descending), classifying as positive when ``p >= threshold``,
    preceded by the origin (threshold = +inf). Tied probabilities move the curve diagonally.
    """
    y = np.asarray(y).astype(int)
    p = np.asarray(p, dtype=float)
    thresholds = np.unique(p)[::-1]
    pos, neg = y.sum(), (1 - y).sum()
    tp = np.array([np.sum((p >= t) & (y == 1)) for t in thresholds])
    fp = np.array([np.sum((p >= t) & (y == 0)) for t in thresholds])
    return pd.DataFrame(
        {
            "threshold": np.r_[np.inf, thresholds],
            "fpr": np.r_[0.0, fp / neg],
            "tpr": np.r_[0.0, tp / pos],
        }
    )


def auc(y, p) -> float:
    """Area under the ROC curve in its Mann–Whitney form.

    The share of (event, non-event) pairs in which the event has the higher predicted probability, ties
    counting one half; computed from mid-ranks as ``(R_1 − n_1(n_1 + 1)/2) / (n_1 n_0)``.
    """
    from scipy import stats

    y = np.asarray(y).astype(bool)
    ranks = stats.rankdata(np.asarray(p, dtype=float))
    n1, n0 = int(y.sum()), int((~y).sum())
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def vif(df: pd.DataFrame, predictors: list[str] | None = None) -> pd.Series:
    """Variance inflation factors ``1 / (1 − R_j²)``, read off the diagonal of the inverse correlation matrix.

    ``R_j²`` is that of the least-squares regression of predictor j on the others with an intercept; the
    diagonal of the inverted correlation matrix equals ``1 / (1 − R_j²)`` exactly.
    """
    predictors = default_predictors() if predictors is None else list(predictors)
    corr = np.corrcoef(df[predictors].to_numpy(dtype=float), rowvar=False)
    return pd.Series(np.diag(np.linalg.inv(corr)), index=pd.Index(predictors, name="variable"), name="vif")


def _ame(params: np.ndarray, cov: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average marginal effects of the non-constant terms and their delta-method standard errors."""
    p = 1.0 / (1.0 + np.exp(-(x @ params)))
    w = p * (1 - p)
    ame = w.mean() * params
    jac = np.diag(np.full(len(params), w.mean())) + np.outer(params, (w * (1 - 2 * p)) @ x / len(p))
    se = np.sqrt(np.diag(jac @ cov @ jac.T))
    return ame[1:], se[1:]


def average_marginal_effects(res, level: float = 0.95) -> pd.DataFrame:
    """Average marginal effects on Pr(unwilling): the mean over riders of ``p_i (1 − p_i) β_j``.

    Standard errors by the delta method (the gradient of the mean derivative with respect to all
    coefficients, sandwiched around their covariance), as statsmodels' ``get_margeff(at='overall')``.
    Columns ame, se, z, p, ci_low, ci_high; one row per predictor.
    """
    from scipy import stats

    ame, se = _ame(
        np.asarray(res.params, dtype=float),
        np.asarray(res.cov_params(), dtype=float),
        np.asarray(res.model.exog, dtype=float),
    )
    z = ame / se
    crit = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame(
        {
            "ame": ame,
            "se": se,
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": ame - crit * se,
            "ci_high": ame + crit * se,
        },
        index=pd.Index(res.params.index[1:], name="variable"),
    )


def pseudo_r2(ll_model: float, ll_null: float, n: int) -> dict[str, float]:
    """McFadden's, Cox–Snell's and Nagelkerke's pseudo-R² from the two log-likelihoods.

    McFadden: ``1 − ll / ll0``; Cox–Snell: ``1 − exp(2 (ll0 − ll) / n)``; Nagelkerke: Cox–Snell divided by
    its maximum ``1 − exp(2 ll0 / n)``.
    """
    cox_snell = 1 - np.exp(2 * (ll_null - ll_model) / n)
    return {
        "mcfadden_r2": float(1 - ll_model / ll_null),
        "cox_snell_r2": float(cox_snell),
        "nagelkerke_r2": float(cox_snell / (1 - np.exp(2 * ll_null / n))),
    }


def _null_loglik(y: np.ndarray) -> float:
    """Log-likelihood of the intercept-only logit, in closed form (its fitted probability is the mean)."""
    n, events = len(y), y.sum()
    if events in (0, n):
        return 0.0
    ybar = events / n
    return float(events * np.log(ybar) + (n - events) * np.log(1 - ybar))


def fit_statistics(res, hl_groups: int = 10, cutoff: float = 0.5) -> dict:
    """Model-fit statistics as an SPSS user expects them, as plain Python numbers.

    Keys: n, events, ll_model, ll_null, minus2ll, lr_chi2, lr_df, lr_p, aic, bic, mcfadden_r2,
    cox_snell_r2, nagelkerke_r2, hl_chi2, hl_df, hl_p, auc, accuracy, sensitivity, specificity. AIC and BIC
    count every coefficient including the intercept; accuracy, sensitivity and specificity (in %) are read
    from the classification table at ``cutoff``, with "unwilling" as the event.
    """
    from scipy import stats

    y, x, p = _arrays(res)
    n, k = x.shape
    ll = float(res.llf)
    ll0 = _null_loglik(y)
    lr = 2 * (ll - ll0)
    lr_df = k - 1
    hl = hosmer_lemeshow(y, p, groups=hl_groups)
    ct = classification_table(y, p, cutoff)
    counts = ct[[0, 1]].to_numpy()
    out = {
        "n": int(n),
        "events": int(y.sum()),
        "ll_model": ll,
        "ll_null": ll0,
        "minus2ll": -2 * ll,
        "lr_chi2": float(lr),
        "lr_df": int(lr_df),
        "lr_p": float(stats.chi2.sf(lr, lr_df)),
        "aic": float(-2 * ll + 2 * k),
        "bic": float(-2 * ll + np.log(n) * k),
    }
    out.update(pseudo_r2(ll, ll0, n))
    out.update(
        {
            "hl_chi2": hl.chi2,
            "hl_df": int(hl.df),
            "hl_p": hl.p,
            "auc": auc(y, p),
            "accuracy": float(100 * np.trace(counts) / counts.sum()),
            "sensitivity": float(ct.loc[1, "percent_correct"]),
            "specificity": float(ct.loc[0, "percent_correct"]),
        }
    )
    return out


def published_comparison(res) -> pd.DataFrame:
    """Table 3 as printed beside our estimates, in the paper's row order.

    Columns: coef_published, coef, coef_diff (ours − published), p_published, p, p_diff, coef_agrees and
    p_agrees (whether ours, rounded to the decimals the paper prints, equals the printed value) and ``flag``
    naming the quantities that disagree at the printed precision ("" when both agree).
    """
    published = table3()
    ledger = load_ledger()
    rows = []
    for var in published.index:
        coef = float(res.params[var])
        p = float(res.pvalues[var])
        dc = int(ledger.loc[f"t3.{var}.coef", "decimals"])
        dp = int(ledger.loc[f"t3.{var}.p", "decimals"])
        coef_pub, p_pub = float(published.loc[var, "coef"]), float(published.loc[var, "p"])
        coef_ok = bool(abs(round(coef, dc) - coef_pub) < 0.5 * 10.0 ** -(dc + 1))
        p_ok = bool(abs(round(p, dp) - p_pub) < 0.5 * 10.0 ** -(dp + 1))
        rows.append(
            {
                "variable": var,
                "coef_published": coef_pub,
                "coef": coef,
                "coef_diff": coef - coef_pub,
                "p_published": p_pub,
                "p": p,
                "p_diff": p - p_pub,
                "coef_agrees": coef_ok,
                "p_agrees": p_ok,
                "flag": ", ".join(name for name, ok in (("coef", coef_ok), ("p", p_ok)) if not ok),
            }
        )
    return pd.DataFrame(rows).set_index("variable")


def fit_summary_row(df: pd.DataFrame) -> dict:
    """One flat record of a fit, for ensembles of reconstructed data sets.

    Keys ``coef_<term>``, ``se_<term>``, ``p_<term>`` for ``const`` and the nine predictors, ``ame_<var>``
    for the predictors, and mcfadden_r2, nagelkerke_r2, hl_p, auc, accuracy; all Python floats.
    """
    from scipy import stats

    res = fit_logit(df)
    y, x, p = _arrays(res)
    params = np.asarray(res.params, dtype=float)
    cov = np.asarray(res.cov_params(), dtype=float)
    se = np.sqrt(np.diag(cov))
    pvals = 2 * stats.norm.sf(np.abs(params / se))
    row: dict[str, float] = {}
    for term, b, s, pv in zip(res.params.index, params, se, pvals):
        row[f"coef_{term}"] = float(b)
        row[f"se_{term}"] = float(s)
        row[f"p_{term}"] = float(pv)
    ll0 = _null_loglik(y)
    r2 = pseudo_r2(float(res.llf), ll0, len(y))
    row["mcfadden_r2"] = r2["mcfadden_r2"]
    row["nagelkerke_r2"] = r2["nagelkerke_r2"]
    row["hl_p"] = hosmer_lemeshow(y, p).p
    row["auc"] = auc(y, p)
    row["accuracy"] = float(100 * np.mean((p > 0.5) == (y == 1)))
    ame, _ = _ame(params, cov, x)
    for term, a in zip(res.params.index[1:], ame):
        row[f"ame_{term}"] = float(a)
    return row
