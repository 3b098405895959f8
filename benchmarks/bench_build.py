"""Benchmark the book build: clean, no-change, prose-edit and data-change rebuilds, and peak memory.

Run on demand (``make bench`` or ``python benchmarks/bench_build.py [--runs 3] [--baseline REV]``), not in
the tests. Each run works on a fresh temporary copy of the project whose own ``lib/`` and ``data/`` are the
ones executed (``PYTHONPATH`` / ``RIDERSURVEY_DATA``), so the working tree and its ``_build`` are untouched.

``--baseline REV`` also benchmarks the tree of git revision ``REV`` (``git archive``), with the same
environment, in the same run: the two trees alternate (which goes first swaps every run), so load from
other processes falls on both alike, and the report gives the ratio of the clean-build medians.

Each tree is built with its own README command: ``python -m bookbuild`` where the tree has
``tools/bookbuild`` (the copy's own tooling, on ``PYTHONPATH``), ``python tools/build_book.py`` where it has
that (trees before the tooling moved), else ``jupyter-book build``; always with ``-W -n --keep-going``.
Scenarios, each timed as wall-clock seconds:

* ``clean``: empty ``_build`` (no execution cache); target <= 35 s;
* ``no_change``: immediately rebuild; target <= 10 % of clean;
* ``prose_edit``: one chapter gains a sentence of prose; target <= 25 % of clean;
* ``data_change``: ``data/riders_survey.csv`` changes bytes (a trailing newline, same values), so
  exactly the chapters that depend on it re-execute.

Also reported: which chapters each build executed, myst-nb's per-notebook execution seconds (to see
where the clean build's time goes), the cost of a kernel that only imports the scientific stack, and
the peak resident memory of the largest process (``RUSAGE_CHILDREN`` ``ru_maxrss`` of a wrapper) and the
CPU seconds the build consumed in all its processes (user + system), which, unlike wall-clock time, does
not depend on what else the machine is running.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
IGNORE = shutil.ignore_patterns(
    "_build", ".git", ".venv", ".pytest_cache", "__pycache__", "*.egg-info", ".ipynb_checkpoints"
)
TARGETS = {"clean": 35.0, "no_change": 0.10, "prose_edit": 0.25}
SCENARIOS = ("clean", "no_change", "prose_edit", "data_change")

_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "dt = time.perf_counter() - t\n"
    "sys.stdout.write(p.stdout + p.stderr)\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print('@@BENCH', p.returncode, dt, u.ru_maxrss, u.ru_utime + u.ru_stime)\n"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_EXECUTED = re.compile(r"/(chapters/[\w-]+)\.\w+: Executed notebook in ([\d.]+) seconds")
_BARE_KERNEL = """---
kernelspec: {display_name: Python 3, language: python, name: python3}
---
```{code-cell} ipython3
pass
```
"""
_IMPORTS_ONLY = """---
kernelspec: {display_name: Python 3, language: python, name: python3}
---
```{code-cell} ipython3
import ridersurvey, pandas, numpy, scipy.stats, statsmodels.api, matplotlib.pyplot
```
"""


def build_command(project: Path) -> list[str]:
    """The tree's own build command (without arguments)."""
    if (project / "tools" / "bookbuild").is_dir():
        return [sys.executable, "-m", "bookbuild"]
    wrapper = project / "tools" / "build_book.py"
    if wrapper.is_file():
        return [sys.executable, str(wrapper)]
    return [str(BIN / "jupyter-book"), "build"]


def python_path(project: Path) -> str:
    """``PYTHONPATH`` for a build of the copy: its library and, where it has one, its build tooling."""
    return os.pathsep.join(str(p) for p in (project / "lib", project / "tools" / "bookbuild") if p.is_dir())


def build(project: Path, strict: bool = True, extra: tuple[str, ...] = ()) -> dict:
    """Build the copy once; return seconds, peak RSS (MiB) and myst-nb's executions.

    ``strict`` builds as the README does (``-W -n``); without it warnings are tolerated, which lets a
    run with ``--skip`` (dangling references to the skipped chapter) finish. ``extra`` arguments follow
    (``--language all``: both editions).
    """
    env = dict(os.environ, PYTHONPATH=python_path(project), RIDERSURVEY_DATA=str(project / "data"))
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _WRAPPER,
            *build_command(project),
            str(project),
            *(["-W", "-n"] if strict else []),
            "--keep-going",
            *extra,
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    log = _ANSI.sub("", proc.stdout)
    code, seconds, maxrss, cpu = log.rsplit("@@BENCH", 1)[1].split()
    if int(code) != 0:
        tail = "\n".join(log.splitlines()[-40:])
        raise SystemExit(f"build failed in {project}:\n{tail}")
    executed = {doc: float(sec) for doc, sec in _EXECUTED.findall(log)}
    return {
        "seconds": float(seconds),
        "cpu_seconds": float(cpu),
        "peak_rss_mib": int(maxrss) / 1024,
        "executed": executed,
    }


