"""The other reading: the printed p-values of health (0.003) and awareness (0.006) kept, their coefficients freed.

Two (b, p) pairs of Table 3 cannot stand together: no data set with the published frequencies gives health
b = 0.111 with p = 0.003, or awareness b = −0.011 with p = 0.006 (:mod:`ridersurvey.precision`). The main
reconstruction keeps the coefficients and lets those two p-values go. This module builds the data the other
way round, as they would be if the coefficients were the misprint: every other target of Table 3 and both
printed p-values are met, and the two coefficients take whatever values the search reaches. The search starts
them at the printed signs (a misprinted magnitude, not a misprinted sign). The printed p-values fix only a
floor on each coefficient's size (:func:`ridersurvey.inference.printed_pair`'s ``b_needed``), not its sign;
the sign and size found are the committed data set's, not the paper's.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ridersurvey.reconstruction.search import Reconstruction, reconstruct
from ridersurvey.reconstruction.targets import PREDICTORS, Targets, targets_from_published

#: The predictors whose printed (b, p) pairs cannot stand.
FREE = ("health", "policy_awareness")
#: Seed of the committed alternative reconstruction (``data/alternative/``).
SEED = 1


def alternative_targets(free: tuple = FREE) -> Targets:
    """Table 1's counts and Table 3 with the coefficients of ``free`` released and their p-values targeted."""
    return targets_from_published(free=free)


def reconstruct_alternative(seed: int = SEED, max_seconds: float = math.inf, **kwargs) -> Reconstruction:
    """The search of :func:`ridersurvey.reconstruction.search.reconstruct` for :func:`alternative_targets`."""
    return reconstruct(seed, max_seconds=max_seconds, targets=alternative_targets(), **kwargs)


def comparison(main: dict, alternative: dict) -> pd.DataFrame:
    """Table 3 as printed beside the main and the alternative reconstruction (two provenance records).

    Returns
    -------
    DataFrame
        Index ``variable`` in Table 2's order; columns b_printed, p_printed, b_main, p_main, b_alt, se_alt,
        p_alt and ``free`` (the alternative released this coefficient).
    """
    free = set(alternative.get("free_coefficients", ()))
    rows = []
    for var in PREDICTORS:
        tgt = main["targets"][var]
        rows.append(
            {
                "variable": var,
                "b_printed": float(tgt["coef"]),
                "p_printed": float(tgt["p"]),
                "b_main": float(main["achieved"][var]["coef"]),
                "p_main": float(main["achieved"][var]["p"]),
                "b_alt": float(alternative["achieved"][var]["coef"]),
                "se_alt": float(alternative["achieved"][var]["se"]),
                "p_alt": float(alternative["achieved"][var]["p"]),
                "free": var in free,
            }
        )
    return pd.DataFrame(rows).set_index("variable")


def readings(alternative: dict, level: float = 0.95) -> pd.DataFrame:
    """What the paper's readings of the freed predictors become under the alternative reconstruction.

    Parameters
    ----------
    alternative : dict
        The alternative's provenance record.
    level : float
        Confidence level of the odds-ratio interval.

    Returns
    -------
    DataFrame
        Index ``variable``; columns reading (the paper's, in English), paper_direction (+1 more, −1 less
        willing per code step), b, odds_ratio, or_low, or_high (Wald, per code step, for Pr(unwilling)), p,
        direction (what this data set's coefficient implies) and b_needed (the smallest |b| the printed p-value
        allows, :func:`ridersurvey.inference.table3_from_print`; the printed numbers fix no sign).
    """
    from scipy.stats import norm

    from ridersurvey.inference import table3_from_print
    from ridersurvey.mechanisms import load_readings, reading_direction

    paper = load_readings()
    printed = table3_from_print()
    crit = norm.ppf(0.5 + level / 2)
    rows = []
    for var in alternative.get("free_coefficients", ()):
        got = alternative["achieved"][var]
        b, se, p = float(got["coef"]), float(got["se"]), float(got["p"])
        direction = reading_direction(b, outcome_is_unwilling=True)
        paper_direction = int(paper.loc[var, "direction"]) if var in paper.index else 0
        rows.append(
            {
                "variable": var,
                "reading": paper.loc[var, "reading_en"] if var in paper.index else "",
                "paper_direction": paper_direction,
                "b": b,
                "odds_ratio": float(np.exp(b)),
                "or_low": float(np.exp(b - crit * se)),
                "or_high": float(np.exp(b + crit * se)),
                "p": p,
                "direction": direction,
                "b_needed": float(printed.loc[var, "b_needed"]),
            }
        )
    return pd.DataFrame(rows).set_index("variable")


def load_alternative_provenance(path=None) -> dict:
    """The committed alternative reconstruction's provenance (default ``data/alternative/provenance.json``)."""
    from ridersurvey.paths import DATA_DIR
    from ridersurvey.reconstruction.outputs import load_provenance

    return load_provenance(path if path is not None else DATA_DIR / "alternative" / "provenance.json")


