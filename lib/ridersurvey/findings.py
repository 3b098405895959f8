"""The paper's findings judged from its printed numbers alone: one verdict per finding, and the correction for
testing several findings at once.

Nothing here reads respondent-level data: the verdicts use Table 3 as printed
(:func:`ridersurvey.inference.table3_from_print`) and the precomputed power curve; the multiplicity correction
uses the printed p-values of the pairs that can stand.
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.multitest import multipletests


def finding_verdicts() -> pd.DataFrame:
    """:func:`ridersurvey.robustness.finding_verdicts` of the printed Table 3 and the committed power curve.

    Returns
    -------
    DataFrame
        One row per predictor, in Table 3's order.
    """
    from ridersurvey.inference import table3_from_print
    from ridersurvey.power import load_power, n_for_power
    from ridersurvey.robustness import finding_verdicts as verdicts

    curve, _ = load_power()
    return verdicts(table3_from_print(), n_for_power(curve))


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
        :func:`ridersurvey.inference.table3_from_print` (default: of the project's ledger).
    alpha : float

    Returns
    -------
    DataFrame
        As :func:`holm`, one row per coherent pair, in Table 3's order.
    """
    from ridersurvey.inference import table3_from_print

    printed = table3_from_print() if printed is None else printed
    return holm(printed.loc[printed["clears_floor"], "p"], alpha)
