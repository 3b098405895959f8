"""The logit and its fit statistics, each checked against an independent computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import expit

from oracles import brute_force_auc, hl_by_hand, newton_raphson, one_step_changes
from ridersurvey.data.codebook import Scale, load_codebook
from ridersurvey.model import logit as model

PREDICTORS = load_codebook().predictors


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return model.load_analysis_data()


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    """400 riders with the codebook's code ranges and an outcome drawn from a known logit."""
    rng = np.random.default_rng(20231010)
    book = load_codebook()
    frame = pd.DataFrame({v: rng.choice(book[v].codes, size=400) for v in PREDICTORS})
    eta = -1.0 + 0.8 * frame["gender"] - 0.5 * frame["education"] + 0.3 * frame["health"]
    frame.insert(0, "unwilling", rng.binomial(1, expit(eta)))
    frame.insert(0, "respondent_id", np.arange(1, 401))
    return frame


@pytest.fixture(scope="module", params=["data", "synthetic"])
def frame(request, data, synthetic) -> pd.DataFrame:
    return data if request.param == "data" else synthetic


@pytest.fixture(scope="module")
def fitted(frame):
    return model.fit_logit(frame)


def design(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    x = np.column_stack([np.ones(len(frame)), frame[PREDICTORS].to_numpy(float)])
    return x, frame["unwilling"].to_numpy(float)


def test_load_analysis_data_has_the_codebook_columns_as_integers(data):
    assert list(data.columns) == load_codebook().columns
    assert all(pd.api.types.is_integer_dtype(t) for t in data.dtypes)
    raw = pd.read_csv(model.DATA_DIR / "riders_survey.csv", comment="#")
    assert len(data) == len(raw)


def test_fit_logit_matches_hand_written_newton_raphson(frame, fitted):
    x, y = design(frame)
    beta, cov, loglik = newton_raphson(x, y)
    assert list(fitted.params.index) == ["const", *PREDICTORS]
    np.testing.assert_allclose(fitted.params.to_numpy(), beta, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(fitted.bse.to_numpy(), np.sqrt(np.diag(cov)), rtol=1e-6)
    assert fitted.llf == pytest.approx(loglik, abs=1e-8)


def test_fit_logit_with_a_subset_of_predictors_and_another_order(synthetic):
    res = model.fit_logit(synthetic, predictors=["health", "gender"])
    x = np.column_stack([np.ones(len(synthetic)), synthetic[["health", "gender"]].to_numpy(float)])
    beta, _, _ = newton_raphson(x, synthetic["unwilling"].to_numpy(float))
    assert list(res.params.index) == ["const", "health", "gender"]
    np.testing.assert_allclose(res.params.to_numpy(), beta, rtol=1e-7)


def test_coefficient_table_wald_statistics_and_odds_ratio_limits(frame, fitted):
    x, y = design(frame)
    beta, cov, _ = newton_raphson(x, y)
    se = np.sqrt(np.diag(cov))
    table = fitted.coefficients()
    assert list(table.columns) == ["coef", "se", "z", "p", "odds_ratio", "or_ci_low", "or_ci_high"]
    np.testing.assert_allclose(table["z"], beta / se, rtol=1e-6)
    np.testing.assert_allclose(table["p"], fitted.pvalues, rtol=1e-8)
    limits = np.exp(fitted.conf_int(alpha=0.05).to_numpy())
    np.testing.assert_allclose(table[["or_ci_low", "or_ci_high"]].to_numpy(), limits, rtol=1e-9)
    np.testing.assert_allclose(table["odds_ratio"], np.exp(beta), rtol=1e-6)
    assert np.all(table["or_ci_low"] < table["odds_ratio"]) and np.all(table["odds_ratio"] < table["or_ci_high"])
    np.testing.assert_allclose(np.log(table["or_ci_high"] / table["odds_ratio"]), 1.959963984540054 * se, rtol=1e-6)


def test_fit_statistics_likelihoods_and_information_criteria(frame, fitted):
    x, y = design(frame)
    _, _, ll0 = newton_raphson(x[:, :1], y)
    s = fitted.statistics
    assert s["n"] == len(frame) and s["events"] == int(frame["unwilling"].sum())
    assert s["ll_null"] == pytest.approx(ll0, abs=1e-6)  # statsmodels fits the null model iteratively
    assert s["ll_null"] == pytest.approx(fitted.llnull, abs=1e-6)
    assert s["minus2ll"] == pytest.approx(-2 * fitted.llf)
    assert s["lr_chi2"] == pytest.approx(fitted.llr, abs=1e-6)
    assert s["lr_df"] == 9
    assert s["lr_p"] == pytest.approx(fitted.llr_pvalue, rel=1e-5)
    k, n = x.shape[1], len(y)
    assert s["aic"] == pytest.approx(fitted.aic)
    assert s["bic"] == pytest.approx(-2 * fitted.llf + k * np.log(n))
    for key, value in s.items():
        assert type(value) in (int, float), key


def test_pseudo_r2_from_direct_likelihood_formulas(frame, fitted):
    s = fitted.statistics
    n = s["n"]
    lik, lik0 = np.exp(s["ll_model"]), np.exp(s["ll_null"])
    assert s["mcfadden_r2"] == pytest.approx(fitted.prsquared, rel=1e-8)
    assert s["mcfadden_r2"] == pytest.approx(1 - np.log(lik) / np.log(lik0))
    cox_snell = 1 - (lik0 / lik) ** (2 / n)
    assert s["cox_snell_r2"] == pytest.approx(cox_snell, rel=1e-9)
    assert s["nagelkerke_r2"] == pytest.approx(cox_snell / (1 - lik0 ** (2 / n)), rel=1e-9)
    assert 0 <= s["cox_snell_r2"] <= s["nagelkerke_r2"] <= 1


def test_pseudo_r2_textbook_values():
    """ll = −50, ll0 = −69.3147 (a 50/50 sample of 100): McFadden 0.2787, Cox–Snell 0.3199, Nagelkerke 0.4265."""
    r2 = model.pseudo_r2(-50.0, 100 * np.log(0.5), 100)
    assert r2["mcfadden_r2"] == pytest.approx(0.278652, abs=1e-6)
    assert r2["cox_snell_r2"] == pytest.approx(1 - np.exp(-2 * 19.314718 / 100), abs=1e-6)
    assert r2["nagelkerke_r2"] == pytest.approx(r2["cox_snell_r2"] / 0.75, abs=1e-9)


def test_hosmer_lemeshow_without_ties_is_ten_equal_deciles():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.05, 0.95, 100)
    y = rng.binomial(1, p).astype(float)
    hl = model.hosmer_lemeshow(y, p)
    chi2, sizes = hl_by_hand(y, p, 10)
    assert hl.chi2 == pytest.approx(chi2, rel=1e-10)
    assert hl.df == 8
    assert hl.p == pytest.approx(stats.chi2.sf(chi2, 8))
    assert hl.table["n"].tolist() == sizes == [10] * 10
    assert hl.table["observed_1"].sum() == y.sum()
    assert hl.table["expected_1"].sum() == pytest.approx(p.sum())


def test_hosmer_lemeshow_keeps_tied_probabilities_together():
    # 100 cases: 8 singletons, then a block of 5 ties straddling the first cut point (cases 9-13), then singletons.
    p = np.r_[np.linspace(0.10, 0.17, 8), np.full(5, 0.20), np.linspace(0.21, 0.90, 87)]
    y = (np.arange(100) % 3 == 0).astype(float)
    hl = model.hosmer_lemeshow(y[::-1], p[::-1])
    table = hl.table
    assert table["n"].iloc[0] == 8
    assert table["n"].iloc[1] == 12
    assert table["p_min"].iloc[1] == pytest.approx(0.20)
    assert table["n"].sum() == 100 and len(table) == 10
    assert (table["p_max"].iloc[:-1].to_numpy() < table["p_min"].iloc[1:].to_numpy()).all()


def test_hosmer_lemeshow_with_few_covariate_patterns_has_fewer_groups():
    p = np.repeat([0.2, 0.4, 0.6, 0.8], [30, 30, 20, 20])
    y = np.r_[np.zeros(24), np.ones(6), np.zeros(18), np.ones(12), np.zeros(8), np.ones(12), np.zeros(4), np.ones(16)]
    hl = model.hosmer_lemeshow(y, p)
    assert len(hl.table) == 4 and hl.df == 2
    assert hl.chi2 == pytest.approx(0.0, abs=1e-12)
    assert hl.table["n"].tolist() == [30, 30, 20, 20]


def test_classification_table_matches_crosstab(frame, fitted):
    y = frame["unwilling"].to_numpy()
    p = np.asarray(fitted.predict())
    table = model.classification_counts(y, p)
    expected = pd.crosstab(y, (p > 0.5).astype(int)).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
    np.testing.assert_array_equal(table[[0, 1]].to_numpy(), expected.to_numpy())
    s = fitted.statistics
    assert s["accuracy"] == pytest.approx(100 * np.mean((p > 0.5) == y))
    assert s["sensitivity"] == pytest.approx(100 * np.mean(p[y == 1] > 0.5))
    assert s["specificity"] == pytest.approx(100 * np.mean(p[y == 0] <= 0.5))


def test_classification_cutoff_is_strict():
    table = model.classification_counts([0, 1, 1], [0.5, 0.5, 0.51])
    assert table.loc[1, 0] == 1 and table.loc[1, 1] == 1 and table.loc[0, 0] == 1


@pytest.mark.parametrize("decimals", [None, 1])
def test_auc_is_the_mann_whitney_probability_with_half_counted_ties(decimals):
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 120)
    p = np.clip(0.3 * y + rng.uniform(0, 0.7, 120), 0, 1)
    if decimals is not None:
        p = np.round(p, decimals)
    value = model.auc(y, p)
    u = stats.mannwhitneyu(p[y == 1], p[y == 0], alternative="two-sided").statistic
    assert value == pytest.approx(u / (y.sum() * (1 - y).sum()), rel=1e-12)
    assert value == pytest.approx(brute_force_auc(y, p), rel=1e-12)


