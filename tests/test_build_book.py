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


def _start_order(chunks, nproc):
    """The order in which Sphinx's own ``ParallelTasks`` starts ``chunks`` when every task takes long.

    Each task runs in-process: nothing finishes while the chunks are being added, and while waiting
    (``time.sleep`` in ``ParallelTasks.join``) the earliest started task finishes.
    """
    import sphinx.util.parallel as parallel

    started, running = [], []

    class FakeProcess:
        def __init__(self, target, args):
            self.target, self.args = target, args

        def start(self):
            started.append(self.args[2])
            running.append(self)

        def join(self):
            pass

    class Context:
        Process = FakeProcess

    def finish_one(seconds):
        process = running.pop(0)
        process.target(*process.args)

    get_context, sleep = parallel.multiprocessing.get_context, parallel.time.sleep
    parallel.multiprocessing.get_context = lambda method: Context()
    parallel.time.sleep = finish_one
    try:
        tasks = parallel.ParallelTasks(nproc)
        for chunk in chunks:
            tasks.add_task(lambda docs: docs, chunk, lambda args, result: None)
        tasks.join()
    finally:
        parallel.multiprocessing.get_context, parallel.time.sleep = get_context, sleep
    return started


def test_chapters_are_read_one_per_task_and_started_largest_first(build_book, tmp_path):
    (tmp_path / "chapters").mkdir()
    sizes = {"a": 10, "b": 1000, "c": 100, "d": 500, "e": 50, "f": 700}
    for name, size in sizes.items():
        (tmp_path / "chapters" / f"{name}.md").write_text("x" * size)
    docs = [f"chapters/{name}" for name in sizes] + ["index"]
    chunks = build_book.largest_first(tmp_path)(docs, 2)
    assert all(len(chunk) == 1 for chunk in chunks) and sorted(c[0] for c in chunks) == sorted(docs)
    largest_first = ["chapters/" + n for n in sorted(sizes, key=sizes.get, reverse=True)] + ["index"]
    assert _start_order(chunks, 2) == [[doc] for doc in largest_first]


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
