"""``python -m tablecheck TABLE.csv [--n N] [--level 0.95] [--stars "*=0.05,**=0.01,***=0.001"] [--format text|json]``.

Exit status 0 when the table was read, whatever the verdicts; 2 with one line naming the row and column when it
is malformed (and for a bad option or a missing file).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence

from tablecheck.checks import parse_legend
from tablecheck.messages import text
from tablecheck.table import COLUMNS, Settings, TableError, check_table, read_table
from tablecheck.verdicts import Finding, Verdict


def verdict_name(verdict: Verdict) -> str:
    """A verdict as the text output names it, in the catalog's language."""
    return text(f"verdicts.{verdict.value}")


def _width(cell: str) -> int:
    """Columns a terminal gives ``cell``: two for a wide (CJK) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in cell)


def format_text(findings: Sequence[Finding], rows: int) -> str:
    """Findings as fixed-width text, one per line, and a closing count by verdict.

    Parameters
    ----------
    findings : sequence of Finding
    rows : int
        Rows read.

    Returns
    -------
    str
    """
    head = (
        text("cli.columns.term"),
        text("cli.columns.check"),
        text("cli.columns.verdict"),
        text("cli.columns.detail"),
    )
    table = [head] + [(f.term, f.check.value, verdict_name(f.verdict), f.detail) for f in findings]
    widths = [max(_width(r[i]) for r in table) for i in range(3)]
    lines = ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(r[:3], widths)) + "  " + r[3] for r in table]
    counts = Counter(f.verdict for f in findings)
    summary = text("cli.separator").join(
        text("cli.count", count=counts.get(v, 0), verdict=verdict_name(v)) for v in Verdict
    )
    lines += ["", text("cli.summary", rows=rows, findings=len(findings), counts=summary)]
    return "\n".join(line.rstrip() for line in lines)


def format_json(findings: Sequence[Finding]) -> str:
    """Findings as a JSON list of objects with term, check, verdict, detail and values."""
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=1)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tablecheck",
        description=text("cli.description"),
    )
    p.add_argument("table", help=text("cli.table", columns=",".join(COLUMNS)))
    p.add_argument("--n", type=int, default=None, help=text("cli.n"))
    p.add_argument("--level", type=float, default=0.95, help=text("cli.level", default=0.95))
    p.add_argument("--stars", default="*=0.05,**=0.01,***=0.001", help=text("cli.stars"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when the table was read; 2 for a malformed table, a bad option or an unreadable file.
    """
    args = _parser().parse_args(argv)
    try:
        if not 0 < args.level < 1:
            raise ValueError(text("cli.level_range", level=args.level))
        if args.n is not None and args.n < 2:
            raise ValueError(text("cli.n_cases", n=args.n))
        settings = Settings(level=args.level, legend=parse_legend(args.stars), n=args.n)
        rows = read_table(args.table)
    except TableError as exc:
        print(f"tablecheck: {args.table}: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        print(f"tablecheck: {exc}", file=sys.stderr)
        return 2
    findings = check_table(rows, settings)
    print(format_json(findings) if args.format == "json" else format_text(findings, len(rows)))
    return 0
