"""The appendix "Checking a published table yourself": its facts and tables, against hand computations."""

from __future__ import annotations

import math

import pytest
from scipy import stats

import tablecheck
from ridersurvey.data import ledger as published
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.presentation.chapters import tablecheck as chapter


@pytest.fixture(scope="module")
def findings():
    n = int(published.value("t1.total.count"))
    wu = tablecheck.check_table(
        tablecheck.read_table(published.table3_as_printed().to_csv(index=False).splitlines()), tablecheck.Settings(n=n)
    )
    legend = tablecheck.parse_legend("*=0.05,**=0.01")
    roy = {
        panel: tablecheck.check_table(
            tablecheck.read_table(DATA_DIR / "tablecheck" / f"roy2022_{panel}.csv"), tablecheck.Settings(legend=legend)
        )
        for panel in ("public", "private")
    }
    return wu, roy, n


def test_wu_facts_follow_from_the_printed_numbers(findings):
    wu, roy, n = findings
    book = load_codebook()
    f = chapter.wu_results(wu, {v: book[v].label_en for v in book.names}, n)
    assert (f.n, f.wu_rows, f.wu_findings, f.wu_inconsistent) == ("100", "nine", "18", "two")
    assert f.wu_caught == "policy awareness and health" and f.wu_stars_consistent == "all nine"
    # policy awareness: |b| <= 0.0115, SD <= 1.2485, n = 100; p printed 0.006 stands for up to 0.0065
    se_floor = 2 / (1.2485 * math.sqrt(99))
    p_floor = 2 * stats.norm.sf(0.0115 / se_floor)
    assert float(f.aw_se_floor) <= se_floor < float(f.aw_se_floor) + 1e-5
    assert float(f.aw_p_floor) <= p_floor < float(f.aw_p_floor) + 1e-5
    assert float(f.aw_b_needed) == pytest.approx(stats.norm.isf(0.0065 / 2) * se_floor, abs=1e-5)
    assert f.aw_n_needed == f"{math.ceil(1 + (2 * stats.norm.isf(0.0065 / 2) / (0.0115 * 1.2485)) ** 2):,}"


def test_roy_facts_name_what_the_tool_catches(findings):
    wu, roy, n = findings
    f = chapter.roy_results(roy)
    # rumours: exp(-0.766) = 0.465 is not 2.152 = exp(0.766); three stars where the legend has two; trust's
    # p = 0.013 earns one star, two printed
    assert math.exp(-0.766) < 2.1515 < math.exp(0.766) + 0.001
    assert (f.roy_findings, f.roy_consistent, f.roy_inconsistent) == ("120", "115", "five")
    assert (
        f.roy_caught_terms == "rumours (public), communication (private), political roles (private) and trust (private)"
    )
    assert (
        f.roy_namesakes_clean
        == "rumours (private), communication (public), political roles (public) and trust (public)"
    )


def test_a_namesake_that_fails_a_check_is_not_called_clean(findings):
    wu, _, n = findings
    ok, bad = tablecheck.Verdict.CONSISTENT, tablecheck.Verdict.INCONSISTENT
    check = tablecheck.Check.OR_VS_B

    def finding(term, verdict):
        return tablecheck.Finding(term, check, verdict, "")

    roy = {
        "a": [finding("Trust", bad), finding("Safety", ok)],
        "b": [finding("Trust", ok), finding("Trust", bad), finding("Safety", bad)],
        "c": [finding("Trust", ok)],
    }
    f = chapter.roy_results(roy)
    assert f.roy_caught_terms == "trust (a), trust (b) and safety (b)"
    assert f.roy_namesakes_clean == "trust (c) and safety (a)"


def _labels():
    book = load_codebook()
    return {v: book[v].label_en for v in book.names}


def test_tables_show_the_findings(findings):
    wu, roy, _ = findings
    table = chapter.findings_table(wu, "c", "tbl-x")
    assert list(table.body.columns) == ["Term", "Check", "Verdict", "Detail"] and len(table.body) == len(wu)
    caught = chapter.findings_table(
        [f for p in roy.values() for f in p], "c", "tbl-y", verdicts=[tablecheck.Verdict.INCONSISTENT]
    )
    assert list(caught.body["Term"]) == ["Rumours", "Rumours", "Communication", "Political roles", "Trust"]
    counts = chapter.verdict_counts_table(roy, "c", "tbl-z").body.set_index("Check")
    assert (
        counts.loc["or-vs-b", "public: inconsistent"] == "1"
        and counts.loc["stars-vs-p", "private: inconsistent"] == "3"
    )
    assert not any("unverifiable" in c for c in counts.columns)


def test_wus_sds_have_denominator_n_minus_1():
    # gender: 31 women of 100; Table 2 prints 0.465
    women = [0] * 69 + [1] * 31
    forms = chapter.sd_denominators(31, 100)
    assert forms.n_minus_1 == f"{stats.tstd(women):.3f}" == "0.465"
    assert forms.n == f"{stats.tstd(women) * math.sqrt(99 / 100):.3f}" == "0.462"