def test_roc_curve_runs_from_origin_to_corner_and_its_area_is_the_auc(frame, fitted):
    y = frame["unwilling"].to_numpy()
    p = np.asarray(fitted.predict())
    curve = model.roc_curve(y, p)
    assert (curve.iloc[0][["fpr", "tpr"]] == 0).all() and (curve.iloc[-1][["fpr", "tpr"]] == 1).all()
    assert curve["fpr"].is_monotonic_increasing and curve["tpr"].is_monotonic_increasing
    t = curve["threshold"].iloc[5]
    assert curve["tpr"].iloc[5] == pytest.approx(np.mean(p[y == 1] >= t))
    area = float(np.sum(np.diff(curve["fpr"]) * (curve["tpr"].to_numpy()[1:] + curve["tpr"].to_numpy()[:-1]) / 2))
    assert area == pytest.approx(model.auc(y, p), rel=1e-12)
    assert fitted.statistics["auc"] == pytest.approx(brute_force_auc(y, p))


def test_vif_is_car_vif_for_a_glm_by_determinants(frame, fitted):
    """car::vif: det(R_jj) det(R_-j,-j) / det(R), R the correlation matrix of the slopes' covariance."""
    x, y = design(frame)
    _, cov, _ = newton_raphson(x, y)
    cov = cov[1:, 1:]
    sd = np.sqrt(np.diag(cov))
    r = cov / np.outer(sd, sd)
    for j, name in enumerate(PREDICTORS):
        rest = np.delete(np.delete(r, j, axis=0), j, axis=1)
        assert fitted.vif[name] == pytest.approx(np.linalg.det(rest) / np.linalg.det(r), rel=1e-6)
    assert (fitted.vif >= 1 - 1e-12).all()