def kernel_seconds(project: Path, source: str) -> float:
    """Wall-clock seconds to start a kernel and run one MyST notebook the way myst-nb does."""
    import jupytext
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = jupytext.reads(source, fmt="md:myst")
    os.environ["PYTHONPATH"] = python_path(project)
    start = time.perf_counter()
    result = single_nb_execution(notebook, cwd=str(project / "chapters"), timeout=300, allow_errors=False)
    if result.err is not None:
        raise SystemExit(f"probe notebook failed: {result.exc_string}")
    return time.perf_counter() - start


def export_revision(revision: str, destination: Path) -> Path:
    """Write the tree of a git revision of this repository to ``destination`` (``git archive``)."""
    destination.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)
    return destination


def one_run(
    workdir: Path, prose_chapter: str, skip: list[str], source: Path = ROOT, scenarios: tuple[str, ...] = SCENARIOS
) -> dict:
    """Copy the project ``source`` (minus the ``skip`` chapters), then time the ``scenarios`` in order.

    ``scenarios`` is all of :data:`SCENARIOS` or just ``("clean",)``.
    """
    project = workdir / "book"
    shutil.copytree(source, project, ignore=IGNORE)
    if skip:
        toc = project / "_toc.yml"
        lines = toc.read_text(encoding="utf-8").splitlines(keepends=True)
        dropped = {f"chapters/{name}" for name in skip}
        toc.write_text(
            "".join(line for line in lines if line.split("file:")[-1].strip() not in dropped), encoding="utf-8"
        )
    strict = not skip
    out = {"clean": build(project, strict)}
    if scenarios == ("clean",):
        return out
    out["no_change"] = build(project, strict)
    chapter = project / "chapters" / f"{prose_chapter}.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").rstrip("\n") + "\n\nThis sentence was added by the build benchmark.\n",
        encoding="utf-8",
    )
    out["prose_edit"] = build(project, strict)
    survey = project / "data" / "riders_survey.csv"
    survey.write_bytes(survey.read_bytes() + b"\n")
    out["data_change"] = build(project, strict)
    out["bare_kernel"] = kernel_seconds(project, _BARE_KERNEL)
    out["imports_only"] = kernel_seconds(project, _IMPORTS_ONLY)
    return out


def summarise(runs: list[dict]) -> dict:
    """Medians over runs, ratios to the clean build, targets and executed chapters."""
    clean = statistics.median(r["clean"]["seconds"] for r in runs)
    summary: dict = {"runs": len(runs), "scenarios": {}}
    for name in (name for name in SCENARIOS if name in runs[0]):
        seconds = statistics.median(r[name]["seconds"] for r in runs)
        entry = {
            "median_seconds": round(seconds, 2),
            "ratio_to_clean": round(seconds / clean, 3),
            "cpu_seconds": round(statistics.median(r[name].get("cpu_seconds", float("nan")) for r in runs), 1),
            "peak_rss_mib": round(max(r[name]["peak_rss_mib"] for r in runs), 1),
            "executed": sorted(runs[-1][name]["executed"]),
        }
        if name in TARGETS:
            value = seconds if name == "clean" else seconds / clean
            entry["target"] = TARGETS[name]
            entry["meets_target"] = bool(value <= TARGETS[name])
        summary["scenarios"][name] = entry
    execution = runs[-1]["clean"]["executed"]
    summary["clean_breakdown"] = {
        "notebooks_executed": len(execution),
        "execution_seconds_total": round(sum(execution.values()), 2),
        "execution_seconds_by_chapter": {k: round(v, 2) for k, v in sorted(execution.items())},
    }
    if "bare_kernel" in runs[0]:
        summary["clean_breakdown"]["bare_kernel_seconds"] = round(statistics.median(r["bare_kernel"] for r in runs), 2)
        summary["clean_breakdown"]["imports_only_kernel_seconds"] = round(
            statistics.median(r["imports_only"] for r in runs), 2
        )
    return summary


