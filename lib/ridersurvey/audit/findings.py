"""The correction for testing several of the paper's findings at once (the verdict per finding is
:func:`ridersurvey.robustness.finding_robustness.finding_verdicts`).

Nothing here reads respondent-level data: the correction uses Table 3's printed p-values
(:func:`ridersurvey.audit.inference.table3_from_print`), either of the pairs that can stand or of all nine.
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.multitest import multipletests

from ridersurvey.audit.inference import table3_from_print


def holm(p: pd.Series, alpha: float = 0.05) -> pd.DataFrame:
    """Holm's step-down adjustment of a family of p-values (statsmodels' ``multipletests``).

    Parameters
    ----------
    p : Series
        The family's p-values, indexed by name.
    alpha : float
        The family-wise error rate.

    Returns
    -------
    DataFrame
        Per name, in the order of ``p``: ``p``, ``p_holm`` (adjusted, capped at 1) and ``rejected`` (``p_holm``
        below ``alpha``).
    """
    rejected, adjusted, _, _ = multipletests(p.to_numpy(dtype=float), alpha=alpha, method="holm")
    return pd.DataFrame({"p": p.astype(float), "p_holm": adjusted, "rejected": rejected}, index=p.index)


def coherent_holm(printed: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """:func:`holm` over the printed p-values of the Table 3 pairs that can stand.

    Parameters
    ----------
    printed : DataFrame, optional
        :func:`ridersurvey.audit.inference.table3_from_print` (default: of the project's ledger).
    alpha : float

    Returns
    -------
    DataFrame
        As :func:`holm`, one row per coherent pair, in Table 3's order.
    """
    printed = _table3(printed)
    return holm(printed.loc[printed["clears_floor"], "p"], alpha)


def table3_holm(printed: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """:func:`holm` over every printed Table 3 p-value, those of the pairs that cannot stand included: the
    family if their p-values, not their coefficients, are the right numbers.

    Parameters
    ----------
    printed : DataFrame, optional
        :func:`ridersurvey.audit.inference.table3_from_print` (default: of the project's ledger).
    alpha : float

    Returns
    -------
    DataFrame
        As :func:`holm`, one row per Table 3 predictor, in Table 3's order.
    """
    return holm(_table3(printed)["p"], alpha)


def _table3(printed: pd.DataFrame | None) -> pd.DataFrame:
    return table3_from_print() if printed is None else printed
