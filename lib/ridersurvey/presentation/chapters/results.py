"""The results chapter (``chapters/results.md``): what Table 3 implies on its own, and the refit on the book's
reconstructed data with each statistic's range over reconstructions. Numbers and tables only; the chapter
writes the sentences, captions and labels."""

from __future__ import annotations

import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.inference import table3_from_print
from ridersurvey.audit.verdicts import AuditVerdict
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.model.logit import ModelSpec
from ridersurvey.presentation import report as r
from ridersurvey.presentation.tables import table3_comparison
from ridersurvey.reconstruction.envelope import statistic_bounds
from ridersurvey.robustness.finding_robustness import exact_members, load_ensemble

#: Fit statistics the chapter reports: key, row label, decimals.
FIT_STATISTICS = (
    ("minus2ll", "−2 log-likelihood", 2),
    ("lr_chi2", "Likelihood-ratio χ² ({df} df)", 2),
    ("mcfadden_r2", "McFadden R²", 3),
    ("cox_snell_r2", "Cox–Snell R²", 3),
    ("nagelkerke_r2", "Nagelkerke R²", 3),
    ("hl_p", "Hosmer–Lemeshow p", 3),
    ("auc", "Area under the ROC curve", 3),
    ("accuracy", "Correctly classified at 0.5 (%)", 1),
)


def _labels(names) -> list[str]:
    """The codebook's labels of ``names`` (:meth:`ridersurvey.data.codebook.Codebook.labels`); a column the
    codebook does not know keeps its name."""
    book = load_codebook()
    known = book.labels(v.name for v in book.items)
    return [known.get(v, v) for v in names]


def ranges_apply(fit) -> bool:
    """Whether the ranges over reconstructions describe ``fit``'s model.

    The exact ensemble and the envelope were computed for the paper's model (:meth:`ModelSpec.paper`); for
    any other model (a predictor dropped, added or entered on another scale) they say nothing.
    """
    return fit.spec == ModelSpec.paper()


def reconstructions() -> pd.DataFrame:
    """The exact, distinct reconstructions of the committed ensemble (:func:`ridersurvey.robustness.finding_robustness.exact_members`)."""
    return exact_members(load_ensemble())


def _interval(lo: float, hi: float, decimals: int, p_values: bool) -> str:
    return r.p_interval(lo, hi, decimals) if p_values else r.interval(lo, hi, decimals)


def ensemble_range(members: pd.DataFrame, column: str, decimals: int, scale: float = 1.0) -> str:
    """The range of one statistic over the exact ensemble, as an interval; "" where it was not recorded."""
    if column not in members or members[column].isna().all():
        return ""
    return _interval(scale * members[column].min(), scale * members[column].max(), decimals, column.endswith("_p"))


def envelope_range(statistic: str, decimals: int, scale: float = 1.0) -> str:
    """The envelope of one statistic (:func:`ridersurvey.reconstruction.envelope.statistic_bounds`) as an
    interval; "" where the envelope lacks it."""
    bounds = statistic_bounds(statistic)
    if bounds is None:
        return ""
    p_values = statistic.endswith("_p") or statistic.startswith("p_")
    return _interval(scale * bounds[0], scale * bounds[1], decimals, p_values)


def printed_results() -> r.Facts:
    """What Table 3 as printed allows: how many pairs stand, and which of them are significant."""
    printed = table3_from_print()
    standing = printed[printed["clears_floor"]]
    significant = standing[(standing["ci_low_min"] > 1) | (standing["ci_high_max"] < 1)]
    return r.Facts(
        n_terms=r.count_words(len(printed)),
        n_standing=r.count_words(len(standing)),
        significant_standing=r.names(label.lower() for label in _labels(significant.index)),
        n_paper_significant=r.count_words(int(printed["significant"].sum())),
        pairs=r.names(label.lower() for label in _labels(printed.index[~printed["clears_floor"]])),
        n_pairs=r.count_words(int((~printed["clears_floor"]).sum())),
    )


def refit_results(fit) -> r.Facts:
    """How the refit compares with Table 3: coefficients and p-values agreeing at the printed precision."""
    comparison = table3_comparison(fit)
    return r.Facts(
        n_coef_agree=r.count_words(int(comparison["coef_agrees"].sum())),
        n_p_agree=r.count_words(int(comparison["p_agrees"].sum())),
        const=r.number(float(fit.params["const"])),
    )


