"""The robustness chapter (``chapters/robustness.md``): verdicts on the paper's findings from its printed numbers,
the design's power, and the analyses that only a reconstruction allows, labelled as properties of data sets."""

from __future__ import annotations

import functools
import math

import pandas as pd

from ridersurvey import report as r
from ridersurvey.model import load_analysis_data


def _labels() -> dict[str, str]:
    from ridersurvey.codebook import load_codebook

    book = load_codebook()
    return {v: book[v].label_en for v in book.names} | {"const": "Intercept"}


def power() -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """The precomputed power curve, its metadata and :func:`ridersurvey.robustness.n_for_power` of it."""
    from ridersurvey.power import load_power, n_for_power

    curve, meta = load_power()
    return curve, meta, n_for_power(curve)


def facts(
    firth: pd.DataFrame, boot, boot_table: pd.DataFrame, coding: dict, members: pd.DataFrame, members_note: str
) -> r.Facts:
    """The numbers the robustness chapter quotes.

    Parameters
    ----------
    firth : DataFrame
        :func:`ridersurvey.robustness.firth_table` of the book's reconstruction.
    boot, boot_table
        :func:`ridersurvey.robustness.bootstrap` and its :func:`bootstrap_table`.
    coding : dict
        :func:`ridersurvey.robustness.coding_lr_test`.
    members : DataFrame
        The reconstructions ranges are taken over.
    members_note : str
        What they are (:func:`ridersurvey.robustness.members_note`).

    Returns
    -------
    Facts
    """
    from ridersurvey.chapters.conclusions import finding_verdicts
    from ridersurvey.codebook import load_codebook as _book
    from ridersurvey.inference import table3_from_print
    from ridersurvey.power import POWER_ODDS_RATIOS
    from ridersurvey.robustness import verdict_rule

    labels = _labels()
    pred = _book().predictors
    slopes = firth.loc[pred]
    curve, meta, need = power()
    verdicts = finding_verdicts()
    printed = table3_from_print()
    shrunk = slopes["shrinkage"]
    towards = [v for v in pred if shrunk[v] > 0]
    sig_ml = [v for v in pred if slopes.loc[v, "p_ml"] < 0.05]
    sig_firth = [v for v in pred if slopes.loc[v, "p_firth_lr"] < 0.05]
    sides = boot_table.loc[pred, "side"]
    at2 = need.xs(2.0, level="odds_ratio")
    from ridersurvey.codebook import load_codebook

    book = load_codebook()
    binary = [v for v in pred if len(book[v].codes) == 2]
    out: dict[str, str] = {
        "n": r.integer(boot.counts.shape[1]),
        "k": r.count_words(len(pred)),
        "rule": r.Text(verdict_rule(2.0)),
        "n_paper_sig": r.count_words(int(printed["significant"].sum())),
        "n_as_printed": r.count_words(int((verdicts["verdict"] == "reported significant, pair attainable").sum())),
        "n_uninterpretable": r.count_words(int((verdicts["verdict"] == "uninterpretable as published").sum())),
        "n_not_ruled_out": r.count_words(int((verdicts["verdict"] == "null, effect of this size not ruled out").sum())),
        "n_informative": r.count_words(int((verdicts["verdict"] == "informative null").sum())),
        "n_nulls": r.count_words(int((~printed["significant"]).sum())),
        "binary_names": r.names(labels[v].lower() for v in binary),
        "power_reps": r.integer(meta["reps"]),
        "power_reps_at_100": r.integer(meta["reps_at"]["100"]),
        "power_seed": r.Text(str(meta["seed"])),
        "power_grid": r.names(f"{g:,}" for g in meta["grid"]),
        "power_ratios": r.names(f"{x:g}" for x in POWER_ODDS_RATIOS),
        "power_mcse_max": r.number(100 * curve["mcse"].max(), 1),
        "power_diff_2se": r.number(2 * math.sqrt(2) * 100 * curve["mcse"].max(), 1),
        "power_rate": r.percent(100 * meta["event_rate"], 0),
        "binary_power_2": r.Text(
            f"{r.percent(100 * at2.loc[binary, 'power_at_100'].min(), 0)} to "
            f"{r.percent(100 * at2.loc[binary, 'power_at_100'].max(), 0)}"
        ),
        "binary_n_2": r.Text(
            f"{r.integer(at2.loc[binary, 'n_for_target'].min())} to {r.integer(at2.loc[binary, 'n_for_target'].max())}"
        ),
        "shrink_min": r.percent(100 * shrunk[towards].min(), 1) if towards else r.Text("–"),
        "shrink_max": r.percent(100 * shrunk[towards].max(), 1) if towards else r.Text("–"),
        "n_shrunk": r.count_words(len(towards)),
        "away": r.names(
            f"{labels[v].lower()}, which moves {r.percent(-100 * shrunk[v], 1)} away from zero"
            for v in pred
            if shrunk[v] <= 0
        ),
        "sig_ml": r.names(labels[v].lower() for v in sig_ml),
        "sig_firth": r.names(labels[v].lower() for v in sig_firth),
        "se_ratio": r.Text(
            f"{r.number(float((firth.loc[pred, 'se_firth'] / firth.loc[pred, 'se_ml']).min()), 2)} to "
            f"{r.number(float((firth.loc[pred, 'se_firth'] / firth.loc[pred, 'se_ml']).max()), 2)}"
        ),
        "n_boot": r.integer(boot.summary["n_boot"]),
        "boot_seed": r.Text(str(boot.summary["seed"])),
        "n_valid": r.integer(boot.summary["n_valid"]),
        "n_failed": r.count_words(boot.summary["n_failed"]),
        "n_separated": r.count_words(boot.summary["n_separated"]),
        "n_nonconv": r.count_words(boot.summary["n_nonconverged_other"]),
        "boot_excludes": r.names(labels[v].lower() for v in pred if sides[v] == "excludes 0"),
        "boot_at_zero": r.names(labels[v].lower() for v in pred if sides[v] == "at 0 within Monte Carlo error"),
        "boot_mcse_max": r.number(float(boot_table.loc[pred, ["ci_low_mcse", "ci_high_mcse"]].max().max()), 3),
        "boot_mcse_const": r.number(float(boot_table.loc["const", ["ci_low_mcse", "ci_high_mcse"]].max()), 3),
        "merges": r.names(
            f"{labels[var].lower()} {a} into {b} ({k} {'rider' if k == 1 else 'riders'})"
            for var, a, b, k in coding["merges"]
        ),
        "cat_lr": r.number(coding["lr"], 2),
        "cat_df": r.integer(coding["df"]),
        "cat_p": r.p_value(coding["p"]),
        "cat_k_lin": r.integer(coding["k_linear"]),
        "cat_k_cat": r.integer(coding["k_categorical"]),
        "cat_aic_better": r.Text(
            "the categorical model" if coding["aic_categorical"] < coding["aic_linear"] else "the linear coding"
        ),
        "cat_fit_note": r.Text(
            "The categorical fit converged without separation."
            if coding["converged"] and not coding["separation"]
            else "The categorical fit shows (quasi-)separation even after merging, so its log-likelihood is a supremum "
            "approached by diverging estimates and the test is approximate."
        ),
        "members_note": r.Text(members_note),
    }
    return r.Facts(**out)


