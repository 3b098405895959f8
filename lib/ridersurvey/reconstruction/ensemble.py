"""An ensemble of exact reconstructions: independent searches from derived seeds, and walks from them.

*Search members*: member ``i`` is the search of :func:`ridersurvey.reconstruction.search.reconstruct` from
the ``i``-th seed of ``numpy.random.SeedSequence(base_seed).spawn(K)``, run until it meets every attainable
target. *Walk members*: from each exact search member, seeded random walks (:func:`walk`: annealing with
the targets as a penalty and no other objective, then the exact final step back into the target box), each
a further exact reconstruction some tens of rows away from its base. Each row
records the seed and the proposal count that replay it, whether it met every target, a fingerprint of the
data set (so that members are checked to be distinct), the fit of :meth:`ridersurvey.model.logit.LogitFit.summary_row`
and every statistic of :data:`ridersurvey.reconstruction.unpublished.CATALOGUE`. The members are the
outputs of a search, not a random sample of the data sets consistent with the paper: only their extremes
mean something (inner bounds).

Rows are appended to ``members.jsonl`` as they finish, so an interrupted run resumes where it stopped. Each
line, and the summary, opens with the notice that the data sets are reconstructed (:func:`summary_notice`); a
non-finite statistic is written as ``null`` and read back as NaN.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ridersurvey.data.csvnotes import notes_text, read_data_csv
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.data.strict_json import nan_for_null
from ridersurvey.reconstruction import kernel as K
from ridersurvey.reconstruction.endgame import land
from ridersurvey.reconstruction.outputs import (
    decode,
    encode,
    encoded_notice,
    fingerprint,
    json_dump,
    read_record_line,
    record_line,
    version,
)
from ridersurvey.reconstruction.search import Reconstruction, Schedule, kernel_seed, reconstruct, verify
from ridersurvey.reconstruction.state import frame, state_of
from ridersurvey.reconstruction.targets import target_arrays, targets_from_published
from ridersurvey.reconstruction.tasks import run_tasks
from ridersurvey.reconstruction.unpublished import evaluate

SUMMARY_FILE = "summary.csv"
META_FILE = "ensemble.json"
CHECKPOINT_FILE = "members.jsonl"
WALKS_CHECKPOINT_FILE = "walks.jsonl"
#: Leading columns of the summary (then the fit and the unpublished statistics, then the search's).
ID_COLUMNS = ("seed", "method", "base_seed", "success", "n_failures", "fingerprint")
SEARCH_COLUMNS = ("proposals", "cycles", "wall_seconds", "data")


def summary_notice() -> tuple[str, ...]:
    """The notice that opens the summary and every checkpoint line: its ``data`` are reconstructed."""
    return encoded_notice("data", "ridersurvey reconstruct --ensemble", META_FILE)


def ensemble_seeds(k: int, seed: int) -> list[int]:
    """K independent 32-bit seeds derived from ``seed`` (``numpy.random.SeedSequence(seed).spawn(k)``)."""
    return [int(s.generate_state(1, np.uint32)[0]) for s in np.random.SeedSequence(int(seed)).spawn(int(k))]


def member_row(rec: Reconstruction) -> dict:
    """The ensemble row of one reconstruction."""
    row = {
        "seed": int(rec.seed),
        "method": "search",
        "base_seed": None,
        "success": bool(rec.success),
        "n_failures": len(rec.failures),
        "fingerprint": fingerprint(rec.data),
    }
    row.update(evaluate(rec.data))
    row.update({"proposals": int(rec.proposals), "cycles": int(rec.cycles), "wall_seconds": float(rec.wall_seconds)})
    row["data"] = encode(rec.data)
    return row


def ensemble_member(seed: int, max_seconds: float, max_proposals: int | None, schedule: Schedule | None) -> dict:
    """Search from ``seed`` and return its row (:func:`member_row`)."""
    return member_row(reconstruct(seed, max_seconds=max_seconds, schedule=schedule, max_proposals=max_proposals))


def run_ensemble(
    k: int,
    seed: int,
    jobs: int = 1,
    scheduler: str | None = None,
    max_seconds: float = math.inf,
    progress: bool = True,
    max_proposals: int | None = None,
    schedule: Schedule | None = None,
    checkpoint: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """K independent reconstructions and the statistics of each, one row per reconstruction.

    Parameters
    ----------
    k, seed : int
        Members, and the base seed their seeds derive from (:func:`ensemble_seeds`).
    jobs : int
        Local worker processes (joblib).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of an existing Dask cluster (instead of local processes).
    max_seconds, max_proposals : optional
        Budget per member (the default runs each search until it meets every target).
    progress : bool
        Show a progress bar.
    schedule : Schedule, optional
        The search schedule of every member.
    checkpoint : path, optional
        A JSON-lines file: rows already in it are reused, new rows are appended as they finish.

    Returns
    -------
    DataFrame
        Rows in the order of the derived seeds; with a proposal budget and no binding time limit, every
        column but ``wall_seconds`` is a function of ``seed`` and ``k`` alone.
    """
    seeds = ensemble_seeds(k, seed)
    done = _read_checkpoint(checkpoint)
    todo = [s for s in seeds if s not in done]
    keep = _appender(done, checkpoint)

    run_tasks(
        ensemble_member,
        [(s, max_seconds, max_proposals, schedule) for s in todo],
        jobs=jobs,
        scheduler=scheduler,
        progress=progress,
        desc="reconstructions",
        on_result=keep,
    )
    rows = [{"method": "search", "base_seed": None, **done[s]} for s in seeds]
    return order_columns(pd.DataFrame(rows))


@dataclass(frozen=True)
class WalkSettings:
    """A walk: ``proposals`` of annealing from T0 to T1 with the targets' squared-hinge penalty (errors below
    ``hinge`` free), then the exact final step; ``attempts`` walks (new seeds) before giving up."""

    proposals: int = 1_000_000
    T0: float = 2.0
    T1: float = 0.01
    hinge: float = 0.8
    p_outcome: float = 0.1
    attempts: int = 3

    def to_dict(self) -> dict:
        """A JSON-ready record."""
        return dataclasses.asdict(self)


def walk_seeds(base_seed: int, index: int, walks: int) -> list[int]:
    """Seeds of the walks from search member ``index`` of an ensemble with base seed ``base_seed``."""
    return [kernel_seed(int(base_seed), 7, int(index), w) for w in range(int(walks))]


def walk(base: pd.DataFrame, seed: int, settings: WalkSettings | None = None):
    """A seeded random walk from an exact reconstruction to another one.

    Returns ``(data, attempts)``: the data set reached (``None`` if no attempt landed in the target box) and
    the attempts used. The walk is a pure function of ``base``, ``seed`` and ``settings``.
    """
    settings = settings or WalkSettings()
    targets = targets_from_published()
    arrays = target_arrays(targets)
    none = np.zeros(4, dtype=np.int64)
    ordinal = np.zeros(0, dtype=np.int64)
    for attempt in range(settings.attempts):
        X, y, beta = state_of(targets, base)
        K.anneal_directed(
            X, y, beta, arrays.bstar, arrays.btol, arrays.zidx, arrays.zstar, arrays.ztol, settings.hinge, K.NONE,
            none, 0.0, ordinal, kernel_seed(int(seed), attempt), settings.proposals, settings.T0, settings.T1,
            settings.p_outcome,
        )  # fmt: skip
        if land(X, y, beta, arrays).success:
            data = frame(targets, X, y)
            if not verify(data, targets):
                return data, attempt + 1
    return None, settings.attempts


def walk_member(base_seed: int, base_code: str, seed: int, settings: WalkSettings) -> dict:
    """The ensemble row of the walk with ``seed`` from the search member with ``base_seed`` (data ``base_code``)."""
    start = time.perf_counter()
    data, attempts = walk(decode(base_code), seed, settings)
    row = {"seed": int(seed), "method": "walk", "base_seed": int(base_seed), "success": data is not None}
    row["n_failures"] = 0 if data is not None else 1
    if data is None:
        return row
    row["fingerprint"] = fingerprint(data)
    row.update(evaluate(data))
    row.update({"proposals": settings.proposals * attempts, "cycles": attempts})
    row["wall_seconds"] = time.perf_counter() - start
    row["data"] = encode(data)
    return row


def run_walks(
    searches: pd.DataFrame,
    walks: int,
    base_seed: int,
    settings: WalkSettings | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    checkpoint: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """``walks`` walk members from every exact search member (rows of :func:`run_ensemble`, in seed order).

    Seeds come from :func:`walk_seeds`; rows are checkpointed like :func:`run_ensemble`'s.
    """
    settings = settings or WalkSettings()
    tasks = []
    for index, row in enumerate(searches.itertuples(index=False)):
        if row.method == "search" and bool(row.success):
            for s in walk_seeds(base_seed, index, walks):
                tasks.append((int(row.seed), row.data, s, settings))
    done = _read_checkpoint(checkpoint)
    todo = [t for t in tasks if t[2] not in done]
    run_tasks(
        walk_member, todo, jobs=jobs, scheduler=scheduler, progress=progress, desc="walks",
        on_result=_appender(done, checkpoint),
    )  # fmt: skip
    return order_columns(pd.DataFrame([done[t[2]] for t in tasks]))


def _read_checkpoint(checkpoint) -> dict[int, dict]:
    done: dict[int, dict] = {}
    path = Path(checkpoint) if checkpoint is not None else None
    if path is not None and path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = nan_for_null(read_record_line(line), keep_null=ID_COLUMNS + SEARCH_COLUMNS)
                done[int(row["seed"])] = row
    return done


def _appender(done: dict, checkpoint):
    path = Path(checkpoint) if checkpoint is not None else None

    def keep(_i: int, row: dict) -> None:
        done[int(row["seed"])] = row
        if path is not None:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(record_line(row, summary_notice()))

    return keep


def order_columns(summary: pd.DataFrame) -> pd.DataFrame:
    """Identification first, the search's columns last, the statistics between in their original order."""
    first = [c for c in ID_COLUMNS if c in summary]
    last = [c for c in SEARCH_COLUMNS if c in summary]
    middle = [c for c in summary.columns if c not in first and c not in last]
    return summary[first + middle + last]


