"""Benchmark the robustness chapter's case bootstrap (2,000 resamples of the analysis file); target <= 10 s.

Run on demand (``make bench`` or ``python benchmarks/bench_bootstrap.py [--runs 3]``); prints the median.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ridersurvey.model.logit import load_analysis_data
from ridersurvey.robustness.bootstrap import bootstrap

TARGET_SECONDS = 10.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions (the median is reported)")
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args(argv)
    data = load_analysis_data()
    seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        bootstrap(data, n_boot=args.resamples)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    verdict = "meets" if median <= TARGET_SECONDS else "misses"
    print(
        f"bootstrap, {args.resamples} resamples: median {median:.2f} s over {args.runs} runs "
        f"({verdict} <= {TARGET_SECONDS:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
