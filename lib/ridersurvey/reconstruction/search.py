"""The search for a data set meeting every target: annealing, then an exact final step.

A *cycle* starts from a random data set with the published marginals (:func:`initial_state`) and anneals
it through the stages of a :class:`Schedule` (moves: swap two respondents' codes within one column, or
two outcomes, so every frequency of Table 1 holds in every state). The loss is a sum of squared hinge
errors, each target's error normalised by its own tolerance; early stages hold the p-value targets at the
published coefficients while the coefficients are still loose, which shapes the correlations the
standard errors need. The cycle then ends with the final step of the schedule:

``exact`` (the default)
    the meet-in-the-middle search over combinations of swaps of :mod:`ridersurvey.reconstruction.endgame`;
    when it stalls, the best state so far is re-annealed briefly at a low temperature and the final step is
    tried again (``reheats`` times) before a new cycle starts;
``beam``
    the original beam search over exhaustive single swaps. The committed data set was found this way; its
    provenance records this schedule, so it still replays bit for bit.

Every random number derives from the seed, and the time limit only truncates the path between chunks,
so a seed and a proposal count determine the data set.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.precision import agrees
from ridersurvey.reconstruction import kernel as K
from ridersurvey.reconstruction.endgame import EndgameSettings, land, state_errors
from ridersurvey.reconstruction.state import fit_coefficients, frame
from ridersurvey.reconstruction.targets import (
    DECIMALS,
    DEFAULT_MARGIN,
    PRINT_TOL,
    TargetArrays,
    Targets,
    target_arrays,
    targets_from_published,
    unattainable_targets,
)

#: Annealing stages: (coefficient tolerance multiplier, share of the cycle's proposals, T0, T1).
DEFAULT_STAGES = ((20.0, 0.4, 10.0, 0.01), (5.0, 0.2, 0.5, 0.01), (2.0, 0.2, 0.3, 0.01), (1.0, 0.2, 0.3, 0.001))


@dataclass(frozen=True)
class Schedule:
    """Search schedule of one cycle (a cycle starts from a fresh random data set with the marginals).

    The annealing fields are shared by both final steps; ``beam_*`` belong to ``final_step = "beam"``,
    ``endgame`` and ``reheat_*`` to ``final_step = "exact"``.
    """

    proposals_per_cycle: int = 4_000_000
    chunk: int = 1_000_000  # proposals per compiled call (the wall-clock limit is checked between)
    T0: float = 10.0  # temperature at the start of the first stage
    T1: float = 0.001  # temperature at the end of the last stage
    hinge: float = 0.8  # normalised errors below this cost nothing
    p_outcome: float = 0.1  # share of proposals that swap two outcomes
    stages: tuple = DEFAULT_STAGES
    relin_every: int = 1  # re-linearise (refit) after this many accepted swaps in the last stage
    final_step: str = "exact"
    beam_width: int = 30  # final_step "beam": beam search over exhaustive single swaps
    beam_candidates: int = 30
    beam_depth: int = 8
    endgame: EndgameSettings = field(default_factory=EndgameSettings)
    reheats: int = 3  # final_step "exact": re-anneal the best state this often when the final step stalls
    reheat_proposals: int = 1_000_000
    reheat_T0: float = 0.3
    slow_z: float = 0.01  # final_step "exact": p-value targets whose |z| window is wider than this ...
    slow_aim: float = 0.5  # ... are aimed at this share of it in the last annealing stage

    def to_dict(self) -> dict:
        """A JSON-ready record (nested for the endgame settings)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, record: dict) -> Schedule:
        """The schedule a provenance record describes. A record without ``final_step`` comes from the
        original search (beam search, 25 million proposals per cycle)."""
        record = dict(record)
        if "final_step" not in record:
            record = {**dataclasses.asdict(LEGACY_SCHEDULE), **record, "final_step": "beam"}
        record["stages"] = tuple(tuple(s) for s in record["stages"])
        if isinstance(record.get("endgame"), dict):
            record["endgame"] = EndgameSettings(**record["endgame"])
        return cls(**record)


#: The original search's schedule (the committed data set's, seed 1).
LEGACY_SCHEDULE = Schedule(proposals_per_cycle=25_000_000, final_step="beam")


