"""Command-line interface: ``python -m ridersurvey`` or ``ridersurvey``.

Every command's code lives here: argument parsing, messages and exit codes. The work itself is the library's
(:mod:`ridersurvey.io` loads and writes survey files, :mod:`ridersurvey.audit` audits). Exit codes: 0 done,
2 bad input (a survey file or the published-numbers ledger: one line per problem on standard error, naming the
file, row and column).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ridersurvey import __version__
from ridersurvey.audit import format_table, run_audit, to_json
from ridersurvey.csvnotes import notes_text
from ridersurvey.io import LoadResult, SurveyFileError, exclusion_report, load_responses, write_coded
from ridersurvey.published import LedgerError, load_ledger
from ridersurvey.reconstruction.ensemble import (
    CHECKPOINT_FILE,
    WALKS_CHECKPOINT_FILE,
    WalkSettings,
    ensemble_meta,
    exact_members,
    load_ensemble,
    run_ensemble,
    run_walks,
    write_ensemble,
)
from ridersurvey.reconstruction.envelope import (
    SEARCHES_FILE,
    EnvelopeSettings,
    envelope_meta,
    run_envelope,
    write_envelope,
)
from ridersurvey.reconstruction.outputs import (
    CODED_FILE,
    PROVENANCE_FILE,
    RAW_FILE,
    regenerate,
    summary_lines,
    write_outputs,
)
from ridersurvey.reconstruction.search import Schedule, reconstruct
from ridersurvey.reconstruction.targets import PREDICTORS, targets_from_published
from ridersurvey.reconstruction.unpublished import objectives


def _load_or_report(path: str | os.PathLike) -> LoadResult | None:
    """Load a survey export, or print its problems (one line each) and return None."""
    try:
        return load_responses(path)
    except SurveyFileError as exc:
        for p in exc.problems:
            print(f"{exc.path}: {p.message}", file=sys.stderr)
        return None


def validate_command(path: str | os.PathLike) -> int:
    """``ridersurvey validate FILE``: print the file's ``#`` note lines (a reconstructed file says there that it
    is not the survey's answers) and a one-line summary and return 0, or one line per problem and 2."""
    result = _load_or_report(path)
    if result is None:
        return 2
    print(notes_text(result.notes) + result.summary())
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

    The raw file's ``#`` note lines open the coded file too. Refuses to write over its input; writes
    atomically; exit 0 on success, 2 on bad input.
    """
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
        write_coded(result.data, out, notes=result.notes)
    except OSError as exc:
        print(f"{out}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(exclusion_report(result))
    print(f"wrote {out} ({result.n_valid} responses, {len(result.data.columns)} columns)")
    return 0


def audit_command(
    data: str | os.PathLike | None = None, output_format: str = "table", ledger: str | os.PathLike | None = None
) -> int:
    """``ridersurvey audit [--format table|json] [--data FILE] [--ledger FILE]``: print the audit; exit 0.

    A ledger that fails its checks raises :class:`ridersurvey.published.LedgerError`, which :func:`main` prints.
    """
    audit = run_audit(data, load_ledger(ledger))
    print(to_json(audit) if output_format == "json" else format_table(audit))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ridersurvey",
        description="Validate, clean, reconstruct and audit the rider survey of Wu (2023).",
    )

    parser.add_argument("--version", action="version", version=f"ridersurvey {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check a survey export against the codebook (exit 0 valid, 2 invalid)")
    p.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GB18030/GBK), XLSX or SPSS .sav")

    p = sub.add_parser("clean", help="write the coded analysis file and print the exclusion summary")
    p.add_argument("raw", help="raw survey export")
    p.add_argument("-o", "--out", required=True, help="coded CSV to write (never the input)")

    _add_reconstruct(sub)

    p = sub.add_parser("audit", help="verdict on every published number")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--data", default=None, help="coded analysis file (default: data/riders_survey.csv)")
    p.add_argument("--ledger", default=None, help="published-numbers ledger (default: data/published/ledger.csv)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code. A corrupted ledger gives one line per problem and exit 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(parser, args)
    except LedgerError as exc:
        print(str(exc), file=sys.stderr)
        return 2


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "validate":
        return validate_command(args.file)
    if args.command == "clean":
        return clean_command(args.raw, args.out)
    if args.command == "reconstruct":
        return reconstruct_command(args)
    if args.command == "audit":
        return audit_command(args.data, args.format, args.ledger)
    parser.error(f"unknown command {args.command!r}")
    return 2


# ---------------------------------------------------------------------------------------------- reconstruct
def _add_reconstruct(sub) -> None:
    p = sub.add_parser(
        "reconstruct",
        help="search for responses consistent with the published tables (one, an ensemble, or the envelope)",
        description="Search for coded responses consistent with the published tables. With --replay, rerun the "
        "search a provenance record describes (the committed data: --replay data/provenance.json --out data); "
        "with --free, release those coefficients and target their printed p-values instead; with --ensemble K, "
        "K independent exact reconstructions; with --envelope, the directed searches for the smallest and largest "
        "value of every statistic the paper did not publish.",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    p.add_argument("--out", default=None, help="output directory")
    p.add_argument("--replay", default=None, metavar="PROVENANCE", help="rerun the search a provenance.json records")
    p.add_argument("--free", nargs="+", default=(), metavar="VAR", help="coefficients to release (their p targeted)")
    p.add_argument("--ensemble", type=int, default=0, metavar="K", help="run K independent reconstructions")
    p.add_argument("--walks", type=int, default=0, metavar="W", help="--ensemble: W walk members from each exact one")
    p.add_argument("--envelope", action="store_true", help="bound every unpublished statistic by directed searches")
    p.add_argument("--objectives", nargs="+", default=None, metavar="OBJ", help="--envelope: only these objectives")
    p.add_argument("--rounds", type=int, default=None, help="--envelope: push-and-repair rounds per search")
    p.add_argument("--start", default=None, help="--envelope: ensemble summary whose exact members start the searches")
    p.add_argument("--jobs", type=int, default=1, metavar="J", help="local worker processes (ensemble, envelope)")
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="run the ensemble or envelope on an existing Dask distributed cluster",
    )
    p.add_argument("--max-seconds", type=float, default=600.0, help="give up a search after this long")
    p.add_argument(
        "--max-proposals",
        type=int,
        default=None,
        help="deterministic budget: stop after this many proposals (checked between chunks)",
    )


def reconstruct_command(args) -> int:
    """``ridersurvey reconstruct``: exit 0 when the run met its targets (an ensemble or envelope: when it
    was written), 1 when a single search missed some (its files are written and its provenance says so), 2
    for unusable arguments."""
    from pathlib import Path

    out = getattr(args, "out", None)
    if out is None:
        print("reconstruct: give an output directory with --out DIR", file=sys.stderr)
        return 2
    out = Path(out)
    if out.exists() and not out.is_dir():
        print(f"{out}: exists and is not a directory; --out takes a directory", file=sys.stderr)
        return 2
    k = int(getattr(args, "ensemble", 0) or 0)
    if k < 0 or int(getattr(args, "jobs", 1)) == 0:
        print("reconstruct: --ensemble must be >= 0 and --jobs non-zero", file=sys.stderr)
        return 2

    free = tuple(getattr(args, "free", ()) or ())
    unknown = sorted(set(free) - set(PREDICTORS))
    if unknown:
        print(
            f"reconstruct: --free takes predictors ({', '.join(PREDICTORS)}), not {', '.join(unknown)}", file=sys.stderr
        )
        return 2
    if getattr(args, "envelope", False):
        return _envelope_command(args, out)
    if k:
        return _ensemble_command(args, out, k)
    return _single_command(args, out, free)


def _single_command(args, out, free) -> int:
    import json
    from pathlib import Path

    if getattr(args, "replay", None):
        path = Path(args.replay)
        if not path.is_file():
            print(f"{path}: no such provenance record", file=sys.stderr)
            return 2
        regenerate(json.loads(path.read_text(encoding="utf-8")), out)
    else:
        schedule = getattr(args, "schedule", None)
        max_seconds = float(args.max_seconds)
        rec = reconstruct(
            args.seed,
            max_seconds=max_seconds,
            targets=targets_from_published(free=free),
            schedule=schedule,
            max_proposals=args.max_proposals,
        )
        write_outputs(rec, out, max_seconds=max_seconds, max_proposals=args.max_proposals, schedule=schedule)
    prov = json.loads((out / PROVENANCE_FILE).read_text(encoding="utf-8"))
    print("\n".join(summary_lines(prov)))
    print(f"wrote {out / RAW_FILE}, {out / CODED_FILE} and {out / PROVENANCE_FILE}")
    return 0 if prov["success"] else 1


def _ensemble_command(args, out, k) -> int:
    import time

    import pandas as pd

    schedule = getattr(args, "schedule", None)
    walk_settings = getattr(args, "walk_settings", None) or WalkSettings()
    walks = int(getattr(args, "walks", 0) or 0)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    summary = run_ensemble(
        k,
        args.seed,
        jobs=int(args.jobs),
        scheduler=args.scheduler,
        max_seconds=float(args.max_seconds),
        max_proposals=args.max_proposals,
        schedule=schedule,
        checkpoint=out / CHECKPOINT_FILE,
    )
    if walks:
        extra = run_walks(
            summary, walks, args.seed, walk_settings, jobs=int(args.jobs), scheduler=args.scheduler,
            checkpoint=out / WALKS_CHECKPOINT_FILE,
        )  # fmt: skip
        summary = pd.concat([summary, extra], ignore_index=True)
    meta = ensemble_meta(
        summary,
        k,
        args.seed,
        walks_per_member=walks,
        walk=walk_settings.to_dict(),
        wall_seconds=time.perf_counter() - start,
        jobs=int(args.jobs),
        scheduler=args.scheduler,
        max_seconds=float(args.max_seconds),
        max_proposals=args.max_proposals,
        schedule=(schedule or Schedule()).to_dict(),
    )
    write_ensemble(summary, out, meta)
    print(
        f"ensemble of {len(summary)} reconstructions (base seed {args.seed}; {meta['n_search']} searches, "
        f"{meta['n_walk']} walks): {meta['n_success']} met every attainable target ({meta['n_distinct_exact']} "
        f"distinct); {meta['wall_seconds']:.1f} s wall"
    )
    print(f"wrote {out / 'summary.csv'} and {out / 'ensemble.json'}")
    return 0


def _envelope_command(args, out) -> int:
    import dataclasses
    import time

    known = objectives()
    chosen = list(args.objectives) if args.objectives else known
    unknown = [o for o in chosen if o not in known]
    if unknown:
        print(f"reconstruct: unknown objectives {', '.join(unknown)}; choose from {', '.join(known)}", file=sys.stderr)
        return 2
    settings = getattr(args, "envelope_settings", None) or EnvelopeSettings()
    if args.rounds is not None:
        settings = dataclasses.replace(settings, rounds=int(args.rounds))
    members = exact_members(load_ensemble(args.start))
    if not len(members):
        print("reconstruct: --envelope needs an ensemble with exact members (run --ensemble first)", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    records = run_envelope(
        args.seed,
        members,
        chosen,
        settings,
        jobs=int(args.jobs),
        scheduler=args.scheduler,
        checkpoint=out / SEARCHES_FILE,
    )
    meta = envelope_meta(
        records, args.seed, members, settings, time.perf_counter() - t0, int(args.jobs), args.scheduler
    )
    write_envelope(records, out, meta)
    print(f"envelope: {len(records)} directed searches (base seed {args.seed}); {meta['wall_seconds']:.1f} s wall")
    print(f"wrote {out / 'envelope.csv'}, {out / SEARCHES_FILE} and {out / 'envelope.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