def comparison_table(main: dict, alternative: dict):
    """:func:`comparison` as a numbered table of the appendix (``tbl-rc-alternative``)."""
    from ridersurvey.codebook import load_codebook
    from ridersurvey.report import Column, TableSpec

    frame = comparison(main, alternative)
    book = load_codebook()
    frame = frame.assign(
        label=[book[v].label_en + (" (freed)" if frame.loc[v, "free"] else "") for v in frame.index]
    )  # fmt: skip
    spec = TableSpec(
        [
            Column("label", "Predictor"),
            Column("b_printed", "b (Table 3)", ".3f"),
            Column("p_printed", "p (Table 3)", ".3f"),
            Column("b_main", "b (main)", ".4f"),
            Column("p_main", "p (main)", ".4f"),
            Column("b_alt", "b (other reading)", ".4f"),
            Column("se_alt", "SE (other reading)", ".4f"),
            Column("p_alt", "p (other reading)", ".4f"),
        ]
    )
    met = (
        "every target met except the two freed coefficients, whose printed p-values are met instead"
        if alternative.get("success")
        else f"the two freed coefficients' printed p-values targeted instead; {len(alternative.get('failures', []))} "
        "other targets missed, listed in its provenance"
    )
    caption = (
        "The paper's Table 3 as printed beside the book's reconstruction (main: every coefficient and attainable "
        f"p-value met) and the other reading ({met}); statsmodels ML logit of unwilling on the nine codes, recorded "
        "in the two provenance files."
    )
    return spec.table(frame, caption, "tbl-rc-alternative")


def readings_table(alternative: dict):
    """:func:`readings` as a numbered table of the appendix (``tbl-rc-readings``)."""
    from ridersurvey.codebook import load_codebook
    from ridersurvey.precision import format_floor
    from ridersurvey.report import Column, TableSpec, interval, p_value

    frame = readings(alternative)
    book = load_codebook()
    word = {1: "more willing", -1: "less willing", 0: "no reading"}
    frame = frame.assign(
        label=[book[v].label_en for v in frame.index],
        paper=[word[d] for d in frame["paper_direction"]],
        fixed=[f"|b| ≥ {format_floor(b)}; sign not fixed" for b in frame["b_needed"]],
        now=[word[d] for d in frame["direction"]],
        ci=[interval(lo, hi, 2) for lo, hi in zip(frame["or_low"], frame["or_high"], strict=True)],
        p_shown=[p_value(p) for p in frame["p"]],
    )
    spec = TableSpec(
        [
            Column("label", "Predictor"),
            Column("reading", "The paper's reading", literal=True),
            Column("paper", "Paper: a higher code is"),
            Column("fixed", "What the printed p-value fixes"),
            Column("b", "b (this data set)", ".3f"),
            Column("odds_ratio", "Odds ratio per code step", ".2f"),
            Column("ci", "95% interval"),
            Column("p_shown", "p"),
            Column("now", "This data set: a higher code is"),
        ]
    )
    caption = (
        "The paper's readings of the two predictors beside what the printed numbers fix and what the other reading's "
        "one data set gives: the smallest |b| that the printed p-value allows with the SD of the paper's Table 2 "
        "(rounded down; no "
        "sign), and the coefficient of the committed data set with the printed p-value, its odds ratio of being "
        "unwilling per code step with its Wald interval, and the direction that coefficient implies. Other data sets "
        "meeting the same targets give other values."
    )
    return spec.table(frame, caption, "tbl-rc-readings")


def relative_size(b: float, printed: float) -> str:
    """How a coefficient compares with the printed one, for running text ("of opposite sign and 58 times as
    large"): the ratio of sizes to one decimal below 10 and to a whole number from 10 up.

    Parameters
    ----------
    b : float
        The coefficient.
    printed : float
        The printed coefficient (non-zero).

    Returns
    -------
    str
    """
    from ridersurvey.report import integer, number

    if printed == 0:
        raise ValueError("relative_size: the printed coefficient is zero")
    ratio = abs(b / printed)
    size = integer(round(ratio)) if ratio >= 10 else number(ratio, 1)
    sign = "the same sign" if b * printed > 0 else "opposite sign"
    return f"of {sign} and {size} times as large"


def readings_sentence(table: pd.DataFrame, labels: dict[str, str]) -> str:
    """What the printed numbers fix about the freed coefficients, as a clause for running text
    ("the printed p-values fix only the size ...: |b| ≥ 0.510 for health ...").

    Parameters
    ----------
    table : DataFrame
        :func:`readings`.
    labels : dict
        Variable name to English label.

    Returns
    -------
    str
    """
    from ridersurvey.precision import format_floor
    from ridersurvey.report import names

    if table.empty:
        return "there is no freed coefficient"
    floors = names(f"|b| ≥ {format_floor(row['b_needed'])} for {labels[v].lower()}" for v, row in table.iterrows())
    return f"the printed p-values fix only a floor on the size of the freed coefficients, {floors}, and not their sign"
