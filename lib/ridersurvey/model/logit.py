"""The binary logit of unwillingness on the riders' characteristics, and the statistics SPSS prints.

A :class:`ModelSpec` declares a model once (outcome, predictors, scales): the paper's nine predictors
(:meth:`ModelSpec.paper`), the book's (:meth:`ModelSpec.from_codebook`, with any predictor the codebook adds),
or a reader's own. :meth:`ModelSpec.fit` (and :func:`fit_logit`) returns a :class:`LogitFit`: a statsmodels
``LogitResults`` (everything statsmodels computes is read from it, unchanged) with the spec and the few
statistics statsmodels lacks added as cached properties. Presentation lives in :mod:`ridersurvey.presentation.tables`,
:mod:`ridersurvey.presentation.report` and :mod:`ridersurvey.presentation.chapters`.

Everything here computes from whatever ``data/riders_survey.csv`` holds. In this book those are reconstructed
responses consistent with the published tables of Wu (2023), not the survey's original answers. statsmodels
and scipy are imported by the functions that use them, so that reading the data costs only pandas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ridersurvey import messages
from ridersurvey.data.codebook import Codebook, Scale, load_codebook
from ridersurvey.data.csvnotes import read_data_csv
from ridersurvey.data.paths import DATA_DIR

#: The fit statistics :meth:`LogitFit.summary_row` records for each reconstruction.
SUMMARY_STATISTICS = (
    "minus2ll",
    "lr_chi2",
    "mcfadden_r2",
    "cox_snell_r2",
    "nagelkerke_r2",
    "hl_chi2",
    "hl_p",
    "auc",
    "accuracy",
)


class SpecError(ValueError):
    """A model that cannot be fitted, or a fit that cannot be set beside the paper's tables: one line why."""


