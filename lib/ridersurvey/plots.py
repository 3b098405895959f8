"""The book's figures, in one style: seaborn's colour-blind-safe palette and English labels throughout."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter
import numpy as np
import pandas as pd
import seaborn as sns

from ridersurvey.codebook import load_codebook
from ridersurvey.model import auc, roc_curve
from ridersurvey.published import table1_counts

PALETTE = "colorblind"
REVISED_FROM = 2018


def colours(n: int = 10) -> list:
    """The first ``n`` colours of the book's palette."""
    return sns.color_palette(PALETTE, n)


def set_style() -> None:
    """Apply the book's figure style (white grid, colour-blind palette, readable sizes) to matplotlib."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=0.9)
    plt.rcParams.update({
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "axes.titlesize": "medium",
        "axes.titleweight": "bold",
        "figure.constrained_layout.use": True,
    })


def item_distributions(df: pd.DataFrame, show_published: bool = True) -> plt.Figure:
    """Small multiples of all ten items: bars are the counts in ``df``, dots Table 1's printed counts.

    One panel per codebook variable in Table 2's order, options on the x axis with their English labels.
    """
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
            ax.plot(positions, [published[var][c] for c in codes], "o", color="black", markersize=4,
                    label="Table 1 (published)")
        many = len(codes) > 2
        ax.set_xticks(positions, [o.en if many else textwrap.fill(o.en, 12) for o in item.options],
                      rotation=35 if many else 0, ha="right" if many else "center", fontsize="small")
        ax.set_title(item.label_en)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel("Riders")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    return fig


def forest_plot(coef_table: pd.DataFrame, labels: dict[str, str] | None = None) -> plt.Figure:
    """Odds ratios with their confidence intervals on a log scale, with a reference line at 1.

    ``coef_table`` is :func:`ridersurvey.model.coefficient_table`'s output; the intercept is left out.
    Rows are drawn top to bottom in the table's order, labelled with the codebook's English labels.
    """
    table = coef_table.drop(index="const", errors="ignore")
    if labels is None:
        book = load_codebook()
        labels = {v: book[v].label_en for v in table.index if v in book.names}
    y = np.arange(len(table))[::-1]
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(table) + 1.2))
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    odds, low, high = (table[c].to_numpy(dtype=float) for c in ("odds_ratio", "or_ci_low", "or_ci_high"))
    ax.errorbar(odds, y, xerr=[odds - low, high - odds],
                fmt="o", color=colours(1)[0], ecolor=colours(1)[0], capsize=3)
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
    curve = roc_curve(y, p)
    fig, ax = plt.subplots(figsize=(4.6, 4.4))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="Chance")
    ax.plot(curve["fpr"], curve["tpr"], color=colours(1)[0], linewidth=2,
            label=f"Model (AUC = {auc(y, p):.3f})")
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
    data = frame.sort_values("year").reset_index(drop=True)
    years = data["year"].astype(int).to_numpy()
    revised = years >= REVISED_FROM
    c = colours(3)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.bar(years[~revised], data.loc[~revised, "transaction_volume_100m_yuan"], color=c[0],
             label="Original basis")
    left.bar(years[revised], data.loc[revised, "transaction_volume_100m_yuan"], color=c[0], alpha=0.55,
             hatch="//", edgecolor="white", label="Revised basis (excludes financial sharing)")
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
        twin.plot(years[bound], data.loc[bound, "participants_100m"], "s", markerfacecolor="white",
                  markeredgecolor=c[2], label="Participants (lower bound)")
    for ax in (left, right):
        ax.set_xticks(years)
        ax.set_xlabel("Year")
    if revised.any() and (~revised).any():
        left.axvline(REVISED_FROM - 0.5, color="black", linestyle=":", linewidth=1.2)
        left.annotate("revised basis\nfrom 2018", xy=(REVISED_FROM - 0.5, 0.97), xycoords=("data", "axes fraction"),
                      xytext=(4, 0), textcoords="offset points", va="top", fontsize="small")
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize="small", frameon=False)
    handles = right.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    right.legend(handles, [h.get_label() for h in handles], loc="upper center", bbox_to_anchor=(0.5, -0.18),
                 ncols=3, fontsize="small", frameon=False)
    return fig
