"""The introduction (``chapters/intro.md``): the headline figures, taken from the audit's scorecard of findings."""

from __future__ import annotations

import pandas as pd

from ridersurvey.audit.inference import table3_from_print
from ridersurvey.audit.ledger_audit import scorecard
from ridersurvey.audit.verdicts import AuditVerdict as V
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.context import ledger_overview, pilot_fact
from ridersurvey.data.ledger import load_ledger, table3
from ridersurvey.model.logit import load_analysis_data
from ridersurvey.presentation import report as r

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
        n_valid=r.integer(ledger.loc[ids.VALID, "value"]),
        n_collected=r.integer(ledger.loc[ids.COLLECTED, "value"]),
        n_rows=r.integer(len(load_analysis_data())),
        pct_willing=r.percent(float(ledger.loc[ids.table1("unwilling", 0, ids.Part.PCT), "value"]), 0),
        n_predictors=r.count_words(len(load_codebook().predictors)),
        n_published_significant=r.count_words(int((table3(ledger)["p"] < 0.05).sum())),
        pilot_regions=r.count_words(int(pilot_fact("pilot.regions"))),
    )


def standing_results() -> r.Facts:
    """Which of the paper's significant effects stand on their printed numbers and which cannot be interpreted
    (what Holm's correction keeps: :func:`ridersurvey.presentation.multiplicity.multiplicity_facts`)."""
    printed = table3_from_print()
    labels = load_codebook().labels()
    name = lambda v: labels[v].lower()
    return r.Facts(
        coherent=r.names(name(v) for v in printed.index[printed["clears_floor"] & printed["significant"]]),
        pairs=r.names(name(v) for v in printed.index[~printed["clears_floor"]]),
        n_pairs=r.count_words(int((~printed["clears_floor"]).sum())),
    )


def audit_results(audit: pd.DataFrame) -> r.Facts:
    """The audit's bookkeeping: ledger entries, findings and findings by verdict (:func:`ridersurvey.audit.ledger_audit.scorecard`)."""
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
