"""The book's figures, in one style: a colour-blind-safe palette, English labels and text a reader can read.

Figures are laid out for a phone first. Every figure is drawn at most :data:`MAX_WIDTH_IN` inches wide at
:data:`FIGURE_DPI` dots per inch, and no text in it is smaller than :data:`MIN_FONT_PT` points. Text of
``s`` points is ``s * FIGURE_DPI / 72`` pixels in the image. A phone 390 px wide shows the text column
342 px wide, so a figure :data:`MAX_WIDTH_IN` wide is scaled by ``342 / (FIGURE_DPI * MAX_WIDTH_IN)`` and its
smallest text appears at ``MIN_FONT_PT * 342 / (72 * MAX_WIDTH_IN)`` = 9.9 px; on a tablet or desktop the
stylesheet shows it at most 36 rem (576 px) wide, its smallest text at 16 px. Small multiples are therefore
stacked in one or two columns rather than spread across a wide figure.

matplotlib is imported by the functions that draw, not with the module, so that importing
:mod:`ridersurvey` (or a chapter that only reads the ledger) does not pay for them. Every figure function
applies :func:`set_style` once per process before drawing, so all figures share the one style.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.verdicts import VERDICT_NAMES
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import table1_counts, table3
from ridersurvey.model.logit import auc, roc_curve
from ridersurvey.robustness.bootstrap import bootstrap_intervals

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

#: Okabe and Ito's colour-blind-safe palette without its pale yellow (and black, kept for reference marks):
#: blue, orange, bluish green, vermillion, sky blue, reddish purple, and a dark grey.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#5F5F5F"]
#: Line styles and markers: with the 7 colours (periods 3, 5 and 7) no two of the first 105 series look alike.
LINE_STYLES = ["-", "--", ":"]
MARKERS = ["o", "s", "^", "D", "v"]
MAX_WIDTH_IN = 4.3
#: The figures' font for Chinese: a subset of Noto Sans CJK SC shipped with the package (fonts/OFL.txt).
CJK_FONT = Path(__file__).resolve().parents[1] / "fonts" / "RidersurveySansSC.otf"
CJK_FAMILY = "Ridersurvey Sans SC"
FIGURE_DPI = 150
MIN_FONT_PT = 9.0
REVISED_FROM = 2018
_STYLED = False


def colours(n: int = len(PALETTE)) -> list[str]:
    """The first ``n`` colours of the book's palette (repeating it if ``n`` exceeds its length)."""
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def _pyplot():
    """``matplotlib.pyplot``, with the book's style applied on first use."""
    import matplotlib.pyplot as plt

    if not _STYLED:
        set_style()
    return plt


def _shown(fig):
    """Detach ``fig`` from pyplot and return it, so a notebook shows it once, as the cell's value.

    Without this the inline backend would also draw the open figure at the end of the cell, and a chapter
    would need a trailing ``;`` on the call, which silences the ``{eval}`` expressions after it (IPython
    judges an expression's output by the last stored cell).
    """
    import matplotlib.pyplot as plt

    plt.close(fig)
    return fig


def _labels(variables) -> dict[str, str]:
    """Codebook labels of ``variables`` in the catalog's language."""
    return load_codebook().labels(variables)


