"""The whole book builds from an empty cache with warnings as errors, and a failing chapter fails it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, jupyter_book_build

pytestmark = pytest.mark.book

#: Words that mark unfinished text (spelled in pieces so this file is not itself flagged by a grep).
UNFINISHED = re.compile("TODO|FIXME|Lorem ipsum")


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [c["file"] for c in part["chapters"]]
    return files


def test_every_chapter_page_exists(built_book: Path):
    missing = [f for f in toc_files() if not (built_book / f"{f}.html").is_file()]
    assert not missing, f"pages missing from the build: {missing}"


def test_every_chapter_is_an_executable_myst_notebook():
    for f in toc_files():
        text = (ROOT / f"{f}.md").read_text(encoding="utf-8")
        if f.endswith("references"):
            continue
        assert text.startswith("---\njupytext:"), f"{f}.md lacks a jupytext header"
        assert "```{code-cell} ipython3" in text, f"{f}.md has no code cell"
        assert "ridersurvey" in text, f"{f}.md does not call ridersurvey"


def test_no_unfinished_text_in_the_book(built_book: Path):
    for page in built_book.rglob("chapters/*.html"):
        body = page.read_text(encoding="utf-8")
        found = UNFINISHED.search(body)
        assert not found, f"{page.name} contains {found.group(0)!r}"


def test_a_failing_chapter_fails_the_build(tmp_path: Path):
    """A chapter that raises must make the build (hence the test command) fail, not just warn."""
    work = tmp_path / "book"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns("_build", ".git", ".venv", "tests"))
    (work / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n  - file: chapters/broken\n", encoding="utf-8"
    )
    (work / "chapters" / "intro.md").write_text("# Intro\n\nA page.\n", encoding="utf-8")
    header = (ROOT / "chapters" / "environment.md").read_text(encoding="utf-8").split("---\n")[1]
    (work / "chapters" / "broken.md").write_text(
        f"---\n{header}---\n\n# Broken\n\n```{{code-cell}} ipython3\nraise RuntimeError('deliberately broken')\n```\n",
        encoding="utf-8",
    )
    (work / "chapters" / "references.md").unlink()
    proc = jupyter_book_build(work)
    assert proc.returncode != 0, "a chapter that raises did not fail the build"
    assert "deliberately broken" in proc.stdout + proc.stderr
