"""ARCHITECTURE.md's recipe "Add a predictor", done in a scratch copy of ``data/``.

The copy's codebook gains a tenth predictor under ``added`` and its analysis file the predictor's column (a
variable derived from two answers); the library is not touched. A fresh interpreter pointed at the copy
(``RIDERSURVEY_DATA``) fits the book's model and refits it through the results chapter's functions. The
paper's comparisons (Tables 1 to 3, the audit's verdicts, Table 3 read alone) must come out exactly as they
do from the committed data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ridersurvey.audit.ledger_audit import run_audit
from ridersurvey.data.csvnotes import notes_text, read_data_csv, split_notes
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.model.logit import ModelSpec, fit_logit, load_analysis_data
from ridersurvey.presentation.chapters import results as chapter
from ridersurvey.presentation.tables import table1_comparison, table2_comparison, table3_comparison

TENTH = "urban_married"
TENTH_VARIABLE = {
    "name": TENTH,
    "role": "predictor",
    "scale": "score",
    "question_zh": "城镇户籍且已婚（由户籍和婚姻状况派生）",
    "question_en": "Urban hukou and married (derived from hukou and marital status)",
    "label_en": "Urban and married",
    "options": [{"code": 1, "zh": "否", "en": "No"}, {"code": 2, "zh": "是", "en": "Yes"}],
}


def published(data, audit) -> dict:
    """The paper's comparisons: Tables 1 to 3 beside the print, the audit's verdicts, Table 3 read alone."""
    return {
        "table1": table1_comparison(data).to_csv(),
        "table2": table2_comparison(data).to_csv(),
        "table3": table3_comparison(fit_logit(data)).to_csv(),
        "verdicts": audit.set_index("id")["verdict"].astype(str).to_dict(),
        "table3_alone": repr(chapter.printed_results()),
    }


def tables_of(data) -> dict:
    """The book's model and the model without the tenth predictor, through the results chapter's functions."""
    fit = ModelSpec.from_codebook().fit(data)
    without = ModelSpec.from_codebook().drop(TENTH).fit(data)
    audit = run_audit(data)
    return {
        "published": published(data, audit),
        "predictors": list(fit.spec.predictors),
        "refit": chapter.refit_table(fit, audit, "c", "tbl-x").body.to_dict("records"),
        "fit": chapter.fit_table(fit, "c", "tbl-x").body.to_dict("records"),
        "vif_ame": chapter.vif_ame_table(fit, "c", "tbl-x").body.to_dict("records"),
        "lr_df": chapter.fit_results(fit).lr_df,
        "refit_without": chapter.refit_table(without, audit, "c", "tbl-x").body.to_dict("records"),
        "fit_without": chapter.fit_table(without, "c", "tbl-x").body.to_dict("records"),
    }


# Run in a fresh interpreter whose ridersurvey reads the scratch copy.
SCRATCH = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_recipe_add_predictor import tables_of
from ridersurvey.model.logit import load_analysis_data
print(json.dumps(tables_of(load_analysis_data())))
"""


def _add_tenth_predictor(data_dir):
    """The recipe: the codebook entry and the data column (the chapter text is the recipe's third step)."""
    codebook = data_dir / "codebook.yaml"
    raw = yaml.safe_load(codebook.read_text(encoding="utf-8"))
    raw["added"] = [*(raw.get("added") or []), TENTH_VARIABLE]
    codebook.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    survey = data_dir / "riders_survey.csv"
    notes, _ = split_notes(survey.read_text(encoding="utf-8"))
    frame = read_data_csv(survey)
    frame[TENTH] = 1 + ((frame["hukou"] == 2) & (frame["marital_status"] == 2)).astype(int)
    with open(survey, "w", encoding="utf-8", newline="") as fh:
        fh.write(notes_text(notes))
        frame.to_csv(fh, index=False)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("recipe") / "data"
    shutil.copytree(DATA_DIR, data_dir)
    _add_tenth_predictor(data_dir)
    env = {**os.environ, "RIDERSURVEY_DATA": str(data_dir)}
    proc = subprocess.run([sys.executable, "-c", SCRATCH], capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


def test_the_published_comparisons_are_unchanged(scratch):
    data = load_analysis_data()
    committed = json.loads(json.dumps(published(data, run_audit(data))))
    assert scratch["published"] == committed


def test_the_tenth_predictor_enters_the_books_model_last(scratch):
    assert scratch["predictors"] == [*ModelSpec.paper().predictors, TENTH]


def test_the_refit_table_shows_the_tenth_predictor_without_paper_numbers(scratch):
    rows = {row["Predictor"]: row for row in scratch["refit"]}
    assert len(rows) == 10
    tenth = rows[TENTH_VARIABLE["label_en"]]
    assert tenth["B (paper)"] == tenth["p (paper)"] == tenth["Audit: B"] == tenth["Audit: p"] == ""
    assert all(row["B (paper)"] for label, row in rows.items() if label != TENTH_VARIABLE["label_en"])


def test_the_fit_table_counts_ten_degrees_of_freedom_and_drops_the_ranges(scratch):
    assert scratch["lr_df"] == "10"
    assert {row["Statistic"] for row in scratch["fit"]} >= {"Likelihood-ratio χ² (10 df)"}
    assert all(set(row) == {"Statistic", "This reconstruction"} for row in scratch["fit"])
    assert all("envelope" not in key.lower() for key in scratch["vif_ame"][0])


def test_dropping_the_tenth_predictor_gives_back_the_papers_tables(scratch):
    """Without the tenth predictor the scratch model is the paper's: its tables, ranges included, are those
    of the committed data."""
    data = load_analysis_data()
    paper = fit_logit(data)
    refit = chapter.refit_table(paper, run_audit(data), "c", "tbl-x").body.to_dict("records")
    fit = chapter.fit_table(paper, "c", "tbl-x").body.to_dict("records")
    assert scratch["refit_without"] == json.loads(json.dumps(refit))
    assert scratch["fit_without"] == json.loads(json.dumps(fit))
    assert "Envelope (at least this wide)" in fit[0]
