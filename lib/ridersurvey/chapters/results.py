"""The results chapter (``chapters/results.md``): Table 3 as printed and what it implies, and the refit on the
book's reconstructed data with the range of each statistic over reconstructions."""

from __future__ import annotations

import pandas as pd

from ridersurvey import report as r
from ridersurvey.chapters.robustness import envelope_range

#: Fit statistics the chapter reports, with how each prints.
FIT_STATISTICS = (
    ("minus2ll", "−2 log-likelihood", 2),
    ("lr_chi2", "Likelihood-ratio χ² (9 df)", 2),
    ("mcfadden_r2", "McFadden R²", 3),
    ("cox_snell_r2", "Cox–Snell R²", 3),
    ("nagelkerke_r2", "Nagelkerke R²", 3),
    ("hl_p", "Hosmer–Lemeshow p", 3),
    ("auc", "Area under the ROC curve", 3),
    ("accuracy", "Correctly classified at 0.5 (%)", 1),
)


def _labels() -> dict[str, str]:
    from ridersurvey.codebook import load_codebook

    book = load_codebook()
    return {v: book[v].label_en for v in book.names}


def reconstructions() -> tuple[pd.DataFrame, str]:
    """The exact reconstructions whose range the chapter reports, and a note on how they were drawn and what a
    range over them means (:func:`ridersurvey.robustness.exact_members`, :func:`ridersurvey.robustness.members_note`).
    """
    from ridersurvey.robustness import exact_members, load_ensemble, members_note

    members = exact_members(load_ensemble())
    return members, members_note(members)


def _range(members: pd.DataFrame, column: str, decimals: int, scale: float = 1.0) -> str:
    if column not in members or members[column].isna().all():
        return ""
    if column.endswith("_p"):
        return r.p_interval(members[column].min(), members[column].max(), decimals)
    return r.interval(scale * members[column].min(), scale * members[column].max(), decimals)


def facts(fit) -> r.Facts:
    """The numbers the results chapter quotes.

    Parameters
    ----------
    fit : LogitFit
        The refit on the book's data.

    Returns
    -------
    Facts
    """
    from ridersurvey.inference import table3_from_print
    from ridersurvey.tables import table3_comparison

    printed = table3_from_print()
    labels = _labels()
    members, note = reconstructions()
    stats_ = fit.statistics
    comparison = table3_comparison(fit)
    standing = printed[printed["clears_floor"]]
    significant = standing[(standing["ci_low_min"] > 1) | (standing["ci_high_max"] < 1)]
    ame = fit.marginal_effects()
    top = ame["ame"].abs().idxmax()
    out: dict[str, str] = {
        "n": r.integer(stats_["n"]),
        "events": r.integer(stats_["events"]),
        "n_terms": r.count_words(len(printed)),
        "n_standing": r.count_words(len(standing)),
        "n_significant_standing": r.count_words(len(significant)),
        "significant_standing": r.names(labels[v].lower() for v in significant.index),
        "n_paper_significant": r.count_words(int(printed["significant"].sum())),
        "pairs": r.names(labels[v].lower() for v in printed.index[~printed["clears_floor"]]),
        "n_coef_agree": r.count_words(int(comparison["coef_agrees"].sum())),
        "n_p_agree": r.count_words(int(comparison["p_agrees"].sum())),
        "const": r.number(float(fit.params["const"])),
        "n_members": r.integer(len(members)),
        "members_note": r.Text(note),
        "baseline_accuracy": r.percent(100 * max(stats_["events"], stats_["n"] - stats_["events"]) / stats_["n"], 0),
        "epv": r.number(min(stats_["events"], stats_["n"] - stats_["events"]) / len(fit.predictors), 1),
        "n_hl_groups": r.count_words(len(fit.hosmer_lemeshow.table)),
        "hl_df": r.integer(stats_["hl_df"]),
        "lr_df": r.integer(stats_["lr_df"]),
        "max_vif": r.number(float(fit.vif.max()), 2),
        "max_vif_var": r.Text(labels[fit.vif.idxmax()].lower()),
        "top_ame": r.number(100 * abs(float(ame.loc[top, "ame"])), 1),
        "top_ame_var": r.Text(labels[top].lower()),
        "top_ame_range": r.Text(envelope_range(f"ame_{top}", 1, 100.0)),
        "sensitivity": r.percent(stats_["sensitivity"]),
        "specificity": r.percent(stats_["specificity"]),
    }
    for key, _, decimals in FIT_STATISTICS:
        out[key] = r.number(stats_[key], decimals)
        out[f"{key}_range"] = r.Text(envelope_range(key, decimals))
    out["accuracy_range"] = r.Text(envelope_range("accuracy", 1).replace(",", "%,").replace("]", "%]"))
    out["lr_p"] = r.p_text(stats_["lr_p"])
    out["hl_chi2"] = r.number(stats_["hl_chi2"], 2)
    sizes = fit.hosmer_lemeshow.table["n"]
    out["hl_sizes"] = r.Text(
        f"{sizes.min()} riders each" if sizes.min() == sizes.max() else f"{sizes.min()} to {sizes.max()} riders"
    )
    return r.Facts(**out)


