"""Robustness of Wu (2023)'s findings: one verdict per finding from the printed numbers, and the reconstructions.

The verdicts (:func:`finding_verdicts`, by the rule the robustness chapter states) use only Table 3 read on its own
(:mod:`ridersurvey.audit.inference`) and the design's power (:mod:`ridersurvey.robustness.power`). The analyses that
need respondent-level data live in :mod:`ridersurvey.model.firth`, :mod:`ridersurvey.robustness.bootstrap` and
:mod:`ridersurvey.model.codings`; this module reads the recorded reconstructions whose range such statistics are
reported over."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ridersurvey.audit.inference import table3_from_print, wald_power
from ridersurvey.audit.verdicts import FindingVerdict
from ridersurvey.reconstruction.ensemble import exact_members as exact
from ridersurvey.reconstruction.ensemble import load_ensemble as load
from ridersurvey.reconstruction.envelope import envelope_table
from ridersurvey.robustness.power import load_power, n_for_power


def load_ensemble(path: str | Path | None = None) -> pd.DataFrame:
    """The reconstruction ensemble's summary, one row per member
    (:func:`ridersurvey.reconstruction.ensemble.load_ensemble`)."""
    return load(path)


def exact_members(summary: pd.DataFrame) -> pd.DataFrame:
    """The ensemble members that meet every attainable target at the printed precision, one per distinct data
    set (:func:`ridersurvey.reconstruction.ensemble.exact_members`): the only ones a range is taken over."""
    return exact(summary)


def ensemble_spread(summary: pd.DataFrame) -> pd.DataFrame:
    """Smallest and largest value of every statistic over a set of reconstructions.

    A set of search outputs is not a random sample of the data sets consistent with the paper, so only its
    extremes are reported: inner bounds on how far each statistic can range ("at least this wide").

    Parameters
    ----------
    summary : DataFrame
        One row per reconstruction (numeric columns; ``seed`` is ignored).

    Returns
    -------
    DataFrame
        Index ``statistic``; columns min, max and n (reconstructions with a value).
    """
    numeric = summary.drop(columns=["seed"], errors="ignore").select_dtypes("number")
    table = pd.DataFrame({"min": numeric.min(), "max": numeric.max(), "n": numeric.notna().sum()})
    table.index.name = "statistic"
    return table


def finding_verdicts(
    printed: pd.DataFrame | None = None,
    power: pd.DataFrame | None = None,
    odds_ratio: float = 2.0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One verdict per finding of the paper, from reconstruction-free evidence, by the rule the robustness chapter
    states (``chapters/robustness.md``, "Verdict rule").

    Parameters
    ----------
    printed : DataFrame, optional
        :func:`ridersurvey.audit.inference.table3_from_print`; by default that of the ledger.
    power : DataFrame, optional
        :func:`ridersurvey.robustness.power.n_for_power` of a power curve (reported beside the verdict); by default that
        of the precomputed curve (:func:`ridersurvey.robustness.power.load_power`).
    odds_ratio : float
        The odds ratio per code step an informative null must rule out, in either direction.
    alpha : float

    Returns
    -------
    DataFrame
        Per predictor (Table 3's order): b, p, significant (as printed), stands (the pair can stand), the
        odds-ratio interval's limits over the rounding box, power and power_mcse (simulated at n = 100 for
        ``odds_ratio``, every other predictor without effect), power_printed_min and power_printed_max (the Wald
        power, :func:`ridersurvey.audit.inference.wald_power`, at the ends of the SE interval the printed pair
        implies; missing where the pair cannot stand), and verdict (:class:`ridersurvey.audit.verdicts.FindingVerdict`).
    """
    printed = table3_from_print() if printed is None else printed
    power = n_for_power(load_power()[0]) if power is None else power
    out = printed[["b", "p", "ci_low_min", "ci_low_max", "ci_high_min", "ci_high_max", "clears_floor"]].copy()
    out = out.rename(columns={"clears_floor": "stands"})
    out["significant"] = out["p"] < alpha
    pw = power.xs(odds_ratio, level="odds_ratio")
    out["power"] = pw["power_at_100"].reindex(out.index)
    out["power_mcse"] = pw["mcse_at_100"].reindex(out.index)
    stands = printed["clears_floor"]
    out["power_printed_min"] = [
        wald_power(se, odds_ratio, alpha) if ok else float("nan") for se, ok in zip(printed["se_max"], stands)
    ]
    out["power_printed_max"] = [
        wald_power(se, odds_ratio, alpha) if ok else float("nan") for se, ok in zip(printed["se_min"], stands)
    ]
    verdicts = []
    for _, row in out.iterrows():
        if not row["stands"]:
            verdicts.append(FindingVerdict.UNINTERPRETABLE)
        elif row["significant"]:
            excludes = row["ci_low_min"] > 1 or row["ci_high_max"] < 1
            verdicts.append(FindingVerdict.PAIR_ATTAINABLE if excludes else FindingVerdict.BORDERLINE)
        elif row["ci_low_min"] > 1 / odds_ratio and row["ci_high_max"] < odds_ratio:
            verdicts.append(FindingVerdict.INFORMATIVE_NULL)
        else:
            verdicts.append(FindingVerdict.NULL_NOT_RULED_OUT)
    out["verdict"] = verdicts
    return out


#: The envelope's groups that describe the model; the others are correlations and cross-table cells.
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

#: The envelope's state for a statistic the printed numbers determine up to their rounding.
IMPLIED = "implied by the printed b and p"


def envelope() -> pd.DataFrame:
    """:func:`ridersurvey.reconstruction.envelope.envelope_table` of the committed envelope, ensemble and data,
    with the ranges the printed numbers alone imply.

    For a predictor whose printed (b, p) pair can stand, its Wald z and its SE follow from b and p up to their
    rounding (:func:`ridersurvey.audit.inference.table3_from_print`): ``implied_min`` and ``implied_max`` hold that
    exact range (missing for the other statistics), and ``state`` is :data:`IMPLIED` for them, else "open" or
    "narrow so far" (:func:`ridersurvey.reconstruction.envelope.envelope_table`'s ``pinned``).
    """
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
