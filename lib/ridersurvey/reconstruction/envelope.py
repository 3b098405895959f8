"""The envelope: how far each unpublished statistic can range over data sets that meet every target.

For each objective of :func:`ridersurvey.reconstruction.unpublished.objectives` and each direction, a
*directed search* starts from an exact reconstruction and repeats rounds of

1. a push: annealing on ``target loss - weight x objective`` (:func:`kernel.anneal_directed`), the targets
   held by their squared-hinge penalty and the statistic (or, for the costly ones, a cheap proxy that moves
   with it) as a second objective;
2. a repair: the exact final step (:func:`ridersurvey.reconstruction.endgame.land`) back into the box where
   every target is met, then an independent check (:func:`ridersurvey.reconstruction.search.verify`);
3. the exact statistic of the repaired data set (statsmodels, firthmodels): kept if it improves on the best
   so far; the next push starts from the best.

The best data set found is the *witness* of that extreme. Every witness meets every attainable target at
the printed precision, so the smallest and largest values are **inner bounds**: data sets consistent with
everything the paper printed exist at least this far apart; the true range may be wider. A witness is
regenerated from the start data set, the objective, the direction, the seed and the settings, replaying
the rounds up to the one that found it (:func:`regenerate_witness`).

``searches.jsonl`` is strict JSON, one search per line, each opening with the notice that its data sets are
reconstructed (:func:`searches_notice`); a statistic that could not be computed is written as ``null`` and
read back as NaN (:func:`read_search`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.precision import agrees
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.data.strict_json import nan_for_null
from ridersurvey.model.codings import ORDINAL
from ridersurvey.model.logit import load_analysis_data
from ridersurvey.reconstruction import kernel as K
from ridersurvey.reconstruction.endgame import EndgameSettings, ascend, land
from ridersurvey.reconstruction.ensemble import exact_members, load_ensemble
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
from ridersurvey.reconstruction.search import kernel_seed, verify
from ridersurvey.reconstruction.state import frame, state_of
from ridersurvey.reconstruction.targets import (
    DEFAULT_MARGIN,
    PREDICTORS,
    TargetArrays,
    Targets,
    target_arrays,
    targets_from_published,
)
from ridersurvey.reconstruction.tasks import run_tasks
from ridersurvey.reconstruction.unpublished import CATALOGUE, MECHANISM_ITEMS, evaluate, objective_value
from ridersurvey.reconstruction.unpublished import objectives as all_objectives

ENVELOPE_FILE = "envelope.csv"
SEARCHES_FILE = "searches.jsonl"
META_FILE = "envelope.json"


def searches_notice() -> tuple[str, ...]:
    """The notice of every line of ``searches.jsonl``: its ``start`` and ``witness`` are reconstructed."""
    return encoded_notice("start and witness", "ridersurvey reconstruct --envelope", META_FILE)


def search_line(record: dict) -> str:
    """One line of ``searches.jsonl``: the notice, then the record with sorted keys, as strict JSON."""
    return record_line(record, searches_notice(), sort_keys=True)


def read_search(line: str) -> dict:
    """The record of one line of ``searches.jsonl``: without the notice, ``null`` statistics and round values
    read as NaN."""
    record = read_record_line(line)
    record["statistics"] = nan_for_null(record["statistics"])
    record["log"] = [nan_for_null(entry) for entry in record["log"]]
    return record


@dataclass(frozen=True)
class EnvelopeSettings:
    """Parameters of one directed search.

    rounds: push-and-repair rounds at most; patience: stop after this many rounds without improvement;
    push_proposals, push_T0, push_T1: the push's annealing; weight: the objective's starting weight, in
    units of its typical change per swap (``scale``, estimated on the start data set), and ``grow`` its
    factor of adaptation; hinge: target errors below this
    cost nothing in the push; scale_swaps: random swaps used to estimate ``scale``; ascent_steps: steps of
    :func:`ridersurvey.reconstruction.endgame.ascend` after each repair (moves that keep every target met).
    """

    rounds: int = 6
    patience: int = 2
    push_proposals: int = 600_000
    push_T0: float = 0.5
    push_T1: float = 0.01
    weight: float = 4.0
    grow: float = 2.0
    hinge: float = 0.8
    p_outcome: float = 0.1
    scale_swaps: int = 2000
    ascent_steps: int = 6
    margin: float = DEFAULT_MARGIN
    endgame: EndgameSettings = field(default_factory=EndgameSettings)

    def to_dict(self) -> dict:
        """A JSON-ready record."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, record: dict) -> EnvelopeSettings:
        """The settings a record describes."""
        record = dict(record)
        if isinstance(record.get("endgame"), dict):
            record["endgame"] = EndgameSettings(**record["endgame"])
        return cls(**record)


