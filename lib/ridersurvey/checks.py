"""The audit's checks: small pure functions from printed numbers to a graded :class:`Verdict`.

Each check takes numbers (or a small mapping of counts) and says how a published number fares against the
paper's other numbers, a source or the book's refit; :mod:`ridersurvey.audit` picks the check each ledger
entry names and supplies its numbers. The verdicts are defined in :mod:`ridersurvey.audit`'s docstring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ridersurvey.precision import (
    agrees,
    format_ceiling,
    format_floor,
    format_p_floor,
    half_width,
    max_abs_z,
    p_floor,
)
from ridersurvey.verdicts import VERDICTS, AuditVerdict
from tablecheck.checks import Legend, check_p_vs_b, check_stars_vs_p
from tablecheck.granularity import debit
from tablecheck.printed import printed
from tablecheck.verdicts import Verdict as TableVerdict

CONSISTENT = AuditVerdict.CONSISTENT
CORROBORATED = AuditVerdict.CORROBORATED
BY_CONSTRUCTION = AuditVerdict.BY_CONSTRUCTION
DISCREPANT = AuditVerdict.DISCREPANT
INCONSISTENT_PAIR = AuditVerdict.INCONSISTENT_PAIR
UNVERIFIABLE = AuditVerdict.UNVERIFIABLE


class Check(StrEnum):
    """Every check a ledger row can name in its ``check`` column; :data:`ridersurvey.audit.REGISTRY` declares
    each one's function, what it reads and whether it tests an identity."""

    ARITHMETIC = "arithmetic"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    TOTAL = "total"
    COUNT = "count"
    TABLE2_MEAN = "table2_mean"
    TABLE2_SD = "table2_sd"
    CODING = "coding"
    COEFFICIENT = "coefficient"
    P_VALUE = "p_value"
    MODE_CLAIM = "mode_claim"
    TABLE3_ROWS = "table3_rows"
    OUTCOME_DEFINITION = "outcome_definition"
    EXTERNAL = "external"
    CLAIM = "claim"
    SIGNIFICANCE_LIST = "significance_list"


@dataclass(frozen=True)
class Verdict:
    """Outcome of one check: the verdict, the number we computed (NaN if none) and a one-line reason."""

    verdict: AuditVerdict
    computed: float
    reason: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {VERDICTS}")