def test_marginal_effects_stay_within_the_codes_with_delta_method_errors(frame, fitted):
    x, y = design(frame)
    beta, cov, _ = newton_raphson(x, y)
    ame = fitted.marginal_effects()
    assert list(ame.columns) == ["ame", "se", "z", "p", "ci_low", "ci_high", "riders"]
    np.testing.assert_allclose(ame["ame"], one_step_changes(x, beta), rtol=1e-6, atol=1e-10)
    h = 1e-6
    jac = np.column_stack(
        [(one_step_changes(x, beta + h * e) - one_step_changes(x, beta - h * e)) / (2 * h) for e in np.eye(len(beta))]
    )
    np.testing.assert_allclose(ame["se"], np.sqrt(np.diag(jac @ cov @ jac.T)), rtol=1e-4)
    assert ame.loc["gender", "riders"] == len(frame)
    assert ame.loc["education", "riders"] == int((frame["education"] < frame["education"].max()).sum())


def test_summary_row_agrees_with_the_detailed_results(fitted):
    row = fitted.summary_row()
    table = fitted.coefficients()
    ame = fitted.marginal_effects()
    for term in ["const", *PREDICTORS]:
        assert row[f"coef_{term}"] == pytest.approx(table.loc[term, "coef"], rel=1e-12)
        assert row[f"se_{term}"] == pytest.approx(table.loc[term, "se"], rel=1e-12)
        assert row[f"p_{term}"] == pytest.approx(table.loc[term, "p"], rel=1e-10)
    for var in PREDICTORS:
        assert row[f"ame_{var}"] == pytest.approx(ame.loc[var, "ame"], rel=1e-12)
    for key in model.SUMMARY_STATISTICS:
        assert row[key] == pytest.approx(fitted.statistics[key], rel=1e-12)
    assert all(type(v) is float for v in row.values())
    assert len(row) == 3 * 10 + len(model.SUMMARY_STATISTICS) + 9


