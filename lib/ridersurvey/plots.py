"""The book's figures, in one style: seaborn's colour-blind-safe palette and English labels throughout.

matplotlib and seaborn are imported by the functions that draw, not with the module, so that importing
:mod:`ridersurvey` (or a chapter that only reads the ledger) does not pay for them. Every figure function
applies :func:`set_style` once per process before drawing, so all figures share the one style.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ridersurvey.codebook import load_codebook
from ridersurvey.published import table1_counts, table3

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

PALETTE = "colorblind"
REVISED_FROM = 2018
_STYLED = False


def colours(n: int = 10) -> list:
    """The first ``n`` colours of the book's palette."""
    import seaborn as sns

    return sns.color_palette(PALETTE, n)


def _pyplot():
    """``matplotlib.pyplot``, with the book's style applied on first use."""
    import matplotlib.pyplot as plt

    if not _STYLED:
        set_style()
    return plt


def _labels(variables) -> dict[str, str]:
    """English codebook labels of ``variables``."""
    book = load_codebook()
    return {v: book[v].label_en for v in variables}


def set_style() -> None:
    """Apply the book's figure style (white grid, colour-blind palette, readable sizes) to matplotlib."""
    global _STYLED
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=0.9)
    plt.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "axes.titlesize": "medium",
            "axes.titleweight": "bold",
            "figure.constrained_layout.use": True,
        }
    )
    _STYLED = True


