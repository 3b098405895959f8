"""The robustness chapter (``chapters/robustness.md``): per-section results its prose quotes, and its tables.

Each ``*_results`` function returns the numbers of one section as :class:`ridersurvey.presentation.report.Facts`; each
``*_table`` function returns a table whose caption and label the chapter writes."""

from __future__ import annotations

import functools
import inspect
import math

import pandas as pd
from scipy.stats import norm

from ridersurvey import messages
from ridersurvey.audit.verdicts import FindingVerdict
from ridersurvey.data.codebook import load_codebook
from ridersurvey.model.codings import reverse_marital, reverse_outcome
from ridersurvey.model.logit import fit_logit, load_analysis_data
from ridersurvey.presentation import report as r
from ridersurvey.reconstruction.envelope import load_meta, load_searches
from ridersurvey.robustness.bootstrap import AT_ZERO, EXCLUDES
from ridersurvey.robustness.finding_robustness import (
    DATA_GROUPS,
    IMPLIED,
    MODEL_GROUPS,
    ensemble_spread,
    envelope,
    finding_verdicts,
)
from ridersurvey.robustness.power import POWER_ODDS_RATIOS, load_power, n_for_power, power_text, printed_power_text


def heading(key: str, **fields) -> str:
    """A column heading or row label of this chapter's tables, from the message catalog."""
    return messages.text(f"chapters.robustness.columns.{key}", **fields)


def _labels() -> dict[str, str]:
    return load_codebook().labels() | {"const": messages.label("Intercept")}


def _heading(group: str) -> str:
    """A catalogue group as a heading: "Standard errors", but "χ² statistics" (Greek stays lower case)."""
    return group[:1].upper() + group[1:] if group[:1].isascii() else group


def _percent_range(low: float, high: float) -> r.Text:
    lo, hi = r.percent(low, 1), r.percent(high, 1)
    return hi if lo == hi else r.Text(f"{lo[:-1]}–{hi}")


def _lower(variables) -> r.Text:
    labels = _labels()
    return r.names(labels[v].lower() for v in variables)


def power() -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """The precomputed power curve, its metadata and :func:`ridersurvey.robustness.power.n_for_power` of it."""
    curve, meta = load_power()
    return curve, meta, n_for_power(curve)


def verdict_results() -> r.Facts:
    """How many of the paper's findings get each verdict of :func:`ridersurvey.robustness.finding_robustness.finding_verdicts`, and
    the odds ratio per code step an informative null must rule out (``odds_ratio``, ``inverse``)."""
    verdicts = finding_verdicts()
    ratio = float(inspect.signature(finding_verdicts).parameters["odds_ratio"].default)
    count = lambda verdict: r.count_words(int((verdicts["verdict"] == verdict).sum()), zero="none")
    return r.Facts(
        odds_ratio=r.Text(f"{ratio:g}"),
        inverse=r.Text(f"{1 / ratio:g}"),
        n_significant=r.count_words(int(verdicts["significant"].sum())),
        n_nulls=r.count_words(int((~verdicts["significant"]).sum())),
        n_as_printed=count(FindingVerdict.PAIR_ATTAINABLE),
        n_borderline=count(FindingVerdict.BORDERLINE),
        n_uninterpretable=count(FindingVerdict.UNINTERPRETABLE),
        n_informative=count(FindingVerdict.INFORMATIVE_NULL),
        informative_verb=r.Text(
            messages.label("rule" if (verdicts["verdict"] == FindingVerdict.INFORMATIVE_NULL).sum() > 1 else "rules")
        ),
        n_not_ruled_out=count(FindingVerdict.NULL_NOT_RULED_OUT),
        as_printed=_lower(verdicts.index[verdicts["verdict"] == FindingVerdict.PAIR_ATTAINABLE]),
        uninterpretable=_lower(verdicts.index[verdicts["verdict"] == FindingVerdict.UNINTERPRETABLE]),
    )