def verdicts_table() -> r.Table:
    """The verdict on each finding by the stated rule, with the printed evidence behind it."""
    from ridersurvey.chapters.conclusions import finding_verdicts, printed_power_text
    from ridersurvey.power import load_power, power_text

    reps = load_power()[1]["reps"]
    frame = finding_verdicts().copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["stands_text"] = frame["stands"].map({True: "yes", False: "no"})
    frame["ci_text"] = [
        r.bounds(lo, hi, 2) if s else "–"
        for lo, hi, s in zip(frame["ci_low_min"], frame["ci_high_max"], frame["stands"], strict=True)
    ]
    frame["power_text"] = [power_text(p, m, reps) for p, m in zip(frame["power"], frame["power_mcse"], strict=True)]
    frame["power_printed_text"] = [
        printed_power_text(lo, hi)
        for lo, hi in zip(frame["power_printed_min"], frame["power_printed_max"], strict=True)
    ]
    spec = r.TableSpec(
        [
            r.Column("label", "Finding"),
            r.Column("b", "b (paper)", ".3f"),
            r.Column("p", "p (paper)", r.p_value),
            r.Column("stands_text", "Pair can stand"),
            r.Column("ci_text", "95% CI of the odds ratio"),
            r.Column("power_printed_text", "Power for OR 2 per step, at the printed SE"),
            r.Column("power_text", "Power, simulated with no other effect"),
            r.Column("verdict", "Verdict"),
        ]
    )
    return spec.table(
        frame,
        "One verdict per finding of the paper, from its printed numbers alone: the printed coefficient and p-value, "
        "whether the pair can stand, the odds-ratio interval it implies (outermost limits over the rounding), the "
        "power of the design to detect an odds ratio of 2 per code step at n = 100, at the standard error the "
        "printed pair implies (Wald test, normal approximation) and simulated with every other predictor without "
        "effect (optimistic; ± one Monte Carlo standard error, in percentage points), and the verdict of the "
        "stated rule.",
        "tbl-rb-verdicts",
    )


