"""The introduction's results objects and table."""

from __future__ import annotations

from results import book
from ridersurvey.audit.ledger_audit import run_audit
from ridersurvey.data.ledger import number_id
from ridersurvey.presentation.chapters import intro


def test_audit_results_come_from_the_scorecard():
    result = run_audit()
    f = intro.audit_results(result)
    assert (f.n_findings, f.n_pairs, f.n_discrepant, f.n_unverifiable) == (str(book.N_FINDINGS), "two", "five", "three")
    table = intro.ledger_table("c", "tbl-intro-ledger")
    assert table.body.iloc[-1, -1] == str(result["id"].map(number_id).nunique())


def test_what_stands():
    s = intro.standing_results()
    assert s.coherent == "education, marital status and gender"
    assert s.pairs == "policy awareness and health" and s.n_pairs == "two"


def test_study_results():
    s = intro.study_results()
    assert (s.n_collected, s.n_valid, s.n_published_significant, s.pilot_regions) == ("103", "100", "five", "seven")