def printed_table() -> r.Table:
    """Table 3 as printed, in its order, with the odds ratio and 95% interval its numbers imply on their own."""
    from ridersurvey.inference import table3_from_print

    frame = table3_from_print().copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["stands"] = ["yes" if s else "no" for s in frame["clears_floor"]]
    frame["or_text"] = [
        r.number(o, 2) if s else "–" for o, s in zip(frame["odds_ratio"], frame["clears_floor"], strict=True)
    ]
    frame["ci_text"] = [
        r.bounds(lo, hi, 2) if s else "cannot stand"
        for lo, hi, s in zip(frame["ci_low_min"], frame["ci_high_max"], frame["clears_floor"], strict=True)
    ]
    frame["printed_p"] = [f"{r.p_value(p)}{'*' * s}" for p, s in zip(frame["p"], frame["stars"], strict=True)]
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("b", "b", ".3f"),
            r.Column("printed_p", "p", literal=True),
            r.Column("stands", "Pair can stand"),
            r.Column("or_text", "Odds ratio"),
            r.Column("ci_text", "95% CI"),
        ]
    )
    return spec.table(
        frame,
        "The paper's Table 3 as printed (coefficient b and p-value, stars as printed: * p < 0.05, ** p < 0.01), in its "
        "row order, with what the printed numbers imply on their own: whether the pair can stand (its implied "
        "standard error clears the floor) and, where it can, the odds ratio per code step of being unwilling and its "
        "95% Wald interval, widened to the outermost limits over the rounding of b and p.",
        "tbl-results-printed",
    )


def refit_table(fit, audit: pd.DataFrame) -> r.Table:
    """The refit on the book's reconstructed data beside Table 3, with the audit's verdict on each printed number.

    Parameters
    ----------
    fit : LogitFit
        The refit.
    audit : DataFrame
        :func:`ridersurvey.audit.run_audit` on the same data.

    Returns
    -------
    Table
    """
    from ridersurvey.tables import table3_comparison
    from ridersurvey.verdicts import VERDICT_NAMES

    frame = table3_comparison(fit).copy()
    verdicts = audit["verdict"]
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["verdict_b"] = [VERDICT_NAMES[verdicts[f"t3.{v}.coef"]] for v in frame.index]
    frame["verdict_p"] = [VERDICT_NAMES[verdicts[f"t3.{v}.p"]] for v in frame.index]
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
    return spec.table(
        frame,
        "The paper's model refitted on the book's reconstructed responses (one data set built to match the paper's Table 3), "
        "beside the printed values, with the audit's verdict on each printed number. A coefficient or p-value "
        "matched by construction is what the reconstruction was built to give; the standard errors of the two "
        "predictors whose pairs cannot stand belong to this reconstruction alone.",
        "tbl-results-refit",
    )