def power_table() -> r.Table:
    """Power at n = 100 and the n for 80% power, for each predictor and stated odds ratio."""
    from ridersurvey.power import POWER_ODDS_RATIOS, power_text

    _, meta, need = power()
    labels = _labels()
    rows = []
    for var in dict.fromkeys(need.index.get_level_values("variable")):
        row = {"label": labels[var]}
        for ratio in POWER_ODDS_RATIOS:
            cell = need.loc[(var, ratio)]
            row[f"p{ratio}"] = power_text(cell["power_at_100"], cell["mcse_at_100"], cell["reps_at_100"])
            row[f"n{ratio}"] = cell["n_label"] + ("" if cell["clear"] else " (≈)")
        rows.append(row)
    frame = pd.DataFrame(rows)
    columns = [r.Column("label", "Predictor")]
    for ratio in POWER_ODDS_RATIOS:
        columns += [
            r.Column(f"p{ratio}", f"OR {ratio:g}: power at n = 100"),
            r.Column(f"n{ratio}", f"OR {ratio:g}: n for 80%"),
        ]
    return r.TableSpec(columns).table(
        frame,
        "Simulated power of the paper's design (nine independent predictors with the distributions of the paper's Table 1, about 51% "
        "unwilling) to detect a stated odds ratio per code step on one predictor: power at n = 100 ± one Monte Carlo "
        "standard error (percentage points), and the smallest sample size on the grid with at least 80% power; (≈) "
        "marks answers within two Monte Carlo standard errors of 80%, which another seed could move by one grid step.",
        "tbl-rb-power",
    )


def firth_table(firth: pd.DataFrame) -> r.Table:
    """ML beside Firth's penalised fit on the book's reconstruction."""
    frame = firth.copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["ci"] = [r.interval(a, b, 2) for a, b in zip(frame["ci_low_firth"], frame["ci_high_firth"], strict=True)]
    frame["shrunk"] = 100 * frame["shrinkage"]
    spec = r.TableSpec(
        [
            r.Column("label", "Term"),
            r.Column("coef_ml", "b (ML)", ".3f"),
            r.Column("se_ml", "SE (ML)", ".3f"),
            r.Column("p_ml", "p (Wald)", r.p_value),
            r.Column("coef_firth", "b (Firth)", ".3f"),
            r.Column("se_firth", "SE (Firth)", ".3f"),
            r.Column("p_firth_lr", "p (PLR)", r.p_value),
            r.Column("ci", "95% CI (Firth)"),
            r.Column("shrunk", "Shrunk (%)", ".1f"),
        ]
    )
    return spec.table(
        frame,
        "The book's reconstruction fitted by maximum likelihood (Wald tests) and by Firth's penalised likelihood: "
        "penalised likelihood-ratio (PLR) tests, 95% profile penalised-likelihood intervals, and standard errors "
        'sqrt(diag((X\'WX)⁻¹)) at the Firth estimate as logistf and brglm2 report them. "Shrunk" is 1 − b(Firth)/b(ML) '
        "in percent. A property of this data set, not a finding of the survey.",
        "tbl-rb-firth",
    )


