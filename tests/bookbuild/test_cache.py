"""Dependency-aware re-execution (``bookbuild.cache``): never stale, never redundant.

The book executes chapters inline (``nb_execution_mode: inline``): a chapter runs when Sphinx reads it, so
what re-executes is what Sphinx re-reads. Nothing changed: nothing runs. A data file changed: exactly the
chapters that declare it run. A chapter's text changed: that chapter runs, alone. ``lib/`` changed: all run.

The build tests run ``jupyter-book build`` on a temporary copy of the project (its own ``_config.yml``,
``lib/`` and ``data/``; ``PYTHONPATH`` and ``RIDERSURVEY_DATA`` point at the copy) with a small table of
contents of probe chapters, so they exercise the real configuration without depending on the state of
the chapters being written.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bookbuild import cache as bookcache
from conftest import ROOT, jupyter_book_build

IGNORE = shutil.ignore_patterns(
    "_build", ".git", ".venv", ".pytest_cache", "__pycache__", "*.egg-info", ".ipynb_checkpoints"
)

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
{extra}---
"""

PROBES = {
    "probe_ledger": (
        "ridersurvey:\n  depends: [data/published/ledger.csv]\n",
        "# Ledger probe\n\nShows one published figure.\n\n"
        "```{code-cell} ipython3\nfrom ridersurvey.data.ledger import value\n"
        "providers = int(value('s1.providers'))\nprint('providers', providers)\n```\n\n"
        "The ledger counts {eval}`providers` providers.\n",
    ),
    "probe_survey": (
        "ridersurvey:\n  depends: data/riders_survey.csv\n",
        "# Survey probe\n\nShows the first respondent.\n\n"
        "```{code-cell} ipython3\nimport pandas as pd\nfrom ridersurvey.data.paths import DATA_DIR\n"
        "print(pd.read_csv(DATA_DIR / 'riders_survey.csv', comment='#').iloc[0].to_dict())\n```\n",
    ),
    "probe_default": (
        "",
        "# Default probe\n\nDeclares nothing, so depends on all of the data.\n\n"
        "```{code-cell} ipython3\nimport ridersurvey\nprint('default probe', 1 + 1)\n```\n",
    ),
}
EXECUTED = re.compile(r"chapters/(\w+)\.md: Executed notebook in")
CHANGED = re.compile(r"(\d+) added, (\d+) changed, \d+ removed")


# ---------------------------------------------------------------------------- pure functions


def test_declared_depends_reads_front_matter():
    text = HEADER.format(extra="ridersurvey:\n  depends: [data/a.csv, 'data/published/*']\n") + "# T\n"
    assert bookcache.declared_depends(text) == ["data/a.csv", "data/published/*"]
    assert bookcache.declared_depends(HEADER.format(extra="ridersurvey:\n  depends: data/b.csv\n")) == ["data/b.csv"]
    assert bookcache.declared_depends(HEADER.format(extra="ridersurvey:\n  depends: []\n")) == []
    assert bookcache.declared_depends(HEADER.format(extra="")) is None
    assert bookcache.declared_depends("# no front matter\n") is None


def test_manifest_hashes_content_not_mtime(tmp_path):
    import hashlib

    (tmp_path / "lib" / "pkg").mkdir(parents=True)
    (tmp_path / "lib" / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "lib" / "pkg" / "__pycache__").mkdir()
    (tmp_path / "lib" / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "data" / "published").mkdir(parents=True)
    (tmp_path / "data" / "published" / "ledger.csv").write_text("id,value\na,1\n")
    (tmp_path / "data" / "survey.csv").write_text("r\n1\n")
    patterns = ["lib/**/*.py", "data/published"]
    manifest, unmatched = bookcache.dependency_manifest(patterns + ["data/missing*.csv"], tmp_path)
    assert unmatched == ["data/missing*.csv"]
    assert manifest == {
        "data/published/ledger.csv": hashlib.sha256(b"id,value\na,1\n").hexdigest(),
        "lib/pkg/a.py": hashlib.sha256(b"x = 1\n").hexdigest(),
    }
    os.utime(tmp_path / "lib" / "pkg" / "a.py", (1, 1))
    assert bookcache.dependency_manifest(patterns, tmp_path)[0] == manifest
    (tmp_path / "data" / "published" / "ledger.csv").write_text("id,value\na,2\n")
    assert bookcache.dependency_manifest(patterns, tmp_path)[0] != manifest


def test_data_patterns_follow_ridersurvey_data(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "riders_survey.csv").write_text("r\n1\n")
    manifest, unmatched = bookcache.dependency_manifest(["data/riders_survey.csv"], tmp_path, elsewhere)
    assert unmatched == [] and list(manifest) == ["data/riders_survey.csv"]


# ---------------------------------------------------------------------------- real builds


def _build(project: Path) -> tuple[set[str], int]:
    """Build the copy; return (executed chapters, number of docs re-read)."""
    env = dict(os.environ, PYTHONPATH=str(project / "lib"), RIDERSURVEY_DATA=str(project / "data"))
    proc = jupyter_book_build(project, env=env)
    log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    assert proc.returncode == 0, "\n".join(log.splitlines()[-60:])
    reread = CHANGED.search(log)
    assert reread, log
    return set(EXECUTED.findall(log)), int(reread[1]) + int(reread[2])


def _html(project: Path, name: str) -> str:
    """The page's HTML with its tags removed (an ``{eval}`` value is wrapped in a span)."""
    page = (project / "_build" / "html" / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", page)


@pytest.fixture(scope="module")
def probe_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("cache") / "book"
    shutil.copytree(ROOT, project, ignore=IGNORE)
    (project / "chapters" / "probe_root.md").write_text("# Probe root\n\nA plain Markdown page.\n")
    for name, (extra, body) in PROBES.items():
        (project / "chapters" / f"{name}.md").write_text(HEADER.format(extra=extra) + "\n" + body)
    (project / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/probe_root\nchapters:\n"
        + "".join(f"  - file: chapters/{name}\n" for name in PROBES)
    )
    return project


@pytest.mark.book
def test_rebuilds_execute_exactly_the_dependent_chapters(probe_project):
    project = probe_project
    notebooks = {"probe_ledger", "probe_survey", "probe_default"}
    ledger = project / "data" / "published" / "ledger.csv"

    config = yaml.safe_load((project / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "inline"

    executed, reread = _build(project)
    assert executed == notebooks
    assert "providers 8400" in _html(project, "probe_ledger")
    assert "counts 8400 providers" in _html(project, "probe_ledger")

    executed, reread = _build(project)
    assert executed == set() and reread == 0

    text = ledger.read_text(encoding="utf-8")
    assert text.count(",headline,8400,") == 1
    ledger.write_text(text.replace(",headline,8400,", ",headline,8417,"), encoding="utf-8")
    executed, _ = _build(project)
    assert executed == {"probe_ledger", "probe_default"}
    assert "counts 8417 providers" in _html(project, "probe_ledger")

    survey = project / "chapters" / "probe_survey.md"
    survey.write_text(survey.read_text().replace("Shows the first", "Prints the first"))
    os.utime(project / "data" / "riders_survey.csv")
    executed, reread = _build(project)
    assert executed == {"probe_survey"} and reread == 1
    assert "Prints the first respondent" in _html(project, "probe_survey")

    published = project / "lib" / "ridersurvey" / "data" / "ledger.py"
    published.write_text(published.read_text() + "\n\nPROBE_EDIT = True\n")
    executed, _ = _build(project)
    assert executed == notebooks