@dataclass(frozen=True)
class ModelSpec:
    """A binary logit, specified once: the outcome, the predictors in the order they enter, and their scales.

    :meth:`fit` estimates it with statsmodels and returns a :class:`LogitFit` that carries the spec. The
    paper's model is :meth:`paper`; the book's is :meth:`from_codebook` (the paper's predictors and any the
    codebook adds). A reader refits another model with :meth:`drop`, :meth:`add` or :meth:`with_scales`.

    Parameters
    ----------
    outcome : str
        The 0/1 outcome column.
    predictors : tuple of str
        Predictor columns, in the order they enter.
    scales : mapping of str to Scale, optional
        How each predictor enters; a predictor not named enters as its code (:attr:`Scale.SCORE`).
    """

    outcome: str
    predictors: tuple[str, ...]
    scales: Mapping[str, Scale] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "predictors", tuple(self.predictors))
        object.__setattr__(self, "scales", {v: Scale(self.scales.get(v, Scale.SCORE)) for v in self.predictors})
        if len(set(self.predictors)) != len(self.predictors) or self.outcome in self.predictors:
            raise SpecError(messages.text("model.repeated", predictors=", ".join(self.predictors)))

    def __hash__(self) -> int:
        return hash((self.outcome, self.predictors, tuple(self.scales.values())))

    @classmethod
    def from_codebook(cls, book: Codebook | None = None) -> ModelSpec:
        """The book's model: the codebook's outcome, then every predictor of the questionnaire and of its
        ``added`` variables, each on its declared scale."""
        book = load_codebook() if book is None else book
        chosen = [v for v in book.items if v.role == "predictor"]
        return cls(book.outcome, tuple(v.name for v in chosen), {v.name: v.scale for v in chosen})

    @classmethod
    def paper(cls, book: Codebook | None = None) -> ModelSpec:
        """The paper's model: the questionnaire's predictors in Table 2's order, each on its declared scale."""
        book = load_codebook() if book is None else book
        return cls(book.outcome, tuple(book.predictors), {v: book[v].scale for v in book.predictors})

    def drop(self, *names: str) -> ModelSpec:
        """This model without the predictors ``names``."""
        unknown = [n for n in names if n not in self.predictors]
        if unknown:
            raise SpecError(
                messages.text("model.not_a_predictor", names=", ".join(unknown), predictors=", ".join(self.predictors))
            )
        kept = tuple(v for v in self.predictors if v not in names)
        return ModelSpec(self.outcome, kept, self.scales)

    def add(self, *names: str, scale: Scale | None = None) -> ModelSpec:
        """This model with the predictors ``names`` entered last, on ``scale`` (by default the scale the
        codebook declares, and :attr:`Scale.SCORE` for a column it does not know)."""
        declared = {v.name: v.scale for v in load_codebook().items}
        added = {n: scale or declared.get(n, Scale.SCORE) for n in names}
        return ModelSpec(self.outcome, (*self.predictors, *names), {**self.scales, **added})

    def with_scales(self, scales: Mapping[str, Scale]) -> ModelSpec:
        """This model with some predictors entered on another scale."""
        return ModelSpec(self.outcome, self.predictors, {**self.scales, **scales})

    def design(self, df: pd.DataFrame) -> pd.DataFrame:
        """The design matrix: ``const``, then each predictor's column(s) as floats, in the spec's order.

        A predictor on :attr:`Scale.CATEGORIES` gives one indicator ``name[code]`` per observed code above
        the lowest.

        Raises
        ------
        SpecError
            If ``df`` lacks a column the spec names.
        """
        self._require(df, self.predictors)
        columns: dict[str, pd.Series] = {"const": pd.Series(1.0, index=df.index)}
        for var in self.predictors:
            if self.scales[var] is Scale.SCORE:
                columns[var] = df[var].astype(float)
                continue
            for code in sorted(df[var].unique())[1:]:
                columns[f"{var}[{code}]"] = (df[var] == code).astype(float)
        return pd.DataFrame(columns)

    def fit(self, df: pd.DataFrame) -> LogitFit:
        """Fit the logit by maximum likelihood (statsmodels, Newton's method).

        Parameters
        ----------
        df : DataFrame
            Coded responses with the outcome and every predictor.

        Returns
        -------
        LogitFit
            Wraps the statsmodels ``LogitResults``; an intercept named ``const`` comes first.
        """
        import statsmodels.api as sm

        exog = self.design(df)
        self._require(df, [self.outcome])
        endog = df[self.outcome].astype(float)
        return LogitFit(sm.Logit(endog, exog).fit(disp=0, method="newton", maxiter=100), self)

    def _require(self, df: pd.DataFrame, names) -> None:
        missing = [n for n in names if n not in df.columns]
        if missing:
            raise SpecError(
                messages.text("model.missing_column", names=", ".join(missing), columns=", ".join(map(str, df.columns)))
            )


def load_analysis_data(path: str | Path | None = None) -> pd.DataFrame:
    """Read the coded analysis file (``data/riders_survey.csv`` by default) with integer columns.

    Parameters
    ----------
    path : str or Path, optional
        A coded analysis file; the committed reconstruction by default.

    Returns
    -------
    DataFrame
        ``respondent_id``, the outcome and the nine predictors in Table 2's order, then the codebook's added
        variables (:attr:`ridersurvey.data.codebook.Codebook.data_columns`).
    """
    path = Path(path) if path else DATA_DIR / "riders_survey.csv"
    frame = read_data_csv(path)
    columns = load_codebook().data_columns
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    return frame[columns].astype("int64")


def fit_logit(df: pd.DataFrame, predictors: Sequence[str] | None = None, outcome: str | None = None) -> LogitFit:
    """Fit the binary logit of ``outcome`` on ``predictors`` entered as scores (:meth:`ModelSpec.fit`).

    Parameters
    ----------
    df : DataFrame
        Coded responses.
    predictors : sequence of str, optional
        Defaults to the paper's model (:meth:`ModelSpec.paper`): the questionnaire's nine predictors in
        Table 2's order, each on its declared scale. The book's model, with any predictor the codebook adds,
        is ``ModelSpec.from_codebook().fit(df)``.
    outcome : str, optional
        The 0/1 outcome column (the codebook's ``unwilling`` by default).

    Returns
    -------
    LogitFit
    """
    spec = ModelSpec.paper()
    if predictors is not None:
        spec = ModelSpec(spec.outcome, tuple(predictors), ModelSpec.from_codebook().scales)
    if outcome is not None:
        spec = ModelSpec(outcome, spec.predictors, spec.scales)
    return spec.fit(df)


