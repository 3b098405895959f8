"""Every chapter runs on its own as a notebook, as a reader running it in JupyterLab would: jupytext reads
the MyST file, nbclient executes it with the ``python3`` kernel of this environment in ``chapters/``.
JupyterLab opens the chapters as notebooks through jupytext and saves them back without changing them.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import ROOT

CHAPTERS = ROOT / "chapters"
PLAIN_PAGES = {"references.md", "citing.md"}
CELL_TIMEOUT = 300
WORKERS = 2
NOTEBOOKS = sorted(p.name for p in CHAPTERS.glob("*.md") if p.name not in PLAIN_PAGES)
KERNEL_PROBE = nbformat.v4.new_notebook(
    cells=[nbformat.v4.new_code_cell("import sys, os\nprint(sys.prefix)\nprint(os.getcwd())")]
)
# Cells wrapped around a chapter to record which data files it opens (an audit hook on ``open``).
OPEN_PROBE = """\
import os as _os, sys as _sys
from ridersurvey.data.paths import DATA_DIR as _DATA_DIR
_opened = set()
def _record_open(event, args, _root=_os.path.realpath(_DATA_DIR)):
    if event == "open" and args and isinstance(args[0], (str, bytes, _os.PathLike)):
        path = _os.path.realpath(_os.fsdecode(args[0]))
        if path.startswith(_root + _os.sep):
            _opened.add("data/" + _os.path.relpath(path, _root).replace(_os.sep, "/"))
_sys.addaudithook(_record_open)
"""
OPENED_MARK = "data files opened:"
OPEN_REPORT = f"import json as _json\nprint({OPENED_MARK!r}, _json.dumps(sorted(_opened)))"


def execute(notebook: nbformat.NotebookNode, cwd: Path) -> tuple[nbformat.NotebookNode, float]:
    """Execute a notebook with the ``python3`` kernel in ``cwd``; return it with its outputs and the seconds taken."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()
    return notebook, time.perf_counter() - start


def run_chapter(name: str) -> tuple[str | None, float, list[str]]:
    """Run one chapter standalone; return the error (``None`` if it ran), the seconds taken and the data files
    (``data/...``) it opened."""
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    notebook = jupytext.read(CHAPTERS / name)
    notebook.cells = [nbformat.v4.new_code_cell(OPEN_PROBE), *notebook.cells, nbformat.v4.new_code_cell(OPEN_REPORT)]
    try:
        executed, _ = execute(notebook, CHAPTERS)
    except CellExecutionError as error:
        return str(error)[-3000:], time.perf_counter() - start, []
    except Exception as error:  # a kernel that dies or times out: report it on the chapter's test
        return f"{type(error).__name__}: {error}", time.perf_counter() - start, []
    report = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
    opened = json.loads(report.split(OPENED_MARK, 1)[1])
    return None, time.perf_counter() - start, opened


@pytest.fixture(scope="module")
def chapter_runs(forked_kernels) -> dict[str, Future]:
    """All chapters submitted at once to a small process pool; each test waits for its own."""
    pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"))
    futures = {name: pool.submit(run_chapter, name) for name in NOTEBOOKS}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def test_there_are_chapters_to_run():
    assert len(NOTEBOOKS) >= 10, NOTEBOOKS


@pytest.mark.book
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chapter_runs_standalone(chapter_runs, name):
    error, seconds, _ = chapter_runs[name].result()
    assert error is None, f"{name} fails when run on its own ({seconds:.0f} s):\n{error}"


@pytest.mark.book
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chapter_declares_the_data_it_reads(chapter_runs, name):
    """The execution cache re-runs a chapter when a file of its front matter's ``ridersurvey: depends`` changes:
    every data file the chapter opens must be declared (else its page goes stale), and every declared
    pattern must be one the chapter reads (else it re-runs for nothing)."""
    from bookbuild.cache import declared_depends, dependency_manifest
    from ridersurvey.data.paths import DATA_DIR

    declared = declared_depends((CHAPTERS / name).read_text(encoding="utf-8"))
    assert declared is not None, f"{name} declares no dependencies, so every data change would re-run it"
    error, _, opened = chapter_runs[name].result()
    assert error is None, f"{name} did not run"
    covered, _ = dependency_manifest(declared, ROOT, DATA_DIR)
    assert sorted(set(opened) - set(covered)) == [], f"{name} reads data it does not declare"
    for pattern in declared:
        matched, _ = dependency_manifest([pattern], ROOT, DATA_DIR)
        assert set(matched) & set(opened), f"{name} declares {pattern!r} but reads no file it matches"


def test_python3_kernel_is_this_environment(forked_kernels):
    notebook, _ = execute(nbformat.from_dict(KERNEL_PROBE), CHAPTERS)
    prefix, cwd = notebook.cells[0].outputs[0]["text"].split()
    assert Path(prefix) == Path(sys.prefix), "the python3 kernel runs another Python than this environment"
    assert Path(cwd) == CHAPTERS


def _cells(notebook) -> list[tuple]:
    return [(cell.cell_type, cell.source, dict(cell.metadata)) for cell in notebook.cells]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_jupyterlab_opens_and_saves_the_chapter_faithfully(tmp_path, name):
    """JupyterLab's jupytext contents manager reads the chapter as a notebook and writes it back byte for byte
    (front matter, cell options and the line breaks of their YAML included)."""
    from jupytext import TextFileContentsManager

    shutil.copy(CHAPTERS / "jupytext.toml", tmp_path / "jupytext.toml")  # `make lab` roots JupyterLab in chapters/
    shutil.copy(CHAPTERS / name, tmp_path / name)
    original = (CHAPTERS / name).read_text(encoding="utf-8")
    manager = TextFileContentsManager(root_dir=str(tmp_path))
    model = manager.get(name, content=True, type="notebook")
    assert model["type"] == "notebook" and model["content"].cells, f"{name} does not open as a notebook"
    manager.save(model, name)
    saved = (tmp_path / name).read_text(encoding="utf-8")
    assert saved.split("\n---\n", 1)[0] == original.split("\n---\n", 1)[0], f"saving {name} rewrote its header"
    assert _cells(jupytext.reads(saved, fmt="md:myst")) == _cells(jupytext.reads(original, fmt="md:myst"))
    changed = [
        f"line {n}: {a!r} -> {b!r}"
        for n, (a, b) in enumerate(zip(original.splitlines(), saved.splitlines()), 1)
        if a != b
    ]
    assert saved == original, f"saving the unedited {name} changed its text: {changed[:3]}"


def test_jupyterlab_has_the_jupytext_extension():
    """What ``jupyter labextension list`` and ``jupyter server extension list`` read, without their start-up cost."""
    from jupyter_core.paths import jupyter_config_path, jupyter_path

    labextension = [Path(d) / "jupyterlab-jupytext" / "package.json" for d in jupyter_path("labextensions")]
    assert any(p.is_file() for p in labextension), (
        "JupyterLab lacks the jupytext extension (Open With → Jupytext Notebook)"
    )
    enabled = {}
    for directory in reversed(jupyter_config_path()):
        for config in sorted(Path(directory, "jupyter_server_config.d").glob("*.json")):
            enabled.update(json.loads(config.read_text()).get("ServerApp", {}).get("jpserver_extensions", {}))
    assert enabled.get("jupyterlab_jupytext") is True, "the jupytext server extension is not enabled"
