"""Benchmark ``python -m tablecheck`` on a 1,000-row table with every column; target < 1 s.

Run on demand (``python benchmarks/bench_tablecheck.py [--runs 5] [--rows 1000]``); prints the median time of
reading, checking and printing the table in-process (the interpreter's start-up and imports are not counted).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

from tablecheck.cli import main as tablecheck_main

TARGET_SECONDS = 1.0


def synthetic_table(rows: int, seed: int = 22) -> str:
    """A printed table of ``rows`` random terms with every column (deterministic).

    b, SE, z, p, OR, CI and stars agree up to rounding; SEs and SDs are drawn without regard to the SE floor, so
    some rows fail it, as a real table might.
    """
    rng = np.random.default_rng(seed)
    lines = ["term,b,se,z,p,or,ci_low,ci_high,stars,sd,n"]
    for i in range(rows):
        b, se, sd = rng.normal(0, 0.8), rng.uniform(0.05, 0.6), rng.uniform(0.3, 2.0)
        z = b / se
        p = 2 * stats.norm.sf(abs(z))
        stars = "*" * sum(p < t for t in (0.05, 0.01, 0.001))
        lo, hi = math.exp(b - 1.96 * se), math.exp(b + 1.96 * se)
        lines.append(f"x{i},{b:.3f},{se:.3f},{z:.2f},{p:.3f},{math.exp(b):.3f},{lo:.3f},{hi:.3f},{stars},{sd:.3f},500")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions (the median is reported)")
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "table.csv"
        path.write_text(synthetic_table(args.rows), encoding="utf-8")
        seconds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                status = tablecheck_main([str(path)])
            seconds.append(time.perf_counter() - start)
            if status != 0:
                raise SystemExit(f"tablecheck exited {status}")
    median = statistics.median(seconds)
    verdict = "meets" if median < TARGET_SECONDS else "misses"
    runs = f"{args.runs} runs ({verdict} < {TARGET_SECONDS:.0f} s)"
    print(f"tablecheck, {args.rows} rows: median {median:.3f} s over {runs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