@dataclass
class Reconstruction:
    """Result of :func:`reconstruct`.

    ``achieved`` is indexed by const and the predictors with columns coef, se and p (the statsmodels fit of
    ``data``); ``proposals`` counts every scored state (annealer proposals and exact evaluations of the
    final step) and replays the search deterministically; ``failures`` lists unmet requirements.
    """

    seed: int
    data: pd.DataFrame
    targets: Targets
    achieved: pd.DataFrame
    unattainable: list
    proposals: int
    proposals_per_second: float
    wall_seconds: float
    success: bool
    cycles: int = 0
    margin: float = DEFAULT_MARGIN
    failures: list = field(default_factory=list)
    anneal_proposals: int = 0
    anneal_seconds: float = 0.0
    final_step_seconds: float = 0.0
    final_steps: int = 0


def initial_state(targets: Targets, seed: int, cycle: int):
    """Random data set with the published marginals, and the published slopes with an intercept that
    makes the mean fitted probability equal the outcome's share (a free slope at
    :meth:`~ridersurvey.reconstruction.targets.Targets.free_start`)."""
    rng = np.random.default_rng([seed, cycle])
    X = np.column_stack([rng.permutation(targets.column(v)) for v in targets.predictors]).astype(np.float64)
    y = rng.permutation(targets.column(targets.outcome)).astype(np.float64)
    slopes = np.array(
        [targets.coef(v) if targets.coef_targeted(v) else targets.free_start(v) for v in targets.predictors]
    )
    b0 = 0.0
    for _ in range(60):
        mu = 1.0 / (1.0 + np.exp(-(b0 + X @ slopes)))
        b0 += (y.sum() - mu.sum()) / (mu * (1.0 - mu)).sum()
    return X, y, np.concatenate([[b0], slopes])


def kernel_seed(*keys: int) -> int:
    """A 32-bit seed for the compiled annealer derived from integer keys (``SeedSequence(keys)``)."""
    return int(np.random.SeedSequence(list(keys)).generate_state(1, np.uint32)[0])


def within(published: float, value: float, margin: float) -> bool:
    """The search's criterion for one target: ``value`` agrees with ``published`` at the printed precision
    (:func:`ridersurvey.audit.precision.agrees`) and lies within ``margin`` of the rounding half-width."""
    return agrees(published, value, DECIMALS) and abs(value - published) <= margin * PRINT_TOL


def verify(data: pd.DataFrame, targets: Targets, margin: float = DEFAULT_MARGIN) -> list[str]:
    """Unmet requirements of ``data`` (empty list: all met). Independent of the search code: pandas
    value_counts and statsmodels."""
    problems = []
    say = lambda key, **fields: messages.text(f"reconstruction.search.unmet.{key}", **fields)
    if len(data) != targets.n:
        problems.append(say("rows", rows=len(data), n=targets.n))
    for var in (targets.outcome, *targets.predictors):
        got = {int(k): int(v) for k, v in data[var].value_counts().items()}
        if got != targets.counts[var]:
            problems.append(say("counts", var=var, got=got, expected=targets.counts[var]))
    fit = fit_coefficients(data, targets.predictors, targets.outcome)
    for var in targets.predictors:
        b, p = float(fit.loc[var, "coef"]), float(fit.loc[var, "p"])
        if targets.coef_targeted(var) and not within(targets.coef(var), b, margin):
            problems.append(say("coef", var=var, got=b, printed=targets.coef(var)))
        if targets.p_targeted(var) and not within(targets.p(var), p, margin):
            problems.append(say("p", var=var, got=p, printed=targets.p(var)))
    return problems


def _legacy_loss(X, y, beta, arrays: TargetArrays, hinge: float) -> float:
    m = beta.shape[0]
    ones = np.ones(len(arrays.zidx))
    return float(
        K.relinearise(
            X,
            y,
            beta,
            np.zeros(m),
            np.zeros((m, m)),
            arrays.bstar,
            arrays.legacy_btol,
            arrays.zidx,
            arrays.zstar,
            arrays.ztol,
            ones,
            hinge,
            np.zeros(m),
            3,
        )
    )