def test_results_object_delegates_to_statsmodels(fitted):
    assert fitted.llf == fitted.results.llf and fitted.params.equals(fitted.results.params)
    assert fitted.n == fitted.results.nobs and fitted.predictors == PREDICTORS
    with pytest.raises(AttributeError):
        fitted.no_such_attribute  # noqa: B018


# --- the model specification ----------------------------------------------------------------------------


def test_the_papers_spec_is_the_questionnaires_predictors_as_scores():
    spec = model.ModelSpec.paper()
    assert spec.outcome == "unwilling" and spec.predictors == tuple(PREDICTORS)
    assert set(spec.scales.values()) == {Scale.SCORE}
    assert model.ModelSpec.from_codebook() == spec  # the committed codebook adds no predictor


def test_dropping_and_adding_predictors_refits_that_model(synthetic):
    spec = model.ModelSpec.paper()
    without = spec.drop("hukou")
    assert without.predictors == tuple(v for v in PREDICTORS if v != "hukou")
    fit = without.fit(synthetic)
    x = np.column_stack([np.ones(len(synthetic)), synthetic[list(without.predictors)].to_numpy(float)])
    beta, _, _ = newton_raphson(x, synthetic["unwilling"].to_numpy(float))
    np.testing.assert_allclose(fit.params.to_numpy(), beta, atol=1e-8)
    assert fit.spec == without and int(fit.df_model) == len(PREDICTORS) - 1
    wider = spec.add("gender_by_age").fit(synthetic.assign(gender_by_age=synthetic["gender"] * synthetic["age_group"]))
    assert list(wider.params.index)[-1] == "gender_by_age" and int(wider.df_model) == len(PREDICTORS) + 1


def test_a_predictor_on_categories_enters_as_one_indicator_per_code_above_the_lowest(synthetic):
    spec = model.ModelSpec("unwilling", ("gender", "health"), {"health": Scale.CATEGORIES})
    design = spec.design(synthetic)
    codes = sorted(synthetic["health"].unique())
    assert list(design.columns) == ["const", "gender", *(f"health[{c}]" for c in codes[1:])]
    for c in codes[1:]:
        np.testing.assert_array_equal(design[f"health[{c}]"], (synthetic["health"] == c).astype(float))


@pytest.mark.parametrize(
    ("make", "names"),
    [
        (lambda s: s.drop("income"), ["income"]),
        (lambda s: s.add("income").design(pd.DataFrame({v: [1] for v in s.predictors})), ["income"]),
        (lambda s: model.ModelSpec("unwilling", ("gender", "gender")), ["gender"]),
    ],
)
def test_a_model_that_cannot_be_fitted_says_why_in_one_line(make, names):
    with pytest.raises(model.SpecError) as caught:
        make(model.ModelSpec.paper())
    message = str(caught.value)
    assert "\n" not in message and all(n in message for n in names)