def bootstrap_se_facts(boot_table: pd.DataFrame, runs: pd.DataFrame, runs_meta: dict) -> r.Facts:
    """The runs behind the bootstrap SE's Monte Carlo error, and how far the normal-theory error falls short.

    ``ratio`` is the range over the terms of the Monte Carlo SE from independent runs
    (:func:`ridersurvey.bootstrap.repeat_se_spread`) over ``SE / sqrt(2 (B - 1))``; ``failed`` counts the
    resamples of all runs left out (not converged or separated) out of ``resamples``.
    """
    ratio = boot_table["boot_se_mcse"] / (boot_table["boot_se"] / math.sqrt(2 * (runs_meta["n_boot"] - 1)))
    return r.Facts(
        runs=r.integer(runs_meta["repeats"]),
        n_boot=r.integer(runs_meta["n_boot"]),
        ratio=r.Text(f"{r.number(ratio.min(), 1)} to {r.number(ratio.max(), 1)}"),
        failed=r.integer(int((runs_meta["n_boot"] - runs["n_valid"]).sum())),
        resamples=r.integer(runs_meta["n_boot"] * len(runs)),
    )


def bootstrap_table(boot_table: pd.DataFrame) -> r.Table:
    """Bootstrap percentile intervals of the book's reconstruction with their Monte Carlo errors."""
    frame = boot_table.copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["low"] = [
        f"{r.number(a)} ± {r.number(m)}" for a, m in zip(frame["ci_low"], frame["ci_low_mcse"], strict=True)
    ]
    frame["high"] = [
        f"{r.number(a)} ± {r.number(m)}" for a, m in zip(frame["ci_high"], frame["ci_high_mcse"], strict=True)
    ]
    frame["se"] = [
        f"{r.number(a)} ± {r.number(m)}" for a, m in zip(frame["boot_se"], frame["boot_se_mcse"], strict=True)
    ]
    spec = r.TableSpec(
        [
            r.Column("label", "Term"),
            r.Column("coef", "b", ".3f"),
            r.Column("se", "Bootstrap SE"),
            r.Column("low", "2.5% limit"),
            r.Column("high", "97.5% limit"),
            r.Column("side", "Interval and 0"),
        ]
    )
    return spec.table(
        frame,
        "Case-resampling bootstrap of the ML logit on the book's reconstruction: bootstrap standard error and 95% "
        "percentile limits, each ± its Monte Carlo standard error (SD over independent bootstrap runs for the SE, "
        "order-statistic method for the limits). "
        '"At 0 within Monte Carlo error" marks a limit within two Monte Carlo standard errors of 0, which another '
        "seed could put on either side. A property of this data set, not a finding of the survey.",
        "tbl-rb-boot",
    )


def coding_table(data: pd.DataFrame, coding: dict) -> r.Table:
    """The paper's linear codes, the same on merged categories, and dummies: log-likelihood and AIC."""
    from ridersurvey.model import fit_logit

    paper = fit_logit(data)
    rows = pd.DataFrame(
        {
            "model": [
                "Linear codes as in the paper",
                "Linear codes on the merged categories (nested in the next)",
                "Categories (dummies, merged)",
            ],
            "k": [int(paper.params.size), coding["k_linear"], coding["k_categorical"]],
            "llf": [float(paper.llf), coding["llf_linear"], coding["llf_categorical"]],
            "aic": [float(paper.aic), coding["aic_linear"], coding["aic_categorical"]],
        }
    )
    spec = r.TableSpec(
        [
            r.Column("model", "Model"),
            r.Column("k", "Parameters", r.integer),
            r.Column("llf", "Log-likelihood", ".3f"),
            r.Column("aic", "AIC", ".2f"),
        ]
    )
    return spec.table(
        rows,
        "The book's reconstruction under three specifications: the paper's linear codes, the same linear codes after "
        "merging sparse categories (the model the likelihood-ratio test compares, since it is nested in the dummy "
        "model), and dummy-coded ordinal predictors on the merged categories.",
        "tbl-rb-cat",
    )