def kernel_objective(objective: str) -> tuple[int, np.ndarray, int]:
    """The push's objective for a search objective: (kind, parameters, sign).

    ``sign`` is +1 if the statistic rises with the kernel objective and -1 if it falls (a p-value falls as
    its statistic rises). Costly statistics get a proxy: a Firth p-value the ML Wald z of the same predictor
    (towards larger |z|, smaller p), the joint categorical test of an item the item's Pearson χ², the
    coding test the part of the ordinal items' association that linear codes miss.
    """
    col = {v: i for i, v in enumerate(PREDICTORS)}
    term = {v: i + 1 for i, v in enumerate(PREDICTORS)} | {"const": 0}
    par = np.zeros(4, dtype=np.int64)
    if objective == "coef_const":
        return K.COEF, par, 1
    if objective == "ll":
        return K.LL, par, 1
    if objective in ("auc", "accuracy", "hl_chi2"):
        return {"auc": K.AUC, "accuracy": K.ACCURACY, "hl_chi2": K.HL}[objective], par, 1
    if objective == "coding_lr_p":
        return K.NONLIN, par, -1
    prefix, _, rest = objective.partition("_")
    if objective.startswith(("se_", "z_")):
        par[0] = term[rest]
        return (K.SE if prefix == "se" else K.Z), par, 1
    if objective.startswith("ame_"):
        var = objective.removeprefix("ame_")
        codes = sorted(targets_from_published().counts[var])
        par[:] = term[var], codes[0], codes[-1], len(codes)
        return K.AME, par, 1
    if objective.startswith("corr_"):
        a, b = objective.removeprefix("corr_").split("__")
        par[0], par[1] = col[a], col[b]
        return K.CROSS, par, 1
    if objective.startswith("n_"):
        var, code = objective.removeprefix("n_").rsplit("_", 2)[:2]
        par[0], par[1] = col[var], int(code)
        return K.CELL, par, 1
    if objective.startswith(("chi2_p_", "joint_p_")):
        par[0] = col[objective.split("_p_", 1)[1]]
        return K.CHI2, par, -1
    if objective.startswith("firth_p_"):
        var = objective.removeprefix("firth_p_")
        par[0] = term[var]
        published = targets_from_published().coef(var)
        return K.Z, par, -int(np.sign(published))
    raise ValueError(f"unknown objective {objective!r}")


def objective_scale(X, y, beta, arrays, kind, par, seed: int, swaps: int) -> float:
    """Median |change| of the kernel objective over random swaps from the state (its typical step)."""
    rng = np.random.default_rng(seed)
    n, k = X.shape
    m = beta.shape[0]
    G, H = np.zeros(m), np.zeros((m, m))
    d, Li, eta = np.zeros(m), np.zeros((m, m)), np.empty(n)
    ordinal = np.array([PREDICTORS.index(v) for v in ORDINAL], dtype=np.int64)

    def value(Xs, ys):
        K.accumulate(Xs, ys, beta, G, H)
        K.target_loss(G, H, beta, arrays.bstar, arrays.btol, arrays.zidx, arrays.zstar, arrays.ztol, 0.8, d, Li)
        return K.objective(kind, par, Xs, ys, beta + d, Li, eta, ordinal)

    base = value(X, y)
    changes = []
    for _ in range(swaps):
        col = k if rng.random() < 0.1 else int(rng.integers(k))
        a, b = (int(v) for v in rng.integers(n, size=2))
        if not K.changes(X, y, col, a, b):
            continue
        X2, y2 = X.copy(), y.copy()
        K.swap(X2, y2, col, a, b)
        delta = abs(value(X2, y2) - base)
        if delta > 0:
            changes.append(delta)
    return float(np.median(changes)) if changes else 1.0