def power_results() -> r.Facts:
    """The power simulation's settings and what it gives for the two-category predictors at an odds ratio of 2,
    beside the Wald power at the standard errors their printed pairs imply (``binary_printed_*``, over the
    pairs that can stand; :func:`ridersurvey.robustness.finding_robustness.finding_verdicts`)."""
    curve, meta, need = power()
    book = load_codebook()
    binary = [v for v in book.predictors if len(book[v].codes) == 2]
    at2 = need.xs(2.0, level="odds_ratio").loc[binary]
    printed = finding_verdicts(odds_ratio=2.0).loc[binary]
    return r.Facts(
        reps=r.integer(meta["reps"]),
        reps_at_100=r.integer(meta["reps_at"]["100"]),
        seed=r.Text(str(meta["seed"])),
        grid=r.names(f"{g:,}" for g in meta["grid"]),
        ratios=r.names(f"{x:g}" for x in POWER_ODDS_RATIOS),
        mcse_max=r.number(100 * curve["mcse"].max(), 1),
        diff_2se=r.number(2 * math.sqrt(2) * 100 * curve["mcse"].max(), 1),
        event_rate=r.percent(100 * meta["event_rate"], 0),
        binary=_lower(binary),
        binary_power_min=r.percent(100 * at2["power_at_100"].min(), 0),
        binary_power_max=r.percent(100 * at2["power_at_100"].max(), 0),
        binary_printed_min=r.percent(100 * printed["power_printed_min"].min(), 0),
        binary_printed_max=r.percent(100 * printed["power_printed_max"].max(), 0),
        binary_n_min=r.integer(at2["n_for_target"].min()),
        binary_n_max=r.integer(at2["n_for_target"].max()),
    )


def members_results(members: pd.DataFrame) -> r.Facts:
    """How many exact reconstructions a range is taken over, and how they were drawn.

    Parameters
    ----------
    members : DataFrame
        :func:`ridersurvey.robustness.finding_robustness.exact_members` (column ``method``: "search" or "walk").
    """
    return r.Facts(
        n=r.integer(len(members)),
        n_search=r.integer(int((members["method"] == "search").sum())),
        n_walk=r.integer(int((members["method"] == "walk").sum())),
    )


def firth_results(firth: pd.DataFrame) -> r.Facts:
    """What Firth's fit changes on the book's reconstruction.

    Parameters
    ----------
    firth : DataFrame
        :func:`ridersurvey.model.firth.firth_estimates`.

    Returns
    -------
    Facts
        Among others: away (the slopes not pulled towards zero) with away_verb (its verb's number, "moves" for
        one, "move" otherwise) and away_by (how far, in percent: one value for one slope, else the range);
        sig_ml and sig_firth (predictors with p < 0.05 under ML and under Firth's penalised likelihood-ratio test), same_significance ("True" when the two lists are equal) and
        sig_firth_text (the Firth list, or "the same three" when it equals the ML one).
    """
    pred = load_codebook().predictors
    slopes = firth.loc[pred]
    shrunk = slopes["shrinkage"]
    towards, away = shrunk[shrunk > 0], shrunk[shrunk <= 0]
    ratio = slopes["se_firth"] / slopes["se_ml"]
    sig_ml = [v for v in pred if slopes.loc[v, "p_ml"] < 0.05]
    sig_firth = [v for v in pred if slopes.loc[v, "p_firth_lr"] < 0.05]
    same = sig_ml == sig_firth
    return r.Facts(
        n=r.integer(len(load_analysis_data())),
        k=r.count_words(len(pred)),
        n_shrunk=r.count_words(len(towards)),
        shrink_min=r.percent(100 * towards.min(), 1) if len(towards) else r.Text("–"),
        shrink_max=r.percent(100 * towards.max(), 1) if len(towards) else r.Text("–"),
        away=_lower(away.index),
        away_verb=r.Text(messages.label("moves" if len(away) == 1 else "move")),
        away_by=_percent_range(-100 * away.max(), -100 * away.min()) if len(away) else r.Text("–"),
        se_ratio_min=r.number(float(ratio.min()), 2),
        se_ratio_max=r.number(float(ratio.max()), 2),
        sig_ml=_lower(sig_ml),
        sig_firth=_lower(sig_firth),
        same_significance=same,
        sig_firth_text=r.Text(messages.label("the same {n}", n=r.count_words(len(sig_ml))))
        if same
        else _lower(sig_firth),
    )