def codings_table(data: pd.DataFrame) -> r.Table:
    """The fit under the outcome and marital codings of Table 2, of the model section and of the printed mean."""
    from ridersurvey.codings import reverse_marital, reverse_outcome

    flip = reverse_outcome(data)
    mar = reverse_marital(data)
    labels = _labels()
    flip, mar = flip.drop(index="const"), mar.drop(index="const")
    frame = pd.DataFrame(
        {
            "label": [labels[v] for v in flip.index],
            "b_t2": flip["coef_unwilling"],
            "b_willing": flip["coef_willing"],
            "b_mar": mar["coef_reversed"],
            "se": flip["se_unwilling"],
            "p": flip["p_unwilling"],
        }
    )
    spec = r.TableSpec(
        [
            r.Column("label", "Term"),
            r.Column("b_t2", "b (Table 2: unwilling = 1)", ".3f"),
            r.Column("b_willing", "b (model section: willing = 1)", ".3f"),
            r.Column("b_mar", "b (married = 1, unmarried = 2)", ".3f"),
            r.Column("se", "SE", ".3f"),
            r.Column("p", "p", r.p_value),
        ]
    )
    return spec.table(
        frame,
        "The book's reconstruction under three codings: as the paper's Table 2 states them, with the outcome reversed (willing = "
        "1, as the model section defines it) and with marital status reversed (married = 1, as the printed mean of the paper's Table 2 "
        "implies). SE and p are the same under all three for every slope; the intercept, which each coding moves, "
        "is left out.",
        "tbl-rb-codings",
    )


def envelope_range(statistic: str, decimals: int, scale: float = 1.0) -> str:
    """The envelope of one statistic (:func:`envelope`'s min and max, inner bounds) as an interval for a table
    cell, p-values as :func:`ridersurvey.report.p_interval` prints them; "" if the catalogue lacks it.

    Parameters
    ----------
    statistic : str
        A catalogue name (``"auc"``, ``"ame_gender"``, ``"hl_p"``).
    decimals : int
    scale : float
        Factor applied to both ends (100 for percentage points).

    Returns
    -------
    str
    """
    table = _envelope_cached()
    if statistic == "cox_snell_r2" and statistic not in table.index and "lr_chi2" in table.index:
        # 1 - exp(-LR/n) rises with the LR statistic, so its envelope is that of LR, transformed (n = 100)
        n = len(load_analysis_data())
        lo, hi = (1 - math.exp(-float(table.loc["lr_chi2", k]) / n) for k in ("min", "max"))
        return r.interval(scale * lo, scale * hi, decimals)
    if statistic not in table.index:
        return ""
    lo, hi = scale * float(table.loc[statistic, "min"]), scale * float(table.loc[statistic, "max"])
    if statistic.endswith("_p") or statistic.startswith("p_"):
        return r.p_interval(lo, hi, decimals)
    return r.interval(lo, hi, decimals)


@functools.lru_cache(maxsize=1)
def _envelope_cached() -> pd.DataFrame:
    return envelope().set_index("statistic")


def spread_table(members: pd.DataFrame, members_note: str, fit) -> r.Table:
    """Statistics only a reconstruction has: the book's value, the range over the exact ensemble and the envelope."""
    from ridersurvey.robustness import ensemble_spread

    spread = ensemble_spread(members)
    labels = _labels()
    coefs = fit.coefficients()
    stats_ = fit.statistics
    rows = []
    for var in ("health", "policy_awareness"):
        rows.append((f"SE of {labels[var].lower()}", float(coefs.loc[var, "se"]), f"se_{var}", 3))
        rows.append((f"p of {labels[var].lower()} (Wald)", float(coefs.loc[var, "p"]), f"p_{var}", 3))
    for key, name, d in (
        ("mcfadden_r2", "McFadden R²", 3),
        ("nagelkerke_r2", "Nagelkerke R²", 3),
        ("hl_p", "Hosmer–Lemeshow p", 3),
        ("auc", "Area under the ROC curve", 3),
        ("accuracy", "Correctly classified at 0.5 (%)", 1),
    ):
        rows.append((name, float(stats_[key]), key, d))
    frame = pd.DataFrame(
        [
            {
                "statistic": name,
                "value": r.number(value, d),
                "range": (
                    (r.p_interval if col.startswith("p_") or col.endswith("_p") else r.interval)(
                        spread.loc[col, "min"], spread.loc[col, "max"], d
                    )
                    if col in spread.index
                    else ""
                ),
                "envelope": envelope_range(col, d),
            }
            for name, value, col, d in rows
        ]
    )
    spec = r.TableSpec(
        [
            r.Column("statistic", "Statistic"),
            r.Column("value", "The book's reconstruction"),
            r.Column("range", "Range over the exact ensemble"),
            r.Column("envelope", "Envelope (at least this wide)"),
        ]
    )
    return spec.table(
        frame,
        "Statistics the paper did not publish, which only respondent-level data determine: the book's reconstruction, "
        f"the smallest and largest value over {members_note}, and the envelope of directed searches "
        "(inner bounds; the ensemble's members were not chosen to be extreme, so its range is narrower).",
        "tbl-rb-spread",
    )


