"""Tests of ridersurvey.reconstruction.endgame: the exact final step and the ascent inside the target box."""

import numpy as np
import pytest

from recon_oracles import PREDICTORS, meets_table3, statsmodels_fit
from ridersurvey.model.logit import load_analysis_data
from ridersurvey.reconstruction import endgame as EG
from ridersurvey.reconstruction import kernel as K
from ridersurvey.reconstruction.state import frame, state_of
from ridersurvey.reconstruction.targets import target_arrays, targets_from_published

T = targets_from_published()
ARR = target_arrays(T)


def perturbed(seed, candidates=300):
    """The committed reconstruction moved just out of the target box, as an annealed state ends: of
    ``candidates`` random swaps, the one whose largest normalised error is smallest but above 1 (a single
    random swap usually moves some error by hundreds of tolerances, far outside what the final step is for)."""
    X0, y0, beta0 = state_of(T, load_analysis_data())
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(candidates):
        col, a, b = int(rng.integers(10)), *(int(v) for v in rng.integers(100, size=2))
        if not K.changes(X0, y0, col, a, b):
            continue
        X, y, beta = X0.copy(), y0.copy(), beta0.copy()
        K.swap(X, y, col, a, b)
        worst = np.abs(EG.state_errors(X, y, beta, ARR)).max()
        if worst > 1 and (best is None or worst < best[0]):
            best = (worst, X, y, beta)
    assert best is not None
    return best[1], best[2], best[3]


def test_state_errors_match_statsmodels():
    X, y, beta = state_of(T, load_analysis_data())
    e = EG.state_errors(X, y, beta, ARR)
    res = statsmodels_fit(frame(T, X, y))
    want = [(res.params[v] - T.coef(v)) / ARR.btol[j + 1] for j, v in enumerate(PREDICTORS)]
    np.testing.assert_allclose(e[:9], want, atol=1e-6)
    assert np.abs(e).max() < 1  # the committed data meet every target


@pytest.mark.parametrize("seed", [0, 1])
def test_land_recovers_the_box(seed):
    X, y, beta = perturbed(seed)
    assert np.abs(EG.state_errors(X, y, beta, ARR)).max() > 1
    result = EG.land(X, y, beta, ARR)
    assert result.success and result.worst < 1 and result.swaps > 0
    data = frame(T, X, y)
    assert meets_table3(data)


def test_land_is_deterministic():
    runs = []
    for _ in range(2):
        X, y, beta = perturbed(3)
        EG.land(X, y, beta, ARR)
        runs.append(frame(T, X, y))
    assert runs[0].equals(runs[1])


@pytest.mark.xfail(
    strict=True,
    reason="ascend finds no feasible climbing move from the committed data (nor from 20 ensemble members tried); open",
)
def test_ascend_keeps_targets_and_raises_objective():
    X, y, beta = state_of(T, load_analysis_data())
    par = np.array([PREDICTORS.index("gender"), PREDICTORS.index("hukou"), 0, 0], dtype=np.int64)
    before = (X[:, par[0]] * X[:, par[1]]).sum()
    steps, _ = EG.ascend(X, y, beta, ARR, K.CROSS, par, 1.0, np.zeros(0, dtype=np.int64), max_steps=2)
    assert steps >= 1
    assert (X[:, par[0]] * X[:, par[1]]).sum() > before
    assert meets_table3(frame(T, X, y))
