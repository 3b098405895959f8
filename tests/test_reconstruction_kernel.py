"""Tests of ridersurvey.reconstruction.kernel against independent computations (numpy, statsmodels, scipy,
ridersurvey.model.logit)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import chi2_contingency

from recon_oracles import PREDICTORS, column
from ridersurvey.model.logit import auc, fit_logit, hosmer_lemeshow
from ridersurvey.reconstruction import kernel as K
from ridersurvey.reconstruction.targets import target_arrays, targets_from_published

T = targets_from_published()
ARR = target_arrays(T)
ORDINAL = np.array([PREDICTORS.index(v) for v in ("age_group", "education", "health", "policy_awareness", "publicity")])


@pytest.fixture(scope="module")
def state():
    """A random data set with the published marginals, an outcome driven by the predictors, and its ML fit."""
    rng = np.random.default_rng(5)
    X = np.column_stack([rng.permutation(column(v)) for v in PREDICTORS]).astype(float)
    eta = (X - X.mean(0)) @ rng.normal(0, 0.6, 9)
    y = np.zeros(100)
    y[np.argsort(eta + rng.logistic(size=100))[-51:]] = 1.0
    res = sm.Logit(y, sm.add_constant(X)).fit(disp=0)
    return X, y, np.asarray(res.params, dtype=float), res


def frame(X, y):
    df = pd.DataFrame(X.astype(int), columns=PREDICTORS)
    df.insert(0, "unwilling", y.astype(int))
    return df


def errors_by_statsmodels(X, y):
    res = sm.Logit(y, sm.add_constant(X)).fit(disp=0, tol=1e-12)
    out = [(res.params[j] - ARR.bstar[j]) / ARR.btol[j] for j in ARR.cidx]
    out += [(abs(res.tvalues[j]) - ARR.zstar[c]) / ARR.ztol[c] for c, j in enumerate(ARR.zidx)]
    return np.array(out)


def test_accumulate_is_score_and_information(state):
    X, y, beta, res = state
    m = 10
    G, H = np.zeros(m), np.zeros((m, m))
    K.accumulate(X, y, beta, G, H)
    Xc = sm.add_constant(X)
    mu = 1 / (1 + np.exp(-Xc @ beta))
    np.testing.assert_allclose(G, Xc.T @ (y - mu), atol=1e-9)
    np.testing.assert_allclose(H, (Xc * (mu * (1 - mu))[:, None]).T @ Xc, rtol=1e-12)


def test_noop_and_changes():
    X = np.array([[1.0, 2.0], [1.0, 3.0], [2.0, 3.0]])
    y = np.array([1.0, 1.0, 0.0])
    assert K.is_noop(X, y, 1, 0, 1)  # rows differ only in the swapped column: the swap exchanges them
    assert not K.is_noop(X, y, 0, 0, 2)
    assert not K.changes(X, y, 0, 0, 1) and K.changes(X, y, 2, 0, 2)
    assert K.is_noop(np.array([[1.0], [1.0]]), np.array([0.0, 1.0]), 1, 0, 1)


def newton_errors(X, y, beta):
    """Errors of the state one Newton step from ``beta`` (numpy): the quantity the kernel scores."""
    Xc = sm.add_constant(X, has_constant="add")
    mu = 1 / (1 + np.exp(-Xc @ beta))
    H = (Xc * (mu * (1 - mu))[:, None]).T @ Xc
    b = beta + np.linalg.solve(H, Xc.T @ (y - mu))
    se = np.sqrt(np.diag(np.linalg.inv(H)))
    out = [(b[j] - ARR.bstar[j]) / ARR.btol[j] for j in ARR.cidx]
    out += [(abs(b[j]) / se[j] - ARR.zstar[c]) / ARR.ztol[c] for c, j in enumerate(ARR.zidx)]
    return np.array(out)


def test_swap_table_effects(state):
    """Every changing swap is listed once, and its effect is the one-Newton-step change computed by numpy;
    at the MLE the base errors are those of the statsmodels fit."""
    X, y, beta, _ = state
    base, E, C, A, B = K.swap_table(X, y, beta, ARR.cidx, ARR.bstar, ARR.btol, ARR.zidx, ARR.zstar, ARR.ztol)
    np.testing.assert_allclose(base, errors_by_statsmodels(X, y), atol=1e-5)
    n_changing = sum(
        K.changes(X, y, c, a, b) and not K.is_noop(X, y, c, a, b) for c in range(10) for a in range(100) for b in
        range(a + 1, 100)
    )  # fmt: skip
    assert len(E) == n_changing
    assert len({(c, a, b) for c, a, b in zip(C, A, B, strict=True)}) == len(E)
    rng = np.random.default_rng(0)
    for s in rng.choice(len(E), 25, replace=False):
        X2, y2 = X.copy(), y.copy()
        K.swap(X2, y2, C[s], A[s], B[s])
        np.testing.assert_allclose(E[s], newton_errors(X2, y2, beta) - base, atol=1e-6)


def test_score_combos_equals_swapping(state):
    X, y, beta, _ = state
    base, E, C, A, B = K.swap_table(X, y, beta, ARR.cidx, ARR.bstar, ARR.btol, ARR.zidx, ARR.zstar, ARR.ztol)
    idx = np.array([[3, 17, -1, 40], [5, -1, -1, -1], [-1, -1, -1, -1]], dtype=np.int64)
    got = K.score_combos(X, y, beta, C, A, B, idx, ARR.cidx, ARR.bstar, ARR.btol, ARR.zidx, ARR.zstar, ARR.ztol)
    np.testing.assert_allclose(got[1], base + E[5], atol=1e-9)
    np.testing.assert_allclose(got[2], base, atol=1e-12)
    X2, y2 = X.copy(), y.copy()
    for s in (3, 17, 40):
        K.swap(X2, y2, C[s], A[s], B[s])
    m = 10
    G, H, out = np.zeros(m), np.zeros((m, m)), np.empty(len(base))
    K.accumulate(X2, y2, beta, G, H)
    K.errors(G, H, beta, ARR.cidx, ARR.bstar, ARR.btol, ARR.zidx, ARR.zstar, ARR.ztol, out)
    np.testing.assert_allclose(got[0], out, atol=1e-9)


def brute_pairs(base, F, radius, hinge):
    """Every single move and pair within radius, ranked by squared-hinge cost (numpy, exhaustive)."""
    rows = []
    for p in range(len(F)):
        for q in [-1, *range(p + 1, len(F))]:
            e = base + F[p] + (F[q] if q >= 0 else 0)
            if np.abs(e).max() <= radius:
                rows.append((float((np.maximum(np.abs(e) - hinge, 0) ** 2).sum()), np.abs(e).max(), p, q))
    return sorted(rows)


def test_best_pairs_is_exhaustive():
    rng = np.random.default_rng(1)
    F = rng.normal(0, 1.5, (120, 5))
    base = rng.normal(0, 1, 5)
    cost, worst, p, q = K.best_pairs(base, F, 1.5, 15, 0.5)
    want = brute_pairs(base, F, 1.5, 0.5)[:15]
    assert len(want) == 15
    np.testing.assert_allclose(cost, [w[0] for w in want])
    got = {(min(a, b) if b >= 0 else a, max(a, b) if b >= 0 else -1) for a, b in zip(p, q, strict=True)}
    assert got == {(w[2], w[3]) for w in want}


def test_extend_and_feasible_pairs():
    rng = np.random.default_rng(2)
    F = rng.normal(0, 1.0, (60, 4))
    base = rng.normal(0, 0.5, 4)
    P, Q = np.array([0, 3]), np.array([1, -1])
    cost, _, c, r = K.extend_candidates(base, F, P, Q, 2.0, 5, 0.5)
    brute = []
    for ci in range(2):
        v = base + F[P[ci]] + (F[Q[ci]] if Q[ci] >= 0 else 0)
        for rr in range(60):
            if rr in (P[ci], Q[ci]):
                continue
            e = v + F[rr]
            if np.abs(e).max() <= 2.0:
                brute.append(((np.maximum(np.abs(e) - 0.5, 0) ** 2).sum(), ci, rr))
    brute.sort()
    np.testing.assert_allclose(cost, [b[0] for b in brute[:5]])
    phi = rng.normal(0, 1, 60)
    gain, p, q = K.best_feasible_pairs(base, F, phi, 1.0, 6)
    best = []
    for a in range(60):
        for b in [-1, *range(a + 1, 60)]:
            e = base + F[a] + (F[b] if b >= 0 else 0)
            g = phi[a] + (phi[b] if b >= 0 else 0)
            if np.abs(e).max() <= 1.0 and g > 0:
                best.append(g)
    np.testing.assert_allclose(gain[np.isfinite(gain)], sorted(best, reverse=True)[:6])


def objective(kind, par, X, y, beta):
    m = 10
    G, H, d, Li = np.zeros(m), np.zeros((m, m)), np.zeros(m), np.zeros((m, m))
    K.accumulate(X, y, beta, G, H)
    K.target_loss(G, H, beta, ARR.bstar, ARR.btol, ARR.zidx, ARR.zstar, ARR.ztol, 0.8, d, Li)
    return K.objective(kind, np.asarray(par, dtype=np.int64), X, y, beta + d, Li, np.empty(100), ORDINAL)


def test_objectives_against_independent_computations(state):
    X, y, beta, res = state
    df = frame(X, y)
    fit = fit_logit(df)
    assert objective(K.COEF, [0, 0, 0, 0], X, y, beta) == pytest.approx(res.params[0], abs=1e-8)
    assert objective(K.SE, [6, 0, 0, 0], X, y, beta) == pytest.approx(res.bse[6], rel=1e-8)
    assert objective(K.Z, [6, 0, 0, 0], X, y, beta) == pytest.approx(res.tvalues[6], rel=1e-7)
    assert objective(K.LL, [0, 0, 0, 0], X, y, beta) == pytest.approx(res.llf, abs=1e-8)
    ame = fit.marginal_effects()["ame"]
    for var, codes in (("gender", (1, 2)), ("education", (1, 5)), ("health", (1, 5))):
        j = PREDICTORS.index(var) + 1
        got = objective(K.AME, [j, codes[0], codes[1], len(np.unique(X[:, j - 1]))], X, y, beta)
        assert got == pytest.approx(ame[var], abs=1e-9), var
    assert objective(K.CROSS, [1, 4, 0, 0], X, y, beta) == pytest.approx((X[:, 1] * X[:, 4]).sum())
    assert objective(K.CELL, [5, 3, 0, 0], X, y, beta) == ((X[:, 5] == 3) & (y == 1)).sum()
    table = pd.crosstab(df["health"], df["unwilling"]).to_numpy()
    assert objective(K.CHI2, [5, 0, 0, 0], X, y, beta) == pytest.approx(chi2_contingency(table, correction=False)[0])
    p = fit.fitted
    assert objective(K.ACCURACY, [0] * 4, X, y, beta) == pytest.approx(100 * np.mean((p > 0.5) == (y == 1)))
    assert objective(K.AUC, [0] * 4, X, y, beta) == pytest.approx(auc(y, p), abs=1e-12)
    assert objective(K.HL, [0] * 4, X, y, beta) == pytest.approx(hosmer_lemeshow(y, p).chi2, rel=1e-8)


def test_nonlinearity_is_chi2_minus_trend(state):
    X, y, _, _ = state
    total = 0.0
    for v in ORDINAL:
        x = X[:, v]
        table = pd.crosstab(x, y)
        chi = chi2_contingency(table.to_numpy(), correction=False)[0]
        # Cochran–Armitage: n r^2 with r the correlation of the codes and the outcome
        trend = len(x) * np.corrcoef(x, y)[0, 1] ** 2
        total += chi - trend
    assert K.nonlinearity(X, y, ORDINAL) == pytest.approx(total, rel=1e-9)


def test_directed_annealing_moves_the_objective(state):
    """With a weight on the cross-sum of two columns the annealer raises it, and lowers it with the weight
    reversed; the marginals never change."""
    X, y, beta, _ = state
    par = np.array([0, 1, 0, 0], dtype=np.int64)
    start = (X[:, 0] * X[:, 1]).sum()
    ends = []
    for w in (1e4, -1e4):
        X2, y2, b2 = X.copy(), y.copy(), beta.copy()
        K.anneal_directed(X2, y2, b2, ARR.bstar, ARR.btol, ARR.zidx, ARR.zstar, ARR.ztol, 0.8, K.CROSS, par, w,
                          ORDINAL, 3, 20000, 1.0, 0.01, 0.1)  # fmt: skip
        ends.append((X2[:, 0] * X2[:, 1]).sum())
        for j, v in enumerate(PREDICTORS):
            assert sorted(X2[:, j]) == sorted(column(v))
        assert y2.sum() == y.sum()
    assert ends[0] > start > ends[1]
