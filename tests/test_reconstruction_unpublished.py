"""Tests of ridersurvey.reconstruction.unpublished: every statistic against an independent computation."""

import itertools

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from recon_oracles import PREDICTORS, statsmodels_fit
from ridersurvey.reconstruction import unpublished as U


@pytest.fixture(scope="module")
def row(data):
    return U.evaluate(data)


def test_catalogue_is_complete(row):
    names = [s.name for s in U.CATALOGUE]
    assert len(names) == len(set(names))
    assert set(names) <= set(row)
    assert {f"se_{t}" for t in ("const", *PREDICTORS)} <= set(names)
    assert len([n for n in names if n.startswith("corr_")]) == 36
    assert len([n for n in names if n.startswith("n_")]) == 2 * (2 + 2 + 3 + 2 + 5 + 5 + 2 + 5 + 5)
    # every statistic is bounded by a search of its own or of a statistic it is a monotone function of
    assert set(s.objective for s in U.CATALOGUE) == set(U.objectives())


def test_fit_statistics(data, row):
    res = statsmodels_fit(data)
    for t in ("const", *PREDICTORS):
        assert row[f"se_{t}"] == pytest.approx(res.bse[t])
        assert row[f"z_{t}"] == pytest.approx(res.params[t] / res.bse[t])
    assert row["minus2ll"] == pytest.approx(-2 * res.llf)
    assert row["lr_chi2"] == pytest.approx(2 * (res.llf - res.llnull))
    assert row["mcfadden_r2"] == pytest.approx(res.prsquared)


def test_correlations_and_cells(data, row):
    for a, b in itertools.combinations(PREDICTORS, 2):
        assert row[U.pair_name(a, b)] == pytest.approx(np.corrcoef(data[a], data[b])[0, 1])
    assert row[U.cell_name("health", 3, 1)] == ((data["health"] == 3) & (data["unwilling"] == 1)).sum()
    assert row[U.cell_name("gender", 2, 0)] == ((data["gender"] == 2) & (data["unwilling"] == 0)).sum()


def test_mechanism_tests(data, row):
    for var in U.MECHANISM_ITEMS:
        table = np.array([[((data[var] == c) & (data["unwilling"] == y)).sum() for y in (0, 1)] for c in range(1, 6)])
        expected = np.outer(table.sum(1), table.sum(0)) / table.sum()
        chi2 = ((table - expected) ** 2 / expected).sum()
        assert row[f"chi2_p_{var}"] == pytest.approx(stats.chi2.sf(chi2, 4))
        others = [v for v in PREDICTORS if v != var]
        dummies = np.column_stack([(data[var] == c).astype(float) for c in range(2, 6)])
        base = sm.add_constant(data[others].astype(float).to_numpy())
        full = sm.Logit(data["unwilling"], np.column_stack([base, dummies])).fit(disp=0)
        restricted = sm.Logit(data["unwilling"], base).fit(disp=0)
        assert row[f"joint_p_{var}"] == pytest.approx(stats.chi2.sf(2 * (full.llf - restricted.llf), 4), rel=1e-6)


def test_firth_and_coding(data, row):
    from ridersurvey.model.codings import coding_lr_test
    from ridersurvey.model.firth import fit_firth

    model = fit_firth(data, profile_ci=False)
    for i, v in enumerate(PREDICTORS):
        assert row[f"firth_p_{v}"] == pytest.approx(model.lrt_pvalues_[i], rel=1e-6)
    assert row["coding_lr_p"] == pytest.approx(coding_lr_test(data)["p"])
    assert U.objective_value(data, "firth_p_health") == pytest.approx(row["firth_p_health"], rel=1e-6)
    assert U.objective_value(data, "ll") == pytest.approx(-row["minus2ll"] / 2)