def design_matrix(df: pd.DataFrame, predictors: Sequence[str] | None = None) -> np.ndarray:
    """The model's design matrix (:meth:`ModelSpec.design`) as an array.

    Parameters
    ----------
    df : DataFrame
    predictors : sequence of str, optional
        Defaults to the paper's model.

    Returns
    -------
    ndarray
        Shape (n, 1 + k); column order ``const`` then ``predictors``.
    """
    spec = ModelSpec.paper()
    if predictors is not None:
        spec = ModelSpec(spec.outcome, tuple(predictors), ModelSpec.from_codebook().scales)
    return spec.design(df).to_numpy(dtype=float)


class LogitFit:
    """A fitted logit: statsmodels' ``LogitResults`` plus the statistics it lacks, computed once.

    Attribute access falls through to the ``LogitResults`` (``params``, ``bse``, ``pvalues``, ``llf``,
    ``llnull``, ``llr``, ``llr_pvalue``, ``aic``, ``bic``, ``prsquared``, ``predict``, ``get_margeff`` ...).

    Parameters
    ----------
    results : statsmodels LogitResults
        A fit with an intercept named ``const``.
    spec : ModelSpec
        The model ``results`` estimates.
    """

    def __init__(self, results: Any, spec: ModelSpec) -> None:
        self.results = results
        self.spec = spec

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("results", "spec"):
            raise AttributeError(name)
        return getattr(self.results, name)

    @property
    def predictors(self) -> list[str]:
        """The slopes' names, in the order they were entered."""
        return [t for t in self.results.params.index if t != "const"]

    @cached_property
    def y(self) -> np.ndarray:
        """The 0/1 outcome."""
        return np.asarray(self.results.model.endog, dtype=float)

    @cached_property
    def fitted(self) -> np.ndarray:
        """Fitted probabilities of the outcome (= 1)."""
        return np.asarray(self.results.predict(), dtype=float)

    @property
    def n(self) -> int:
        """Number of cases."""
        return int(self.results.nobs)

    @property
    def events(self) -> int:
        """Number of cases with outcome 1."""
        return int(self.y.sum())

    def coefficients(self, level: float = 0.95) -> pd.DataFrame:
        """Coefficients with Wald standard errors, z, two-sided p and odds ratios with Wald limits.

        Parameters
        ----------
        level : float
            Confidence level of the odds-ratio limits.

        Returns
        -------
        DataFrame
            One row per term (``const`` first); columns coef, se, z, p, odds_ratio, or_ci_low, or_ci_high.
            The limits are ``exp`` of statsmodels' Wald limits, the "95% C.I. for EXP(B)" SPSS prints.
        """
        r = self.results
        ci = r.conf_int(alpha=1 - level)
        return pd.DataFrame(
            {
                "coef": r.params,
                "se": r.bse,
                "z": r.tvalues,
                "p": r.pvalues,
                "odds_ratio": np.exp(r.params),
                "or_ci_low": np.exp(ci[0]),
                "or_ci_high": np.exp(ci[1]),
            }
        ).rename_axis("term")

    @cached_property
    def pseudo_r2(self) -> dict[str, float]:
        """McFadden's (statsmodels' ``prsquared``), Cox–Snell's and Nagelkerke's pseudo-R².

        Cox–Snell: ``1 − exp(2 (ll0 − ll) / n)``; Nagelkerke: Cox–Snell over its maximum ``1 − exp(2 ll0 / n)``.
        """
        return pseudo_r2(float(self.results.llf), float(self.results.llnull), self.n)

    @cached_property
    def hosmer_lemeshow(self) -> HosmerLemeshow:
        """Hosmer–Lemeshow test on ten groups of risk (see :func:`hosmer_lemeshow`)."""
        return hosmer_lemeshow(self.y, self.fitted)

    @cached_property
    def classification(self) -> pd.DataFrame:
        """Classification table at a cutoff of 0.5 (see :func:`classification_counts`)."""
        return classification_counts(self.y, self.fitted)

    @cached_property
    def auc(self) -> float:
        """Area under the in-sample ROC curve."""
        return auc(self.y, self.fitted)

    @cached_property
    def statistics(self) -> dict[str, float | int]:
        """Model-fit statistics as an SPSS user expects them, as plain Python numbers.

        Keys: n, events, ll_model, ll_null, minus2ll, lr_chi2, lr_df, lr_p, aic, bic (statsmodels' values),
        mcfadden_r2, cox_snell_r2, nagelkerke_r2, hl_chi2, hl_df, hl_p, auc, and accuracy, sensitivity and
        specificity in % at a cutoff of 0.5 with outcome 1 as the event.
        """
        r = self.results
        hl = self.hosmer_lemeshow
        ct = self.classification
        counts = ct[[0, 1]].to_numpy()
        out: dict[str, float | int] = {
            "n": self.n,
            "events": self.events,
            "ll_model": float(r.llf),
            "ll_null": float(r.llnull),
            "minus2ll": float(-2 * r.llf),
            "lr_chi2": float(r.llr),
            "lr_df": int(r.df_model),
            "lr_p": float(r.llr_pvalue),
            "aic": float(r.aic),
            "bic": float(r.bic),
        }
        out.update(self.pseudo_r2)
        out.update(
            {
                "hl_chi2": hl.chi2,
                "hl_df": int(hl.df),
                "hl_p": hl.p,
                "auc": self.auc,
                "accuracy": float(100 * np.trace(counts) / counts.sum()),
                "sensitivity": float(ct.loc[1, "percent_correct"]),
                "specificity": float(ct.loc[0, "percent_correct"]),
            }
        )
        return out

    def marginal_effects(self, level: float = 0.95) -> pd.DataFrame:
        """Average effect of a one-step rise in each predictor's code on Pr(outcome = 1), within the codes.

        For a two-category predictor, the average contrast of every rider at the higher code against every
        rider at the lower one, ``mean_i [F(eta_i + b_j (hi - x_ij)) − F(eta_i + b_j (lo - x_ij))]``. For a
        predictor with more categories, the average over the riders below the top code of the change when
        their code rises by one, ``F(eta_i + b_j) − F(eta_i)``; riders at the top code have no higher code to
        move to and are left out. Standard errors by the delta method with the analytic gradient.

        Parameters
        ----------
        level : float
            Confidence level.

        Returns
        -------
        DataFrame
            Columns ame, se, z, p, ci_low, ci_high; one row per predictor.
        """
        from scipy import stats
        from scipy.special import expit

        r = self.results
        x = np.asarray(r.model.exog, dtype=float)
        b = np.asarray(r.params, dtype=float)
        cov = np.asarray(r.cov_params(), dtype=float)
        names = list(r.params.index)
        rows = []
        for term in self.predictors:
            j = names.index(term)
            codes = np.unique(x[:, j])
            if len(codes) == 2:
                lo, hi = x.copy(), x.copy()
                lo[:, j], hi[:, j] = codes[0], codes[1]
                keep = np.ones(len(x), dtype=bool)
            else:
                keep = x[:, j] < codes[-1]
                lo = x[keep]
                hi = lo.copy()
                hi[:, j] += 1
            f0, f1 = expit(lo @ b), expit(hi @ b)
            grad = ((f1 * (1 - f1))[:, None] * hi - (f0 * (1 - f0))[:, None] * lo).mean(axis=0)
            rows.append((float(np.mean(f1 - f0)), float(np.sqrt(grad @ cov @ grad)), int(keep.sum())))
        frame = pd.DataFrame(rows, columns=["ame", "se", "riders"], index=pd.Index(self.predictors, name="variable"))
        frame["z"] = frame["ame"] / frame["se"]
        frame["p"] = 2 * stats.norm.sf(frame["z"].abs())
        crit = stats.norm.ppf(0.5 + level / 2)
        frame["ci_low"] = frame["ame"] - crit * frame["se"]
        frame["ci_high"] = frame["ame"] + crit * frame["se"]
        return frame[["ame", "se", "z", "p", "ci_low", "ci_high", "riders"]]

    @cached_property
    def vif(self) -> pd.Series:
        """Variance inflation of each slope in this logit: R's ``car::vif`` for a glm.

        ``VIF_j = det(R_jj) det(R_-j,-j) / det(R)`` with ``R`` the correlation matrix of the slopes'
        estimated covariance (intercept dropped); for one-degree-of-freedom terms this is ``[R^-1]_jj``. It
        is the factor by which the slope's variance exceeds what it would be if its information were
        uncorrelated with the other slopes', weighted by the logistic weights of this fit.
        """
        cov = self.results.cov_params().loc[self.predictors, self.predictors].to_numpy()
        sd = np.sqrt(np.diag(cov))
        corr = cov / np.outer(sd, sd)
        return pd.Series(np.diag(np.linalg.inv(corr)), index=pd.Index(self.predictors, name="variable"), name="vif")

    def summary_row(self) -> dict[str, float]:
        """One flat record of the fit, for ensembles of reconstructed data sets.

        Returns
        -------
        dict
            ``coef_<term>``, ``se_<term>``, ``p_<term>`` for ``const`` and each predictor, ``ame_<var>`` per
            predictor (the one-step discrete change), and the fit statistics of :data:`SUMMARY_STATISTICS`;
            all Python floats.
        """
        r = self.results
        row: dict[str, float] = {}
        for term in r.params.index:
            row[f"coef_{term}"] = float(r.params[term])
            row[f"se_{term}"] = float(r.bse[term])
            row[f"p_{term}"] = float(r.pvalues[term])
        stats_ = self.statistics
        for key in SUMMARY_STATISTICS:
            row[key] = float(stats_[key])
        for var, value in self.marginal_effects()["ame"].items():
            row[f"ame_{var}"] = float(value)
        return row