def write_ensemble(summary: pd.DataFrame, out_dir: str | os.PathLike, meta: dict) -> None:
    """``out_dir/summary.csv`` (its notice as ``#`` lines, floats as ``%.6g``) and ``out_dir/ensemble.json``
    (``meta``, sorted keys)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = order_columns(summary).to_csv(index=False, float_format="%.6g", lineterminator="\n")
    (out / SUMMARY_FILE).write_text(notes_text(summary_notice()) + table, encoding="utf-8")
    json_dump(meta, out / META_FILE)


def ensemble_meta(summary: pd.DataFrame, k: int, seed: int, **settings) -> dict:
    """The run record of ``ensemble.json``: base seed, derived seeds, counts of exact and distinct members."""
    exact = summary[summary["success"].astype(bool)]
    return {
        "k": int(k),
        "base_seed": int(seed),
        "seeds": ensemble_seeds(k, seed),
        "n_members": int(len(summary)),
        "n_search": int((summary["method"] == "search").sum()),
        "n_walk": int((summary["method"] == "walk").sum()),
        "n_success": int(len(exact)),
        "n_distinct_exact": int(exact["fingerprint"].nunique()) if "fingerprint" in exact else None,
        "ridersurvey_version": version(),
        **settings,
    }


def load_ensemble(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The ensemble summary (default ``data/ensemble/summary.csv``), one row per member."""
    path = Path(path) if path is not None else DATA_DIR / "ensemble" / SUMMARY_FILE
    return read_data_csv(path, dtype={"data": str, "fingerprint": str, "method": str})


