"""The statistics the paper did not publish, computed from a data set: what the envelope bounds.

Every statistic here is a number a reader might want from the survey but that Wu (2023) does not print:
each coefficient's standard error and z (and the intercept), the model's −2 log-likelihood, LR χ², McFadden
and Nagelkerke R², the Hosmer–Lemeshow test, the AUC and the share classified correctly at 0.5, the
average one-step marginal effects, the correlation of every pair of predictors, every outcome-by-item
cell, the likelihood-ratio test of linear codes against categories
(:func:`ridersurvey.model.codings.coding_lr_test`), each predictor's Firth penalised-LR p-value, and, for the
two predictors whose printed (b, p) pairs cannot stand, the p-value of a Pearson χ² test of the item's
k × 2 table against the outcome and of the joint LR test of the item entered as categories.

:data:`CATALOGUE` lists them with the printed precision a reader would quote them at and the directed
search (:mod:`ridersurvey.reconstruction.envelope`) that bounds each: statistics that are monotone functions
of one another under the published counts share a search (−2LL, LR χ², McFadden and Nagelkerke R² are
all functions of the log-likelihood, because the null log-likelihood is fixed by the outcome's counts).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ridersurvey import messages
from ridersurvey.data.codebook import load_codebook
from ridersurvey.model.codings import coding_lr_test
from ridersurvey.model.logit import fit_logit
from ridersurvey.reconstruction.targets import OUTCOME, PREDICTORS

#: Predictors whose printed (b, p) pairs no data set can produce: the error mechanisms are tested for them.
MECHANISM_ITEMS = ("health", "policy_awareness")
TERMS = ("const", *PREDICTORS)


@dataclass(frozen=True)
class Statistic:
    """One unpublished statistic.

    ``name`` is its column in :func:`evaluate`'s record; ``objective`` names the directed search that bounds
    it and ``direction`` how it moves with that objective (+1 increasing, −1 decreasing); ``decimals`` is
    the precision a reader would print it at (a range narrower than that half-unit means the paper pins it
    down); ``group`` is the family the envelope table groups by.
    """

    name: str
    label: str
    group: str
    decimals: int
    objective: str
    direction: int = 1


def _label(var: str) -> str:
    return messages.label("Intercept") if var == "const" else load_codebook().labels([var])[var]


def _codes(var: str) -> tuple[int, ...]:
    return load_codebook()[var].codes


def pair_name(a: str, b: str) -> str:
    """Column name of the correlation of predictors ``a`` and ``b`` (in Table 2's order)."""
    return f"corr_{a}__{b}"


def cell_name(var: str, code: int, outcome: int) -> str:
    """Column name of the number of respondents with ``var = code`` and outcome ``outcome``."""
    return "_".join(["n", var, str(code), f"y{outcome}"])


def _catalogue() -> tuple[Statistic, ...]:
    say = lambda key, **fields: messages.text(f"reconstruction.unpublished.{key}", **fields)
    out = [Statistic("coef_const", messages.label("Intercept: coefficient"), "coefficients", 3, "coef_const")]
    for t in TERMS:
        out.append(Statistic(f"se_{t}", _label(t), "standard errors", 3, f"se_{t}"))
    for t in TERMS:
        out.append(Statistic(f"z_{t}", _label(t), "Wald z", 2, f"z_{t}"))
    out += [
        Statistic("minus2ll", messages.label("−2 log-likelihood"), "χ² statistics", 2, "ll", -1),
        Statistic("lr_chi2", messages.label("LR χ² ({df} df)", df=len(PREDICTORS)), "χ² statistics", 2, "ll", 1),
        Statistic("hl_chi2", messages.label("Hosmer–Lemeshow χ²"), "χ² statistics", 2, "hl_chi2", 1),
        Statistic("mcfadden_r2", messages.label("McFadden R²"), "fit measures", 3, "ll", 1),
        Statistic("nagelkerke_r2", messages.label("Nagelkerke R²"), "fit measures", 3, "ll", 1),
        Statistic("auc", "AUC", "fit measures", 3, "auc", 1),
        Statistic("accuracy", messages.label("Correctly classified at 0.5 (%)"), "classification", 1, "accuracy", 1),
        Statistic("hl_p", messages.label("Hosmer–Lemeshow p"), "p-values", 3, "hl_chi2", -1),
        Statistic("coding_lr_p", say("coding_lr_p"), "p-values", 3, "coding_lr_p"),
    ]
    for v in MECHANISM_ITEMS:
        n_codes = len(_codes(v))
        chi2 = say("chi2_p", item=_label(v), categories=n_codes)
        out.append(Statistic(f"chi2_p_{v}", chi2, "p-values", 3, f"chi2_p_{v}"))
        out.append(Statistic(f"joint_p_{v}", say("joint_p", item=_label(v)), "p-values", 3, f"joint_p_{v}"))
    for v in PREDICTORS:
        out.append(
            Statistic(
                f"firth_p_{v}",
                messages.label("{item}: Firth penalised LR", item=_label(v)),
                "p-values",
                3,
                f"firth_p_{v}",
            )
        )
    for v in PREDICTORS:
        out.append(Statistic(f"ame_{v}", _label(v), "marginal effects", 3, f"ame_{v}"))
    for a, b in itertools.combinations(PREDICTORS, 2):
        out.append(Statistic(pair_name(a, b), f"{_label(a)} × {_label(b)}", "correlations", 2, pair_name(a, b)))
    for v in PREDICTORS:
        codes = _codes(v)
        for c in codes:
            free = len(codes) > 2 or c == codes[0]
            source = cell_name(v, c if free else codes[0], 1)
            sign = 1 if free else -1
            for outcome, shown, direction in (
                (1, "{item} = {code}, unwilling", sign),
                (0, "{item} = {code}, willing", -sign),
            ):
                cell = messages.label(shown, item=_label(v), code=c)
                out.append(Statistic(cell_name(v, c, outcome), cell, "cross-table cells", 0, source, direction))
    return tuple(out)


#: Every statistic the envelope bounds, in the order the envelope table shows them.
CATALOGUE = _catalogue()


def objectives() -> list[str]:
    """The directed searches the catalogue needs, each run twice (smallest and largest value)."""
    return list(dict.fromkeys(s.objective for s in CATALOGUE))


def chi2_test_p(data: pd.DataFrame, var: str, outcome: str = OUTCOME) -> float:
    """p-value of Pearson's χ² test of the ``var`` × outcome table (no continuity correction)."""
    from scipy.stats import chi2_contingency

    return float(chi2_contingency(pd.crosstab(data[var], data[outcome]).to_numpy(), correction=False).pvalue)


def _loglik(y: np.ndarray, X: np.ndarray) -> float:
    """Maximised log-likelihood of a logit of ``y`` on ``X`` (with its constant): statsmodels' Newton fit.

    Under quasi-complete separation the likelihood has no maximum but a supremum, which the iterations
    approach; the likelihood-ratio statistic is then taken at that limit.
    """
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.Logit(y, X).fit(disp=0, method="newton", maxiter=200, warn_convergence=False)
    return float(res.llf)


def joint_test_p(data: pd.DataFrame, var: str, outcome: str = OUTCOME) -> float:
    """p-value of the likelihood-ratio test of ``var`` entered as categories (dummies for every code but
    the lowest) in the paper's model with the other eight predictors entered as codes (df = categories − 1)."""
    from scipy.stats import chi2

    others = [v for v in PREDICTORS if v != var]
    y = data[outcome].to_numpy(dtype=float)
    base = np.column_stack([np.ones(len(data)), data[others].to_numpy(dtype=float)])
    levels = sorted(data[var].unique())
    dummies = np.column_stack([(data[var] == lev).to_numpy(dtype=float) for lev in levels[1:]])
    lr = 2.0 * (_loglik(y, np.column_stack([base, dummies])) - _loglik(y, base))
    return float(chi2.sf(max(lr, 0.0), len(levels) - 1))


def firth_p_values(data: pd.DataFrame, variables=PREDICTORS, outcome: str = OUTCOME) -> dict[str, float]:
    """Firth penalised likelihood-ratio p-values of the given predictors (``firthmodels``, as
    :func:`ridersurvey.model.firth.fit_firth` fits it, without profile intervals)."""
    from firthmodels import FirthLogisticRegression

    model = FirthLogisticRegression(backend="numpy", gtol=1e-6, xtol=1e-6, max_iter=200)
    model.fit(data[list(PREDICTORS)].to_numpy(dtype=float), data[outcome].to_numpy(dtype=int))
    idx = [PREDICTORS.index(v) for v in variables]
    model.lrt(features=idx)
    return {v: float(model.lrt_pvalues_[i]) for v, i in zip(variables, idx, strict=True)}


#: Groups of statistics :func:`evaluate` can compute, from cheap to costly.
GROUPS = ("fit", "corr", "cells", "chi2", "coding", "joint", "firth")


def evaluate(data: pd.DataFrame, groups=GROUPS) -> dict[str, float]:
    """Every statistic of :data:`CATALOGUE` (of the given groups) for one data set, as plain floats.

    ``fit`` is :meth:`ridersurvey.model.logit.LogitFit.summary_row` plus the intercept's coefficient and each
    term's z; ``coding`` is :func:`ridersurvey.model.codings.coding_lr_test`; ``firth`` :func:`firth_p_values`;
    ``chi2`` and ``joint`` the two tests of the mechanism items.
    """
    row: dict[str, float] = {}
    if "fit" in groups:
        fit = fit_logit(data, list(PREDICTORS), OUTCOME)
        row.update(fit.summary_row())
        for t in TERMS:
            row[f"z_{t}"] = float(fit.results.tvalues[t])
    if "corr" in groups:
        corr = data[list(PREDICTORS)].astype(float).corr().to_numpy()
        for (i, a), (j, b) in itertools.combinations(enumerate(PREDICTORS), 2):
            row[pair_name(a, b)] = float(corr[i, j])
    if "cells" in groups:
        for v in PREDICTORS:
            for c in _codes(v):
                for yv in (1, 0):
                    row[cell_name(v, c, yv)] = float(((data[v] == c) & (data[OUTCOME] == yv)).sum())
    if "chi2" in groups:
        for v in MECHANISM_ITEMS:
            row[f"chi2_p_{v}"] = chi2_test_p(data, v)
    if "joint" in groups:
        for v in MECHANISM_ITEMS:
            row[f"joint_p_{v}"] = joint_test_p(data, v)
    if "coding" in groups:
        row["coding_lr_p"] = float(coding_lr_test(data)["p"])
    if "firth" in groups:
        for v, p in firth_p_values(data).items():
            row[f"firth_p_{v}"] = p
    return row


def group_of(objective: str) -> str:
    """Which :data:`GROUPS` entry computes a search objective's exact value."""
    if objective.startswith("corr_"):
        return "corr"
    if objective.startswith("n_"):
        return "cells"
    if objective.startswith("chi2_p_"):
        return "chi2"
    if objective.startswith("joint_p_"):
        return "joint"
    if objective == "coding_lr_p":
        return "coding"
    if objective.startswith("firth_p_"):
        return "firth"
    return "fit"


def objective_value(data: pd.DataFrame, objective: str) -> float:
    """Exact value of a search objective on a data set (``ll`` is the log-likelihood)."""
    if objective.startswith("firth_p_"):
        return firth_p_values(data, (objective.removeprefix("firth_p_"),))[objective.removeprefix("firth_p_")]
    row = evaluate(data, (group_of(objective),))
    if objective == "ll":
        return -0.5 * row["minus2ll"]
    return row[objective]
