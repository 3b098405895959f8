"""The introduction (``chapters/intro.md``): the headline figures, taken from the audit's scorecard of findings."""

from __future__ import annotations

import pandas as pd

from ridersurvey import report as r

#: Column headers for the kinds of statistic in the ledger.
STATISTIC_NAMES = {
    "headline": "Headline",
    "count": "Count",
    "percent": "%",
    "bound": "Bound",
    "mean": "Mean",
    "sd": "SD",
    "coding": "Coding",
    "coef": "B",
    "p": "p",
    "claim": "Claim",
}


def facts(audit: pd.DataFrame) -> r.Facts:
    """The introduction's numbers: the study in brief and the audit's headline figures.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.run_audit`.

    Returns
    -------
    Facts
    """
    from ridersurvey.audit import scorecard
    from ridersurvey.codebook import load_codebook
    from ridersurvey.context import pilot_fact
    from ridersurvey.inference import inconsistent_pairs
    from ridersurvey.model import load_analysis_data
    from ridersurvey.published import load_ledger, table3

    ledger = load_ledger()
    book = load_codebook()
    score = scorecard(audit)
    pairs = inconsistent_pairs(ledger)
    return r.Facts(
        n_valid=r.integer(ledger.loc["s6.valid", "value"]),
        n_collected=r.integer(ledger.loc["s6.collected", "value"]),
        n_rows=r.integer(len(load_analysis_data())),
        pct_willing=r.percent(float(ledger.loc["t1.unwilling.0.pct", "value"]), 0),
        n_predictors=r.count_words(len(book.predictors)),
        n_published_significant=r.count_words(int((table3(ledger)["p"] < 0.05).sum())),
        pilot_regions=r.count_words(int(pilot_fact("pilot.regions"))),
        n_entries=r.integer(len(audit)),
        n_findings=r.integer(int(score["findings"].sum())),
        n_pairs=r.count_words(int(score.loc["inconsistent-pair", "findings"])),
        n_discrepant=r.count_words(int(score.loc["discrepant", "findings"])),
        n_unverifiable=r.count_words(int(score.loc["unverifiable", "findings"])),
        n_identities=r.count_words(int(score.loc["consistent", "findings"])),
        n_by_construction=r.count_words(int(score.loc["matched-by-construction", "findings"])),
        n_corroborated=r.count_words(int(score.loc["corroborated", "findings"])),
        pair_names=r.names(book[v].label_en.lower() for v in pairs),
    )


def ledger_table() -> r.Table:
    """What the ledger holds: published numbers and claims by place in the paper and kind of statistic."""
    from ridersurvey.context import ledger_overview
    from ridersurvey.published import load_ledger

    overview = ledger_overview(load_ledger()).rename(columns=STATISTIC_NAMES).rename_axis("Place in the paper")
    frame = overview.reset_index()
    spec = r.TableSpec(
        [r.Column("Place in the paper", "Place in the paper")] + [r.Column(c, c, r.integer) for c in overview.columns]
    )
    return spec.table(
        frame,
        "Published numbers and claims recorded in the ledger, by place in the paper (rows) and kind (columns: "
        "headline figures, counts, percentages, bounds such as 'more than half', means, standard deviations, "
        "codings, coefficients B, p-values and claims without a statistic). The audit gives every one a verdict.",
        "tbl-intro-ledger",
    )
