"""Holm's correction as the introduction, the conclusions and the summary quote and show it, against the
hand-worked values in tests/results/book.py."""

from __future__ import annotations

from results import book
from ridersurvey.presentation import multiplicity


def test_facts_under_both_readings():
    m = multiplicity.multiplicity_facts()
    assert (m.n_family, m.n_bounded, m.n_standing) == ("nine", "two", "seven")
    assert m.a_bounded == "policy awareness and health"
    assert m.a_floors == f"{book.P_FLOORS['policy_awareness']:.3f} and {book.P_FLOORS['health']:.3f}"
    h = book.HOLM_COEFFICIENTS_RIGHT
    assert (m.a_kept, m.a_kept_p) == ("education", f"{h['education']:.3f}")
    assert m.a_lost == f"marital status ({h['marital_status']:.3f}) and gender ({h['gender']:.3f})"
    a = book.HOLM_ALL
    assert m.b_kept == "policy awareness, health and education"
    assert m.b_kept_p == f"{a['policy_awareness']:.3f}, {a['health']:.3f} and {a['education']:.3f}"
    assert m.b_lost == f"marital status ({a['marital_status']:.3f}) and gender ({a['gender']:.3f})"
    assert m.b_unknown_sign == "policy awareness and health"


def test_table_shows_raw_and_adjusted_p_under_both_readings():
    table = multiplicity.multiplicity_table("c", "tbl-x")
    body = table.body.set_index(table.body.columns[0])
    assert body.shape == (9, 4)
    awareness, education, hukou = body.loc["Policy awareness"], body.loc["Education"], body.loc["Hukou"]
    assert awareness.iloc[0] == f"≥ {book.P_FLOORS['policy_awareness']:.3f}" and awareness.iloc[1] == "1.000"
    assert awareness.iloc[2] == f"{book.CANNOT_STAND_P['policy_awareness']:.3f}"
    assert awareness.iloc[3] == f"{book.HOLM_ALL['policy_awareness']:.3f}"
    assert education.tolist() == ["0.002", "0.018", "0.002", "0.018"]
    assert hukou.tolist()[1::2] == [
        f"{book.HOLM_COEFFICIENTS_RIGHT['hukou']:.3f}",
        f"{book.HOLM_ALL['hukou']:.3f}",
    ]