def _fmt(x: float | None, decimals: int = 3) -> str:
    """A number for a reason string: fixed decimals, typographic minus."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{decimals}f}".replace("-", "\u2212")


# ------------------------------------------------------------------------------------- identities


def check_arithmetic(published: float, computed: float, decimals: int, shown: str) -> Verdict:
    """A printed number against the same quantity computed from other printed numbers.

    Parameters
    ----------
    published : float
        The printed value.
    computed : float
        The value of ``shown``.
    decimals : int
        Decimals printed.
    shown : str
        How ``computed`` was obtained, with the numbers filled in.

    Returns
    -------
    Verdict
        consistent or discrepant; a factor of ten between the two is named as a misplaced decimal point.
    """
    quoted = " prints " in shown
    if agrees(published, computed, decimals):
        return Verdict(
            CONSISTENT, float(computed), f"{shown}, the same" if quoted else f"{shown} = {_fmt(computed, decimals)}"
        )
    got = shown if quoted else f"{shown} = {_fmt(computed, max(decimals, 3))}"
    reason = f"{got}, but here the paper prints {_fmt(published, decimals)}"
    if computed and abs(abs(published / computed) - 10) < 0.5:
        reason += "; a misplaced decimal point makes the printed number ten times the other"
    elif computed and abs(abs(published / computed) - 0.1) < 0.005:
        reason += "; a misplaced decimal point makes the printed number a tenth of the other"
    return Verdict(DISCREPANT, float(computed), reason)


def check_more_than(bound: float, computed: float, shown: str) -> Verdict:
    """A claim that a share exceeds ``bound`` (超过5成 = more than 50%), against the table's share.

    Parameters
    ----------
    bound : float
    computed : float
    shown : str
        Where ``computed`` comes from.

    Returns
    -------
    Verdict
    """
    return _check_bound(bound, computed, shown, "more", computed > bound)


def check_less_than(bound: float, computed: float, shown: str) -> Verdict:
    """A claim that a share is below ``bound`` (占小部分, a small part = less than half): as :func:`check_more_than`."""
    return _check_bound(bound, computed, shown, "less", computed < bound)


def _check_bound(bound: float, computed: float, shown: str, relation: str, ok: bool) -> Verdict:
    return Verdict(
        CONSISTENT if ok else DISCREPANT,
        float(computed),
        f"{shown}, {relation if ok else 'not ' + relation} than {bound:g}",
    )


def check_significance_list(
    listed: Sequence[str], printed_p: dict[str, float], significant: bool, labels: dict[str, str], alpha: float = 0.05
) -> Verdict:
    """A list of factors the text calls significant (or not), against Table 3's printed p-values.

    Parameters
    ----------
    listed : sequence of str
        The variables the text names.
    printed_p : dict
        Table 3's printed p-value of every predictor.
    significant : bool
        Whether the text calls them significant (p below ``alpha``) or not.
    labels : dict
        English labels, for the reason.
    alpha : float
        The level Table 3's note sets for one star.

    Returns
    -------
    Verdict
        consistent when the named factors are exactly those on that side of ``alpha``; discrepant otherwise.
    """
    side = {v for v, p in printed_p.items() if (p < alpha) == significant}
    named = set(listed)
    word = "below" if significant else "at or above"
    if named == side:
        return Verdict(
            CONSISTENT,
            float(len(named)),
            f"exactly the {len(named)} predictors whose printed p is {word} {alpha:g} in Table 3",
        )
    wrong = sorted(labels[v] for v in named - side)
    missing = sorted(labels[v] for v in side - named)
    parts = ([f"named but not {word} {alpha:g}: {', '.join(wrong)}"] if wrong else []) + (
        [f"{word} {alpha:g} but not named: {', '.join(missing)}"] if missing else []
    )
    return Verdict(DISCREPANT, float(len(named)), "; ".join(parts))


def check_count(published: float, other_counts: Sequence[float], n: float) -> Verdict:
    """A Table 1 count: its item's counts must sum to n; the reconstructed data hold it by construction.

    Parameters
    ----------
    published : float
    other_counts : sequence of float
        The item's other counts.
    n : float

    Returns
    -------
    Verdict
        matched-by-construction when the counts sum to n, else discrepant.
    """
    computed = float(n - sum(other_counts))
    if agrees(published, computed, 0):
        return Verdict(
            BY_CONSTRUCTION,
            computed,
            f"the reconstructed data have this count by construction (the identity that the item's counts sum to "
            f"n = {n:g} holds as well)",
        )
    return Verdict(
        DISCREPANT,
        computed,
        f"the item's counts sum to {published + sum(other_counts):g}, not n = {n:g}; n minus the other counts "
        f"is {computed:g}",
    )


def check_total(published: float, sums: Mapping[str, float], decimals: int, what: str) -> Verdict:
    """A printed total against the sums of every item's printed ``what`` (counts or percentages).

    Parameters
    ----------
    published : float
    sums : mapping
        Item to its sum.
    decimals : int
    what : str

    Returns
    -------
    Verdict
    """
    values = list(sums.values())
    bad = {k: v for k, v in sums.items() if not agrees(published, v, decimals)}
    if not bad:
        return Verdict(
            CONSISTENT,
            float(values[0]),
            f"the {what} of each of the {len(sums)} items sum to {_fmt(published, decimals)}",
        )
    listing = ", ".join(f"{k} {v:g}" for k, v in bad.items())
    return Verdict(DISCREPANT, float(values[0]), f"the {what} do not sum to the printed total for: {listing}")


def candidate_codings(codes: Sequence[int], labels: Mapping[int, str] | None = None) -> dict[str, dict[int, int]]:
    """The stated coding and the alternatives a writer might have used by mistake.

    Returns ``{description: {code: value}}``: the stated coding (each code is its own value), the reversed
    coding and, for two categories, both 0/1 codings. Duplicate mappings keep their first description.
    """
    codes = sorted(int(c) for c in codes)
    lo, hi = codes[0], codes[-1]
    raw = {"stated": {c: c for c in codes}, "reversed coding": {c: lo + hi - c for c in codes}}
    if len(codes) == 2:
        raw["0/1 coding"] = {codes[0]: 0, codes[1]: 1}
        raw["0/1 coding, first category = 1"] = {codes[0]: 1, codes[1]: 0}
    out: dict[str, dict[int, int]] = {}
    seen = set()
    for name, mapping in raw.items():
        key = tuple(mapping[c] for c in codes)
        if key in seen:
            continue
        seen.add(key)
        if labels and name != "stated":
            spelled = ", ".join(f"{labels[c]} = {v}" for c, v in sorted(mapping.items(), key=lambda kv: kv[1]))
            name = f"{name} ({spelled})"
        out[name] = mapping
    return out


def moments_from_counts(counts: Mapping[int, float], coding: Mapping[int, float] | None = None) -> dict[str, float]:
    """Mean and standard deviations (ddof = 1 and ddof = 0) of a coded variable from its category counts."""
    coding = coding or {c: c for c in counts}
    n = float(sum(counts.values()))
    values = np.array([coding[c] for c in counts], dtype=float)
    weights = np.array(list(counts.values()), dtype=float)
    mean = float(weights @ values / n)
    ss = float(weights @ (values - mean) ** 2)
    return {"n": n, "mean": mean, "sd": math.sqrt(ss / (n - 1)), "sd_ddof0": math.sqrt(ss / n)}


def check_table2_mean(
    published: float,
    counts: Mapping[int, float],
    decimals: int = 2,
    labels: Mapping[int, str] | None = None,
    published_sd: float | None = None,
    sd_decimals: int = 3,
) -> Verdict:
    """A Table 2 mean against Table 1's counts under the stated coding; if it disagrees, name a coding that fits.

    When no coding fits, says how many respondents the printed mean would need (two categories) and whether
    the printed SD fits the mean computed from the counts (then the printed mean is most likely a typo).
    """
    codings = candidate_codings(list(counts), labels)
    stated = moments_from_counts(counts, codings["stated"])
    if agrees(published, stated["mean"], decimals):
        return Verdict(
            CONSISTENT, stated["mean"], f"Σ code × count / n = {_fmt(stated['mean'], 4)} under Table 2's coding"
        )
    fits = [
        name
        for name, mapping in codings.items()
        if name != "stated" and agrees(published, moments_from_counts(counts, mapping)["mean"], decimals)
    ]
    head = f"the counts give {_fmt(stated['mean'], decimals)} under the stated coding, not {_fmt(published, decimals)}"
    if fits:
        return Verdict(DISCREPANT, stated["mean"], f"{head}; the printed value fits the {fits[0]}")
    reason = f"{head}, and no recoding (reversed, 0/1) of the counts gives it"
    codes = sorted(counts)
    if len(codes) == 2:
        v0, v1 = codes
        needed = (published - v0) / (v1 - v0) * stated["n"]
        name = labels[v1] if labels else f"code {v1}"
        reason += f"; it would need {needed:.0f} of {stated['n']:.0f} in '{name}' instead of {counts[v1]:g}"
    if published_sd is not None and agrees(published_sd, stated["sd"], sd_decimals):
        reason += (
            f"; the printed SD {_fmt(published_sd, sd_decimals)} fits the mean "
            f"{_fmt(stated['mean'], decimals)}, so the printed mean is most likely a typo"
        )
    return Verdict(DISCREPANT, stated["mean"], reason)


def check_table2_sd(
    published: float,
    counts: Mapping[int, float],
    decimals: int = 3,
    published_mean: float | None = None,
    mean_decimals: int = 2,
) -> Verdict:
    """A Table 2 SD against Table 1's counts (sample SD, ddof = 1; the population SD is named if it is the fit).

    The SD does not depend on reversing or shifting a coding, so alternatives cannot explain a mismatch.
    For two-category variables with a printed mean, the DEBIT consistency of the printed pair is appended.
    """
    m = moments_from_counts(counts)
    codes = sorted(counts)
    debit_note = ""
    if len(codes) == 2 and published_mean is not None:
        d = debit(published_mean, published, _n_of(counts), mean_decimals, decimals, low_code=codes[0])
        if not d["consistent"]:
            debit_note = (
                f"; DEBIT: a two-category variable with the printed mean {_fmt(published_mean, mean_decimals)} "
                f"has SD {_fmt(d['expected_sd'], decimals)}, so the printed mean and SD cannot both be right"
            )
    if agrees(published, m["sd"], decimals):
        return Verdict(CONSISTENT, m["sd"], f"sample SD (ddof = 1) from the counts = {_fmt(m['sd'], 4)}{debit_note}")
    if agrees(published, m["sd_ddof0"], decimals):
        return Verdict(
            CONSISTENT,
            m["sd_ddof0"],
            f"fits the population SD (ddof = 0) {_fmt(m['sd_ddof0'], 4)}, not the sample SD "
            f"{_fmt(m['sd'], 4)}{debit_note}",
        )
    return Verdict(
        DISCREPANT,
        m["sd"],
        f"the counts give SD {_fmt(m['sd'], decimals)} (ddof = 1) or {_fmt(m['sd_ddof0'], decimals)} "
        f"(ddof = 0), not {_fmt(published, decimals)}; recoding cannot change an SD{debit_note}",
    )


def _n_of(counts: Mapping[int, float]) -> int:
    """Number of respondents behind a mapping of category counts."""
    return int(round(sum(counts.values())))


def check_coding(
    published_code: float,
    code: int,
    counts: Mapping[int, float],
    published_mean: float,
    decimals: int = 2,
    labels: Mapping[int, str] | None = None,
) -> Verdict:
    """A printed code ('label = code') against the coding that Table 2's printed mean implies for Table 1's counts."""
    codings = candidate_codings(list(counts), labels)
    fits = [
        (name, mapping)
        for name, mapping in codings.items()
        if agrees(published_mean, moments_from_counts(counts, mapping)["mean"], decimals)
    ]
    label = labels[code] if labels else f"code {code}"
    if not fits:
        return Verdict(
            UNVERIFIABLE,
            float("nan"),
            f"the printed mean {_fmt(published_mean, decimals)} fits no coding of Table 1's counts, "
            f"so it can neither confirm nor refute '{label} = {published_code:g}'",
        )
    name, mapping = fits[0]
    implied = float(mapping[code])
    if agrees(published_code, implied, 0):
        return Verdict(
            CONSISTENT,
            implied,
            f"the printed mean {_fmt(published_mean, decimals)} is what '{label} = {implied:g}' gives",
        )
    return Verdict(
        DISCREPANT,
        implied,
        f"the printed mean {_fmt(published_mean, decimals)} implies the {name}, i.e. '{label} = "
        f"{implied:g}', not the printed '{label} = {published_code:g}'",
    )


# ------------------------------------------------------------------------------------------------ Table 3


#: Table 3's note: * p < .05, ** p < .01 (*** p < .001).
TABLE3_LEGEND = Legend((0.05, 0.01, 0.001))


def expected_stars(p: float) -> int:
    """Stars by Table 3's note (:data:`TABLE3_LEGEND`) for a p-value taken as exact."""
    return TABLE3_LEGEND.stars(p)


