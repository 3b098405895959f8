"""Command-line interface: ``python -m ridersurvey`` or ``ridersurvey``."""

from __future__ import annotations

import argparse
import sys


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
        from ridersurvey.io import validate_command

        return validate_command(args.file)
    if args.command == "clean":
        from ridersurvey.io import clean_command

        return clean_command(args.raw, args.out)
    if args.command == "reconstruct":
        from ridersurvey.reconstruct import cli_main

        return cli_main(args)
    if args.command == "audit":
        from ridersurvey.audit import cli_main

        return cli_main(args)
    parser.error(f"unknown command {args.command!r}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
