"""Command-line interface: ``python -m ridersurvey`` or ``ridersurvey``.

Every command's code lives here: argument parsing, messages and exit codes. The work itself is the library's
(:mod:`ridersurvey.data.readers` loads and writes survey files, :mod:`ridersurvey.audit.ledger_audit` audits). Exit
codes: 0 done, 2 bad input (a survey file or the published-numbers ledger: one line per problem on standard error,
naming the file, row and column).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ridersurvey import __version__
from ridersurvey.audit.ledger_audit import format_table, run_audit, to_json
from ridersurvey.data.csvnotes import notes_text
from ridersurvey.data.ledger import LedgerError, load_ledger
from ridersurvey.data.readers import LoadResult, SurveyFileError, exclusion_report, load_responses, write_coded
from ridersurvey.messages import text
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
        print(text("cli.clean.same_file", out=out), file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(text("cli.clean.no_directory", out=out, parent=out.parent), file=sys.stderr)
        return 2
    if out.is_dir():
        print(text("cli.clean.is_directory", out=out), file=sys.stderr)
        return 2
    result = _load_or_report(raw)
    if result is None:
        return 2
    try:
        write_coded(result.data, out, notes=result.notes)
    except OSError as exc:
        print(text("cli.clean.unwritable", out=out, error=exc.strerror or exc), file=sys.stderr)
        return 2
    print(exclusion_report(result))
    print(text("cli.clean.wrote", out=out, responses=result.n_valid, columns=len(result.data.columns)))
    return 0


def audit_command(
    data: str | os.PathLike | None = None, output_format: str = "table", ledger: str | os.PathLike | None = None
) -> int:
    """``ridersurvey audit [--format table|json] [--data FILE] [--ledger FILE]``: print the audit; exit 0.

    A ledger that fails its checks raises :class:`ridersurvey.data.ledger.LedgerError`, which :func:`main` prints.
    """
    audit = run_audit(data, load_ledger(ledger))
    print(to_json(audit) if output_format == "json" else format_table(audit))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ridersurvey",
        description=text("cli.description"),
    )

    parser.add_argument("--version", action="version", version=f"ridersurvey {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help=text("cli.help.validate"))
    p.add_argument("file", help=text("cli.help.validate_file"))

    p = sub.add_parser("clean", help=text("cli.help.clean"))
    p.add_argument("raw", help=text("cli.help.clean_raw"))
    p.add_argument("-o", "--out", required=True, help=text("cli.help.clean_out"))

    _add_reconstruct(sub)

    p = sub.add_parser("audit", help=text("cli.help.audit"))
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--data", default=None, help=text("cli.help.audit_data"))
    p.add_argument("--ledger", default=None, help=text("cli.help.audit_ledger"))
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
    parser.error(text("cli.unknown_command", command=args.command))
    return 2


# ---------------------------------------------------------------------------------------------- reconstruct
def _add_reconstruct(sub) -> None:
    p = sub.add_parser(
        "reconstruct",
        help=text("cli.reconstruct.help"),
        description=text("cli.reconstruct.description"),
    )
    p.add_argument("--seed", type=int, default=1, help=text("cli.reconstruct.seed"))
    p.add_argument("--out", default=None, help=text("cli.reconstruct.out"))
    p.add_argument("--replay", default=None, metavar="PROVENANCE", help=text("cli.reconstruct.replay"))
    p.add_argument("--free", nargs="+", default=(), metavar="VAR", help=text("cli.reconstruct.free"))
    p.add_argument("--ensemble", type=int, default=0, metavar="K", help=text("cli.reconstruct.ensemble"))
    p.add_argument("--walks", type=int, default=0, metavar="W", help=text("cli.reconstruct.walks"))
    p.add_argument("--envelope", action="store_true", help=text("cli.reconstruct.envelope"))
    p.add_argument("--objectives", nargs="+", default=None, metavar="OBJ", help=text("cli.reconstruct.objectives"))
    p.add_argument("--rounds", type=int, default=None, help=text("cli.reconstruct.rounds"))
    p.add_argument("--start", default=None, help=text("cli.reconstruct.start"))
    p.add_argument("--jobs", type=int, default=1, metavar="J", help=text("cli.reconstruct.jobs"))
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help=text("cli.reconstruct.scheduler"))
    p.add_argument("--max-seconds", type=float, default=600.0, help=text("cli.reconstruct.max_seconds"))
    p.add_argument("--max-proposals", type=int, default=None, help=text("cli.reconstruct.max_proposals"))


def reconstruct_command(args) -> int:
    """``ridersurvey reconstruct``: exit 0 when the run met its targets (an ensemble or envelope: when it
    was written), 1 when a single search missed some (its files are written and its provenance says so), 2
    for unusable arguments."""
    from pathlib import Path

    out = getattr(args, "out", None)
    if out is None:
        print(text("cli.reconstruct.no_out"), file=sys.stderr)
        return 2
    out = Path(out)
    if out.exists() and not out.is_dir():
        print(text("cli.reconstruct.out_not_directory", out=out), file=sys.stderr)
        return 2
    k = int(getattr(args, "ensemble", 0) or 0)
    if k < 0 or int(getattr(args, "jobs", 1)) == 0:
        print(text("cli.reconstruct.bad_counts"), file=sys.stderr)
        return 2

    free = tuple(getattr(args, "free", ()) or ())
    unknown = sorted(set(free) - set(PREDICTORS))
    if unknown:
        print(
            text("cli.reconstruct.bad_free", known=", ".join(PREDICTORS), unknown=", ".join(unknown)), file=sys.stderr
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
            print(text("cli.reconstruct.no_provenance", path=path), file=sys.stderr)
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
    print(
        text(
            "cli.reconstruct.wrote_single", raw=out / RAW_FILE, coded=out / CODED_FILE, provenance=out / PROVENANCE_FILE
        )
    )
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
        text(
            "cli.reconstruct.ensemble_done",
            members=len(summary),
            seed=args.seed,
            searches=meta["n_search"],
            walks=meta["n_walk"],
            exact=meta["n_success"],
            distinct=meta["n_distinct_exact"],
            seconds=meta["wall_seconds"],
        )
    )
    print(text("cli.reconstruct.wrote_ensemble", summary=out / "summary.csv", meta=out / "ensemble.json"))
    return 0


def _envelope_command(args, out) -> int:
    import dataclasses
    import time

    known = objectives()
    chosen = list(args.objectives) if args.objectives else known
    unknown = [o for o in chosen if o not in known]
    if unknown:
        print(
            text("cli.reconstruct.bad_objectives", unknown=", ".join(unknown), known=", ".join(known)), file=sys.stderr
        )
        return 2
    settings = getattr(args, "envelope_settings", None) or EnvelopeSettings()
    if args.rounds is not None:
        settings = dataclasses.replace(settings, rounds=int(args.rounds))
    members = exact_members(load_ensemble(args.start))
    if not len(members):
        print(text("cli.reconstruct.no_exact_members"), file=sys.stderr)
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
    print(text("cli.reconstruct.envelope_done", searches=len(records), seed=args.seed, seconds=meta["wall_seconds"]))
    print(
        text(
            "cli.reconstruct.wrote_envelope",
            envelope=out / "envelope.csv",
            searches=out / SEARCHES_FILE,
            meta=out / "envelope.json",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
