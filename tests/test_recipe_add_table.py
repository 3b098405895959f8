"""ARCHITECTURE.md's recipe "Add a table to a chapter", done in a scratch copy of ``lib/ridersurvey``.

The copy's results-chapter module gains a table function; a scratch chapter calls it in a visible code cell
with its caption and label and refers to it with ``{numref}``. jupytext reads the chapter and nbclient
executes it with the copy first on the kernel's path, as a reader's JupyterLab would. The cell's outputs are
the numbered MyST table the book shows (``text/markdown``) and the captioned HTML table of JupyterLab, with
the numbers of an independent fit.
"""

from __future__ import annotations

import html
import shutil
import textwrap
from pathlib import Path

import jupytext
import numpy as np
import pytest

from oracles import newton_raphson
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.model.logit import ModelSpec, load_analysis_data

pytestmark = pytest.mark.book

LIB = Path(__file__).resolve().parents[1] / "lib" / "ridersurvey"
CAPTION = "Odds ratios of the paper's model on the book's reconstruction, one per predictor."
LABEL = "tbl-scratch-odds"

# Step 1: the function, in the chapter's module, returning a report.Table from a TableSpec.
FUNCTION = '''

def odds_ratio_table(fit, caption: str, name: str) -> r.Table:
    """Odds ratio of each slope of ``fit``."""
    frame = fit.coefficients().drop(index="const")
    frame["label"] = _labels(frame.index)
    spec = r.TableSpec([r.Column("label", "Predictor"), r.Column("odds_ratio", "Odds ratio", ".2f")])
    return spec.table(frame, caption, name)
'''

# Step 2: the visible call in the chapter, with its caption and label, and a reference to it.
CHAPTER = f"""\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
ridersurvey:
  depends: [data/codebook.yaml, data/riders_survey.csv]
---

# Scratch

```{{code-cell}} ipython3
:tags: [hide-input]

from ridersurvey.presentation.chapters import results as chapter
from ridersurvey.model.logit import ModelSpec, load_analysis_data

fit = ModelSpec.from_codebook().fit(load_analysis_data())
```

{{numref}}`{LABEL}` gives the odds ratios.

```{{code-cell}} ipython3
chapter.odds_ratio_table(
    fit,
    caption="{CAPTION}",
    name="{LABEL}",
)
```
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    from nbclient import NotebookClient

    root = tmp_path_factory.mktemp("recipe_table")
    shutil.copytree(LIB, root / "lib" / "ridersurvey", ignore=shutil.ignore_patterns("__pycache__"))
    module = root / "lib" / "ridersurvey" / "presentation" / "chapters" / "results.py"
    module.write_text(module.read_text(encoding="utf-8") + textwrap.dedent(FUNCTION), encoding="utf-8")
    chapter = root / "chapters" / "scratch.md"
    chapter.parent.mkdir()
    chapter.write_text(CHAPTER, encoding="utf-8")
    notebook = jupytext.read(chapter)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", str(root / "lib"))
        mp.setenv("RIDERSURVEY_DATA", str(DATA_DIR))
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(chapter.parent)}}
        ).execute()
    return notebook


def _table_output(notebook) -> dict:
    cell = next(c for c in notebook.cells if c.cell_type == "code" and "odds_ratio_table" in c.source)
    (output,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    return output["data"]


def test_the_new_table_is_a_numbered_myst_table_with_its_caption(executed):
    markdown = _table_output(executed)["text/markdown"]
    assert markdown.startswith(f":::{{table}} {CAPTION}\n:name: {LABEL}\n")
    assert markdown.rstrip().endswith(":::")


def test_the_new_table_shows_the_caption_in_jupyterlab(executed):
    assert f"<caption>{html.escape(CAPTION)}</caption>" in _table_output(executed)["text/html"]


def test_the_new_tables_numbers_are_those_of_an_independent_fit(executed):
    data = load_analysis_data()
    predictors = list(ModelSpec.from_codebook().predictors)
    x = np.column_stack([np.ones(len(data)), data[predictors].to_numpy(float)])
    beta, _, _ = newton_raphson(x, data["unwilling"].to_numpy(float))
    markdown = _table_output(executed)["text/markdown"]
    rows = [line.strip("|").split("|") for line in markdown.splitlines() if line.startswith("|")][2:]
    assert [float(cell.strip()) for _, cell in rows] == [round(float(b), 2) for b in np.exp(beta[1:])]