def check_coefficient(
    published: float, refit: float | None, decimals: int = 3, pair_attainable: bool = True, p_floor_: float = math.nan
) -> Verdict:
    """A Table 3 coefficient: a target of the reconstruction, unless its pair with the p-value cannot stand.

    Parameters
    ----------
    published : float
    refit : float or None
        The coefficient refitted on the book's data.
    decimals : int
    pair_attainable : bool
        Whether the printed p-value of the same row can stand beside this coefficient.
    p_floor_ : float
        The smallest p the printed coefficient allows (for the reason).

    Returns
    -------
    Verdict
        matched-by-construction (refit agrees), unverifiable (the reconstruction missed it) or
        inconsistent-pair.
    """
    got = float("nan") if refit is None else float(refit)
    if not pair_attainable:
        return Verdict(
            INCONSISTENT_PAIR,
            got,
            f"with this coefficient no data set gives a p below {format_floor(p_floor_)} (model-based Wald or LR "
            "test), so it cannot stand beside the printed p-value"
            f" (the reconstruction can match the coefficient alone: {_fmt(got, 4)})",
        )
    if math.isnan(got):
        return Verdict(UNVERIFIABLE, got, "no refit is available; nothing published checks a coefficient")
    if agrees(published, got, decimals):
        return Verdict(BY_CONSTRUCTION, got, f"the reconstruction was built to give it; the refit gives {_fmt(got, 4)}")
    return Verdict(
        UNVERIFIABLE,
        got,
        f"the refit gives {_fmt(got, 4)}: the reconstruction missed this target; nothing published checks it",
    )


