"""bookbuild.lab: JupyterLab's contents manager shows a chapter's references as the book's text and its
table numbers, and writes an unedited chapter back byte for byte."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from bookbuild.lab import KEY, NUMBERS_TAG, REFERENCES, ChapterContentsManager
from conftest import ROOT

NOTEBOOKS = sorted(p.name for p in (ROOT / "chapters").glob("*.md") if p.read_text(encoding="utf-8").startswith("---"))
#: What a build records, for two labels and a chapter title (the rest stays as written).
RECORD = {
    "numref": {
        "tbl-results-refit": {"text": "Table 5.2", "number": "5.2"},
        "tbl-audit-table3-alone": {"text": "Table 8.3", "number": "8.3"},
    },
    "doc": {"chapters/audit": "Reproduction audit"},
}


@pytest.fixture
def manager(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / REFERENCES).parent.mkdir()
    (tmp_path / REFERENCES).write_text(json.dumps(RECORD), encoding="utf-8")
    shutil.copy(ROOT / "references.bib", tmp_path)
    for name in [*NOTEBOOKS, "jupytext.toml"]:
        shutil.copy(ROOT / "chapters" / name, tmp_path / "chapters" / name)
    return ChapterContentsManager(root_dir=str(tmp_path / "chapters"))


def _as_sent(model: dict) -> dict:
    """The model as JupyterLab sends it back: JSON."""
    return {"type": "notebook", "format": "json", "content": json.loads(json.dumps(model["content"]))}


def test_a_chapter_shows_the_books_numbers_and_citations_and_keeps_its_eval_roles(manager):
    model = asyncio.run(manager.get("results.md", content=True, type="notebook"))
    cells = model["content"].cells
    assert NUMBERS_TAG in cells[0].metadata["tags"] and "'tbl-results-refit': 'Table 5.2'" in cells[0].source
    text = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    assert "{numref}" not in text and "{cite" not in text
    assert "Table 8.3" in text and "Table 5.2 sets the refit" in text and "(Wu, 2023)" in text
    assert "{eval}`printed.n_standing`" in text
    assert all(KEY in cell.metadata for cell in cells if cell.cell_type == "markdown" and "Table 8.3" in cell.source)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_saving_an_unedited_chapter_writes_the_same_bytes(manager, name):
    model = asyncio.run(manager.get(name, content=True, type="notebook"))
    asyncio.run(manager.save(_as_sent(model), name))
    saved = (Path(manager.root_dir) / name).read_bytes()
    assert saved == (ROOT / "chapters" / name).read_bytes(), f"saving the unedited {name} changed it"


def test_saving_after_a_run_drops_what_the_run_added(manager):
    """JupyterLab's Run All gives the notebook the kernel's own description and jupyterlab-myst's evaluated
    ``{eval}`` results; neither is the chapter's."""
    model = _as_sent(asyncio.run(manager.get("results.md", content=True, type="notebook")))
    model["content"]["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)"}
    for cell in model["content"]["cells"]:
        if cell["cell_type"] == "markdown":
            cell["metadata"]["user_expressions"] = [{"expression": "x", "result": {"status": "ok"}}]
    asyncio.run(manager.save(model, "results.md"))
    assert (Path(manager.root_dir) / "results.md").read_bytes() == (ROOT / "chapters" / "results.md").read_bytes()


def test_an_edited_cell_keeps_its_edit(manager):
    model = _as_sent(asyncio.run(manager.get("results.md", content=True, type="notebook")))
    cell = next(c for c in model["content"]["cells"] if "Table 5.2 sets the refit" in "".join(c["source"]))
    cell["source"] = "".join(cell["source"]).replace("sets the refit", "shows the refit")
    asyncio.run(manager.save(model, "results.md"))
    saved = (Path(manager.root_dir) / "results.md").read_text(encoding="utf-8")
    assert "Table 5.2 shows the refit" in saved and NUMBERS_TAG not in saved and KEY not in saved
