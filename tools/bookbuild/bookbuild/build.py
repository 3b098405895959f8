"""Build the book as ``jupyter-book build`` does, with Sphinx reading (and so executing) chapters on several cores.

``jupyter-book build`` has no ``-j`` option although Sphinx can read documents in parallel. This command
calls the function that ``jupyter-book build`` calls, :func:`jupyter_book.sphinx.build_sphinx`, with the
same configuration (``_config.yml``, ``_toc.yml``, output in ``_build/<builder>``) and its ``jobs``
argument: ``-j N`` / ``--jobs N`` (default: the number of cores, at most 2; ``RIDERSURVEY_BUILD_JOBS``
overrides); :mod:`bookbuild.parallel_safe` declares ``sphinx_multitoc_numbering`` safe for it. Sphinx
hands the documents to its reader processes in chunks of its own making and reads in
parallel only when more than five documents are outdated, so small rebuilds read one after another.

Usage::

    python -m bookbuild . -W -n --keep-going
    python -m bookbuild . --builder singlehtml -W -n --keep-going
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

__all__ = ["BUILDERS", "default_jobs", "parse_args", "main"]

#: The builders this command offers (each writes to ``_build/<builder>``, as ``jupyter-book build`` does).
BUILDERS = ("html", "dirhtml", "singlehtml")

_THREAD_POOLS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


def default_jobs() -> int:
    """Reader processes: ``$RIDERSURVEY_BUILD_JOBS``, else the usable cores, at most 2."""
    value = os.environ.get("RIDERSURVEY_BUILD_JOBS")
    if value:
        return max(1, int(value))
    return max(1, min(2, len(os.sched_getaffinity(0))))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: ``jupyter-book build``'s options this book uses, and ``-j``."""
    parser = argparse.ArgumentParser(prog="python -m bookbuild", description=__doc__.splitlines()[0])
    parser.add_argument("path_source", type=Path, help="the book's folder")
    parser.add_argument("--builder", choices=BUILDERS, default="html")
    parser.add_argument("-W", "--warningiserror", action="store_true", help="warnings are errors")
    parser.add_argument("-n", "--nitpick", action="store_true", help="warn about every missing reference")
    parser.add_argument("--keep-going", action="store_true", help="-W: fail at the end")
    parser.add_argument("--all", dest="freshenv", action="store_true", help="read every page again")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="reader processes (default: 2)")
    args = parser.parse_args(argv)
    args.jobs = max(1, args.jobs if args.jobs is not None else default_jobs())
    return args


def main(argv: list[str] | None = None) -> int:
    """Build the book; return Sphinx's status code (1 if the build raised, after printing why)."""
    args = parse_args(argv)
    from jupyter_book.sphinx import build_sphinx

    source = args.path_source.resolve()
    if args.jobs > 1:
        # Two kernels share two cores: a BLAS or OpenMP pool per kernel would only oversubscribe them.
        for variable in _THREAD_POOLS:
            os.environ.setdefault(variable, "1")
    result = build_sphinx(
        source,
        source / "_build" / args.builder,
        noconfig=True,
        path_config=source / "_config.yml",
        confoverrides={
            "external_toc_path": (source / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            **({"nitpicky": True} if args.nitpick else {}),
        },
        builder=args.builder,
        warningiserror=args.warningiserror,
        keep_going=args.keep_going,
        freshenv=args.freshenv,
        jobs=args.jobs,
    )
    if isinstance(result, BaseException):
        # as jupyter-book build reports it: the exception that stopped the build, with its traceback
        traceback.print_exception(result, file=sys.stderr)
        print("book build failed (see above)", file=sys.stderr)
        return 1
    if result:
        print(f"book build returned {result}", file=sys.stderr)
    return int(result or 0)
