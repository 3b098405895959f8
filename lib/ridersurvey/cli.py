"""Command-line interface: ``python -m ridersurvey`` or ``ridersurvey``.

Every command's code lives here: argument parsing, messages and exit codes. The work itself is the library's
(:mod:`ridersurvey.io` loads and writes survey files, :mod:`ridersurvey.audit` audits). Exit codes: 0 done,
2 bad input (one line per problem on standard error, naming the file, row and column).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ridersurvey.io import LoadResult


def _load_or_report(path: str | os.PathLike) -> LoadResult | None:
    """Load a survey export, or print its problems (one line each) and return None."""
    from ridersurvey.io import SurveyFileError, load_responses

    try:
        return load_responses(path)
    except SurveyFileError as exc:
        for p in exc.problems:
            print(f"{exc.path}: {p.message}", file=sys.stderr)
        return None


def validate_command(path: str | os.PathLike) -> int:
    """``ridersurvey validate FILE``: print a one-line summary and return 0, or one line per problem and 2."""
    result = _load_or_report(path)
    if result is None:
        return 2
    print(result.summary())
    return 0


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def clean_command(raw: str | os.PathLike, out: str | os.PathLike) -> int:
    """``ridersurvey clean RAW -o OUT``: write the coded analysis file and print the exclusion summary.

    Refuses to write over its input; writes atomically; exit 0 on success, 2 on bad input.
    """
    from ridersurvey.io import exclusion_report, write_coded

    raw, out = Path(raw), Path(out)
    if _same_file(raw, out):
        print(f"{out}: refusing to overwrite the input file; choose another output path", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"{out}: output directory {out.parent} does not exist", file=sys.stderr)
        return 2
    if out.is_dir():
        print(f"{out}: is a directory; give a file name for the coded CSV", file=sys.stderr)
        return 2
    result = _load_or_report(raw)
    if result is None:
        return 2
    try:
        write_coded(result.data, out)
    except OSError as exc:
        print(f"{out}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(exclusion_report(result))
    print(f"wrote {out} ({result.n_valid} responses, {len(result.data.columns)} columns)")
    return 0


def audit_command(data: str | os.PathLike | None = None, output_format: str = "table") -> int:
    """``ridersurvey audit [--format table|json] [--data FILE]``: print the audit; exit 0."""
    from ridersurvey.audit import format_table, run_audit, to_json

    audit = run_audit(data)
    print(to_json(audit) if output_format == "json" else format_table(audit))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ridersurvey",
        description="Validate, clean, reconstruct and audit the rider survey of Wu (2023).",
    )
    from ridersurvey import __version__

    parser.add_argument("--version", action="version", version=f"ridersurvey {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check a survey export against the codebook (exit 0 valid, 2 invalid)")
    p.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GB18030/GBK), XLSX or SPSS .sav")

    p = sub.add_parser("clean", help="write the coded analysis file and print the exclusion summary")
    p.add_argument("raw", help="raw survey export")
    p.add_argument("-o", "--out", required=True, help="coded CSV to write (never the input)")

    p = sub.add_parser("reconstruct", help="search for responses consistent with the published tables")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    p.add_argument("--out", default=None, help="output directory (single reconstruction or ensemble)")
    p.add_argument("--ensemble", type=int, default=0, metavar="K", help="run K independent reconstructions")
    p.add_argument("--jobs", type=int, default=1, metavar="J", help="local worker processes for --ensemble")
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="run the ensemble on an existing Dask distributed cluster",
    )
    p.add_argument("--max-seconds", type=float, default=600.0, help="give up a search after this long")
    p.add_argument(
        "--max-proposals",
        type=int,
        default=None,
        help="deterministic budget: stop after this many proposals (checked between chunks)",
    )

    p = sub.add_parser("audit", help="verdict on every published number")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--data", default=None, help="coded analysis file (default: data/riders_survey.csv)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "validate":
        return validate_command(args.file)
    if args.command == "clean":
        return clean_command(args.raw, args.out)
    if args.command == "reconstruct":
        from ridersurvey.reconstruct import cli_main

        return cli_main(args)
    if args.command == "audit":
        return audit_command(args.data, args.format)
    parser.error(f"unknown command {args.command!r}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