def bootstrap_results(boot, boot_table: pd.DataFrame) -> r.Facts:
    """The bootstrap's settings, its failed resamples and which intervals exclude 0.

    Parameters
    ----------
    boot, boot_table
        :func:`ridersurvey.robustness.bootstrap.bootstrap` and its :func:`ridersurvey.robustness.bootstrap.bootstrap_intervals`.
    """
    pred = load_codebook().predictors
    sides = boot_table.loc[pred, "side"]
    summary = boot.summary
    return r.Facts(
        n_boot=r.integer(summary["n_boot"]),
        seed=r.Text(str(summary["seed"])),
        n_valid=r.integer(summary["n_valid"]),
        n_failed=r.count_words(summary["n_failed"]),
        n_separated=r.count_words(summary["n_separated"]),
        n_nonconverged=r.count_words(summary["n_nonconverged_other"]),
        excludes=_lower(sides.index[sides == EXCLUDES]),
        at_zero=_lower(sides.index[sides == AT_ZERO]),
        mcse_max=r.number(float(boot_table.loc[pred, ["ci_low_mcse", "ci_high_mcse"]].max().max()), 3),
        mcse_const=r.number(float(boot_table.loc["const", ["ci_low_mcse", "ci_high_mcse"]].max()), 3),
    )


def coding_results(coding: dict) -> r.Facts:
    """The test of linear codes against categories (:func:`ridersurvey.model.codings.coding_lr_test`).

    ``merged`` lists each merge as "item: code a into b (k riders)"; ``separation`` is "yes" if the categorical
    fit failed to converge or shows (quasi-)separation, else "no".
    """
    return r.Facts(
        merged=r.names(
            heading("merge", item=_labels()[var].lower(), a=a, b=b, k=k) for var, a, b, k in coding["merges"]
        ),
        lr=r.number(coding["lr"], 2),
        df=r.integer(coding["df"]),
        p=r.p_value(coding["p"]),
        k_linear=r.integer(coding["k_linear"]),
        k_categorical=r.integer(coding["k_categorical"]),
        aic_linear=r.number(coding["aic_linear"], 2),
        aic_categorical=r.number(coding["aic_categorical"], 2),
        separation=r.Text(messages.label("no" if coding["converged"] and not coding["separation"] else "yes")),
    )


def verdicts_table(caption: str, name: str) -> r.Table:
    """The verdict on each finding and the design's power behind it (the printed pairs are in the audit's table).

    Parameters
    ----------
    caption, name : str
        The chapter's caption and label.
    """
    reps = load_power()[1]["reps_at"]["100"]
    frame = finding_verdicts().copy()
    ratio = inspect.signature(finding_verdicts).parameters["odds_ratio"].default
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["power_text"] = [power_text(p, m, reps) for p, m in zip(frame["power"], frame["power_mcse"], strict=True)]
    frame["power_printed_text"] = [
        printed_power_text(lo, hi)
        for lo, hi in zip(frame["power_printed_min"], frame["power_printed_max"], strict=True)
    ]
    spec = r.TableSpec(
        [
            r.Column("label", "Finding"),
            r.Column("p", "p (paper)", r.p_value),
            r.Column("power_printed_text", heading("power_printed", ratio=ratio)),
            r.Column("power_text", heading("power_simulated")),
            r.Column("verdict", "Verdict"),
        ]
    )
    return spec.table(frame, caption, name)


def power_table(caption: str, name: str) -> r.Table:
    """Power at n = 100 and the n for 80% power, for each predictor and stated odds ratio."""
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
    columns = [r.Column("label", "Predictor")]
    for ratio in POWER_ODDS_RATIOS:
        columns += [
            r.Column(f"p{ratio}", heading("power_at_n", ratio=ratio)),
            r.Column(f"n{ratio}", heading("n_for_power", ratio=ratio)),
        ]
    return r.TableSpec(columns).table(pd.DataFrame(rows), caption, name)


def firth_table(firth: pd.DataFrame, caption: str, name: str) -> r.Table:
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
    return spec.table(frame, caption, name)


def bootstrap_se_facts(boot_table: pd.DataFrame, runs: pd.DataFrame, runs_meta: dict) -> r.Facts:
    """The runs behind the bootstrap SE's Monte Carlo error, and how far the normal-theory error falls short.

    ``ratio`` is the range over the terms of the Monte Carlo SE from independent runs
    (:func:`ridersurvey.robustness.bootstrap.repeat_se_spread`) over ``SE / sqrt(2 (B - 1))``; ``failed`` counts the
    resamples of all runs left out (not converged or separated) out of ``resamples``.
    """
    ratio = boot_table["boot_se_mcse"] / (boot_table["boot_se"] / math.sqrt(2 * (runs_meta["n_boot"] - 1)))
    return r.Facts(
        runs=r.integer(runs_meta["repeats"]),
        n_boot=r.integer(runs_meta["n_boot"]),
        ratio=r.Text(messages.label("{low} to {high}", low=r.number(ratio.min(), 1), high=r.number(ratio.max(), 1))),
        failed=r.integer(int((runs_meta["n_boot"] - runs["n_valid"]).sum())),
        resamples=r.integer(runs_meta["n_boot"] * len(runs)),
    )


