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
    python -m bookbuild . -W -n --keep-going --language zh_CN   # the Chinese edition
    python -m bookbuild . -W -n --keep-going --language all      # both editions at once (make book)
    python -m bookbuild . --builder gettext                      # the pages' messages, for make i18n

An edition other than English (``--language``, :data:`bookbuild.i18n.EDITIONS`) is built in
``_build/<language>/`` with its own doctrees, executed notebooks and cache, its kernels reading
``RIDERSURVEY_LANG`` and ``TABLECHECK_LANG`` (the libraries' message catalogs), and then copied into
``_build/<builder>/<language>/``, where the English pages' switch finds it. ``--language all`` builds every
edition at once, the others in child processes beside the English one (a build alone leaves about half of two
cores idle), and copies them in place when all are done. The gettext builder reads the pages without executing
them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

from bookbuild.i18n import EDITIONS, SOURCE_LANGUAGE, edition_prefix

__all__ = ["ALL_EDITIONS", "BUILDERS", "build_all_editions", "default_jobs", "main", "parse_args", "publish"]

#: ``--language all``: every edition, built at once (:func:`build_all_editions`).
ALL_EDITIONS = "all"

BUILDERS = ("html", "dirhtml", "singlehtml", "gettext")
"""The builders this command offers (each writes to ``_build/<builder>``, as ``jupyter-book build`` does)."""

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
    parser.add_argument(
        "--language", choices=(*EDITIONS, ALL_EDITIONS), default=SOURCE_LANGUAGE, help="the edition, or all at once"
    )
    parser.add_argument("--no-publish", dest="publish", action="store_false", help=argparse.SUPPRESS)
    parser.add_argument("-j", "--jobs", type=int, default=None, help="reader processes (default: cores, at most 2)")
    args = parser.parse_args(argv)
    args.jobs = max(1, args.jobs if args.jobs is not None else default_jobs())
    return args


def build_all_editions(argv: list[str]) -> int:
    """Every edition at once: the others in child processes while this one builds English, then publish them.

    The editions share no output until each has finished: each other edition is copied under the English
    HTML (:func:`publish`) only after both builds are done, so no build's post-processing sees a half-copied
    edition. Returns the first non-zero status, else 0.
    """
    args = parse_args(argv)
    others = [language for language in EDITIONS if language != SOURCE_LANGUAGE]
    base = [a for a in argv if a not in ("--language", ALL_EDITIONS)]
    children = [
        subprocess.Popen([sys.executable, "-m", "bookbuild", *base, "--language", language, "--no-publish"])
        for language in others
    ]
    status = [main([*base, "--language", SOURCE_LANGUAGE])] + [child.wait() for child in children]
    if not any(status):
        for language in others:
            publish(args.path_source.resolve(), args.builder, language)
    return next((s for s in status if s), 0)


def publish(source: Path, builder: str, language: str) -> None:
    """Copy an edition's HTML (``_build/<language>/<builder>``) under the English (``_build/<builder>/<language>``)."""
    target = source / "_build" / builder / edition_prefix(language)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source / "_build" / language / builder, target)


def main(argv: list[str] | None = None) -> int:
    """Build the book; return Sphinx's status code (1 if the build raised, after printing why)."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.language == ALL_EDITIONS:
        return build_all_editions(argv)
    from jupyter_book.sphinx import build_sphinx

    source = args.path_source.resolve()
    build = source / "_build"
    overrides: dict[str, object] = {}
    if args.language != SOURCE_LANGUAGE:
        build = build / args.language
        overrides["language"] = args.language
        os.environ["RIDERSURVEY_LANG"] = args.language  # the kernels' (ridersurvey.messages)
        os.environ["TABLECHECK_LANG"] = args.language  # and tablecheck's (tablecheck.messages)
    if args.builder == "gettext":
        overrides["nb_execution_mode"] = "off"  # messages come from the sources; {eval} values are not needed
        overrides["suppress_warnings"] = ["mystnb"]
    if args.jobs > 1:
        # Two kernels share two cores: a BLAS or OpenMP pool per kernel would only oversubscribe them.
        for variable in _THREAD_POOLS:
            os.environ.setdefault(variable, "1")
    result = build_sphinx(
        source,
        build / args.builder,
        noconfig=True,
        path_config=source / "_config.yml",
        confoverrides={
            "external_toc_path": (source / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            **({"nitpicky": True} if args.nitpick else {}),
            **overrides,
        },
        doctreedir=build / (".doctrees-gettext" if args.builder == "gettext" else ".doctrees"),
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
        print(f"The book build returned {result}; the cause is above.", file=sys.stderr)
    if not result and args.language != SOURCE_LANGUAGE and args.publish:
        publish(source, args.builder, args.language)
    return int(result or 0)