def fit_results(fit) -> r.Facts:
    """Overall fit of the refit, with the envelope of each statistic ("" for a model it does not describe,
    :func:`ranges_apply`) and the size of the exact ensemble."""
    stats_ = fit.statistics
    members = reconstructions()
    method = members["method"] if "method" in members else pd.Series("search", index=members.index)
    applies = ranges_apply(fit)
    out: dict[str, str] = {key: r.number(stats_[key], d) for key, _, d in FIT_STATISTICS}
    out |= {f"{key}_range": envelope_range(key, d) if applies else "" for key, _, d in FIT_STATISTICS}
    return r.Facts(
        **out,
        lr_df=r.integer(stats_["lr_df"]),
        lr_p=r.p_text(stats_["lr_p"]),
        n_members=r.integer(len(members)),
        n_searches=r.integer(int((method == "search").sum())),
        n_walks=r.integer(int((method == "walk").sum())),
        n_ensemble=r.integer(len(load_ensemble())),
    )


def hosmer_lemeshow_results(fit) -> r.Facts:
    """The Hosmer–Lemeshow groups (``sizes``: their one size, "10", or the range, "8–12") and statistic of the
    refit, with the envelope of its p-value ("" where :func:`ranges_apply` is false)."""
    stats_ = fit.statistics
    sizes = fit.hosmer_lemeshow.table["n"]
    return r.Facts(
        n_groups=r.count_words(len(sizes)),
        sizes=r.integer(sizes.min())
        if sizes.min() == sizes.max()
        else r.Text(f"{r.integer(sizes.min())}–{r.integer(sizes.max())}"),
        chi2=r.number(stats_["hl_chi2"], 2),
        df=r.integer(stats_["hl_df"]),
        p=r.p_value(stats_["hl_p"]),
        p_range=envelope_range("hl_p", 3) if ranges_apply(fit) else "",
    )


def classification_results(fit) -> r.Facts:
    """Accuracy, sensitivity, specificity and AUC of the refit, the majority-class baseline and their envelopes
    ("" where :func:`ranges_apply` is false)."""
    stats_ = fit.statistics
    n, events = stats_["n"], stats_["events"]
    applies = ranges_apply(fit)
    return r.Facts(
        accuracy=r.number(stats_["accuracy"], 1),
        accuracy_range=envelope_range("accuracy", 1) if applies else "",
        sensitivity=r.percent(stats_["sensitivity"]),
        specificity=r.percent(stats_["specificity"]),
        baseline_accuracy=r.percent(100 * max(events, n - events) / n, 0),
        auc=r.number(stats_["auc"], 3),
        auc_range=envelope_range("auc", 3) if applies else "",
    )


def collinearity_results(fit) -> r.Facts:
    """The largest weighted VIF and the largest average marginal effect (percentage points) of the refit."""
    ame = fit.marginal_effects()
    top = ame["ame"].abs().idxmax()
    max_vif_label, top_label = _labels([fit.vif.idxmax(), top])
    return r.Facts(
        max_vif=r.number(float(fit.vif.max()), 2),
        max_vif_var=max_vif_label.lower(),
        top_ame=r.number(100 * abs(float(ame.loc[top, "ame"])), 1),
        top_ame_var=top_label.lower(),
    )


def sample_results(fit) -> r.Facts:
    """Sample size and events per estimated slope (smaller outcome category)."""
    stats_ = fit.statistics
    events = min(stats_["events"], stats_["n"] - stats_["events"])
    return r.Facts(n=r.integer(stats_["n"]), epv=r.number(events / len(fit.predictors), 1))


def refit_table(fit, audit: pd.DataFrame, caption: str, name: str) -> r.Table:
    """The refit beside Table 3, with the audit's verdict on each printed number.

    One row per slope of ``fit``, the paper's order first; the paper's columns and verdicts are filled for the
    predictors the paper printed (:func:`ridersurvey.presentation.tables.table3_comparison`) and empty for the others.

    Parameters
    ----------
    fit : LogitFit
        The refit, of the paper's model or of another (:class:`ridersurvey.model.logit.ModelSpec`).
    audit : DataFrame
        :func:`ridersurvey.audit.ledger_audit.run_audit` on the same data.
    caption, name : str
        The table's caption and label, as the chapter writes them.

    Returns
    -------
    Table

    Raises
    ------
    SpecError
        If ``fit`` cannot be set beside Table 3 (another outcome, no printed predictor).
    """
    comparison = table3_comparison(fit)
    order = [*comparison.index, *(v for v in fit.predictors if v not in comparison.index)]
    frame = fit.coefficients().loc[order].join(comparison[["coef_published", "p_published"]])
    verdicts = audit["verdict"]
    frame["label"] = _labels(frame.index)
    frame["verdict_b"] = [
        AuditVerdict(verdicts[ids.coef(v)]).label if v in comparison.index else "" for v in frame.index
    ]
    frame["verdict_p"] = [
        AuditVerdict(verdicts[ids.p_value(v)]).label if v in comparison.index else "" for v in frame.index
    ]
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("coef", "B", ".3f"),
            r.Column("se", "SE", ".3f"),
            r.Column("p", "p", r.p_value),
            r.Column("coef_published", "B (paper)", ".3f"),
            r.Column("p_published", "p (paper)", r.p_value),
            r.Column("verdict_b", "Audit: B"),
            r.Column("verdict_p", "Audit: p"),
        ]
    )
    return spec.table(frame, caption, name)


