"""Context tables, growth rates, ledger overview, package versions and the codebook table."""

from __future__ import annotations

import csv
import math
import sys
from importlib.metadata import version

import numpy as np
import pandas as pd
import pytest
import scipy
import yaml

from ridersurvey.data.codebook import codebook_table, load_codebook
from ridersurvey.data.context import (
    PILOT_FACT_COLUMNS,
    SHARING_ECONOMY_COLUMNS,
    growth_rates,
    ledger_overview,
    package_versions,
    pilot_fact,
    pilot_facts,
    sharing_economy_series,
)
from ridersurvey.data.ledger import load_ledger, numbers, value
from ridersurvey.data.paths import DATA_DIR

# --- sharing-economy series ---------------------------------------------------------------------------


def test_series_has_the_documented_columns_and_years():
    frame = sharing_economy_series()
    assert list(frame.columns) == SHARING_ECONOMY_COLUMNS
    assert frame["year"].tolist() == list(range(2015, 2023))
    assert frame["participants_is_lower_bound"].dtype == bool


def test_series_2020_agrees_with_the_figures_the_paper_quotes():
    row = sharing_economy_series().set_index("year").loc[2020]
    assert row["participants_100m"] == value("s1.participants")
    assert row["service_providers_10k"] == value("s1.providers")


def test_series_basis_changes_in_2018_and_lower_bounds_are_2016_2017():
    frame = sharing_economy_series().set_index("year")
    assert set(frame.loc[:2017, "basis"]) == {"original"}
    assert set(frame.loc[2018:, "basis"]) == {"revised (excludes financial sharing)"}
    assert frame.index[frame["participants_is_lower_bound"]].tolist() == [2016, 2017]
    assert math.isnan(frame.loc[2015, "participants_100m"])
    assert frame.loc[2021:, ["service_providers_10k", "participants_100m"]].isna().all().all()


def test_series_rejects_a_bad_lower_bound_flag(tmp_path):
    src = DATA_DIR / "context" / "sharing_economy.csv"
    rows = list(csv.reader(src.open(encoding="utf-8")))
    rows[1][4] = "maybe"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(ValueError, match="lower_bound"):
        sharing_economy_series(bad)


# --- growth rates --------------------------------------------------------------------------------------


def test_growth_reproduces_the_reported_rates():
    frame = sharing_economy_series()
    volume = growth_rates(frame, "transaction_volume_100m_yuan")
    assert round(volume[2021], 1) == 9.2
    assert round(volume[2022], 1) == 3.9
    providers = growth_rates(frame, "service_providers_10k")
    assert round(providers[2020], 1) == value("s1.providers_growth")


def test_growth_is_undefined_across_the_basis_break_and_gaps():
    frame = pd.DataFrame(
        {
            "year": [2010, 2011, 2013, 2014],
            "x": [100.0, 150.0, 10.0, 12.0],
            "basis": ["a", "a", "a", "b"],
        }
    )
    got = growth_rates(frame, "x")
    assert got[2011] == pytest.approx(50.0)
    assert np.isnan(got[2010]) and np.isnan(got[2013]) and np.isnan(got[2014])
    real = growth_rates(sharing_economy_series(), "transaction_volume_100m_yuan")
    assert np.isnan(real[2018]) and not np.isnan(real[2017])


# --- pilot facts ---------------------------------------------------------------------------------------


def test_pilot_facts_are_unique_sourced_and_reported():
    facts = pilot_facts()
    assert list(facts.columns) == PILOT_FACT_COLUMNS
    assert facts.index.is_unique
    assert facts["value"].dtype == float
    assert (facts["source"].str.len() > 0).all()
    assert facts["certainty"].str.startswith("reported").all()


def test_pilot_fact_values_match_the_csv_text():
    with (DATA_DIR / "context" / "pilot_facts.csv").open(encoding="utf-8") as fh:
        raw = {row["id"]: float(row["value"]) for row in csv.DictReader(fh)}
    facts = pilot_facts()
    for fact_id, expected in raw.items():
        assert pilot_fact(fact_id, facts) == expected
    assert pilot_fact("pilot.regions") == 7.0


def test_pilot_fact_unknown_id_and_duplicate_ids_raise(tmp_path):
    with pytest.raises(KeyError, match="no pilot fact"):
        pilot_fact("pilot.nonexistent")
    src = (DATA_DIR / "context" / "pilot_facts.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "dup.csv"
    bad.write_text("\n".join([*src, src[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        pilot_facts(bad)


# --- ledger overview -----------------------------------------------------------------------------------


def test_ledger_overview_counts_every_entry_once():
    ledger = numbers(load_ledger())
    overview = ledger_overview(ledger)
    assert overview.loc["Total", "Total"] == len(ledger)
    assert overview["Total"].drop("Total").tolist() == [
        int((ledger["location"] == loc).sum()) for loc in overview.index.drop("Total")
    ]
    n_options = sum(len(v.options) for v in load_codebook().variables)
    assert overview.loc["Table 1", "count"] == n_options + 1  # every option plus the total row
    assert overview.loc["Table 3", "coef"] == overview.loc["Table 3", "p"] == len(load_codebook().predictors)


def test_ledger_overview_follows_the_papers_order():
    # the paper's text: 6.1 data source, 6.2 opens with Table 1, 7.1's sentence before Table 2, 7.2's model
    # (Formulas 1-3), then Table 3, then its reading
    rows = ledger_overview(load_ledger()).index.drop("Total").tolist()
    expected = ["Section 1", "Section 2 (prose)", "Section 4.2 (prose)", "Section 6.1", "Section 6.1 (prose)",
                "Table 1", "Section 6.2 (prose)", "Section 7.1 (prose)", "Table 2", "Section 7.2 (model)", "Table 3",
                "Section 7.2 (prose)", "Section 8.1 (prose)"]  # fmt: skip
    assert rows == expected


# --- package versions ----------------------------------------------------------------------------------


def test_package_versions_match_the_imported_modules():
    table = package_versions().set_index("package")["version"]
    assert table["python"] == ".".join(map(str, sys.version_info[:3]))
    assert table["pandas"] == pd.__version__
    assert table["numpy"] == np.__version__
    assert table["scipy"] == scipy.__version__
    assert table["jupyter-book"] == version("jupyter-book")
    assert package_versions(("no-such-distribution-xyz",)).iloc[1]["version"] == "not installed"


# --- codebook table ------------------------------------------------------------------------------------


def test_codebook_table_lists_every_option_of_the_yaml():
    raw = yaml.safe_load((DATA_DIR / "codebook.yaml").read_text(encoding="utf-8"))
    expected = [
        (item["name"], int(o["code"]), str(o["zh"]), str(o["en"]), item["question_zh"])
        for item in raw["variables"]
        for o in item["options"]
    ]
    table = codebook_table()
    got = list(table[["variable", "code", "label_zh", "label_en", "question_zh"]].itertuples(index=False, name=None))
    assert got == expected
    assert table.loc[table["variable"] == "education", "code"].tolist() == [1, 2, 3, 4, 5]
    assert set(table.loc[table["role"] == "outcome", "variable"]) == {"unwilling"}
