"""The results chapter's results objects and tables, checked against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ridersurvey.audit.ledger_audit import run_audit
from ridersurvey.data.codebook import Scale
from ridersurvey.model.logit import ModelSpec, SpecError, fit_logit, load_analysis_data
from ridersurvey.presentation.chapters import results as chapter


@pytest.fixture(scope="module")
def fit():
    return fit_logit(load_analysis_data())


def test_printed_results_read_table3_alone():
    f = chapter.printed_results()
    assert (f.n_terms, f.n_standing, f.n_pairs, f.n_paper_significant) == ("nine", "seven", "two", "five")
    assert f.significant_standing == "education, marital status and gender"
    assert f.pairs == "policy awareness and health"


def test_fit_and_classification_results(fit):
    n, y = len(fit.y), np.asarray(fit.y)
    f = chapter.fit_results(fit)
    ll, ll0 = fit.llf, fit.llnull
    assert f.mcfadden_r2 == f"{1 - ll / ll0:.3f}"
    assert f.cox_snell_r2 == f"{1 - math.exp(2 * (ll0 - ll) / n):.3f}"
    assert f.lr_p == "p < 0.001" and f.lr_df == "9"
    members = chapter.reconstructions()
    assert f.n_members == f"{len(members):,}"
    assert int(f.n_searches.replace(",", "")) + int(f.n_walks.replace(",", "")) == len(members)
    c = chapter.classification_results(fit)
    assert c.accuracy == f"{100 * np.mean((fit.fitted > 0.5) == (y == 1)):.1f}"
    assert c.baseline_accuracy == f"{100 * max(y.mean(), 1 - y.mean()):.0f}%"


def test_hosmer_lemeshow_and_sample_results(fit):
    hl = chapter.hosmer_lemeshow_results(fit)
    sizes = fit.hosmer_lemeshow.table["n"]
    assert hl.sizes == (str(sizes.min()) if sizes.min() == sizes.max() else f"{sizes.min()}–{sizes.max()}")
    s = chapter.sample_results(fit)
    y = np.asarray(fit.y)
    assert s.n == "100" and s.epv == f"{min(y.sum(), len(y) - y.sum()) / 9:.1f}"


def test_collinearity_results_name_the_largest(fit):
    c = chapter.collinearity_results(fit)
    ame = fit.marginal_effects()["ame"]
    assert c.top_ame == f"{100 * ame.abs().max():.1f}"
    assert c.max_vif == f"{fit.vif.max():.2f}"


def test_refit_and_fit_tables(fit):
    refit = chapter.refit_table(fit, run_audit(), "A caption.", "tbl-results-refit")
    assert refit.caption == "A caption." and refit.name == "tbl-results-refit"
    assert set(refit.body["Audit: B"]) <= {"matched by construction", "inconsistent pair", "unverifiable"}
    body = chapter.fit_table(fit, "c", "tbl-results-fit").body.set_index("Statistic")
    assert body.loc["Correctly classified at 0.5 (%)", "This reconstruction"] == f"{fit.statistics['accuracy']:.1f}"
    members = chapter.reconstructions()
    lo, hi = members["auc"].min(), members["auc"].max()
    assert body.loc["Area under the ROC curve"].iloc[1] == f"[{lo:.3f}, {hi:.3f}]"


def test_envelope_range_formats_the_envelope():
    from ridersurvey.reconstruction.envelope import statistic_bounds

    lo, hi = statistic_bounds("auc")
    assert chapter.envelope_range("auc", 3) == f"[{lo:.3f}, {hi:.3f}]"
    assert chapter.envelope_range("hl_p", 3).startswith("[< 0.001")
    assert chapter.envelope_range("not_a_statistic", 3) == ""


def test_the_other_tables_render(fit):
    for make in (chapter.hosmer_lemeshow_table, chapter.classification_table, chapter.vif_ame_table):
        table = make(fit, "c", "tbl-results-x")
        assert table.name == "tbl-results-x" and len(table.body)
    frame = chapter.forest_frame()
    assert "health" not in frame.index and (frame["or_ci_low"] < frame["odds_ratio"]).all()


# --- refits of other models through the chapter's functions ---------------------------------------------


@pytest.fixture(scope="module")
def data():
    return load_analysis_data()


@pytest.fixture(scope="module")
def audit(data):
    return run_audit(data)


def _lr_label(body) -> str:
    return next(s for s in body["Statistic"] if s.startswith("Likelihood-ratio"))


def test_a_refit_without_hukou_shows_eight_predictors_eight_df_and_no_ranges(data, audit, fit):
    without = ModelSpec.from_codebook().drop("hukou").fit(data)
    refit = chapter.refit_table(without, audit, "c", "tbl-x").body.set_index("Predictor")
    assert "Hukou" not in refit.index and len(refit) == 8
    b = without.params["gender"]
    assert refit.loc["Gender", "B"] == f"{b:.3f}".replace("-", "−")
    assert (
        refit.loc["Gender", "B (paper)"]
        == chapter.refit_table(fit, audit, "c", "tbl-x").body.set_index("Predictor").loc["Gender", "B (paper)"]
    )
    body = chapter.fit_table(without, "c", "tbl-x").body
    assert _lr_label(body) == "Likelihood-ratio χ² (8 df)" and list(body.columns) == [
        "Statistic",
        "This reconstruction",
    ]
    facts = chapter.fit_results(without)
    assert facts.lr_df == "8" and facts.auc_range == facts.lr_chi2_range == ""
    assert chapter.hosmer_lemeshow_results(without).p_range == chapter.classification_results(without).auc_range == ""
    assert len(chapter.vif_ame_table(without, "c", "tbl-x").body.columns) == 5


def test_a_refit_with_a_tenth_term_leaves_its_paper_cells_empty(data, audit):
    wider_data = data.assign(gender_by_age=data["gender"] * data["age_group"])
    wider = ModelSpec.from_codebook().add("gender_by_age").fit(wider_data)
    refit = chapter.refit_table(wider, audit, "c", "tbl-x").body.set_index("Predictor")
    assert len(refit) == 10 and refit.index[-1] == "gender_by_age"
    assert (refit.loc["gender_by_age", ["B (paper)", "p (paper)", "Audit: B", "Audit: p"]] == "").all()
    assert (refit.drop(index="gender_by_age")["B (paper)"] != "").all()
    assert _lr_label(chapter.fit_table(wider, "c", "tbl-x").body) == "Likelihood-ratio χ² (10 df)"
    assert chapter.collinearity_results(wider).max_vif_var  # an unknown column is named by itself


def test_fit_table_takes_its_degrees_of_freedom_from_the_fit(data):
    """Health on categories: one slope per code above the lowest, so the df is not the number of predictors."""
    spec = ModelSpec.paper().with_scales({"health": Scale.CATEGORIES})
    fit = spec.fit(data)
    slopes = len(ModelSpec.paper().predictors) - 1 + data["health"].nunique() - 1
    body = chapter.fit_table(fit, "c", "tbl-x").body.set_index("Statistic")
    assert _lr_label(body.reset_index()) == f"Likelihood-ratio χ² ({slopes} df)"
    y = data["unwilling"].to_numpy(float)
    ll_null = float(np.sum(y * np.log(y.mean()) + (1 - y) * np.log(1 - y.mean())))
    assert body.loc[f"Likelihood-ratio χ² ({slopes} df)", "This reconstruction"] == f"{2 * (fit.llf - ll_null):.2f}"


def test_the_papers_model_keeps_its_ranges(fit):
    assert chapter.ranges_apply(fit)
    assert _lr_label(chapter.fit_table(fit, "c", "tbl-x").body) == f"Likelihood-ratio χ² ({len(fit.predictors)} df)"


@pytest.mark.parametrize(
    ("refit", "named"),
    [
        (lambda d: fit_logit(d.assign(willing=1 - d["unwilling"]), outcome="willing"), "willing"),
        (
            lambda d: ModelSpec("unwilling", ("gender_by_age",)).fit(
                d.assign(gender_by_age=d["gender"] * d["age_group"])
            ),
            "gender",
        ),
    ],
)
def test_a_refit_the_paper_cannot_be_set_beside_says_why_in_one_line(data, audit, refit, named):
    with pytest.raises(SpecError) as caught:
        chapter.refit_table(refit(data), audit, "c", "tbl-x")
    assert "\n" not in str(caught.value) and named in str(caught.value)