def print_table(summary: dict) -> None:
    clean = summary["scenarios"]["clean"]["median_seconds"]
    print(f"\nBook build benchmark (median of {summary['runs']} run(s); clean = {clean:.1f} s)\n")
    print(
        f"{'scenario':<12} {'seconds':>8} {'cpu s':>7} {'x clean':>8} {'target':>8} {'ok':>4} {'peak MiB':>9}  executed"
    )
    for name, entry in summary["scenarios"].items():
        target = entry.get("target")
        shown = "" if target is None else (f"{target:.0f} s" if name == "clean" else f"{target:.2f}")
        ok = "" if target is None else ("yes" if entry["meets_target"] else "NO")
        executed = ", ".join(d.split("/")[-1] for d in entry["executed"]) or "-"
        print(
            f"{name:<12} {entry['median_seconds']:>8.1f} {entry['cpu_seconds']:>7.1f} {entry['ratio_to_clean']:>8.3f} "
            f"{shown:>8} {ok:>4} {entry['peak_rss_mib']:>9.0f}  {executed}"
        )
    b = summary["clean_breakdown"]
    print(f"\nclean build: {b['notebooks_executed']} notebooks, {b['execution_seconds_total']:.1f} s executing")
    if "bare_kernel_seconds" in b:
        print(f"new kernel: {b['bare_kernel_seconds']:.1f} s bare, {b['imports_only_kernel_seconds']:.1f} s importing")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions (medians are reported)")
    parser.add_argument(
        "--prose-chapter",
        default="conclusions",
        help="chapter (under chapters/) whose prose the prose-edit scenario changes",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="CHAPTER",
        help="leave this chapter out of the copy's table of contents (repeatable; the builds then tolerate warnings)",
    )
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also benchmark this git revision's tree in the same run (e.g. 7afb45c) and compare clean builds",
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="also benchmark the project tree in DIR, in the same run (repeatable; for variants)",
    )
    parser.add_argument("--clean-only", action="store_true", help="time only the clean build")
    parser.add_argument("--json", type=Path, help="also write the summary JSON to this file")
    args = parser.parse_args(argv)
    trees = {"this tree": ROOT}
    with tempfile.TemporaryDirectory(prefix="bench_baseline_") as base_tmp:
        if args.baseline:
            trees[args.baseline] = export_revision(args.baseline, Path(base_tmp) / "tree")
        trees.update({str(path): path.resolve() for path in args.also})
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for index in range(args.runs):
            order = list(trees)[index % len(trees) :] + list(trees)[: index % len(trees)]
            for name in order:
                with tempfile.TemporaryDirectory(prefix="bench_build_") as tmp:
                    scenarios = ("clean",) if args.clean_only else SCENARIOS
                    runs[name].append(one_run(Path(tmp), args.prose_chapter, args.skip, trees[name], scenarios))
                print(
                    f"run {index + 1}/{args.runs} {name}: clean {runs[name][-1]['clean']['seconds']:.1f} s", flush=True
                )
    summary: dict = {"skipped_chapters": args.skip, "trees": {}}
    for name, tree_runs in runs.items():
        summary["trees"][name] = summarise(tree_runs)
        print(f"\n=== {name} ===")
        print_table(summary["trees"][name])
    if args.baseline:
        new = summary["trees"]["this tree"]["scenarios"]["clean"]["median_seconds"]
        old = summary["trees"][args.baseline]["scenarios"]["clean"]["median_seconds"]
        summary["clean_ratio_to_baseline"] = round(new / old, 3)
        cpu_new = summary["trees"]["this tree"]["scenarios"]["clean"]["cpu_seconds"]
        cpu_old = summary["trees"][args.baseline]["scenarios"]["clean"]["cpu_seconds"]
        summary["clean_cpu_ratio_to_baseline"] = round(cpu_new / cpu_old, 3)
        summary["clean_ratio_per_run"] = [
            round(a["clean"]["seconds"] / b["clean"]["seconds"], 3)
            for a, b in zip(runs["this tree"], runs[args.baseline], strict=True)
        ]
        print(
            f"\nclean build: this tree {new:.1f} s, {args.baseline} {old:.1f} s (medians): ratio "
            f"{summary['clean_ratio_to_baseline']:.2f} (per run: {summary['clean_ratio_per_run']}); "
            f"CPU seconds {cpu_new:.0f} against {cpu_old:.0f} ({summary['clean_cpu_ratio_to_baseline']:.2f})"
        )
    text = json.dumps(summary, indent=2)
    print("\n" + text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