def load_meta(path: str | os.PathLike | None = None) -> dict:
    """The ensemble's run record (default ``data/ensemble/ensemble.json``)."""
    return json.loads((Path(path) if path is not None else DATA_DIR / "ensemble" / META_FILE).read_text("utf-8"))


def exact_members(summary: pd.DataFrame) -> pd.DataFrame:
    """The members that meet every attainable target, one per distinct data set."""
    exact = summary[summary["success"].astype(bool)]
    if "fingerprint" in exact:
        exact = exact.drop_duplicates("fingerprint")
    return exact.reset_index(drop=True)


def regenerate_member(seed: int, schedule: Schedule | None = None, max_proposals: int | None = None) -> Reconstruction:
    """The member with ``seed`` searched again (its row's ``proposals`` replays a budget-limited run)."""
    return reconstruct(int(seed), max_seconds=math.inf, schedule=schedule, max_proposals=max_proposals)


def timed(func, *args, **kwargs):
    """``(func(*args, **kwargs), wall seconds)``."""
    start = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - start


def rows_moved(summary: pd.DataFrame) -> pd.Series:
    """For each walk member, how many of its rows differ from its base search member's (multiset difference)."""
    from collections import Counter

    by_seed = summary.set_index("seed")["data"]
    walks = summary[summary["method"] == "walk"]
    out = {}
    for seed, base, code in zip(walks["seed"], walks["base_seed"], walks["data"], strict=True):
        if not isinstance(code, str):
            continue
        width = 10
        a = Counter(code[i : i + width] for i in range(0, len(code), width))
        b = Counter(by_seed[int(base)][i : i + width] for i in range(0, len(code), width))
        out[int(seed)] = sum((a - b).values())
    return pd.Series(out, name="rows_moved", dtype=float)