#: The envelope's groups the model table shows; the data table shows the rest (correlations and cells).
MODEL_GROUPS = (
    "coefficients",
    "standard errors",
    "Wald z",
    "χ² statistics",
    "fit measures",
    "classification",
    "p-values",
    "marginal effects",
)
DATA_GROUPS = ("correlations", "cross-table cells")


def envelope() -> pd.DataFrame:
    """:func:`ridersurvey.reconstruction.envelope.envelope_table` of the committed envelope, ensemble and data,
    with the ranges the printed numbers alone imply.

    For a predictor whose printed (b, p) pair can stand, its Wald z and its SE follow from b and p up to their
    rounding (:func:`ridersurvey.inference.table3_from_print`): ``implied_min`` and ``implied_max`` hold that
    exact range (missing for the other statistics), and ``state`` is "implied by the printed b and p" for
    them, else "open" or "narrow so far" (:func:`ridersurvey.reconstruction.envelope.envelope_table`'s
    ``pinned``).
    """
    import math

    from ridersurvey.inference import table3_from_print
    from ridersurvey.reconstruction.envelope import envelope_table

    table = envelope_table()
    printed = table3_from_print()
    lo, hi = [], []
    for stat in table["statistic"]:
        kind, _, var = stat.partition("_")
        if kind in ("se", "z") and var in printed.index and printed.loc[var, "clears_floor"]:
            row = printed.loc[var]
            a, b = float(row[f"{kind}_min"]), float(row[f"{kind}_max"])
            if kind == "z" and row["b"] < 0:
                a, b = -b, -a
            lo.append(a)
            hi.append(b)
        else:
            lo.append(math.nan)
            hi.append(math.nan)
    table = table.assign(implied_min=lo, implied_max=hi)
    table["state"] = [
        IMPLIED if not math.isnan(a) else ("narrow so far" if p else "open")
        for a, p in zip(table["implied_min"], table["pinned"], strict=True)
    ]
    return table


#: The envelope's state for a statistic the printed numbers determine up to their rounding.
IMPLIED = "implied by the printed b and p"


def _value(x: float, decimals: int) -> str:
    return r.integer(round(x)) if decimals == 0 else r.number(x, decimals)


def _range_text(lo: float, hi: float, decimals: int) -> str:
    return f"[{_value(lo, decimals)}, {_value(hi, decimals)}]"


def envelope_facts(table: pd.DataFrame) -> r.Facts:
    """The numbers the envelope section quotes.

    Parameters
    ----------
    table : DataFrame
        :func:`envelope`.

    Returns
    -------
    Facts
    """
    from ridersurvey.reconstruction.envelope import load_meta, load_searches

    searches = load_searches()
    meta = load_meta()
    model = table[table["group"].isin(MODEL_GROUPS)]
    narrow = model[model["state"] == "narrow so far"]
    wide = table.set_index("statistic")

    def count_open(group: str) -> tuple[r.Text, r.Text]:
        sub = table[table["group"] == group]
        return r.count_words(int((sub["state"] == "open").sum()), zero="none"), r.count_words(len(sub))

    def open_names(groups) -> r.Text:
        sub = table[table["group"].isin(groups) & (table["state"] == "open")]
        return r.names(sub["label"])

    implied = table[table["state"] == IMPLIED]

    se_open, se_n = count_open("standard errors")
    z_open, z_n = count_open("Wald z")
    ame_open, ame_n = count_open("marginal effects")
    return r.Facts(
        se_open=se_open,
        se_n=se_n,
        z_open=z_open,
        z_n=z_n,
        ame_open=ame_open,
        ame_n=ame_n,
        fit_open=open_names(("χ² statistics", "fit measures", "classification")),
        p_open=open_names(("p-values",)),
        n_statistics=r.integer(len(table)),
        n_searches=r.integer(len(searches)),
        n_objectives=r.integer(len({s["objective"] for s in searches})),
        n_ensemble=r.integer(table.attrs["n_ensemble"]),
        n_open=r.integer(int((table["state"] == "open").sum())),
        n_narrow=r.count_words(int((table["state"] == "narrow so far").sum()), zero="none"),
        n_implied=r.count_words(len(implied)),
        n_implied_pairs=r.count_words(implied["statistic"].str.partition("_")[2].nunique()),
        n_model=r.integer(len(model)),
        n_model_open=r.integer(int((model["state"] == "open").sum())),
        narrow_names=r.names(f"{g}: {lab}" for g, lab in zip(narrow["group"], narrow["label"], strict=True)),
        coding_p=_range_text(wide.loc["coding_lr_p", "min"], wide.loc["coding_lr_p", "max"], 3),
        auc=_range_text(wide.loc["auc", "min"], wide.loc["auc", "max"], 3),
        nagelkerke=_range_text(wide.loc["nagelkerke_r2", "min"], wide.loc["nagelkerke_r2", "max"], 3),
        hl_p=_range_text(wide.loc["hl_p", "min"], wide.loc["hl_p", "max"], 3),
        accuracy=_range_text(wide.loc["accuracy", "min"], wide.loc["accuracy", "max"], 1),
        se_health=_range_text(wide.loc["se_health", "min"], wide.loc["se_health", "max"], 3),
        se_awareness=_range_text(wide.loc["se_policy_awareness", "min"], wide.loc["se_policy_awareness", "max"], 3),
        cpu_hours=r.number(sum(float(s["seconds"]) for s in searches) / 3600, 2),
        base_seed=r.Text(str(meta["base_seed"])),
    )