def pseudo_r2(ll_model: float, ll_null: float, n: int) -> dict[str, float]:
    """McFadden's, Cox–Snell's and Nagelkerke's pseudo-R² from the two log-likelihoods.

    Parameters
    ----------
    ll_model, ll_null : float
        Log-likelihoods of the fitted and of the intercept-only model.
    n : int
        Number of cases.

    Returns
    -------
    dict
        mcfadden_r2 ``1 − ll / ll0``, cox_snell_r2 ``1 − exp(2 (ll0 − ll) / n)`` and nagelkerke_r2 (Cox–Snell
        divided by its maximum ``1 − exp(2 ll0 / n)``).
    """
    cox_snell = 1 - np.exp(2 * (ll_null - ll_model) / n)
    return {
        "mcfadden_r2": float(1 - ll_model / ll_null),
        "cox_snell_r2": float(cox_snell),
        "nagelkerke_r2": float(cox_snell / (1 - np.exp(2 * ll_null / n))),
    }


@dataclass(frozen=True)
class HosmerLemeshow:
    """Result of the Hosmer–Lemeshow test: statistic, degrees of freedom, p-value and the 2 × g table."""

    chi2: float
    df: int
    p: float
    table: pd.DataFrame


def hosmer_lemeshow(y, p, groups: int = 10, tol: float = 1e-10) -> HosmerLemeshow:
    """Hosmer–Lemeshow goodness-of-fit test on "deciles of risk", grouped the way SPSS describes it.

    Grouping rule (deterministic, so any reader can redo it by hand):

    1. Sort cases by predicted probability, ascending.
    2. Cases whose predicted probabilities differ from their sorted neighbour by at most ``tol`` form one
       *block* of ties (in a logit these are cases with the same covariate pattern). A block is never split.
    3. With ``c`` the number of cases up to and including the last case of a block and ``n`` the total,
       the block goes to group ``ceil(groups · c / n)``. Without ties every group therefore holds
       ``n / groups`` cases (10 of 10 for n = 100); a block that straddles a cut point moves whole into the
       later group.
    4. Group numbers that receive no block are dropped and the rest renumbered 1, 2, ..., so ties can leave
       fewer than ``groups`` groups, exactly as SPSS warns.

    The statistic is the Pearson chi-square of the 2 × g table of observed and expected counts,
    ``sum_k (O_k − E_k)² / (E_k (1 − E_k / n_k))`` with ``E_k`` the sum of predicted probabilities in group
    k, referred to chi-square with ``g − 2`` degrees of freedom (Hosmer and Lemeshow 1980).

    Returns
    -------
    HosmerLemeshow
        ``table`` has one row per group: n, observed_1, expected_1, observed_0, expected_0, p_min, p_max.
    """
    from scipy import stats

    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    n = len(y)
    order = np.argsort(p, kind="mergesort")
    ps, ys = p[order], y[order]
    new_block = np.concatenate([[True], np.diff(ps) > tol])
    block_id = np.cumsum(new_block) - 1
    block_end = np.r_[np.flatnonzero(new_block)[1:], n]
    group_of_block = -(-groups * block_end // n)
    raw_group = group_of_block[block_id]
    _, group = np.unique(raw_group, return_inverse=True)
    g = int(group.max()) + 1
    size = np.bincount(group, minlength=g).astype(float)
    obs1 = np.bincount(group, weights=ys, minlength=g)
    exp1 = np.bincount(group, weights=ps, minlength=g)
    table = pd.DataFrame(
        {
            "n": size.astype(int),
            "observed_1": obs1.astype(int),
            "expected_1": exp1,
            "observed_0": (size - obs1).astype(int),
            "expected_0": size - exp1,
            "p_min": [ps[group == k].min() for k in range(g)],
            "p_max": [ps[group == k].max() for k in range(g)],
        },
        index=pd.RangeIndex(1, g + 1, name="group"),
    )
    chi2 = float(np.sum((obs1 - exp1) ** 2 / (exp1 * (1 - exp1 / size))))
    df = g - 2
    return HosmerLemeshow(chi2, df, float(stats.chi2.sf(chi2, df)) if df > 0 else float("nan"), table)


def classification_counts(y, p, cutoff: float = 0.5) -> pd.DataFrame:
    """Observed by predicted counts at ``cutoff`` (predicted 1 when the probability exceeds it), as SPSS prints.

    Rows are the observed outcome (0, 1), columns the predicted outcome (0, 1) and ``percent_correct``,
    the share of each observed row classified correctly.
    """
    y = np.asarray(y).astype(int)
    pred = (np.asarray(p, dtype=float) > cutoff).astype(int)
    counts = np.zeros((2, 2), dtype=int)
    np.add.at(counts, (y, pred), 1)
    table = pd.DataFrame(counts, index=pd.Index([0, 1], name="observed"), columns=pd.Index([0, 1], name="predicted"))
    with np.errstate(invalid="ignore", divide="ignore"):
        table["percent_correct"] = 100.0 * np.diag(counts) / counts.sum(axis=1)
    return table


def roc_curve(y, p) -> pd.DataFrame:
    """Receiver operating characteristic: false- and true-positive rates as the threshold falls.

    One row per distinct predicted probability (descending), classifying as positive when ``p >= threshold``,
    preceded by the origin (threshold = +inf). Tied probabilities move the curve diagonally.
    """
    y = np.asarray(y).astype(int)
    p = np.asarray(p, dtype=float)
    thresholds = np.unique(p)[::-1]
    pos, neg = y.sum(), (1 - y).sum()
    tp = np.array([np.sum((p >= t) & (y == 1)) for t in thresholds])
    fp = np.array([np.sum((p >= t) & (y == 0)) for t in thresholds])
    return pd.DataFrame(
        {
            "threshold": np.r_[np.inf, thresholds],
            "fpr": np.r_[0.0, fp / neg],
            "tpr": np.r_[0.0, tp / pos],
        }
    )


def auc(y, p) -> float:
    """Area under the ROC curve in its Mann–Whitney form.

    The share of (event, non-event) pairs in which the event has the higher predicted probability, ties
    counting one half; computed from mid-ranks as ``(R_1 − n_1(n_1 + 1)/2) / (n_1 n_0)``.
    """
    from scipy import stats

    y = np.asarray(y).astype(bool)
    ranks = stats.rankdata(np.asarray(p, dtype=float))
    n1, n0 = int(y.sum()), int((~y).sum())
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def __getattr__(name: str) -> str:
    """``OUTCOME``, the outcome the codebook declares, read when first asked (importing reads no data file)."""
    if name == "OUTCOME":
        return load_codebook().outcome
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
