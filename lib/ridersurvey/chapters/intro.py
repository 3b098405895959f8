"""The introduction (``chapters/intro.md``): the headline figures, taken from the audit's scorecard of findings."""

from __future__ import annotations

import pandas as pd

from ridersurvey import messages
from ridersurvey import report as r
from ridersurvey.audit import scorecard
from ridersurvey.codebook import load_codebook
from ridersurvey.context import ledger_overview, pilot_fact
from ridersurvey.findings import coherent_holm, table3_holm
from ridersurvey.inference import table3_from_print
from ridersurvey.model import load_analysis_data
from ridersurvey.published import load_ledger, table3
from ridersurvey.verdicts import AuditVerdict as V

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


def study_results() -> r.Facts:
    """The study in brief: questionnaires, riders, share willing, predictors, effects reported significant."""
    ledger = load_ledger()
    return r.Facts(
        n_valid=r.integer(ledger.loc["s6.valid", "value"]),
        n_collected=r.integer(ledger.loc["s6.collected", "value"]),
        n_rows=r.integer(len(load_analysis_data())),
        pct_willing=r.percent(float(ledger.loc["t1.unwilling.0.pct", "value"]), 0),
        n_predictors=r.count_words(len(load_codebook().predictors)),
        n_published_significant=r.count_words(int((table3(ledger)["p"] < 0.05).sum())),
        pilot_regions=r.count_words(int(pilot_fact("pilot.regions"))),
    )


def standing_results() -> r.Facts:
    """Which of the paper's significant effects stand on their printed numbers, which cannot be interpreted,
    and which stay significant after Holm's adjustment over the coherent pairs and over all nine."""
    book = load_codebook()
    printed = table3_from_print()
    holm, every = coherent_holm(printed), table3_holm(printed)
    name = lambda v: messages.label(book[v].label_en).lower()
    return r.Facts(
        coherent=r.names(name(v) for v in printed.index[printed["clears_floor"] & printed["significant"]]),
        pairs=r.names(name(v) for v in printed.index[~printed["clears_floor"]]),
        n_pairs=r.count_words(int((~printed["clears_floor"]).sum())),
        n_family=r.count_words(len(holm)),
        holm_kept=r.names(name(v) for v in holm.index[holm["rejected"]]),
        n_family_all=r.count_words(len(every)),
        holm_kept_all=r.names(name(v) for v in every.index[every["rejected"]]),
    )


def audit_results(audit: pd.DataFrame) -> r.Facts:
    """The audit's bookkeeping: ledger entries, findings and findings by verdict (:func:`ridersurvey.audit.scorecard`)."""
    score = scorecard(audit)
    count = lambda verdict: r.count_words(int(score.loc[verdict, "findings"]))
    return r.Facts(
        n_entries=r.integer(len(audit)),
        n_findings=r.integer(int(score["findings"].sum())),
        n_pairs=count(V.INCONSISTENT_PAIR),
        n_discrepant=count(V.DISCREPANT),
        n_unverifiable=count(V.UNVERIFIABLE),
        n_identities=count(V.CONSISTENT),
        n_by_construction=count(V.BY_CONSTRUCTION),
        n_corroborated=count(V.CORROBORATED),
    )


def ledger_table(caption: str, name: str) -> r.Table:
    """What the ledger holds: published numbers and claims by place in the paper and kind of statistic."""
    overview = ledger_overview(load_ledger()).rename(columns=STATISTIC_NAMES).rename_axis("Place in the paper")
    frame = overview.reset_index()
    spec = r.TableSpec(
        [r.Column("Place in the paper", "Place in the paper")] + [r.Column(c, c, r.integer) for c in overview.columns]
    )
    return spec.table(frame, caption, name)