def _beam_polish(X, y, beta, arrays: TargetArrays, sch: Schedule):
    """Beam search over exhaustive single swaps from the annealed state (deterministic).

    Returns the best state found (loss, X, y, beta) and how many swaps were scored.
    """
    btol, ones = arrays.legacy_btol, np.ones(len(arrays.zidx))
    Kc = sch.beam_candidates
    top_l, top_c = np.empty(Kc), np.empty(Kc, np.int64)
    top_a, top_b = np.empty(Kc, np.int64), np.empty(Kc, np.int64)
    n_swaps = int(X.shape[1] * X.shape[0] * (X.shape[0] - 1) / 2 + X.shape[0] * (X.shape[0] - 1) / 2)
    best = (_legacy_loss(X, y, beta, arrays, sch.hinge), X, y, beta)
    beam, seen, scored = [best], set(), 0
    for _ in range(sch.beam_depth):
        candidates = []
        for _loss, Xs, ys, bs in beam:
            K.best_swaps(
                Xs, ys, bs, arrays.bstar, btol, arrays.zidx, arrays.zstar, arrays.ztol, ones, sch.hinge, Kc,
                top_l, top_c, top_a, top_b,
            )  # fmt: skip
            scored += n_swaps
            candidates += [(top_l[q], Xs, ys, bs, top_c[q], top_a[q], top_b[q]) for q in range(Kc) if top_l[q] < 1e299]
        candidates.sort(key=lambda c: c[0])
        beam = []
        for _, Xs, ys, bs, col, a, b in candidates:
            X2, y2, b2 = Xs.copy(), ys.copy(), bs.copy()
            K.swap(X2, y2, col, a, b)
            key = (X2.tobytes(), y2.tobytes())
            if key in seen:
                continue
            seen.add(key)
            state = (_legacy_loss(X2, y2, b2, arrays, sch.hinge), X2, y2, b2)
            beam.append(state)
            if state[0] < best[0]:
                best = state
            if state[0] == 0.0 or len(beam) >= sch.beam_width:
                break
        if best[0] == 0.0 or not beam:
            break
    return best, scored


class _Budget:
    """Proposal and wall-clock limits of one search, checked between chunks."""

    def __init__(self, max_seconds: float, max_proposals: int | None):
        self.start = time.perf_counter()
        self.max_seconds = max_seconds
        self.max_proposals = max_proposals
        self.proposals = 0
        self.anneal_proposals = 0
        self.anneal_seconds = 0.0
        self.final_seconds = 0.0
        self.final_steps = 0

    def spent(self) -> bool:
        over_time = time.perf_counter() - self.start > self.max_seconds
        return over_time or bool(self.max_proposals and self.proposals >= self.max_proposals)


def _anneal_stages(X, y, beta, arrays: TargetArrays, sch: Schedule, stages, n_total, keys, budget: _Budget):
    """Anneal through ``stages`` (``n_total`` proposals); returns the last loss (0.0: every target met)."""
    loss = np.inf
    t0 = time.perf_counter()
    for s, (scale, share, T0, T1) in enumerate(stages):
        final = scale == 1.0
        n_stage = max(1, int(share * n_total))
        zmode = np.ones(len(arrays.zidx)) if final else arrays.zfree
        btol = arrays.legacy_btol if final else arrays.legacy_btol * scale
        ztol = arrays.ztol
        if final and sch.final_step == "exact":
            # small moves barely change the |z| of the smallest p-values: the annealer must centre them
            ztol = np.where(ztol > sch.slow_z, ztol * sch.slow_aim, ztol)
        for c, i0 in enumerate(range(0, n_stage, sch.chunk)):
            i1 = min(n_stage, i0 + sch.chunk)
            t_a = T0 * (T1 / T0) ** (i0 / n_stage)
            t_b = T0 * (T1 / T0) ** (i1 / n_stage)
            done, loss = K.anneal(
                X, y, beta, arrays.bstar, btol, arrays.zidx, arrays.zstar, ztol, zmode, sch.hinge,
                kernel_seed(*keys, s, c), i1 - i0, t_a, t_b, sch.p_outcome, sch.relin_every if final else 200,
                bool(len(arrays.cidx) < len(arrays.bstar) - 1),
            )  # fmt: skip
            budget.proposals += int(done)
            budget.anneal_proposals += int(done)
            if loss == 0.0 or budget.spent():
                break
        if budget.spent() or (final and loss == 0.0):
            break
    budget.anneal_seconds += time.perf_counter() - t0
    return loss


def _exact_final(X, y, beta, arrays, targets, sch: Schedule, seed: int, cycle: int, budget: _Budget):
    """The exact final step with re-annealing of the best state when it stalls; returns (X, y, beta, worst)."""
    best = None
    for r in range(sch.reheats + 1):
        t0 = time.perf_counter()
        result = land(X, y, beta, arrays, sch.endgame)
        budget.final_seconds += time.perf_counter() - t0
        budget.final_steps += result.steps
        budget.proposals += result.scored
        if best is None or result.worst < best[3]:
            best = (X.copy(), y.copy(), beta.copy(), result.worst)
        if result.success or r == sch.reheats or budget.spent():
            break
        X, y, beta = best[0].copy(), best[1].copy(), best[2].copy()
        reheat = ((1.0, 1.0, sch.reheat_T0, sch.T1),)
        loss = _anneal_stages(X, y, beta, arrays, sch, reheat, sch.reheat_proposals, (seed, cycle, 1000 + r), budget)
        if loss == 0.0:
            worst = float(np.abs(state_errors(X, y, beta, arrays)).max())
            return X, y, beta, worst
    return best


