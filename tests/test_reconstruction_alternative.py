"""Tests of ridersurvey.reconstruction.alternative: the reading that keeps the two impossible p-values."""

import pytest

from recon_oracles import PREDICTORS, TABLE3, meets_table3, statsmodels_fit
from ridersurvey.paths import DATA_DIR
from ridersurvey.reconstruction import alternative as A
from ridersurvey.reconstruction.outputs import load_provenance


@pytest.fixture(scope="module")
def provs():
    return load_provenance(), A.load_alternative_provenance()


def test_committed_alternative_keeps_the_printed_p_values(provs):
    import pandas as pd

    _, alt = provs
    data = pd.read_csv(DATA_DIR / "alternative" / "riders_survey.csv")
    assert meets_table3(data, free=A.FREE)
    res = statsmodels_fit(data)
    for var in A.FREE:
        assert round(res.pvalues[var], 3) == TABLE3.loc[var, "p"]
        assert round(res.params[var], 3) != TABLE3.loc[var, "coef"]
    assert alt["free_coefficients"] == list(A.FREE) and alt["unattainable"] == [] and alt["success"]


def test_comparison_table(provs):
    main, alt = provs
    table = A.comparison(main, alt)
    assert list(table.index) == PREDICTORS
    assert table["free"].sum() == 2
    for var in PREDICTORS:
        assert table.loc[var, "b_printed"] == TABLE3.loc[var, "coef"]
        assert table.loc[var, "b_alt"] == pytest.approx(alt["achieved"][var]["coef"])
    fixed = table[~table["free"]]
    assert (fixed["b_alt"].round(3) == fixed["b_printed"]).all()


def test_readings(provs):
    import math

    _, alt = provs
    table = A.readings(alt)
    assert set(table.index) == set(A.FREE)
    for var, row in table.iterrows():
        b, se = alt["achieved"][var]["coef"], alt["achieved"][var]["se"]
        assert row["odds_ratio"] == pytest.approx(math.exp(b))
        assert row["or_low"] == pytest.approx(math.exp(b - 1.959963984540054 * se))
        # unwilling = 1: a positive coefficient means less willing per code step
        assert row["direction"] == (-1 if b > 0 else 1)
        assert row["stands"] == (row["direction"] == row["paper_direction"] and row["p"] < 0.05)
