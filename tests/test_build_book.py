"""The build wrapper (``tools/build_book.py``): ``-j`` handling, chapter order and the parallel-safety
declarations it adds for extensions that keep no per-document state."""

from __future__ import annotations

import importlib
import importlib.util

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def build_book():
    spec = importlib.util.spec_from_file_location("build_book", ROOT / "tools" / "build_book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_jobs_are_taken_out_of_the_arguments(build_book, monkeypatch):
    monkeypatch.delenv("RIDERSURVEY_BUILD_JOBS", raising=False)
    assert build_book.split_jobs([".", "-j", "3", "-W"]) == (3, [".", "-W"])
    assert build_book.split_jobs(["--jobs=1", "."]) == (1, ["."])
    assert build_book.split_jobs(["-j2", "."]) == (2, ["."])
    jobs, rest = build_book.split_jobs([".", "-n"])
    assert rest == [".", "-n"] and 1 <= jobs <= 2
    monkeypatch.setenv("RIDERSURVEY_BUILD_JOBS", "1")
    assert build_book.split_jobs(["."]) == (1, ["."])


def test_chapters_are_read_one_per_task_largest_first(build_book, tmp_path):
    (tmp_path / "chapters").mkdir()
    for name, size in {"small": 10, "large": 1000, "medium": 100}.items():
        (tmp_path / "chapters" / f"{name}.md").write_text("x" * size)
    chunks = build_book.largest_first(tmp_path)(["chapters/small", "chapters/large", "chapters/medium", "index"], 2)
    assert chunks == [["chapters/large"], ["chapters/medium"], ["chapters/small"], ["index"]]


@pytest.mark.parametrize(
    "module_name, distribution",
    [
        ("sphinx_multitoc_numbering", "sphinx-multitoc-numbering"),
        ("sphinx-mathjax-offline", "sphinx-mathjax-offline"),
        ("sphinx_jupyterbook_latex", "sphinx-jupyterbook-latex"),
    ],
)
def test_declared_extensions_become_parallel_safe(build_book, monkeypatch, module_name, distribution):
    from importlib.metadata import version

    assert set(build_book.PARALLEL_SAFE) == {
        "sphinx_multitoc_numbering",
        "sphinx-mathjax-offline",
        "sphinx_jupyterbook_latex",
    }
    # a new version of the extension must be re-read before it is declared safe again
    assert version(distribution) == build_book.PARALLEL_SAFE[module_name]
    module = importlib.import_module(module_name)
    calls = []
    monkeypatch.setattr(module, "setup", lambda app: calls.append(app))
    build_book.declare_parallel_safe(module_name)
    build_book.declare_parallel_safe(module_name)  # wrapping twice changes nothing
    metadata = module.setup("app")
    assert calls == ["app"]
    assert metadata == {
        "version": build_book.PARALLEL_SAFE[module_name],
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
