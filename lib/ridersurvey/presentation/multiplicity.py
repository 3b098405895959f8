"""Holm's correction over the nine tests of the paper's Table 3, under both readings of the two pairs that
cannot stand (:mod:`ridersurvey.audit.findings`): the facts the introduction, the conclusions and the summary
quote, and the table the conclusions show. Numbers, short lists and a table only."""

from __future__ import annotations

import pandas as pd

from ridersurvey.audit.findings import coefficients_right_holm, table3_holm
from ridersurvey.audit.precision import format_p_floor
from ridersurvey.data.codebook import load_codebook
from ridersurvey.presentation import report as r

#: Shown before a p-value that is a lower bound.
AT_LEAST = "≥ "


def _labels() -> dict[str, str]:
    return {v: label.lower() for v, label in load_codebook().labels().items()}


def _p_text(p: float, bound: bool) -> str:
    return AT_LEAST + format_p_floor(p) if bound else str(r.p_value(p))


def _adjusted_text(p: float, bound: bool) -> str:
    return f"{1:.3f}" if p >= 1 and not bound else _p_text(p, bound)


def multiplicity_facts(alpha: float = 0.05) -> r.Facts:
    """What Holm's correction keeps over the nine tests, if the coefficients are right (``a_*``,
    :func:`ridersurvey.audit.findings.coefficients_right_holm`) and if the printed p-values are right (``b_*``,
    :func:`ridersurvey.audit.findings.table3_holm`).

    ``*_kept`` names the predictors below ``alpha`` after the correction and ``*_kept_p`` their adjusted p;
    ``*_lost`` those below ``alpha`` before the correction that lose significance, each with its adjusted p
    ("≥" where it is a lower bound); ``b_unknown_sign`` those kept under (b) whose printed coefficient is then a
    misprint; ``n_bounded`` and ``n_standing`` count the pairs that cannot and can stand; ``a_floors`` the
    floors used as the p of the pairs that cannot stand.
    """
    a, b = coefficients_right_holm(alpha=alpha), table3_holm(alpha=alpha)
    labels = _labels()
    bounded = a.index[a["p_is_bound"]]

    def lost(frame: pd.DataFrame) -> r.Text:
        gone = frame.index[(frame["p"] < alpha) & ~frame["rejected"]]
        bound = frame["p_holm_is_bound"] if "p_holm_is_bound" in frame else pd.Series(False, frame.index)
        return r.names(f"{labels[v]} ({_p_text(frame.loc[v, 'p_holm'], bound[v])})" for v in gone)

    return r.Facts(
        n_family=r.count_words(len(b)),
        n_bounded=r.count_words(len(bounded)),
        n_standing=r.count_words(len(a) - len(bounded)),
        a_floors=r.names(format_p_floor(a.loc[v, "p"]) for v in bounded),
        a_bounded=r.names(labels[v] for v in bounded),
        a_kept=r.names(labels[v] for v in a.index[a["rejected"]]),
        a_kept_p=r.names(_p_text(p, s) for p, s in a.loc[a["rejected"], ["p_holm", "p_holm_is_bound"]].to_numpy()),
        a_lost=lost(a),
        b_kept=r.names(labels[v] for v in b.index[b["rejected"]]),
        b_kept_p=r.names(r.p_value(p) for p in b.loc[b["rejected"], "p_holm"]),
        b_lost=lost(b),
        b_unknown_sign=r.names(labels[v] for v in b.index[b["rejected"]] if v in bounded),
    )


def multiplicity_table(caption: str, name: str, alpha: float = 0.05) -> r.Table:
    """Raw and Holm-adjusted p of the nine Table 3 tests under both readings: (a) the printed coefficients are
    right, so the pairs that cannot stand enter with their p floors (shown "≥"); (b) the printed p-values are
    right, so the family is the nine printed p-values. An adjusted p capped at 1 shows as 1.000."""
    a, b = coefficients_right_holm(alpha=alpha), table3_holm(alpha=alpha)
    labels = _labels()
    frame = pd.DataFrame(
        {
            "predictor": [labels[v].capitalize() for v in a.index],
            "a_p": [_p_text(p, s) for p, s in a[["p", "p_is_bound"]].to_numpy()],
            "a_holm": [_adjusted_text(p, s) for p, s in a[["p_holm", "p_holm_is_bound"]].to_numpy()],
            "b_p": [str(r.p_value(p)) for p in b["p"]],
            "b_holm": [_adjusted_text(p, False) for p in b["p_holm"]],
        },
        index=a.index,
    )
    spec = r.TableSpec(
        [
            r.Column("predictor", "Predictor"),
            r.Column("a_p", "(a) Coefficients right: p"),
            r.Column("a_holm", "(a) Holm-adjusted p"),
            r.Column("b_p", "(b) p-values right: p (printed)"),
            r.Column("b_holm", "(b) Holm-adjusted p"),
        ]
    )
    return spec.table(frame, caption, name)