def check_p_value(
    published: float,
    b: float,
    sd: float,
    n: int,
    decimals: int = 3,
    stars: int | None = None,
    refit_p: float | None = None,
    coef_decimals: int = 3,
    sd_decimals: int = 3,
) -> Verdict:
    """A Table 3 p-value: an inconsistent pair if below the floor its coefficient allows, else a target.

    The floor is :func:`ridersurvey.precision.p_floor` (coefficient and SD at the top of their rounding
    intervals); stars are checked against the table's note.

    Parameters
    ----------
    published : float
    b, sd : float
        The printed coefficient and the printed SD of the predictor.
    n : int
    decimals : int
    stars : int, optional
        Stars printed beside the p-value.
    refit_p : float, optional
        The p-value refitted on the book's data.
    coef_decimals, sd_decimals : int

    Returns
    -------
    Verdict
    """
    floor = p_floor(b, sd, n, coef_decimals, sd_decimals)
    star_note, star_ok = "", True
    if stars is not None:
        shown = printed(published, decimals).clipped(0.0, 1.0)
        star_ok = check_stars_vs_p("", stars, shown, TABLE3_LEGEND).verdict is TableVerdict.CONSISTENT
        star_note = (
            "; its stars follow the note"
            if star_ok
            else f"; {stars} star(s) printed but p = {_fmt(published, decimals)} earns {expected_stars(published)}"
        )
    pair = check_p_vs_b("", printed(b, coef_decimals), printed(published, decimals), printed(sd, sd_decimals), n)
    if pair.verdict is TableVerdict.INCONSISTENT:
        z = max_abs_z(abs(b) + half_width(coef_decimals), sd + half_width(sd_decimals), n)
        return Verdict(
            INCONSISTENT_PAIR,
            floor,
            f"with b = {_fmt(b, coef_decimals)} and SD {_fmt(sd, sd_decimals)}, |z| ≤ {format_ceiling(z)} and "
            f"p ≥ {format_floor(floor)} for any data (model-based Wald or LR test); the printed "
            f"{_fmt(published, decimals)} cannot stand beside this b{star_note}",
        )
    if not star_ok:
        return Verdict(DISCREPANT, float("nan") if refit_p is None else float(refit_p), f"attainable{star_note}")
    if refit_p is None or math.isnan(refit_p):
        return Verdict(
            UNVERIFIABLE,
            float("nan"),
            f"attainable (floor {format_p_floor(floor)}) but no refit is available{star_note}",
        )
    if agrees(published, refit_p, decimals):
        return Verdict(
            BY_CONSTRUCTION,
            float(refit_p),
            f"attainable (floor {format_p_floor(floor)}); the reconstruction was built to give it and the refit gives "
            f"{refit_p:.4f}{star_note}",
        )
    return Verdict(
        UNVERIFIABLE,
        float(refit_p),
        f"attainable (floor {format_p_floor(floor)}); the refit gives {refit_p:.4f}: the reconstruction missed "
        f"it{star_note}",
    )