@dataclass
class SearchResult:
    """A directed search's outcome: the witness, its value and how to replay it."""

    objective: str
    direction: int
    seed: int
    value: float
    start_value: float
    witness: pd.DataFrame
    best_round: int
    rounds: int
    landed: int
    scale: float
    seconds: float
    log: list = field(default_factory=list)
    hit: pd.DataFrame | None = None
    hit_round: int | None = None


@dataclass(frozen=True)
class _Push:
    """One round of a directed search: push from a state, repair into the target box, climb within it."""

    arrays: TargetArrays
    settings: EnvelopeSettings
    kind: int
    par: np.ndarray
    sign: int
    ordinal: np.ndarray
    seed: int

    def round(self, bX, by, bbeta, weight: float, r: int):
        """The landed state (X, y, beta) of round ``r`` from (bX, by, bbeta) with push ``weight``, or None if the
        repair did not land in the target box."""
        settings, arrays = self.settings, self.arrays
        X, y, beta = bX.copy(), by.copy(), bbeta.copy()
        K.anneal_directed(
            X, y, beta, arrays.bstar, arrays.btol, arrays.zidx, arrays.zstar, arrays.ztol, settings.hinge,
            self.kind, self.par, self.sign * weight, self.ordinal, kernel_seed(self.seed, 1, r),
            settings.push_proposals, settings.push_T0, settings.push_T1, settings.p_outcome,
        )  # fmt: skip
        if not land(X, y, beta, arrays, settings.endgame).success:
            return None
        if settings.ascent_steps:
            ascend(X, y, beta, arrays, self.kind, self.par, float(self.sign), self.ordinal, settings.endgame,
                   settings.ascent_steps)  # fmt: skip
        return X, y, beta


@dataclass
class _Track:
    """What a directed search has found so far: the best value, its data set and state, the data sets that met
    every target, and the first one that prints ``watch`` (``hit``: data set and round; -1 for the start)."""

    value: float
    data: pd.DataFrame
    state: tuple
    watch: float | None
    round: int = -1
    landed: int = 0
    hit: tuple | None = None
    log: list = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.watch is not None and agrees(self.watch, self.value, 3):
            self.hit = (self.data, -1)

    def land(self, r: int, data: pd.DataFrame, value: float, state: tuple, direction: int) -> bool:
        """Count a data set of round ``r`` that meets every target; True if it is the best so far."""
        self.landed += 1
        if self.hit is None and self.watch is not None and agrees(self.watch, value, 3):
            self.hit = (data, r)
        if direction * value > direction * self.value:
            self.value, self.data, self.round, self.state = value, data, r, state
            return True
        return False


