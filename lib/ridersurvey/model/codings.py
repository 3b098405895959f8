"""Other codings of the same answers: ordinal items as categories, and the outcome and marital status reversed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ridersurvey.data.codebook import Scale, load_codebook
from ridersurvey.model.logit import OUTCOME, ModelSpec, fit_logit

#: The paper's predictors with more than two ordered answers, in Table 2's order.
ORDINAL = tuple(v for v in load_codebook().predictors if len(load_codebook()[v].codes) > 2)


def merge_sparse(
    series: pd.Series, min_count: int = 5, outcome: pd.Series | None = None
) -> tuple[pd.Series, list[tuple[int, int, int]]]:
    """Merge sparse categories into their neighbour towards the middle, until none is sparse.

    A category is sparse if fewer than ``min_count`` respondents chose it or, when ``outcome`` is given, if
    all of them share one outcome value (a zero cell, which would make its dummy's ML estimate infinite).
    Edge categories merge inwards (education 5 into 4). Returns the recoded series and the merges as
    ``(from_code, into_code, n_moved)``; at least two categories are always kept.
    """
    s = series.astype(int).copy()
    merges: list[tuple[int, int, int]] = []
    while True:
        counts = s.value_counts().sort_index()
        sparse = counts < min_count
        if outcome is not None:
            cells = pd.crosstab(s, outcome).reindex(counts.index)
            sparse |= (cells == 0).any(axis=1)
        if not sparse.any() or len(counts) <= 2:
            return s, merges
        codes = list(counts.index)
        code = codes[int(np.argmax(sparse.to_numpy()))]
        pos = codes.index(code)
        target = codes[pos + 1] if pos < (len(codes) - 1) / 2 else codes[pos - 1]
        merges.append((int(code), int(target), int(counts[code])))
        s[s == code] = target


def categorical_frame(
    df: pd.DataFrame, min_count: int = 5, outcome: str = OUTCOME
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[tuple[str, int, int, int]]]:
    """Dummy-coded ordinal predictors after merging sparse categories, and the matching linear frame.

    Categories with fewer than ``min_count`` respondents or an empty outcome cell are merged
    (:func:`merge_sparse`). Returns ``(dummies_frame, linear_frame, dummy_columns, merges)``. Both frames
    hold the outcome and the binary predictors unchanged; ordinal predictors are merged identically in both,
    so the linear model is nested in the categorical one (its codes are a linear combination of the dummies).
    """
    linear = df.copy()
    merges = []
    for var in ORDINAL:
        linear[var], m = merge_sparse(df[var], min_count, df[outcome])
        merges += [(var, *x) for x in m]
    dummies = linear.copy()
    dummy_cols = []
    for var in load_codebook().predictors:
        if var in ORDINAL:
            levels = sorted(linear[var].unique())
            for lev in levels[1:]:
                name = f"{var}[{lev}]"
                dummies[name] = (linear[var] == lev).astype(float)
                dummy_cols.append(name)
        else:
            dummy_cols.append(var)
    return dummies, linear, dummy_cols, merges


def coding_lr_test(df: pd.DataFrame, min_count: int = 5, outcome: str = OUTCOME) -> dict:
    """Likelihood-ratio test of linear ordinal codes against categories (dummies), nested after merging.

    Returns log-likelihoods, the LR statistic, its degrees of freedom, p-value, AIC of both models, the
    number of parameters and the list of merges applied.
    """
    from firthmodels import detect_separation

    dummies, linear, dummy_cols, merges = categorical_frame(df, min_count, outcome)
    paper = ModelSpec.paper()
    linear_spec = ModelSpec(outcome, paper.predictors, paper.scales)
    lin = linear_spec.fit(linear)
    cat = linear_spec.with_scales(dict.fromkeys(ORDINAL, Scale.CATEGORIES)).fit(linear)
    lr = 2 * (cat.llf - lin.llf)
    dof = int(cat.df_model - lin.df_model)
    sep = detect_separation(dummies[dummy_cols].to_numpy(float), dummies[outcome].to_numpy(int)).separation
    return {
        "llf_linear": float(lin.llf),
        "llf_categorical": float(cat.llf),
        "lr": float(lr),
        "df": int(dof),
        "p": float(stats.chi2.sf(lr, dof)),
        "aic_linear": float(lin.aic),
        "aic_categorical": float(cat.aic),
        "k_linear": int(lin.params.size),
        "k_categorical": int(cat.params.size),
        "converged": bool(cat.mle_retvals["converged"]),
        "separation": bool(sep),
        "merges": merges,
        "results_categorical": cat,
        "results_linear": lin,
    }


def reverse_outcome(df: pd.DataFrame, cols: list[str] | None = None) -> pd.DataFrame:
    """Fit with unwilling = 1 (Table 2) and with willing = 1 (the model section's Z) side by side."""
    base = fit_logit(df, cols)
    flipped = df.assign(willing=1 - df[OUTCOME])
    alt = fit_logit(flipped, cols, outcome="willing")
    return pd.DataFrame(
        {
            "coef_unwilling": base.params,
            "coef_willing": alt.params,
            "se_unwilling": base.bse,
            "se_willing": alt.bse,
            "p_unwilling": base.pvalues,
            "p_willing": alt.pvalues,
        }
    )


def reverse_marital(df: pd.DataFrame, cols: list[str] | None = None) -> pd.DataFrame:
    """Fit with marital status as stated (未婚 = 1, 已婚 = 2) and reversed (已婚 = 1, 未婚 = 2).

    The reversed coding is the one Table 2's printed mean (1.41) implies. Returns coefficients, SEs and
    p-values of both fits and the sample mean of marital status under each coding.
    """
    base = fit_logit(df, cols)
    alt_df = df.assign(marital_status=3 - df["marital_status"])
    alt = fit_logit(alt_df, cols)
    out = pd.DataFrame(
        {
            "coef_stated": base.params,
            "coef_reversed": alt.params,
            "se_stated": base.bse,
            "se_reversed": alt.bse,
            "p_stated": base.pvalues,
            "p_reversed": alt.pvalues,
        }
    )
    out.attrs["mean_stated"] = float(df["marital_status"].mean())
    out.attrs["mean_reversed"] = float(alt_df["marital_status"].mean())
    return out
