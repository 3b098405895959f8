"""The correction for testing several of the paper's findings at once (the verdict per finding is
:func:`ridersurvey.robustness.finding_robustness.finding_verdicts`).

Nothing here reads respondent-level data: the correction uses Table 3's printed numbers
(:func:`ridersurvey.audit.inference.table3_from_print`). The family is the nine tests the paper ran, under
either reading of the two pairs that cannot stand: if their coefficients are right, their model-based p is at
least its floor (:func:`coefficients_right_holm`); if their p-values are right, the family is the nine printed
p-values (:func:`table3_holm`).
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


def coefficients_right_holm(printed: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """:func:`holm` over the nine Table 3 tests if the printed coefficients are right: the printed p of each pair
    that can stand and, for each pair that cannot, its p floor (the smallest p its printed coefficient allows),
    a lower bound on its model-based p.

    Holm's adjusted p-values do not decrease when any p in the family increases, so each adjusted value is a
    lower bound; it is exact where raising the bounded p-values to 1 leaves it unchanged.

    Parameters
    ----------
    printed : DataFrame, optional
        :func:`ridersurvey.audit.inference.table3_from_print` (default: of the project's ledger).
    alpha : float

    Returns
    -------
    DataFrame
        As :func:`holm`, one row per Table 3 predictor, in Table 3's order, with ``p_is_bound`` (``p`` is a
        floor) and ``p_holm_is_bound`` (``p_holm`` would be larger were the bounded p-values larger).
    """
    printed = _table3(printed)
    bounded = ~printed["clears_floor"].astype(bool)
    p = printed["p"].where(~bounded, printed["p_floor"])
    result = holm(p, alpha)
    highest = holm(p.where(~bounded, 1.0), alpha)
    result["p_is_bound"] = bounded
    result["p_holm_is_bound"] = highest["p_holm"] > result["p_holm"]
    return result


def table3_holm(printed: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """:func:`holm` over every printed Table 3 p-value, those of the pairs that cannot stand included: the
    family if their p-values, not their coefficients, are the right numbers (then the signs of those
    coefficients are not known).

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