def directed_search(
    objective: str,
    direction: int,
    seed: int,
    start: pd.DataFrame,
    settings: EnvelopeSettings | None = None,
    targets: Targets | None = None,
    rounds: int | None = None,
    watch: float | None = None,
) -> SearchResult:
    """Push one statistic to its smallest (``direction = -1``) or largest (+1) value under the targets.

    Each round pushes from the best data set so far, repairs, climbs within the target box
    (:func:`ridersurvey.reconstruction.endgame.ascend`) and scores the result exactly. The push's weight adapts:
    it is multiplied by ``grow`` after a round that landed in the target box and divided by it after one that
    did not.

    Parameters
    ----------
    objective : str
        One of :func:`ridersurvey.reconstruction.unpublished.objectives`.
    direction : int
        -1 for the minimum, +1 for the maximum.
    seed : int
        Determines every push.
    start : DataFrame
        An exact reconstruction (it must meet every target).
    settings : EnvelopeSettings, optional
    targets : Targets, optional
    rounds : int, optional
        Replay exactly this many rounds (ignoring ``patience``): what :func:`regenerate_witness` does.
    watch : float, optional
        A printed value (3 decimals): the first data set met on the way whose statistic agrees with it at the
        printed precision is kept as ``hit`` (the mechanism tests of the audit).

    Returns
    -------
    SearchResult
    """
    settings = settings or EnvelopeSettings()
    targets = targets or targets_from_published()
    arrays = target_arrays(targets, settings.margin)
    if verify(start, targets, settings.margin):
        raise ValueError(messages.text("reconstruction.envelope.start_misses"))
    t0 = time.perf_counter()
    kind, par, sign = kernel_objective(objective)
    bX, by, bbeta = state_of(targets, start)
    scale = objective_scale(bX, by, bbeta, arrays, kind, par, kernel_seed(seed, 0), settings.scale_swaps)
    ordinal = np.array([PREDICTORS.index(v) for v in ORDINAL], dtype=np.int64)
    start_value = objective_value(start, objective)
    best = _Track(start_value, start, (bX, by, bbeta), watch)
    strength, stale = settings.weight, 0
    n_rounds = settings.rounds if rounds is None else rounds
    push = _Push(arrays, settings, kind, par, direction * sign, ordinal, seed)
    r = -1
    for r in range(n_rounds):
        bX, by, bbeta = best.state
        state = push.round(bX, by, bbeta, strength / scale, r)
        data = frame(targets, state[0], state[1]) if state is not None else None
        met = data is not None and not verify(data, targets, settings.margin)
        value = objective_value(data, objective) if met else math.nan
        improved = met and best.land(r, data, value, state, direction)
        best.log.append(
            {"round": r, "landed": state is not None, "value": value, "best": best.value, "weight": strength}
        )
        strength = strength * settings.grow if state is not None else strength / settings.grow
        stale = 0 if improved else stale + 1
        if rounds is None and stale >= settings.patience:
            break
    hit, hit_round = best.hit or (None, None)
    return SearchResult(
        objective=objective,
        direction=direction,
        seed=seed,
        value=float(best.value),
        start_value=float(start_value),
        witness=best.data,
        best_round=best.round,
        rounds=r + 1,
        landed=best.landed,
        scale=scale,
        seconds=time.perf_counter() - t0,
        log=best.log,
        hit=hit,
        hit_round=hit_round,
    )


# ----------------------------------------------------------------------------------------- witnesses
def search_seed(base_seed: int, objective: str, direction: int) -> int:
    """The seed of one directed search, derived from the envelope's base seed, the objective and direction."""
    import hashlib

    tag = int(hashlib.sha256(f"{objective}:{direction}".encode()).hexdigest()[:8], 16)
    return kernel_seed(int(base_seed), tag)


def search_record(res: SearchResult, settings: EnvelopeSettings, start_seed: int | None = None) -> dict:
    """JSON-ready record of a search: how to replay it (start data set, seed, settings, the round that found
    the witness), its witness (encoded) and the witness's statistics, and a watched value's hit if any."""
    record = {
        "objective": res.objective,
        "direction": int(res.direction),
        "seed": int(res.seed),
        "value": float(res.value),
        "start_value": float(res.start_value),
        "start_seed": None if start_seed is None else int(start_seed),
        "best_round": int(res.best_round),
        "rounds": int(res.rounds),
        "landed": int(res.landed),
        "scale": float(res.scale),
        "seconds": float(res.seconds),
        "fingerprint": fingerprint(res.witness),
        "witness": encode(res.witness),
        "statistics": evaluate(res.witness),
        "settings": settings.to_dict(),
        "log": res.log,
    }
    if res.hit is not None and res.hit_round is not None:
        record["hit"] = {"round": int(res.hit_round), "data": encode(res.hit), "statistics": evaluate(res.hit)}
    return record


def start_column(objective: str) -> tuple[str, int]:
    """The ensemble column that ranks start data sets for an objective, and its sign (+1: rises with it)."""
    return ("minus2ll", -1) if objective == "ll" else (objective, 1)


