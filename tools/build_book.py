"""Build the book with ``jupyter-book build``, reading (and so executing) chapters on several cores.

``jupyter-book build`` has no ``-j`` option although Sphinx can read documents in parallel; this wrapper
runs the same command-line interface with Sphinx's parallel reading switched on. Every argument is passed
to ``jupyter-book build`` unchanged; ``-j N`` / ``--jobs N`` (default: the number of cores, at most 2;
``RIDERSURVEY_BUILD_JOBS`` overrides) sets the number of reader processes. Each chapter is its own unit of
work, handed out largest first, so the processes share the chapters dynamically instead of in two fixed
halves of the table of contents (Sphinx's default). Sphinx reads in parallel only when more than five
documents are outdated, so small rebuilds read one after another, as without the wrapper.

Usage::

    python tools/build_book.py . -W -n --keep-going
    python tools/build_book.py . --builder singlehtml -W -n --keep-going
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path


def default_jobs() -> int:
    """Reader processes: ``$RIDERSURVEY_BUILD_JOBS``, else the usable cores, at most 2."""
    value = os.environ.get("RIDERSURVEY_BUILD_JOBS")
    if value:
        return max(1, int(value))
    return max(1, min(2, len(os.sched_getaffinity(0))))


def split_jobs(argv: list[str]) -> tuple[int, list[str]]:
    """Take ``-j N`` / ``--jobs N`` / ``--jobs=N`` out of the arguments; return (jobs, the rest)."""
    jobs = default_jobs()
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in ("-j", "--jobs"):
            jobs = int(next(args))
        elif arg.startswith("--jobs="):
            jobs = int(arg.split("=", 1)[1])
        elif arg.startswith("-j") and arg[2:].isdigit():
            jobs = int(arg[2:])
        else:
            rest.append(arg)
    return max(1, jobs), rest


def largest_first(source_dir: Path):
    """A replacement for Sphinx's ``make_chunks``: one chunk per document, started largest first.

    Sphinx hands chunks to its reader processes as they fall free; one document each lets whichever process
    is free take the next, and starting with the largest chapters (roughly the slowest to execute) keeps the
    two processes from ending with one long chapter run alone. Sphinx 7.4's ``ParallelTasks`` starts the
    first ``nproc`` chunks at once and the rest last-in first-out (``dict.popitem``), so the list is
    arranged for that: the ``nproc`` largest first, then the others from the smallest up.
    """

    def size(docname: str) -> int:
        found = [source_dir / f"{docname}{suffix}" for suffix in (".md", ".ipynb", ".rst")]
        return max((p.stat().st_size for p in found if p.is_file()), default=0)

    def make_chunks(arguments, nproc, maxbatch=10):
        ordered = sorted(arguments, key=size, reverse=True)
        return [[argument] for argument in ordered[:nproc] + ordered[nproc:][::-1]]

    return make_chunks


# Extensions that return no metadata from ``setup`` (so Sphinx assumes they are unsafe and reads serially)
# but keep no per-document state; checked against the pinned versions' source.
PARALLEL_SAFE = {
    # 0.1.3: replaces TocTreeCollector.assign_section_numbers, which Sphinx calls once, in the main
    # process, after every document has been read and merged.
    "sphinx_multitoc_numbering": "0.1.3",
    # 0.0.2: sets mathjax_path and copies MathJax into _static on build-finished.
    "sphinx-mathjax-offline": "0.0.2",
    # 1.0.0: transforms that only annotate the document being read; env attributes set once on
    # builder-inited (main process, LaTeX builder only).
    "sphinx_jupyterbook_latex": "1.0.0",
}


def declare_parallel_safe(module_name: str) -> None:
    """Make an extension's ``setup`` declare parallel reading and writing safe (see PARALLEL_SAFE)."""
    import importlib

    module = importlib.import_module(module_name)
    original = module.setup
    if getattr(original, "_ridersurvey_wrapped", False):
        return

    @functools.wraps(original)
    def setup(app):
        metadata = original(app) or {}
        return {
            "version": PARALLEL_SAFE[module_name],
            **metadata,
            "parallel_read_safe": True,
            "parallel_write_safe": True,
        }

    setup._ridersurvey_wrapped = True  # type: ignore[attr-defined]
    module.setup = setup


def main(argv: list[str] | None = None) -> int:
    """Run ``jupyter-book build`` with ``jobs`` Sphinx reader processes."""
    jobs, rest = split_jobs(list(sys.argv[1:] if argv is None else argv))
    import jupyter_book.sphinx
    import sphinx.builders
    from jupyter_book.cli.main import main as jupyter_book_main

    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs)
    if jobs > 1:
        # Two kernels share two cores: a BLAS or OpenMP pool per kernel would only oversubscribe them.
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
            os.environ.setdefault(variable, "1")
        for module_name in PARALLEL_SAFE:
            declare_parallel_safe(module_name)
        source = Path(rest[0]) if rest and Path(rest[0]).is_dir() else Path.cwd()
        sphinx.builders.make_chunks = largest_first(source.resolve())
    try:
        jupyter_book_main.main(["build", *rest], prog_name="jupyter-book build", standalone_mode=True)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