def set_style() -> None:
    """Apply the book's figure style (white grid, the palette, text of at least :data:`MIN_FONT_PT`) to matplotlib."""
    global _STYLED
    import matplotlib.pyplot as plt
    from cycler import cycler

    small, base = MIN_FONT_PT, MIN_FONT_PT + 1
    plt.rcParams.update(
        {
            # a white grid, as seaborn's "whitegrid" style draws it, without importing seaborn (1.5 s a chapter)
            "axes.facecolor": "white",
            "axes.edgecolor": "0.8",
            "axes.grid": True,
            "axes.axisbelow": True,
            "grid.color": "0.8",
            "grid.linestyle": "-",
            "axes.labelcolor": "0.15",
            "text.color": "0.15",
            "xtick.color": "0.15",
            "ytick.color": "0.15",
            "xtick.bottom": False,
            "ytick.left": False,
            "lines.solid_capstyle": "round",
            "patch.edgecolor": "white",
            "image.cmap": "viridis",
            "figure.dpi": FIGURE_DPI,
            "savefig.dpi": FIGURE_DPI,
            "savefig.bbox": "tight",
            "font.size": base,
            "axes.titlesize": base,
            "axes.titleweight": "bold",
            "axes.labelsize": base,
            "xtick.labelsize": small,
            "ytick.labelsize": small,
            "legend.fontsize": small,
            "legend.title_fontsize": small,
            "figure.titlesize": base,
            "axes.prop_cycle": cycler(color=PALETTE),
            "figure.constrained_layout.use": True,
        }
    )
    _use_language_fonts(plt.rcParams)
    _STYLED = True


def _use_language_fonts(rc) -> None:
    """Fonts for the catalog's language: outside English, the book's CJK font (:data:`CJK_FONT`, one weight)."""
    if messages.language() == messages.DEFAULT_LANGUAGE:
        return
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(CJK_FONT))
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [CJK_FAMILY, "DejaVu Sans"]
    rc["axes.titleweight"] = "normal"