def watched_value(objective: str) -> float | None:
    """The printed p-value a mechanism objective is watched for (a χ² or joint test of an impossible pair)."""
    if objective.startswith(("chi2_p_", "joint_p_")):
        return targets_from_published().p(objective.split("_p_", 1)[1])
    return None


def choose_start(members: pd.DataFrame, objective: str, direction: int) -> pd.Series:
    """The exact member whose statistic is already the most extreme in the search's direction."""
    column, sign = start_column(objective)
    values = members[column].astype(float) * sign * direction
    return members.loc[values.idxmax()]


def envelope_task(
    objective: str, direction: int, seed: int, start_code: str, start_seed: int | None, settings: EnvelopeSettings
) -> dict:
    """One directed search as a task for :func:`ridersurvey.reconstruction.tasks.run_tasks`."""
    start = decode(start_code)
    res = directed_search(objective, direction, seed, start, settings, watch=watched_value(objective))
    record = search_record(res, settings, start_seed)
    record["start"] = start_code
    return record


def run_envelope(
    base_seed: int,
    members: pd.DataFrame,
    objectives=None,
    settings: EnvelopeSettings | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    checkpoint: str | os.PathLike | None = None,
) -> list[dict]:
    """Both directed searches of every objective, on local processes or a Dask cluster.

    Parameters
    ----------
    base_seed : int
        Seeds derive from it (:func:`search_seed`).
    members : DataFrame
        Exact reconstructions to start from, with ``seed``, ``data`` (encoded) and the statistics (the
        ensemble's exact members); each search starts from the one most extreme in its direction
        (:func:`choose_start`).
    objectives : list of str, optional
        Default: all of :func:`ridersurvey.reconstruction.unpublished.objectives`.
    settings : EnvelopeSettings, optional
    jobs, scheduler : optional
        As :func:`ridersurvey.reconstruction.tasks.run_tasks`.
    progress : bool
    checkpoint : path, optional
        JSON-lines file of finished searches: reused, and appended to as searches finish.

    Returns
    -------
    list of dict
        One :func:`search_record` per search, in objective order, minimum first.
    """
    settings = settings or EnvelopeSettings()
    objectives = list(all_objectives() if objectives is None else objectives)
    wanted = [(o, d) for o in objectives for d in (-1, 1)]
    done: dict[tuple[str, int], dict] = {}
    path = Path(checkpoint) if checkpoint is not None else None
    if path is not None and path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = read_search(line)
                done[(rec["objective"], int(rec["direction"]))] = rec
    tasks = []
    for o, d in wanted:
        if (o, d) in done:
            continue
        start = choose_start(members, o, d)
        tasks.append((o, d, search_seed(base_seed, o, d), str(start["data"]), int(start["seed"]), settings))

    def keep(_i: int, rec: dict) -> None:
        done[(rec["objective"], int(rec["direction"]))] = rec
        if path is not None:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(search_line(rec))

    run_tasks(
        envelope_task, tasks, jobs=jobs, scheduler=scheduler, progress=progress, desc="directed searches",
        on_result=keep,
    )  # fmt: skip
    return [done[w] for w in wanted]


def regenerate_witness(record: dict) -> pd.DataFrame:
    """Replay a search record's rounds up to the one that found its witness (from the recorded start data
    set, seed and settings), and return the witness."""
    settings = EnvelopeSettings.from_dict(record["settings"])
    res = directed_search(
        record["objective"], int(record["direction"]), int(record["seed"]), decode(record["start"]), settings,
        rounds=int(record["best_round"]) + 1,
    )  # fmt: skip
    return res.witness


# ----------------------------------------------------------------------------------------- the table
def envelope_frame(records: list[dict]) -> pd.DataFrame:
    """Smallest and largest value of every catalogue statistic over the witnesses, with the witness of each.

    Every witness meets every target, so each extreme is attained by a known data set; taking it over all
    witnesses (not only the search aimed at the statistic) only widens the inner bound.
    """
    stats = pd.DataFrame([r["statistics"] for r in records])
    ids = [f"{r['objective']}:{'max' if r['direction'] > 0 else 'min'}" for r in records]
    rows = []
    for s in CATALOGUE:
        col = stats[s.name]
        lo, hi = int(np.nanargmin(col.to_numpy())), int(np.nanargmax(col.to_numpy()))
        rows.append(
            {
                "statistic": s.name,
                "min": float(col.iloc[lo]),
                "max": float(col.iloc[hi]),
                "min_witness": ids[lo],
                "max_witness": ids[hi],
            }
        )
    return pd.DataFrame(rows)