def bootstrap_table(boot_table: pd.DataFrame, caption: str, name: str) -> r.Table:
    """Bootstrap SE and percentile limits of the book's reconstruction, each with its Monte Carlo error."""
    frame = boot_table.copy()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    with_error = lambda values, errors: [f"{r.number(a)} ± {r.number(m)}" for a, m in zip(values, errors, strict=True)]
    frame["low"] = with_error(frame["ci_low"], frame["ci_low_mcse"])
    frame["high"] = with_error(frame["ci_high"], frame["ci_high_mcse"])
    frame["se"] = with_error(frame["boot_se"], frame["boot_se_mcse"])
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
    return spec.table(frame, caption, name)


def coding_table(data: pd.DataFrame, coding: dict, caption: str, name: str) -> r.Table:
    """The paper's linear codes, the same on merged categories, and dummies: log-likelihood and AIC."""
    paper = fit_logit(data)
    rows = pd.DataFrame(
        {
            "model": [heading(key) for key in ("linear_paper", "linear_merged", "dummies_merged")],
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
    return spec.table(rows, caption, name)


def codings_table(data: pd.DataFrame, caption: str, name: str) -> r.Table:
    """The slopes under Table 2's codings, with the outcome reversed and with marital status reversed."""
    flip = reverse_outcome(data).drop(index="const")
    mar = reverse_marital(data).drop(index="const")
    labels = _labels()
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
            r.Column("b_t2", heading("b_table2"), ".3f"),
            r.Column("b_willing", heading("b_model_section"), ".3f"),
            r.Column("b_mar", heading("b_marital_reversed"), ".3f"),
            r.Column("se", "SE", ".3f"),
            r.Column("p", "p", r.p_value),
        ]
    )
    return spec.table(frame, caption, name)