def envelope_table(table: pd.DataFrame, groups=MODEL_GROUPS, name: str = "tbl-rb-envelope") -> r.Table:
    """The envelope of the statistics in ``groups``: the range found, the book's value and the ensemble's.

    Parameters
    ----------
    table : DataFrame
        :func:`envelope`.
    groups : sequence of str
        The catalogue groups to show, in this order.
    name : str
        The table's label.

    Returns
    -------
    Table
    """
    frame = pd.concat([table[table["group"] == g] for g in groups])
    frame = frame.assign(
        group_text=[g[0].upper() + g[1:] for g in frame["group"]],
        envelope=[_range_text(a, b, d) for a, b, d in zip(frame["min"], frame["max"], frame["decimals"], strict=True)],
        book=[_value(v, d) for v, d in zip(frame["committed"], frame["decimals"], strict=True)],
        ensemble=[
            _range_text(a, b, d)
            for a, b, d in zip(frame["ensemble_min"], frame["ensemble_max"], frame["decimals"], strict=True)
        ],
        state=[
            f"{s}: {r.bounds(a, b, d + 1)}" if s == IMPLIED else s
            for s, a, b, d in zip(
                frame["state"], frame["implied_min"], frame["implied_max"], frame["decimals"], strict=True
            )
        ],
    )
    frame["group_text"] = frame["group_text"].where(frame["group_text"].ne(frame["group_text"].shift()), "")
    spec = r.TableSpec(
        [
            r.Column("group_text", "Group"),
            r.Column("label", "Statistic"),
            r.Column("envelope", "Envelope (at least this wide)"),
            r.Column("book", "The book's reconstruction"),
            r.Column("ensemble", f"Exact ensemble ({table.attrs['n_ensemble']:,})"),
            r.Column("state", "At the printed precision"),
        ]
    )
    caption = (
        "Statistics the paper did not publish: the smallest and largest value found by directed searches over data "
        "sets that meet every attainable target of the paper at the printed precision, or by the book's reconstruction "
        "or an ensemble member where they went further (inner bounds: the true range may be wider), the book's "
        "reconstruction, and the range over the exact ensemble. Open: two such data sets "
        "differ by at least one unit of the printed precision (judged on unrounded values), so the paper leaves the "
        "statistic open; narrow so far: no search found them differ by that much, which does not prove that the "
        "paper fixes it; implied by the printed b and p: for a predictor whose printed pair can stand, its z and SE "
        "follow from b and p up to their rounding, and the exact range this allows is shown (the searches, which "
        "keep every target a little inside its rounding, recover part of it). Properties of reconstructions, not of "
        "the survey, except the implied ranges, which follow from the printed numbers."
    )
    return spec.table(frame, caption, name)