def envelope_table(
    envelope: pd.DataFrame | None = None, ensemble: pd.DataFrame | None = None, committed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The envelope as a tidy table: one row per unpublished statistic.

    Parameters
    ----------
    envelope : DataFrame, optional
        :func:`envelope_frame` of the directed searches (default: the committed ``data/envelope/envelope.csv``).
    ensemble : DataFrame, optional
        The ensemble summary (default: the committed one); only its exact, distinct members are used.
    committed : DataFrame, optional
        The book's reconstruction (default ``data/riders_survey.csv``).

    Returns
    -------
    DataFrame
        Columns statistic, label, group, decimals, min and max (the envelope: inner bounds, over the directed
        searches' witnesses and, where they go further, the book's reconstruction and the exact members, all of
        which meet every target), searched_min and searched_max (the witnesses' alone), committed (the
        book's reconstruction), ensemble_min and ensemble_max (its exact members), width (max - min), and
        ``pinned``: the envelope is narrower than one unit of the statistic's printed precision, so every data
        set found prints (nearly) the same value. Because the bounds are inner bounds, ``pinned`` is evidence
        that the paper pins the statistic down, not proof; a statistic that is not pinned is proven open (two
        exact data sets differ by more than the printed precision). ``attrs["n_ensemble"]`` counts the exact members.
    """
    envelope = load_envelope() if envelope is None else envelope
    members = exact_members(load_ensemble() if ensemble is None else ensemble)
    mine = evaluate(load_analysis_data() if committed is None else committed)
    env = envelope.set_index("statistic")
    rows = []
    for s in CATALOGUE:
        col = members[s.name].astype(float) if s.name in members else pd.Series(dtype=float)
        ens_lo = float(col.min()) if len(col) else math.nan
        ens_hi = float(col.max()) if len(col) else math.nan
        searched_lo, searched_hi = float(env.loc[s.name, "min"]), float(env.loc[s.name, "max"])
        book = float(mine[s.name])
        # every known exact data set is a witness: the book's and the ensemble's widen the bounds where they go further
        lo = float(np.nanmin([searched_lo, book, ens_lo]))
        hi = float(np.nanmax([searched_hi, book, ens_hi]))
        rows.append(
            {
                "statistic": s.name,
                "label": s.label,
                "group": s.group,
                "decimals": s.decimals,
                "min": lo,
                "max": hi,
                "searched_min": searched_lo,
                "searched_max": searched_hi,
                "committed": book,
                "ensemble_min": ens_lo,
                "ensemble_max": ens_hi,
                "width": hi - lo,
                "pinned": bool(hi - lo < 10.0 ** (-s.decimals)),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs["n_ensemble"] = int(len(members))
    return table


def write_envelope(records: list[dict], out_dir: str | os.PathLike, meta: dict) -> None:
    """``envelope.csv`` (the extremes), ``searches.jsonl`` (every search, its witness and statistics) and
    ``envelope.json`` (the run record) in ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    envelope_frame(records).to_csv(out / ENVELOPE_FILE, index=False, float_format="%.6g", lineterminator="\n")
    text = "".join(search_line(r) for r in records)
    (out / SEARCHES_FILE).write_text(text, encoding="utf-8")
    json_dump(meta, out / META_FILE)


def load_searches(path: str | os.PathLike | None = None) -> list[dict]:
    """The directed searches of the committed envelope (default ``data/envelope/searches.jsonl``)."""
    path = Path(path) if path is not None else DATA_DIR / "envelope" / SEARCHES_FILE
    return [read_search(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_meta(path: str | os.PathLike | None = None) -> dict:
    """The committed envelope's run record (default ``data/envelope/envelope.json``)."""
    path = Path(path) if path is not None else DATA_DIR / "envelope" / META_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def load_envelope(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The committed envelope's extremes (default ``data/envelope/envelope.csv``)."""
    return pd.read_csv(Path(path) if path is not None else DATA_DIR / "envelope" / ENVELOPE_FILE)


@functools.lru_cache(maxsize=1)
def _committed_envelope() -> pd.DataFrame:
    return envelope_table().set_index("statistic")


def statistic_bounds(statistic: str) -> tuple[float, float] | None:
    """The committed envelope's smallest and largest value of one statistic (inner bounds).

    Cox and Snell's R², which the catalogue does not search, is ``1 - exp(-LR/n)``, increasing in the
    likelihood-ratio statistic, so its bounds are those of ``lr_chi2`` transformed (n of the committed data).

    Parameters
    ----------
    statistic : str
        A catalogue name (``"auc"``, ``"ame_gender"``, ``"hl_p"``).

    Returns
    -------
    tuple of float, or None
        ``(min, max)``; None if the envelope has no such statistic.
    """
    table = _committed_envelope()
    if statistic == "cox_snell_r2" and statistic not in table.index and "lr_chi2" in table.index:
        n = len(load_analysis_data())
        lo, hi = (1 - math.exp(-float(table.loc["lr_chi2", k]) / n) for k in ("min", "max"))
        return lo, hi
    if statistic not in table.index:
        return None
    return float(table.loc[statistic, "min"]), float(table.loc[statistic, "max"])


def mechanism_items() -> tuple[str, ...]:
    """The predictors whose error mechanisms the envelope tests."""
    return MECHANISM_ITEMS


def envelope_meta(
    records: list[dict],
    base_seed: int,
    members: pd.DataFrame,
    settings: EnvelopeSettings,
    wall_seconds: float,
    jobs: int,
    scheduler: str | None,
) -> dict:
    """The run record of ``envelope.json``: seeds, settings, the start members, cost and throughput."""
    return {
        "base_seed": int(base_seed),
        "n_searches": len(records),
        "objectives": list(dict.fromkeys(r["objective"] for r in records)),
        "n_start_members": int(len(members)),
        "start_seeds_used": sorted({int(r["start_seed"]) for r in records if r.get("start_seed") is not None}),
        "settings": settings.to_dict(),
        "search_seconds": float(sum(r["seconds"] for r in records)),
        "wall_seconds": float(wall_seconds),
        "jobs": int(jobs),
        "scheduler": scheduler,
        "ridersurvey_version": version(),
    }


def mechanism_results(records: list[dict]) -> pd.DataFrame:
    """What the envelope says about the audit's mechanisms for the two impossible (b, p) pairs.

    For each test (a Pearson χ² test of the item's table, a joint LR test of the item as categories) and each
    item: the printed p-value, the smallest and largest p over the envelope's witnesses, and whether a data set
    meeting every target *and* printing that p was met on the way (``witness_found``, with its p). A printed p
    outside the envelope is not thereby ruled out: the envelope's bounds are inner bounds.
    """
    stats = pd.DataFrame([r["statistics"] for r in records])
    rows = []
    for test in ("chi2_p", "joint_p"):
        for var in MECHANISM_ITEMS:
            name = f"{test}_{var}"
            printed = targets_from_published().p(var)
            hits = [r["hit"] for r in records if r["objective"] == name and "hit" in r]
            hits += [
                {"data": r["witness"], "statistics": r["statistics"]}
                for r in records
                if agrees(printed, r["statistics"][name], 3)
            ]
            rows.append(
                {
                    "test": test,
                    "variable": var,
                    "printed": printed,
                    "min": float(stats[name].min()),
                    "max": float(stats[name].max()),
                    "witness_found": bool(hits),
                    "witness_p": float(hits[0]["statistics"][name]) if hits else math.nan,
                    "witness": hits[0]["data"] if hits else None,
                }
            )
    return pd.DataFrame(rows)
