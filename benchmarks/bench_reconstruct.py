"""Benchmark the reconstruction search: wall time to success and proposals/s over several seeds, and the
throughput of exact reconstructions (independent searches and walks) on 1 and 2 local workers.

    python benchmarks/bench_reconstruct.py [--seeds 0 1 ... 9] [--max-seconds 120] [--legacy]

Prints a table, then one JSON document (medians and per-seed rows) on the last line of stdout. Run it on a
quiet machine: the load average at the start and the end is reported with the results.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time

from ridersurvey.reconstruction import ensemble as E
from ridersurvey.reconstruction import search as S


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument("--legacy", action="store_true", help="the original schedule (beam-search final step)")
    ap.add_argument("--throughput-k", type=int, default=4, help="members per throughput run (0: skip)")
    args = ap.parse_args(argv)
    schedule = S.LEGACY_SCHEDULE if args.legacy else S.Schedule()
    load_start = os.getloadavg()

    t0 = time.perf_counter()  # compile or load the numba cache
    warm = dataclasses.replace(schedule, proposals_per_cycle=20_000, chunk=10_000, reheats=0)
    S.reconstruct(0, max_seconds=1e9, max_proposals=20_000, schedule=warm)
    compile_s = time.perf_counter() - t0

    rows = []
    print(f"{'seed':>5} {'success':>8} {'wall_s':>7} {'cpu_s':>7} {'cycles':>6} {'anneal/s':>10} {'final_s':>8}  unmet")
    for seed in args.seeds:
        cpu = time.process_time()
        rec = S.reconstruct(seed, max_seconds=args.max_seconds, schedule=schedule)
        row = {
            "seed": seed,
            "success": rec.success,
            "wall_seconds": round(rec.wall_seconds, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "proposals": rec.proposals,
            "anneal_proposals": rec.anneal_proposals,
            "anneal_proposals_per_second": round(rec.anneal_proposals / rec.anneal_seconds)
            if rec.anneal_seconds
            else None,
            "proposals_per_second": round(rec.proposals_per_second),
            "final_step_seconds": round(rec.final_step_seconds, 2),
            "cycles": rec.cycles,
            "unmet": len(rec.failures),
        }
        rows.append(row)
        print(
            f"{seed:>5} {str(rec.success):>8} {row['wall_seconds']:>7.1f} {row['cpu_seconds']:>7.1f} {rec.cycles:>6} "
            f"{row['anneal_proposals_per_second'] or 0:>10,} {row['final_step_seconds']:>8.1f}  {row['unmet']}",
            flush=True,
        )
    wall = [r["wall_seconds"] if r["success"] else args.max_seconds for r in rows]
    summary = {
        "schedule": "legacy" if args.legacy else "default",
        "seeds": args.seeds,
        "max_seconds": args.max_seconds,
        "compile_or_cache_load_seconds": round(compile_s, 2),
        "n_success": sum(r["success"] for r in rows),
        # wall time to success; failed seeds count as the time limit (a lower bound)
        "median_wall_seconds": statistics.median(wall),
        "max_wall_seconds": max(wall),
        "median_cpu_seconds": statistics.median(r["cpu_seconds"] for r in rows),
        "median_anneal_proposals_per_second": statistics.median(
            r["anneal_proposals_per_second"] for r in rows if r["anneal_proposals_per_second"]
        ),
        "median_proposals_per_second": statistics.median(r["proposals_per_second"] for r in rows),
        "runs": rows,
        "throughput": throughput(args.throughput_k, schedule) if args.throughput_k else None,
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(
        f"{summary['n_success']}/{len(rows)} seeds met every target; median wall {summary['median_wall_seconds']:.1f}s "
        f"(failures at the limit), slowest {summary['max_wall_seconds']:.1f}s, median annealer proposals/s "
        f"{summary['median_anneal_proposals_per_second']:,.0f}; load {summary['load_average_start']} -> "
        f"{summary['load_average_end']}"
    )
    print(json.dumps(summary))
    return summary


def throughput(k: int, schedule: S.Schedule) -> dict:
    """Exact reconstructions per minute with 1 and 2 local workers: ``k`` independent searches (seeds from
    base 7), then ``k`` walks from the first search member."""
    out = {}
    for jobs in (1, 2):
        t0 = time.perf_counter()
        searches = E.run_ensemble(k, 7, jobs=jobs, schedule=schedule, progress=False)
        t1 = time.perf_counter()
        walks = E.run_walks(searches.iloc[:1], k, 7, jobs=jobs, progress=False)
        t2 = time.perf_counter()
        out[f"searches_per_minute_jobs_{jobs}"] = round(60 * int(searches["success"].sum()) / (t1 - t0), 2)
        out[f"walks_per_minute_jobs_{jobs}"] = round(60 * int(walks["success"].sum()) / (t2 - t1), 2)
        print(
            f"{jobs} worker(s): {out[f'searches_per_minute_jobs_{jobs}']:.2f} exact searches/min, "
            f"{out[f'walks_per_minute_jobs_{jobs}']:.2f} exact walks/min",
            flush=True,
        )
    return out


if __name__ == "__main__":
    main()