# ------------------------------------------------------------------------------------------ text against tables


def check_mode_claim(
    published: float, values: Mapping[int, float], code: int, decimals: int, labels: Mapping[int, str] | None = None
) -> Verdict:
    """A number the text calls the most common answer: it must match the table and be the unique maximum."""
    computed = float(values[code])
    name = (lambda c: labels[c]) if labels else (lambda c: f"code {c}")
    if not agrees(published, computed, decimals):
        return Verdict(DISCREPANT, computed, f"the table gives {computed:g} for '{name(code)}', not {published:g}")
    top = max(values.values())
    if computed < top:
        winner = [c for c, v in values.items() if v == top]
        return Verdict(
            DISCREPANT,
            computed,
            f"the number matches, but '{name(winner[0])}' ({top:g}) is more "
            f"common, so the claim 'most common' is wrong",
        )
    ties = [c for c, v in values.items() if v == top and c != code]
    if ties:
        tied = ", ".join(f"'{name(c)}' ({values[c]:g})" for c in ties)
        return Verdict(
            DISCREPANT,
            computed,
            f"the number matches the table, but it ties with {tied}: a joint, not the single, most common answer",
        )
    return Verdict(CONSISTENT, computed, f"matches the table and is the unique most common answer ({computed:g})")


def check_outcome_definition(published: float, table2_code_willing: float, follows: Mapping[str, int]) -> Verdict:
    """The model section's code for a willing rider against Table 2's, with what the readings follow.

    Parameters
    ----------
    published : float
        The model section's value of Z for a willing rider.
    table2_code_willing : float
        Table 2's code for 有意愿.
    follows : mapping
        ``{"table2": k, "model": m, "readings": r}``: how many of the r readings follow each coding.

    Returns
    -------
    Verdict
    """
    follow = (
        f"{follows['table2']} of the paper's {follows['readings']} readings of Table 3 follow Table 2's coding and "
        f"{follows['model']} the model section's"
    )
    if agrees(published, table2_code_willing, 0):
        return Verdict(CONSISTENT, float(table2_code_willing), f"agrees with Table 2; {follow}")
    return Verdict(
        DISCREPANT,
        float(table2_code_willing),
        f"the model section sets Z = {published:g} for a willing rider, Table 2 codes willing = "
        f"{table2_code_willing:g} (not willing = 1); {follow}",
    )


# --------------------------------------------------------------------------------- external and claims


def check_external(published: float, external: float | None, decimals: int, source: str = "") -> Verdict:
    """A figure from another report, against that report's value as we hold it.

    Parameters
    ----------
    published : float
    external : float or None
        The value from the external source (``data/published/external_checks.csv``).
    decimals : int
    source : str
        The source, named in the reason.

    Returns
    -------
    Verdict
        corroborated or unverifiable.
    """
    if external is None or math.isnan(external):
        return Verdict(UNVERIFIABLE, float("nan"), "comes from an external report that the book does not hold")
    if agrees(published, external, decimals):
        return Verdict(CORROBORATED, float(external), f"agrees with {source}")
    return Verdict(
        UNVERIFIABLE, float(external), f"{source} gives {external:g}, not {published:g}; the survey cannot settle it"
    )


def check_claim(note: str) -> Verdict:
    """A claim the paper makes without a statistic that could check it.

    Parameters
    ----------
    note : str
        What is missing.

    Returns
    -------
    Verdict
        Always unverifiable.
    """
    return Verdict(UNVERIFIABLE, float("nan"), note)