#: Punctuation that must not begin a line (it stays with the character before it) or end one.
_NO_LINE_START = set("，。、：；！？）」』》〉”’%)]:;,.")
_NO_LINE_END = set("（「『《〈“‘([")


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` columns, a wide (CJK) character counting two.

    Text without wide characters is wrapped by :func:`textwrap.fill` at spaces. Text with them may break
    between any two wide characters too (Chinese has no spaces to break at), never inside a Latin word or
    number, never before closing or after opening punctuation; a word wider than ``width`` keeps its line. The
    lines are balanced: as narrow as the same number of lines allows.
    """
    if not any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return textwrap.fill(text, width, break_long_words=False)
    tokens: list[str] = []
    for piece in re.findall(r"\s+|[^\s\u2e80-\ufaff\uff00-\uffef]+|.", text):
        glued = tokens and (piece[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END) and not piece.isspace()
        if glued:
            tokens[-1] += piece
        else:
            tokens.append(piece)
    lines = _fill(tokens, width)
    while width > 1 and len(narrower := _fill(tokens, width - 1)) == len(lines):
        lines, width = narrower, width - 1
    return "\n".join(lines)


def _fill(tokens: list[str], width: int) -> list[str]:
    lines, line = [], ""
    for token in tokens:
        if line and _columns(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    lines.append(line.rstrip())
    return lines


def item_distributions(df: pd.DataFrame, show_published: bool = True) -> plt.Figure:
    """Small multiples of all ten items: bars are the counts in ``df``, dots Table 1's printed counts.

    One panel per codebook variable in Table 2's order, two panels a row; the answer options run down each
    panel's y axis (first option on top) with their English labels (Chinese, as printed, in the Chinese
    edition), the number of riders along its x axis.
    """
    plt = _pyplot()
    book = load_codebook()
    published = table1_counts()
    names = book.names
    heights = [len(book[var].codes) for var in names]
    fig, axes = plt.subplots(
        len(names),
        1,
        figsize=(MAX_WIDTH_IN, 0.3 * sum(heights) + 0.75 * len(names) + 0.6),
        gridspec_kw={"height_ratios": heights},
        sharex=True,
        squeeze=False,
    )
    bar_colour = colours(1)[0]
    for ax, var in zip(axes.flat, names):
        item = book[var]
        codes = list(item.codes)
        counts = df[var].value_counts().reindex(codes, fill_value=0).to_numpy()
        positions = np.arange(len(codes))
        ax.barh(positions, counts, color=bar_colour, label=messages.label("Data (reconstructed)"))
        if show_published:
            ax.plot(
                [published[var][c] for c in codes],
                positions,
                "o",
                color="black",
                markersize=4,
                label=messages.label("Table 1 (published)"),
            )
        ax.set_yticks(positions, [messages.bilingual(_wrap(o.en, 22), o.zh) for o in item.options])
        ax.invert_yaxis()
        ax.set_title(messages.label(item.label_en))
        ax.set_xlabel(messages.label("Riders"))
        ax.set_ylabel(messages.label("Answer"))
        ax.tick_params(axis="x", labelbottom=True)
        ax.grid(axis="y", visible=False)
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    return _shown(fig)


def forest_plot(coef_table: pd.DataFrame, labels: dict[str, str] | None = None) -> plt.Figure:
    """Odds ratios with their confidence intervals on a log scale, with a reference line at 1.

    ``coef_table`` is :meth:`ridersurvey.model.logit.LogitFit.coefficients`'s output; the intercept is left out.
    Rows are drawn top to bottom in the table's order, labelled with the codebook's English labels.
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    plt = _pyplot()
    table = coef_table.drop(index="const", errors="ignore")
    if labels is None:
        labels = _labels([v for v in table.index if v in load_codebook().names])
    y = np.arange(len(table))[::-1]
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.5 * len(table) + 1.4))
    ax.set_ylabel(messages.label("Predictor"))
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    odds, low, high = (table[c].to_numpy(dtype=float) for c in ("odds_ratio", "or_ci_low", "or_ci_high"))
    ax.errorbar(odds, y, xerr=[odds - low, high - odds], fmt="o", color=colours(1)[0], ecolor=colours(1)[0], capsize=3)
    ax.set_xscale("log")
    low, high = ax.get_xlim()
    ticks = [t for t in (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 25, 50, 100) if low <= t <= high]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [_wrap(labels.get(v, v), 20) for v in table.index])
    ax.set_xlabel(messages.text("plots.odds_ratio_axis"))
    ax.grid(axis="y", visible=False)
    return _shown(fig)


def roc_plot(y, p) -> plt.Figure:
    """The ROC curve of fitted probabilities ``p`` against outcomes ``y``, with the chance diagonal."""
    plt = _pyplot()
    curve = roc_curve(y, p)
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 4.4))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label=messages.label("Chance"))
    ax.plot(
        curve["fpr"],
        curve["tpr"],
        color=colours(1)[0],
        linewidth=2,
        label=messages.label("Model (AUC = {auc:.3f})", auc=auc(y, p)),
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel(messages.label("False-positive rate (1 − specificity)"))
    ax.set_ylabel(messages.label("True-positive rate (sensitivity)"))
    ax.legend(loc="lower right")
    return _shown(fig)


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
    fig, (left, right) = plt.subplots(2, 1, figsize=(MAX_WIDTH_IN, 8.6))
    left.bar(
        years[~revised],
        data.loc[~revised, "transaction_volume_100m_yuan"],
        color=c[0],
        label=messages.label("Original basis"),
    )
    left.bar(
        years[revised],
        data.loc[revised, "transaction_volume_100m_yuan"],
        color=c[0],
        alpha=0.55,
        hatch="//",
        edgecolor="white",
        label=messages.label("Revised basis (excludes financial sharing)"),
    )
    left.set_ylabel(messages.label("Transaction volume\n(100 million yuan)"))
    left.set_title(messages.label("Transaction volume"))
    right.plot(years, data["service_providers_10k"], "o-", color=c[1], label=messages.label("Service providers"))
    right.set_ylabel(messages.label("Service providers\n(10 thousand persons)"))
    twin = right.twinx()
    twin.plot(years, data["participants_100m"], "s--", color=c[2], label=messages.label("Participants"))
    twin.set_ylabel(messages.label("Participants\n(100 million persons)"))
    twin.grid(False)
    right.set_title(messages.label("People involved"))
    if "participants_is_lower_bound" in data:
        bound = data["participants_is_lower_bound"].astype(bool).to_numpy()
        twin.plot(
            years[bound],
            data.loc[bound, "participants_100m"],
            "s",
            markerfacecolor="white",
            markeredgecolor=c[2],
            label=messages.label("Participants (lower bound)"),
        )
    for ax in (left, right):
        ax.set_xticks(years)
        ax.set_xlabel(messages.label("Year"))
    if revised.any() and (~revised).any():
        left.axvline(REVISED_FROM - 0.5, color="black", linestyle=":", linewidth=1.2)
        left.annotate(
            messages.label("revised basis\nfrom 2018"),
            xy=(REVISED_FROM - 0.5, 0.97),
            xycoords=("data", "axes fraction"),
            xytext=(4, 0),
            textcoords="offset points",
            va="top",
        )
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=1, frameon=False)
    handles = right.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    right.legend(
        handles,
        [h.get_label() for h in handles],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.25),
        ncols=2,
        frameon=False,
    )
    return _shown(fig)


#: One colour per audit verdict (Okabe–Ito), from the most to the least serious.
VERDICT_COLOURS = {
    "inconsistent-pair": "#D55E00",
    "discrepant": "#E69F00",
    "unverifiable": "#999999",
    "matched-by-construction": "#56B4E9",
    "corroborated": "#009E73",
    "consistent": "#0072B2",
}


def scorecard_plot(score: pd.DataFrame, ax=None):
    """Findings per audit verdict as horizontal bars, identities (solid) apart from other checks (hatched).

    ``score`` is :func:`ridersurvey.audit.ledger_audit.scorecard`'s output; returns the figure.
    """
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 3.4), layout="constrained")
    else:
        fig = ax.figure
    order = list(score.index)[::-1]
    y = np.arange(len(order))
    colours_ = [VERDICT_COLOURS.get(k, "grey") for k in order]
    ident = score.loc[order, "identities"].to_numpy()
    other = score.loc[order, "other"].to_numpy()
    ax.barh(y, ident, color=colours_, label=messages.label("identities"))
    ax.barh(y, other, left=ident, color=colours_, hatch="//", edgecolor="white", label=messages.label("other checks"))
    for i, total in enumerate(ident + other):
        ax.text(total, i, f" {total}", va="center")
    ax.set_yticks(y, [VERDICT_NAMES.get(k, k) for k in order])
    ax.set_xlabel(messages.label("Findings"))
    ax.set_ylabel(messages.label("Verdict"))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max((ident + other).max() * 1.15, 1))
    ax.grid(axis="y", visible=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return _shown(fig)


def interval_plot(firth: pd.DataFrame, boot: pd.DataFrame, level: float = 0.95):
    """Each coefficient with three intervals: ML Wald, Firth profile likelihood, bootstrap percentile.

    ``firth`` is :func:`ridersurvey.model.firth.firth_estimates`'s output and ``boot``
    :func:`ridersurvey.robustness.bootstrap.bootstrap_intervals`'s. The published coefficient is drawn as a cross; the
    intercept is left out.
    """
    from statistics import NormalDist

    plt = _pyplot()
    vars_ = list(load_codebook().predictors)
    labels = _labels(vars_)
    crit = NormalDist().inv_cdf(0.5 + level / 2)
    paper = table3()["coef"]
    y = np.arange(len(vars_))[::-1].astype(float)
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.55 * len(vars_) + 2.1), layout="constrained")
    ax.axvline(0, color="grey", linestyle="--", linewidth=1)
    series = [
        (
            messages.label("ML (Wald)"),
            firth.loc[vars_, "coef_ml"],
            firth.loc[vars_, "coef_ml"] - crit * firth.loc[vars_, "se_ml"],
            firth.loc[vars_, "coef_ml"] + crit * firth.loc[vars_, "se_ml"],
        ),
        (
            messages.label("Firth (profile penalised likelihood)"),
            firth.loc[vars_, "coef_firth"],
            firth.loc[vars_, "ci_low_firth"],
            firth.loc[vars_, "ci_high_firth"],
        ),
        (
            messages.label("ML, bootstrap percentile"),
            boot.loc[vars_, "coef"],
            boot.loc[vars_, "ci_low"],
            boot.loc[vars_, "ci_high"],
        ),
    ]
    for i, ((name, est, lo, hi), colour) in enumerate(zip(series, colours(3))):
        yy = y + (1 - i) * 0.22
        est, lo, hi = (np.asarray(a, dtype=float) for a in (est, lo, hi))
        ax.errorbar(est, yy, xerr=[est - lo, hi - est], fmt="o", markersize=4, color=colour, capsize=2, label=name)
    ax.plot(
        paper.reindex(vars_).to_numpy(),
        y,
        "x",
        color="black",
        markersize=7,
        label=messages.label("Table 3 (published)"),
    )
    ax.set_yticks(y, [_wrap(labels[v], 20) for v in vars_])
    ax.set_xlabel(messages.text("plots.coefficient_axis", level=level))
    ax.set_ylabel(messages.label("Predictor"))
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=1, frameon=False)
    return _shown(fig)


def bootstrap_plot(result):
    """Histograms of the valid bootstrap replicates of each coefficient, with the full-sample estimate,
    the percentile interval and the published coefficient marked.

    ``result`` is :func:`ridersurvey.robustness.finding_robustness.bootstrap`'s output.
    """
    plt = _pyplot()
    vars_ = list(load_codebook().predictors)
    labels = _labels(vars_)
    table = bootstrap_intervals(result)
    paper = table3()["coef"]
    reps = result.replicates[result.valid]
    ncols = 2
    nrows = int(np.ceil(len(vars_) / ncols))
    size = (MAX_WIDTH_IN, 2.3 * nrows + 1.0)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, layout="constrained", squeeze=False)
    c_hist, c_est = colours(2)
    for ax, var in zip(axes.flat, vars_):
        j = result.names.index(var)
        ax.hist(reps[:, j], bins=40, color=c_hist, alpha=0.8)
        ax.axvline(table.loc[var, "coef"], color=c_est, linewidth=2, label=messages.label("Full-sample ML estimate"))
        for edge in ("ci_low", "ci_high"):
            ax.axvline(
                table.loc[var, edge],
                color=c_est,
                linestyle=":",
                linewidth=1.5,
                label=messages.label("95% percentile interval") if edge == "ci_low" else None,
            )
        ax.axvline(
            paper[var], color="black", linestyle="--", linewidth=1.2, label=messages.label("Table 3 (published)")
        )
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_title(_wrap(labels[var], 24))
        ax.set_xlabel(messages.label("Coefficient"))
        ax.set_ylabel(messages.label("Replicates"))
        ax.locator_params(axis="x", nbins=4)
        ax.locator_params(axis="y", nbins=3)
    for ax in axes.flat[len(vars_) :]:
        ax.set_visible(False)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncols=1, frameon=False)
    return _shown(fig)


def power_plot(curve: pd.DataFrame, target: float = 0.8):
    """Simulated power against sample size, one panel per stated odds ratio, a line per predictor.

    ``curve`` is the long table of :func:`ridersurvey.robustness.finding_robustness.power_curve` (n, odds_ratio,
    variable, power, mcse); bands are ± 2 Monte Carlo standard errors.
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    plt = _pyplot()
    vars_ = list(load_codebook().predictors)
    labels = _labels(vars_)
    ratios = sorted(curve["odds_ratio"].unique())
    fig, axes = plt.subplots(
        len(ratios),
        1,
        figsize=(MAX_WIDTH_IN, 2.6 * len(ratios) + 2.4),
        layout="constrained",
        sharex=True,
        squeeze=False,
    )
    for ax, ratio in zip(axes.flat, ratios, strict=True):
        for i, (var, colour) in enumerate(zip(vars_, colours(len(vars_)), strict=True)):
            sub = curve[(curve["variable"] == var) & (curve["odds_ratio"] == ratio)].sort_values("n")
            ax.fill_between(
                sub["n"], sub["power"] - 2 * sub["mcse"], sub["power"] + 2 * sub["mcse"], color=colour, alpha=0.15
            )
            ax.plot(
                sub["n"],
                sub["power"],
                LINE_STYLES[i % len(LINE_STYLES)],
                marker=MARKERS[i % len(MARKERS)],
                markersize=3,
                color=colour,
                label=labels[var],
            )
        ax.axhline(target, color="grey", linestyle="--", linewidth=1)
        ax.axvline(100, color="black", linewidth=0.8)
        ax.set_xscale("log")
        ticks = [t for t in (100, 300, 1000) if t <= curve["n"].max()]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set(
            title=messages.label("OR {ratio:g} per step", ratio=ratio),
            xlabel=messages.label("n (log scale)"),
            ylabel=messages.text("plots.power_axis"),
            ylim=(0, 1.02),
        )
        ax.tick_params(axis="x", labelbottom=True)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=2, frameon=False)
    return _shown(fig)


#: Panels :func:`envelope_plot` draws by default: statistics on comparable scales.
ENVELOPE_GROUPS = ("standard errors", "Wald z", "marginal effects", "fit measures", "p-values")
#: The x-axis label of each envelope panel.
ENVELOPE_AXES = {
    "standard errors": "Standard error",
    "Wald z": "Wald z",
    "marginal effects": "Average marginal effect (probability)",
    "fit measures": "Value",
    "p-values": "p-value",
}


def envelope_plot(table: pd.DataFrame, groups=ENVELOPE_GROUPS):
    """The envelope: for each unpublished statistic, the range over data sets that meet every target.

    ``table`` is :func:`ridersurvey.reconstruction.envelope.envelope_table`. One panel per group, one row per
    statistic: a thick bar from the smallest to the largest value the directed searches found (inner bounds:
    data sets consistent with the paper range at least this wide), a thin dark bar over the exact ensemble's
    range and a dot at the book's reconstruction.
    """
    plt = _pyplot()
    panels = [table[table["group"] == g] for g in groups]
    panels = [(g, p) for g, p in zip(groups, panels, strict=True) if len(p)]
    ticks = [[_wrap(str(lab), 26) for lab in p["label"]] for _, p in panels]
    # a row gets taller when its label needs more than two lines (Chinese labels may need three)
    heights = [max(len(p), 2) * max(1.0, max(t.count("\n") + 1 for t in tk) / 2) for (_, p), tk in zip(panels, ticks)]
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(MAX_WIDTH_IN, 0.27 * sum(heights) + 0.95 * len(panels) + 0.9),
        gridspec_kw={"height_ratios": heights},
        layout="constrained",
        squeeze=False,
    )
    c_env, c_ens, c_dot = colours(3)
    for ax, (group, sub), labels in zip(axes[:, 0], panels, ticks, strict=True):
        rows = np.arange(len(sub))[::-1]
        ax.hlines(rows, sub["min"], sub["max"], color=c_env, linewidth=7, alpha=0.55,
                  label=messages.label("Envelope (inner bounds)"))  # fmt: skip
        ax.hlines(rows, sub["ensemble_min"], sub["ensemble_max"], color="black", linewidth=1.6,
                  label=messages.label("Exact ensemble"))  # fmt: skip
        ax.plot(
            sub["committed"], rows, "o", color=c_dot, markersize=5, label=messages.label("This book's reconstruction")
        )
        ax.set_yticks(rows, labels)
        ax.set_ylim(-0.7, len(sub) - 0.3)
        ax.set_title(messages.label(group[0].upper() + group[1:]), loc="left")
        ax.set(xlabel=messages.label(ENVELOPE_AXES.get(group, "Value")), ylabel=messages.label("Statistic"))
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncols=1, frameon=False)
    return _shown(fig)