def fit_table(fit, caption: str, name: str) -> r.Table:
    """Fit statistics of ``fit`` beside their range over the exact ensemble and their envelope.

    The likelihood-ratio test's degrees of freedom are the fit's (statsmodels' ``df_model``). The two
    ranges are shown only when they describe ``fit``'s model (:func:`ranges_apply`).
    """
    stats_ = fit.statistics
    rows = pd.DataFrame(
        {
            "statistic": [messages.label(label, df=int(fit.df_model)) for _, label, _ in FIT_STATISTICS],
            "value": [r.number(stats_[key], d) for key, _, d in FIT_STATISTICS],
        }
    )
    columns = [r.Column("statistic", "Statistic"), r.Column("value", "This reconstruction")]
    if ranges_apply(fit):
        members = reconstructions()
        rows["range"] = [
            ensemble_range(members, key, d) or messages.label("not recorded") for key, _, d in FIT_STATISTICS
        ]
        rows["envelope"] = [envelope_range(key, d) for key, _, d in FIT_STATISTICS]
        columns += [
            r.Column("range", messages.label("Exact ensemble ({members:,})", members=len(members))),
            r.Column("envelope", "Envelope (at least this wide)"),
        ]
    return r.TableSpec(columns).table(rows, caption, name)


def hosmer_lemeshow_table(fit, caption: str, name: str) -> r.Table:
    """The Hosmer–Lemeshow contingency table of the committed reconstruction."""
    hl = fit.hosmer_lemeshow.table.reset_index()
    hl["range"] = [r.interval(a, b, 3) for a, b in zip(hl["p_min"], hl["p_max"], strict=True)]
    spec = r.TableSpec(
        [
            r.Column("group", "Group", r.integer),
            r.Column("n", "Riders", r.integer),
            r.Column("observed_1", "Unwilling: observed", r.integer),
            r.Column("expected_1", "Unwilling: expected", ".2f"),
            r.Column("observed_0", "Willing: observed", r.integer),
            r.Column("expected_0", "Willing: expected", ".2f"),
            r.Column("range", "Predicted Pr(unwilling)"),
        ]
    )
    return spec.table(hl, caption, name)


def classification_table(fit, caption: str, name: str) -> r.Table:
    """Observed by predicted answers at a cutoff of 0.5 (the committed reconstruction)."""
    ct = fit.classification
    rows = pd.DataFrame(
        {
            "observed": ["Willing (0)", "Unwilling (1)"],
            "pred0": ct[0].to_list(),
            "pred1": ct[1].to_list(),
            "correct": ct["percent_correct"].to_list(),
        }
    )
    spec = r.TableSpec(
        [
            r.Column("observed", "Observed"),
            r.Column("pred0", "Predicted willing", r.integer),
            r.Column("pred1", "Predicted unwilling", r.integer),
            r.Column("correct", "% correct", ".1f"),
        ]
    )
    return spec.table(rows, caption, name)


def vif_ame_table(fit, caption: str, name: str) -> r.Table:
    """Weighted VIFs and average marginal effects, with the effects' range over the exact ensemble and their
    envelope where they describe ``fit``'s model (:func:`ranges_apply`)."""
    frame = fit.marginal_effects().join(fit.vif)
    frame["label"] = _labels(frame.index)
    frame["ame_pp"] = 100 * frame["ame"]
    frame["se_pp"] = 100 * frame["se"]
    columns = [
        r.Column("label", "Predictor"),
        r.Column("vif", "VIF", ".2f"),
        r.Column("ame_pp", "AME (pp)", ".1f"),
        r.Column("se_pp", "SE (pp)", ".1f"),
        r.Column("p", "p (this reconstruction)", r.p_value),
    ]
    if ranges_apply(fit):
        members = reconstructions()
        frame["range"] = [
            ensemble_range(members, f"ame_{v}", 1, 100.0) or messages.label("not recorded") for v in frame.index
        ]
        frame["envelope"] = [envelope_range(f"ame_{v}", 1, 100.0) for v in frame.index]
        columns += [
            r.Column("range", messages.text("chapters.results.columns.ame_ensemble", members=len(members))),
            r.Column("envelope", messages.text("chapters.results.columns.ame_envelope")),
        ]
    return r.TableSpec(columns).table(frame, caption, name)


def forest_frame() -> pd.DataFrame:
    """Odds ratios and 95% limits implied by the printed (b, p) pairs that can stand, for :func:`forest_plot`."""
    printed = table3_from_print()
    standing = printed[printed["clears_floor"]]
    return pd.DataFrame(
        {
            "odds_ratio": standing["odds_ratio"],
            "or_ci_low": standing["ci_low_min"],
            "or_ci_high": standing["ci_high_max"],
        }
    )