def reconstruct(
    seed: int,
    max_seconds: float = 600,
    targets: Targets | None = None,
    schedule: Schedule | None = None,
    margin: float = DEFAULT_MARGIN,
    max_proposals: int | None = None,
) -> Reconstruction:
    """Search for a data set meeting every target.

    Parameters
    ----------
    seed : int
        Determines the whole path (with the targets, schedule and margin).
    max_seconds : float
        Wall-clock limit, checked between chunks (it truncates the path, never changes it).
    targets : Targets, optional
        Default :func:`targets_from_published`.
    schedule : Schedule, optional
        Default :class:`Schedule` (annealing, then the exact final step).
    margin : float
        Share of the rounding half-width the search aims inside.
    max_proposals : int, optional
        Deterministic budget (scored states, checked between chunks).

    Returns
    -------
    Reconstruction
        The first data set that meets every target, verified independently (:func:`verify`); on failure the
        closest state seen, with ``success=False`` and the unmet requirements in ``failures``.
    """
    targets = targets_from_published() if targets is None else targets
    sch = Schedule() if schedule is None else schedule
    if sch.final_step not in ("exact", "beam"):
        raise ValueError(f"unknown final step {sch.final_step!r}")
    arrays = target_arrays(targets, margin)
    budget = _Budget(max_seconds, max_proposals)
    cycle, success = 0, False
    best_worst, best = np.inf, None
    while True:
        X, y, beta = initial_state(targets, seed, cycle)
        loss = _anneal_stages(X, y, beta, arrays, sch, sch.stages, sch.proposals_per_cycle, (seed, cycle), budget)
        if sch.final_step == "beam":
            if not budget.spent() and _legacy_loss(X, y, beta, arrays, sch.hinge) > 0.0:
                t0 = time.perf_counter()
                (loss, X, y, beta), scored = _beam_polish(X, y, beta, arrays, sch)
                budget.final_seconds += time.perf_counter() - t0
                budget.proposals += scored
            loss = _legacy_loss(X, y, beta, arrays, sch.hinge)
            worst = 0.0 if loss == 0.0 else loss
        elif loss == 0.0 or budget.spent():
            worst = float(np.abs(state_errors(X, y, beta, arrays)).max())
        else:
            X, y, beta, worst = _exact_final(X, y, beta, arrays, targets, sch, seed, cycle, budget)
        met = loss == 0.0 if sch.final_step == "beam" else worst < 1.0
        if worst < best_worst:
            best_worst, best = worst, (X.copy(), y.copy())
        if met:
            success = not verify(frame(targets, X, y), targets, margin)
        cycle += 1
        if success or budget.spent():
            break
    wall = time.perf_counter() - budget.start
    X, y = best  # type: ignore[misc]  # set by the first cycle
    data = frame(targets, X, y)
    failures = verify(data, targets, margin)
    return Reconstruction(
        seed=seed,
        data=data,
        targets=targets,
        achieved=fit_coefficients(data, targets.predictors, targets.outcome),
        unattainable=unattainable_targets(targets),
        proposals=budget.proposals,
        proposals_per_second=budget.proposals / wall if wall > 0 else float("nan"),
        wall_seconds=wall,
        success=not failures,
        cycles=cycle,
        margin=margin,
        failures=failures,
        anneal_proposals=budget.anneal_proposals,
        anneal_seconds=budget.anneal_seconds,
        final_step_seconds=budget.final_seconds,
        final_steps=budget.final_steps,
    )


def replay(record: dict, targets: Targets | None = None) -> Reconstruction:
    """Rerun the search a provenance record describes (seed, schedule, margin, replay budget)."""
    budget = record["budget"]
    return reconstruct(
        int(record["seed"]),
        max_seconds=math.inf,
        targets=targets,
        schedule=Schedule.from_dict(budget["schedule"]),
        margin=float(record["tolerance"]["margin"]),
        max_proposals=int(budget["replay_max_proposals"]),
    )