def fit_table(fit) -> r.Table:
    """Fit statistics of the committed reconstruction beside their range over reconstructions."""
    members, note = reconstructions()
    stats_ = fit.statistics
    rows = pd.DataFrame(
        {
            "statistic": [name for _, name, _ in FIT_STATISTICS],
            "value": [r.number(stats_[key], d) for key, _, d in FIT_STATISTICS],
            "range": [_range(members, key, d) or "not recorded" for key, _, d in FIT_STATISTICS],
            "envelope": [envelope_range(key, d) for key, _, d in FIT_STATISTICS],
        }
    )
    spec = r.TableSpec(
        [
            r.Column("statistic", "Statistic"),
            r.Column("value", "This reconstruction"),
            r.Column("range", f"Exact ensemble ({len(members):,})"),
            r.Column("envelope", "Envelope (at least this wide)"),
        ]
    )
    return spec.table(
        rows,
        "Overall fit of the paper's model on the book's reconstructed data, and the smallest and largest value over "
        f"{note}. These are properties of reconstructed data sets, not findings of the survey.",
        "tbl-results-fit",
    )


def hosmer_lemeshow_table(fit) -> r.Table:
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
    return spec.table(
        hl,
        "Hosmer–Lemeshow contingency table of the book's reconstruction: observed and expected numbers of unwilling "
        "and willing riders in each group of predicted probability.",
        "tbl-results-hl",
    )


def classification_table(fit) -> r.Table:
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
    return spec.table(
        rows,
        "Classification table of the book's reconstruction at a cutoff of 0.5 (rows: observed answer; columns: "
        "predicted).",
        "tbl-results-classification",
    )


def vif_ame_table(fit) -> r.Table:
    """Weighted VIFs and average one-step marginal effects, with the effects' range over reconstructions."""
    members, note = reconstructions()
    ame = fit.marginal_effects()
    labels = _labels()
    frame = ame.join(fit.vif)
    frame["label"] = [labels[v] for v in frame.index]
    frame["ame_pp"] = 100 * frame["ame"]
    frame["se_pp"] = 100 * frame["se"]
    frame["range"] = [_range(members, f"ame_{v}", 1, 100.0) or "not recorded" for v in frame.index]
    frame["envelope"] = [envelope_range(f"ame_{v}", 1, 100.0) for v in frame.index]
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("vif", "VIF", ".2f"),
            r.Column("ame_pp", "AME (pp)", ".1f"),
            r.Column("se_pp", "SE (pp)", ".1f"),
            r.Column("p", "p (this reconstruction)", r.p_value),
            r.Column("range", f"AME, exact ensemble ({len(members):,}; pp)"),
            r.Column("envelope", "AME envelope (pp; at least this wide)"),
        ]
    )
    return spec.table(
        frame,
        "Variance inflation of each slope in the logit (the weighted VIF of R's car::vif, from the coefficients' "
        "covariance) and average marginal effects on the probability of being unwilling, in percentage points (pp), "
        "with delta-method standard errors: for a two-category predictor the average contrast of the higher against "
        "the lower code, for the others the average change when a rider's code rises by one step (riders at the top "
        "code left out); for the book's reconstruction, with the effects' range over "
        f"{note}.",
        "tbl-results-vif-ame",
    )


def forest_frame() -> pd.DataFrame:
    """Odds ratios and 95% limits implied by the printed (b, p) pairs that can stand, for :func:`forest_plot`."""
    from ridersurvey.inference import table3_from_print

    printed = table3_from_print()
    standing = printed[printed["clears_floor"]]
    return pd.DataFrame(
        {
            "odds_ratio": standing["odds_ratio"],
            "or_ci_low": standing["ci_low_min"],
            "or_ci_high": standing["ci_high_max"],
        }
    )
