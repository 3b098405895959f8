"""Benchmark both editions' clean build against the English edition alone, measured in the same run.

Run on demand (``python benchmarks/bench_editions.py [--runs 3]``), not in the tests. Each run copies the
project to a fresh temporary directory (as :mod:`bench_build` does) and times a clean build of the English
edition alone (``python -m bookbuild . -W -n --keep-going``) and a clean build of both editions
(``... --language all``, what ``make book`` runs); which goes first alternates from run to run, so load from
other processes falls on both alike. Reported: the wall-clock and CPU seconds of each (medians over runs),
and the ratio of the medians of wall-clock seconds, whose target is at most 1.7.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from pathlib import Path

from bench_build import IGNORE, ROOT, build

TARGET = 1.7
EDITIONS = {"english": (), "both": ("--language", "all")}


def one_run(first: str) -> dict[str, dict]:
    """Clean builds of each configuration, ``first`` first, each in its own fresh copy."""
    order = [first] + [name for name in EDITIONS if name != first]
    out = {}
    for name in order:
        with tempfile.TemporaryDirectory(prefix="bench-editions-") as workdir:
            project = Path(workdir) / "book"
            shutil.copytree(ROOT, project, ignore=IGNORE)
            out[name] = build(project, extra=EDITIONS[name])
    return out


def main(argv: list[str] | None = None) -> int:
    """Time the runs and print the medians, the ratio and the target as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    names = list(EDITIONS)
    runs = [one_run(names[i % len(names)]) for i in range(args.runs)]
    medians = {
        name: {key: statistics.median(r[name][key] for r in runs) for key in ("seconds", "cpu_seconds")}
        for name in names
    }
    ratio = medians["both"]["seconds"] / medians["english"]["seconds"]
    report = {
        "runs": [{name: {k: r[name][k] for k in ("seconds", "cpu_seconds")} for name in names} for r in runs],
        "median": medians,
        "ratio_wall": round(ratio, 3),
        "target": TARGET,
        "met": ratio <= TARGET,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