def item_distributions(df: pd.DataFrame, show_published: bool = True) -> plt.Figure:
    """Small multiples of all ten items: bars are the counts in ``df``, dots Table 1's printed counts.

    One panel per codebook variable in Table 2's order, options on the x axis with their English labels.
    """
    plt = _pyplot()
    book = load_codebook()
    published = table1_counts()
    names = book.names
    ncols = 5
    nrows = int(np.ceil(len(names) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(12, 2.9 * nrows), sharey=True, squeeze=False)
    bar_colour, dot_colour = colours(2)
    for ax, var in zip(axes.flat, names):
        item = book[var]
        codes = list(item.codes)
        counts = df[var].value_counts().reindex(codes, fill_value=0).to_numpy()
        positions = np.arange(len(codes))
        ax.bar(positions, counts, color=bar_colour, label="Data (reconstructed)")
        if show_published:
            ax.plot(
                positions,
                [published[var][c] for c in codes],
                "o",
                color="black",
                markersize=4,
                label="Table 1 (published)",
            )
        many = len(codes) > 2
        ax.set_xticks(
            positions,
            [o.en if many else textwrap.fill(o.en, 12) for o in item.options],
            rotation=35 if many else 0,
            ha="right" if many else "center",
            fontsize="small",
        )
        ax.set_title(item.label_en)
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel("Riders")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    return fig


def forest_plot(coef_table: pd.DataFrame, labels: dict[str, str] | None = None) -> plt.Figure:
    """Odds ratios with their confidence intervals on a log scale, with a reference line at 1.

    ``coef_table`` is :meth:`ridersurvey.model.LogitFit.coefficients`'s output; the intercept is left out.
    Rows are drawn top to bottom in the table's order, labelled with the codebook's English labels.
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    plt = _pyplot()
    table = coef_table.drop(index="const", errors="ignore")
    if labels is None:
        labels = _labels([v for v in table.index if v in load_codebook().names])
    y = np.arange(len(table))[::-1]
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(table) + 1.2))
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    odds, low, high = (table[c].to_numpy(dtype=float) for c in ("odds_ratio", "or_ci_low", "or_ci_high"))
    ax.errorbar(odds, y, xerr=[odds - low, high - odds], fmt="o", color=colours(1)[0], ecolor=colours(1)[0], capsize=3)
    ax.set_xscale("log")
    low, high = ax.get_xlim()
    ticks = [t for t in (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 25, 50, 100) if low <= t <= high]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [labels.get(v, v) for v in table.index])
    ax.set_xlabel("Odds ratio of being unwilling (log scale; 95% CI)")
    ax.grid(axis="y", visible=False)
    return fig


def roc_plot(y, p) -> plt.Figure:
    """The ROC curve of fitted probabilities ``p`` against outcomes ``y``, with the chance diagonal."""
    from ridersurvey.model import auc, roc_curve

    plt = _pyplot()
    curve = roc_curve(y, p)
    fig, ax = plt.subplots(figsize=(4.6, 4.4))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="Chance")
    ax.plot(curve["fpr"], curve["tpr"], color=colours(1)[0], linewidth=2, label=f"Model (AUC = {auc(y, p):.3f})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("False-positive rate (1 − specificity)")
    ax.set_ylabel("True-positive rate (sensitivity)")
    ax.legend(loc="lower right")
    return fig


def sharing_economy(frame: pd.DataFrame) -> plt.Figure:
    """China's sharing economy by year: transaction volume (left) and people involved (right).

    ``frame`` has columns year, transaction_volume_100m_yuan, service_providers_10k, participants_100m.
    From 2018 the source reports on a revised basis that leaves out financial sharing, so volume bars from
    2018 onwards are hatched and a dotted line separates them from the earlier, non-comparable years. An
    optional boolean column ``participants_is_lower_bound`` draws those participant counts as open markers.
    """
    plt = _pyplot()
    data = frame.sort_values("year").reset_index(drop=True)
    years = data["year"].astype(int).to_numpy()
    revised = years >= REVISED_FROM
    c = colours(3)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.bar(years[~revised], data.loc[~revised, "transaction_volume_100m_yuan"], color=c[0], label="Original basis")
    left.bar(
        years[revised],
        data.loc[revised, "transaction_volume_100m_yuan"],
        color=c[0],
        alpha=0.55,
        hatch="//",
        edgecolor="white",
        label="Revised basis (excludes financial sharing)",
    )
    left.set_ylabel("Transaction volume (100 million yuan)")
    left.set_title("Transaction volume")
    right.plot(years, data["service_providers_10k"], "o-", color=c[1], label="Service providers")
    right.set_ylabel("Service providers (10 thousand persons)")
    twin = right.twinx()
    twin.plot(years, data["participants_100m"], "s--", color=c[2], label="Participants")
    twin.set_ylabel("Participants (100 million persons)")
    twin.grid(False)
    right.set_title("People involved")
    if "participants_is_lower_bound" in data:
        bound = data["participants_is_lower_bound"].astype(bool).to_numpy()
        twin.plot(
            years[bound],
            data.loc[bound, "participants_100m"],
            "s",
            markerfacecolor="white",
            markeredgecolor=c[2],
            label="Participants (lower bound)",
        )
    for ax in (left, right):
        ax.set_xticks(years)
        ax.set_xlabel("Year")
    if revised.any() and (~revised).any():
        left.axvline(REVISED_FROM - 0.5, color="black", linestyle=":", linewidth=1.2)
        left.annotate(
            "revised basis\nfrom 2018",
            xy=(REVISED_FROM - 0.5, 0.97),
            xycoords=("data", "axes fraction"),
            xytext=(4, 0),
            textcoords="offset points",
            va="top",
            fontsize="small",
        )
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize="small", frameon=False)
    handles = right.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    right.legend(
        handles,
        [h.get_label() for h in handles],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncols=3,
        fontsize="small",
        frameon=False,
    )
    return fig


def scorecard_plot(score: pd.Series, ax=None):
    """Horizontal bars: the number of ledger entries per audit verdict, coloured by verdict.

    ``score`` is :func:`ridersurvey.audit.scorecard`'s output; returns the figure.
    """
    from ridersurvey.audit import VERDICT_COLOURS

    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 2.4))
    else:
        fig = ax.figure
    order = list(score.index)[::-1]
    ax.barh(order, [score[k] for k in order], color=[VERDICT_COLOURS.get(k, "grey") for k in order])
    for i, k in enumerate(order):
        ax.text(score[k], i, f" {score[k]}", va="center")
    ax.set_xlabel("Published numbers (ledger entries)")
    ax.set_xlim(0, max(score.max() * 1.12, 1))
    ax.grid(axis="y", visible=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def interval_plot(firth: pd.DataFrame, boot: pd.DataFrame, level: float = 0.95):
    """Each coefficient with three intervals: ML Wald, Firth profile likelihood, bootstrap percentile.

    ``firth`` is :func:`ridersurvey.robustness.firth_table`'s output and ``boot``
    :func:`ridersurvey.robustness.bootstrap_table`'s. The published coefficient is drawn as a cross; the
    intercept is left out.
    """
    from statistics import NormalDist

    plt = _pyplot()
    vars_ = list(load_codebook().predictors)
    labels = _labels(vars_)
    crit = NormalDist().inv_cdf(0.5 + level / 2)
    paper = table3()["coef"]
    y = np.arange(len(vars_))[::-1].astype(float)
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(vars_) + 1.3), layout="constrained")
    ax.axvline(0, color="grey", linestyle="--", linewidth=1)
    series = [
        (
            "ML (Wald)",
            firth.loc[vars_, "coef_ml"],
            firth.loc[vars_, "coef_ml"] - crit * firth.loc[vars_, "se_ml"],
            firth.loc[vars_, "coef_ml"] + crit * firth.loc[vars_, "se_ml"],
        ),
        (
            "Firth (profile penalised likelihood)",
            firth.loc[vars_, "coef_firth"],
            firth.loc[vars_, "ci_low_firth"],
            firth.loc[vars_, "ci_high_firth"],
        ),
        ("ML, bootstrap percentile", boot.loc[vars_, "coef"], boot.loc[vars_, "ci_low"], boot.loc[vars_, "ci_high"]),
    ]
    for i, ((name, est, lo, hi), colour) in enumerate(zip(series, colours(3))):
        yy = y + (1 - i) * 0.22
        est, lo, hi = (np.asarray(a, dtype=float) for a in (est, lo, hi))
        ax.errorbar(est, yy, xerr=[est - lo, hi - est], fmt="o", markersize=4, color=colour, capsize=2, label=name)
    ax.plot(paper.reindex(vars_).to_numpy(), y, "x", color="black", markersize=7, label="Table 3 (published)")
    ax.set_yticks(y, [labels[v] for v in vars_])
    ax.set_xlabel(f"Coefficient (log-odds of being unwilling per code step; {level:.0%} intervals)")
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize="small")
    return fig


def bootstrap_plot(result):
    """Histograms of the valid bootstrap replicates of each coefficient, with the full-sample estimate,
    the percentile interval and the published coefficient marked.

    ``result`` is :func:`ridersurvey.robustness.bootstrap`'s output.
    """
    from ridersurvey.robustness import bootstrap_table

    plt = _pyplot()
    vars_ = list(load_codebook().predictors)
    labels = _labels(vars_)
    table = bootstrap_table(result)
    paper = table3()["coef"]
    reps = result.replicates[result.valid]
    ncols = 3
    fig, axes = plt.subplots(
        int(np.ceil(len(vars_) / ncols)), ncols, figsize=(10, 7.5), layout="constrained", squeeze=False
    )
    c_hist, c_est = colours(2)
    for ax, var in zip(axes.flat, vars_):
        j = result.names.index(var)
        ax.hist(reps[:, j], bins=40, color=c_hist, alpha=0.8)
        ax.axvline(table.loc[var, "coef"], color=c_est, linewidth=2, label="Full-sample ML estimate")
        for edge in ("ci_low", "ci_high"):
            ax.axvline(
                table.loc[var, edge],
                color=c_est,
                linestyle=":",
                linewidth=1.5,
                label="95% percentile interval" if edge == "ci_low" else None,
            )
        ax.axvline(paper[var], color="black", linestyle="--", linewidth=1.2, label="Table 3 (published)")
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_title(labels[var])
        ax.set_yticks([])
    for ax in axes.flat[len(vars_) :]:
        ax.set_visible(False)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncols=3, frameon=False)
    return fig


def ensemble_plot(summary: pd.DataFrame):
    """Spread over the reconstructions: SEs, p-values (log scale, Table 3's p marked), AMEs and fit statistics.

    ``summary`` has one row per reconstructed data set with the columns of
    :meth:`ridersurvey.model.LogitFit.summary_row`.
    """
    plt = _pyplot()
    vars_ = list(load_codebook().predictors)
    labels = _labels(vars_)
    paper = table3()
    fig, axes = plt.subplots(2, 2, figsize=(11, 8.5), layout="constrained")
    rows = np.arange(len(vars_))[::-1]
    c1, c2, c3 = colours(3)

    def boxes(ax, columns, positions, colour):
        values = [summary[c].dropna().to_numpy() for c in columns]
        ax.boxplot(
            values,
            positions=positions,
            orientation="horizontal",
            widths=0.6,
            patch_artist=True,
            boxprops={"facecolor": colour, "alpha": 0.6},
            medianprops={"color": "black"},
            flierprops={"markersize": 2},
        )

    ax = axes[0, 0]
    boxes(ax, [f"se_{v}" for v in vars_], rows, c1)
    ax.set(title="(a) Standard errors", xlabel="SE of the coefficient")
    ax = axes[0, 1]
    rng = np.random.default_rng(0)
    for row, var in zip(rows, vars_):
        p = summary[f"p_{var}"].to_numpy()
        ax.plot(p, row + rng.uniform(-0.25, 0.25, len(p)), "o", markersize=2.5, alpha=0.5, color=c1)
    ax.plot(paper["p"].reindex(vars_).to_numpy(), rows, "x", color="black", markersize=8, label="Table 3 (published)")
    ax.axvline(0.05, color="grey", linestyle="--", linewidth=1, label="p = 0.05")
    ax.set_xscale("log")
    ax.set(title="(b) Wald p-values", xlabel="p (log scale)")
    ax.legend(loc="lower left", fontsize="small")
    ax = axes[1, 0]
    boxes(ax, [f"ame_{v}" for v in vars_], rows, c3)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set(title="(c) Average marginal effects", xlabel="Change in Pr(unwilling) per code step")
    for ax in (axes[0, 0], axes[0, 1], axes[1, 0]):
        ax.set_yticks(rows, [labels[v] for v in vars_])
        ax.set_ylim(-0.7, len(vars_) - 0.3)
    ax = axes[1, 1]
    fit = {"mcfadden_r2": "McFadden R²", "nagelkerke_r2": "Nagelkerke R²", "hl_p": "Hosmer–Lemeshow p", "auc": "AUC"}
    pos = np.arange(len(fit))[::-1]
    boxes(ax, list(fit), pos, c2)
    ax.set_yticks(pos, list(fit.values()))
    ax.set(title="(d) Fit statistics", xlabel="Value", xlim=(0, 1))
    return fig


def power_plot(curve: pd.DataFrame, target: float = 0.8):
    """Simulated power against sample size (log scale) for each published effect, with the target line.

    ``curve`` is the long table of :func:`ridersurvey.robustness.power_curve` (n, variable, coef, power).
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    plt = _pyplot()
    vars_ = list(load_codebook().predictors)
    labels = _labels(vars_)
    fig, ax = plt.subplots(figsize=(8.5, 4.6), layout="constrained")
    styles = ["-", "--", ":"]
    for i, (var, colour) in enumerate(zip(vars_, colours(len(vars_)))):
        sub = curve[curve["variable"] == var]
        ax.plot(
            sub["n"],
            sub["power"],
            styles[i % 3],
            marker="o",
            markersize=3,
            color=colour,
            label=f"{labels[var]} (b = {sub['coef'].iloc[0]:g})",
        )
    ax.axhline(target, color="grey", linestyle="--", linewidth=1)
    ax.axvline(100, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ticks = [t for t in (100, 200, 500, 1000, 2000, 5000, 10000) if t <= curve["n"].max()]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set(xlabel="Sample size n (log scale)", ylabel="Power of the Wald test at α = 0.05", ylim=(0, 1.02))
    fig.legend(loc="outside right center", fontsize="small", frameon=False)
    return fig
