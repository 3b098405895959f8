"""The exact final step: land an annealed data set in the box where every target is met.

Near the end of a search every target is within a few tolerances, but one swap moves the 16 errors by
about a hundred tolerances: the box the state must enter is about 1/100 of one swap's effect wide, and an
annealer finds it only by luck. The final step instead searches *combinations* of swaps:

1. Every single swap's effect on the error vector is computed exactly (one Newton step, :func:`kernel.swap_table`).
2. *Small moves* are built from them: the swaps whose effect is already small, and pairs of swaps whose
   effects nearly cancel, found with a nearest-neighbour query (``scipy.spatial.cKDTree``, Chebyshev
   distance) and then scored exactly; a pair's effect is small, so small moves add nearly linearly.
3. Meet in the middle: every single small move and every pair of them (four swaps) whose summed effect
   brings all errors within a radius is ranked by a squared-hinge cost (:func:`kernel.best_pairs`), and the
   best candidates are scored exactly (:func:`kernel.score_combos`).
4. The best exact candidate is applied (one with every error below 1 ends the search), the model is
   refitted, and the step repeats until the state lands or stops improving.

Everything is deterministic: the same state gives the same moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ridersurvey.reconstruction import kernel as K
from ridersurvey.reconstruction.state import state_of
from ridersurvey.reconstruction.targets import TargetArrays, target_arrays, targets_from_published


@dataclass(frozen=True)
class EndgameSettings:
    """Parameters of the exact final step.

    small: effects of at most this size (largest |error change|) make a small move; partners: neighbours
    queried per swap when pairing swaps into small moves; radius: largest |error| a candidate may predict;
    candidates: candidates kept per stage and scored exactly; hinge: errors below this cost nothing in the
    ranking; max_steps: steps before giving up; extend: also try each candidate with one more small move;
    patience: give up after this many steps that lower the hinge cost by less than 5%.
    """

    small: float = 6.0
    partners: int = 16
    radius: float = 3.0
    candidates: int = 2000
    hinge: float = 0.5
    max_steps: int = 12
    extend: bool = True
    patience: int = 3


@dataclass
class EndgameResult:
    """Outcome of :func:`land`: whether every error is below 1, the largest error, steps and swaps made."""

    success: bool
    worst: float
    steps: int
    swaps: int
    scored: int


def refit(X, y, beta, arrays: TargetArrays, steps: int = 8) -> None:
    """Newton steps to the maximum-likelihood estimate of the current data (``beta`` in place)."""
    m = beta.shape[0]
    G, H, d = np.zeros(m), np.zeros((m, m)), np.zeros(m)
    L = np.zeros((m, m))
    for _ in range(steps):
        K.accumulate(X, y, beta, G, H)
        if not K.cholesky(H, L):
            return
        K.newton_step(L, G, d)
        beta += d
        if np.abs(d).max() < 1e-13:
            return


def state_errors(X, y, beta, arrays: TargetArrays) -> np.ndarray:
    """Signed normalised errors of the data (``beta`` is refitted in place first)."""
    refit(X, y, beta, arrays)
    m = beta.shape[0]
    G, H = np.zeros(m), np.zeros((m, m))
    K.accumulate(X, y, beta, G, H)
    out = np.empty(len(arrays.names))
    if not K.errors(G, H, beta, arrays.cidx, arrays.bstar, arrays.btol, arrays.zidx, arrays.zstar, arrays.ztol, out):
        out[:] = np.inf
    return out


def _args(a: TargetArrays):
    return a.cidx, a.bstar, a.btol, a.zidx, a.zstar, a.ztol


def small_moves(X, y, beta, arrays: TargetArrays, settings: EndgameSettings):
    """The state's errors, its single swaps (C, A, B) and its small moves.

    Returns ``(base, swaps, moves, effects, scored)``: ``moves`` is an (N, 2) array of swap indices (second
    -1 for a single swap), ``effects`` their exact effects on the errors, ``scored`` how many states (single
    swaps and pairs) were scored exactly.
    """
    from scipy.spatial import cKDTree

    base, E, C, A, B = K.swap_table(X, y, beta, *_args(arrays))
    size = np.abs(E).max(axis=1)
    singles = np.flatnonzero(size < settings.small)
    tree = cKDTree(E)
    dist, nbr = tree.query(-E, k=settings.partners, p=np.inf, distance_upper_bound=settings.small)
    first = np.repeat(np.arange(len(E)), settings.partners)
    second = nbr.ravel()
    keep = np.isfinite(dist.ravel()) & (second > first)
    pairs = np.column_stack([first[keep], second[keep]])
    exact = K.score_combos(X, y, beta, C, A, B, pairs, *_args(arrays)) - base
    small = np.abs(exact).max(axis=1) < settings.small
    moves = [np.column_stack([singles, np.full(len(singles), -1)]), pairs[small]]
    found = [E[singles], exact[small]]
    return base, (C, A, B), np.vstack(moves).astype(np.int64), np.vstack(found), len(E) + len(pairs)


def step(X, y, beta, arrays: TargetArrays, settings: EndgameSettings):
    """One step of the exact final step from a refitted state.

    Returns ``(base, chosen, worst, scored)``: the state's errors, the swaps to apply (a list of
    (column, row, row); empty if nothing improves), the chosen candidate's largest exact error, and how many
    states were scored exactly (swaps, pairs and candidates).
    """
    base, (C, A, B), moves, effects, scored = small_moves(X, y, beta, arrays, settings)
    worst_now = float(np.abs(base).max())
    cost_now = float(K.hinge_cost(base, settings.hinge))
    if len(moves) == 0:
        return base, [], worst_now, scored
    radius = min(max(worst_now, 1.0), settings.radius)
    cost, _, p, q = K.best_pairs(base, effects, radius, settings.candidates, settings.hinge)
    found = np.isfinite(cost)
    p, q = p[found], q[found]
    if len(p) == 0:
        return base, [], worst_now, scored
    combos = np.column_stack([moves[p], np.where(q[:, None] >= 0, moves[np.maximum(q, 0)], -1)])
    if settings.extend:
        _, _, c, r = K.extend_candidates(base, effects, p, q, radius, settings.candidates, settings.hinge)
        ok = c >= 0
        combos = np.vstack([np.column_stack([combos, np.full((len(combos), 2), -1)]),
                            np.column_stack([combos[c[ok]], moves[r[ok]]])])  # fmt: skip
    exact = K.score_combos(X, y, beta, C, A, B, combos, *_args(arrays))
    worst = np.abs(exact).max(axis=1)
    costs = np.array([K.hinge_cost(e, settings.hinge) for e in exact])
    landed = np.flatnonzero(worst < 1.0)
    if len(landed):
        best = int(landed[np.lexsort((worst[landed], costs[landed]))[0]])
    else:
        best = int(np.lexsort((worst, costs))[0])
        if not (costs[best] < cost_now or (costs[best] == cost_now and worst[best] < worst_now)):
            return base, [], worst_now, scored + len(combos)
    chosen = [(int(C[s]), int(A[s]), int(B[s])) for s in combos[best] if s >= 0]
    return base, chosen, float(worst[best]), scored + len(combos)


def land(X, y, beta, arrays: TargetArrays, settings: EndgameSettings | None = None) -> EndgameResult:
    """Run the exact final step from the state (X, y, beta are updated in place).

    Parameters
    ----------
    X, y, beta : ndarray
        The state (codes, outcomes) and a starting point for its fit.
    arrays : TargetArrays
        The targets (:func:`ridersurvey.reconstruction.targets.target_arrays`).
    settings : EndgameSettings, optional

    Returns
    -------
    EndgameResult
        ``success`` when the refitted state has every normalised error below 1.
    """
    settings = settings or EndgameSettings()
    swaps = scored = stale = 0
    worst, cost = np.inf, np.inf
    for it in range(settings.max_steps + 1):
        base = state_errors(X, y, beta, arrays)
        worst = float(np.abs(base).max())
        if worst < 1.0:
            return EndgameResult(True, worst, it, swaps, scored)
        new_cost = float(K.hinge_cost(base, settings.hinge))
        stale = stale + 1 if new_cost > 0.95 * cost else 0
        cost = min(cost, new_cost)
        if it == settings.max_steps or stale >= settings.patience:
            break
        _, chosen, _, n = step(X, y, beta, arrays, settings)
        scored += n
        if not chosen:
            break
        for col, a, b in chosen:
            K.swap(X, y, col, a, b)
        swaps += len(chosen)
    return EndgameResult(False, worst, it, swaps, scored)


def ascend(
    X, y, beta, arrays: TargetArrays, kind: int, par, sign: float, ordinal, settings: EndgameSettings | None = None,
    max_steps: int = 10, radius: float = 0.9,
) -> tuple[int, float]:  # fmt: skip
    """Raise ``sign x objective`` by moves that keep every target met (X, y, beta updated in place).

    From a state inside the target box, the small moves of :func:`small_moves` are scored exactly, with the
    objective (:func:`kernel.objective` of kind ``kind``); single moves and pairs whose predicted errors stay
    within ``radius`` are ranked by their summed objective gain (:func:`kernel.best_feasible_pairs`), the
    best are scored exactly and the best one that keeps every error below 1 and raises the objective is
    applied. Returns (steps taken, objective of the final state at its Newton step).
    """
    settings = settings or EndgameSettings()
    taken = 0
    current = -np.inf
    for _ in range(max_steps):
        base = state_errors(X, y, beta, arrays)
        if np.abs(base).max() >= 1.0:
            break
        _, (C, A, B), moves, effects, _ = small_moves(X, y, beta, arrays, settings)
        none = np.full((1, 2), -1, dtype=np.int64)
        idx = np.vstack([none, moves])
        _, obj = K.score_combos_objective(X, y, beta, C, A, B, idx, *_args(arrays), kind, par, ordinal)  # type: ignore[call-arg]
        current = float(obj[0])
        phi = sign * (obj[1:] - obj[0])
        gain, p, q = K.best_feasible_pairs(base, effects, phi, radius, settings.candidates)
        found = np.isfinite(gain)
        p, q = p[found], q[found]
        if len(p) == 0:
            break
        combos = np.column_stack([moves[p], np.where(q[:, None] >= 0, moves[np.maximum(q, 0)], -1)])
        exact, value = K.score_combos_objective(  # type: ignore[call-arg]
            X, y, beta, C, A, B, combos, *_args(arrays), kind, par, ordinal
        )
        ok = (np.abs(exact).max(axis=1) < 1.0) & (sign * (value - current) > 0)
        if not ok.any():
            break
        best = int(np.flatnonzero(ok)[np.argmax(sign * value[ok])])
        for s in combos[best]:
            if s >= 0:
                K.swap(X, y, int(C[s]), int(A[s]), int(B[s]))
        current = float(value[best])
        taken += 1
    return taken, current


def typical_swap_effect(data, targets=None) -> float:
    """Median over every swap of a data set of the largest change it makes to a normalised error (in
    tolerances): how much coarser one swap is than the target box, whose half-width is 1."""
    targets = targets or targets_from_published()
    arrays = target_arrays(targets)
    X, y, beta = state_of(targets, data)
    _, E, *_ = K.swap_table(X, y, beta, *_args(arrays))
    return float(np.median(np.abs(E).max(axis=1)))