def envelope_range(statistic: str, decimals: int, scale: float = 1.0) -> str:
    """The envelope of one statistic (:func:`envelope`'s min and max) as an interval for a table cell, p-values as
    :func:`ridersurvey.presentation.report.p_interval` prints them; "" if the catalogue lacks it. Two statistics
    the catalogue does not list follow from one it does: Cox and Snell's R² from the LR χ², and a predictor's
    Wald p-value (``"p_health"``) from the envelope of its Wald z.

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
        # 1 - exp(-LR/n) rises with the LR statistic, so its envelope is that of LR, transformed
        n = len(load_analysis_data())
        lo, hi = (1 - math.exp(-float(table.loc["lr_chi2", k]) / n) for k in ("min", "max"))
        return r.interval(scale * lo, scale * hi, decimals)
    wald = statistic.removeprefix("p_")
    if statistic not in table.index and statistic.startswith("p_") and f"z_{wald}" in table.index:
        # a Wald p-value is 2(1 - Φ(|z|)), which falls as |z| rises, so its envelope is that of |z|, transformed
        z_lo, z_hi = (float(table.loc[f"z_{wald}", k]) for k in ("min", "max"))
        abs_lo = 0.0 if z_lo <= 0.0 <= z_hi else min(abs(z_lo), abs(z_hi))
        abs_hi = max(abs(z_lo), abs(z_hi))
        return r.p_interval(2 * norm.sf(abs_hi), 2 * norm.sf(abs_lo), decimals)
    if statistic not in table.index:
        return ""
    lo, hi = scale * float(table.loc[statistic, "min"]), scale * float(table.loc[statistic, "max"])
    if statistic.endswith("_p") or statistic.startswith("p_"):
        return r.p_interval(lo, hi, decimals)
    return r.interval(lo, hi, decimals)


@functools.lru_cache(maxsize=1)
def _envelope_cached() -> pd.DataFrame:
    return envelope().set_index("statistic")


def _spread_rows(fit) -> list[tuple[str, float, str, int]]:
    """(statistic shown, the book's value, catalogue name, decimals) for :func:`spread_table`."""
    labels = _labels()
    coefs = fit.coefficients()
    rows = []
    for var in ("health", "policy_awareness"):
        rows.append(
            (messages.label("SE of {item}", item=labels[var].lower()), float(coefs.loc[var, "se"]), f"se_{var}", 3)
        )
        rows.append(
            (messages.label("p of {item} (Wald)", item=labels[var].lower()), float(coefs.loc[var, "p"]), f"p_{var}", 3)
        )
    for key, shown, d in (
        ("mcfadden_r2", "McFadden R²", 3),
        ("nagelkerke_r2", "Nagelkerke R²", 3),
        ("hl_p", "Hosmer–Lemeshow p", 3),
        ("auc", "Area under the ROC curve", 3),
        ("accuracy", "Correctly classified at 0.5 (%)", 1),
    ):
        rows.append((shown, float(fit.statistics[key]), key, d))
    return rows


def spread_table(members: pd.DataFrame, fit, caption: str, name: str) -> r.Table:
    """Statistics only a reconstruction has: the book's value, the range over the exact ensemble and the envelope."""
    spread = ensemble_spread(members)

    def over_members(col: str, d: int) -> str:
        if col not in spread.index:
            return ""
        p_like = col.startswith("p_") or col.endswith("_p")
        return (r.p_interval if p_like else r.interval)(spread.loc[col, "min"], spread.loc[col, "max"], d)

    frame = pd.DataFrame(
        [
            {
                "statistic": shown,
                "value": r.number(value, d),
                "range": over_members(col, d),
                "envelope": envelope_range(col, d),
            }
            for shown, value, col, d in _spread_rows(fit)
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
    return spec.table(frame, caption, name)


def envelope_results(table: pd.DataFrame) -> r.Facts:
    """What the envelope shows: how many statistics are open, narrow so far or implied, and a few ranges.

    Parameters
    ----------
    table : DataFrame
        :func:`envelope`.
    """
    searches = load_searches()
    model = table[table["group"].isin(MODEL_GROUPS)]
    narrow = model[model["state"] == "narrow so far"]
    implied = table[table["state"] == IMPLIED]
    wide = table.set_index("statistic")

    def span(stat: str, d: int) -> r.Text:
        p_like = stat.endswith("_p") or stat.startswith("p_")
        return (r.p_interval if p_like else r.interval)(wide.loc[stat, "min"], wide.loc[stat, "max"], d)

    return r.Facts(
        n_statistics=r.integer(len(table)),
        n_searches=r.integer(len(searches)),
        n_objectives=r.integer(len({s["objective"] for s in searches})),
        n_open=r.integer(int((table["state"] == "open").sum())),
        n_narrow=r.count_words(int((table["state"] == "narrow so far").sum()), zero="none"),
        n_implied=r.count_words(len(implied)),
        n_implied_pairs=r.count_words(implied["statistic"].str.partition("_")[2].nunique()),
        n_model=r.integer(len(model)),
        n_model_open=r.integer(int((model["state"] == "open").sum())),
        n_model_narrow=r.count_words(len(narrow), zero="none"),
        narrow_names=r.names(
            f"{lab} ({messages.label(g)})" for g, lab in zip(narrow["group"], narrow["label"], strict=True)
        ),
        coding_p=span("coding_lr_p", 3),
        auc=span("auc", 3),
        nagelkerke=span("nagelkerke_r2", 3),
        hl_p=span("hl_p", 3),
        accuracy=span("accuracy", 1),
        se_health=span("se_health", 3),
        se_awareness=span("se_policy_awareness", 3),
        cpu_hours=r.number(sum(float(s["seconds"]) for s in searches) / 3600, 2),
        base_seed=r.Text(str(load_meta()["base_seed"])),
    )


def envelope_counts_table(table: pd.DataFrame, caption: str, name: str) -> r.Table:
    """Per group of the envelope's catalogue: how many statistics are open, narrow so far or implied.

    Parameters
    ----------
    table : DataFrame
        :func:`envelope`.
    caption, name : str
    """
    groups = list(MODEL_GROUPS + DATA_GROUPS)
    counts = pd.crosstab(table["group"], table["state"]).reindex(
        index=groups, columns=["open", "narrow so far", IMPLIED]
    )
    counts = counts.fillna(0).astype(int)
    frame = counts.assign(total=counts.sum(axis=1), label=[_heading(g) for g in groups])
    spec = r.TableSpec(
        [
            r.Column("label", "Group"),
            r.Column("total", "Statistics", r.integer),
            r.Column("open", "Open", r.integer),
            r.Column("narrow so far", "Narrow so far", r.integer),
            r.Column(IMPLIED, r.sentence_case(IMPLIED), r.integer),
        ]
    )
    return spec.table(frame, caption, name)
