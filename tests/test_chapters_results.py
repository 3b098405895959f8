"""The results chapter's tables and facts, checked against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ridersurvey.audit import run_audit
from ridersurvey.chapters import results as chapter
from ridersurvey.model import fit_logit, load_analysis_data


@pytest.fixture(scope="module")
def fit():
    return fit_logit(load_analysis_data())


def test_facts(fit):
    f = chapter.facts(fit)
    assert f.n == "100" and f.events == "51" and f.n_standing == "seven"
    assert f.significant_standing == "education, marital status and gender"
    assert f.accuracy == f"{100 * np.mean((fit.fitted > 0.5) == (fit.y == 1)):.1f}"
    assert f.lr_p == "p < 0.001"


def test_printed_table_uses_printed_numbers_only():
    body = chapter.printed_table().body.set_index("Predictor")
    assert body.loc["Health", "95% CI"] == "cannot stand"
    assert body.loc["Gender", "Odds ratio"] == f"{math.exp(1.166):.2f}"
    assert body.loc["Gender", "p"] == r"0.032\*"  # escaped for Markdown


def test_refit_and_fit_tables(fit):
    refit = chapter.refit_table(fit, run_audit()).body
    assert set(refit["Audit: B"]) <= {"matched by construction", "inconsistent pair", "unverifiable"}
    body = chapter.fit_table(fit).body.set_index("Statistic")
    assert body.loc["Correctly classified at 0.5 (%)", "This reconstruction"] == f"{fit.statistics['accuracy']:.1f}"
    members, _ = chapter.reconstructions()
    lo, hi = members["auc"].min(), members["auc"].max()
    assert body.loc["Area under the ROC curve"].iloc[1] == f"[{lo:.3f}, {hi:.3f}]"


def test_the_other_tables_render(fit):
    for table in (chapter.hosmer_lemeshow_table(fit), chapter.classification_table(fit), chapter.vif_ame_table(fit)):
        assert table.name.startswith("tbl-results-") and len(table.body)
    frame = chapter.forest_frame()
    assert "health" not in frame.index and (frame["or_ci_low"] < frame["odds_ratio"]).all()
