"""The audit's checks: small pure functions from printed numbers to a graded :class:`Verdict`.

Each check takes numbers (or a small mapping of counts) and says how a published number fares against the
paper's other numbers, a source or the book's refit; :mod:`ridersurvey.audit.ledger_audit` picks the check each ledger
entry names and supplies its numbers. The verdicts are defined in :mod:`ridersurvey.audit.ledger_audit`'s docstring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ridersurvey.audit.precision import (
    agrees,
    fixed,
    format_ceiling,
    format_floor,
    format_p_floor,
    half_width,
    max_abs_z,
    p_floor,
)
from ridersurvey.audit.verdicts import VERDICTS, AuditVerdict
from ridersurvey.messages import label, text
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


class Quoted(str):
    """How a computed value was obtained when it is one printed number quoted as it stands ("Table 3 prints
    1.166 for ..."): a check then says whether it agrees, not an equation. Made by
    :func:`ridersurvey.audit.ledger_audit.evaluate`."""


@dataclass(frozen=True)
class Verdict:
    """Outcome of one check: the verdict, the number we computed (NaN if none) and a one-line reason."""

    verdict: AuditVerdict
    computed: float
    reason: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(text("checks.unknown_verdict", verdict=self.verdict, known=VERDICTS))


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
        How ``computed`` was obtained, with the numbers filled in (a :class:`Quoted` when it is one printed
        number).

    Returns
    -------
    Verdict
        consistent or discrepant; a factor of ten between the two is named as a misplaced decimal point.
    """
    quoted = isinstance(shown, Quoted)
    if agrees(published, computed, decimals):
        if quoted:
            reason = text("checks.arithmetic.same", shown=shown)
        elif math.isclose(computed, round(computed, decimals)):
            reason = f"{shown} = {fixed(computed, decimals)}"
        else:
            exact = fixed(computed, decimals + 2)
            reason = text("checks.arithmetic.rounded", shown=shown, exact=exact, printed=fixed(computed, decimals))
        return Verdict(CONSISTENT, float(computed), reason)
    got = shown if quoted else f"{shown} = {fixed(computed, max(decimals, 3))}"
    reason = text("checks.arithmetic.differs", got=got, published=fixed(published, decimals))
    if computed and abs(abs(published / computed) - 10) < 0.5:
        reason += text("checks.arithmetic.ten_times")
    elif computed and abs(abs(published / computed) - 0.1) < 0.005:
        reason += text("checks.arithmetic.a_tenth")
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
        text(f"checks.bound.{relation if ok else 'not_' + relation}", shown=shown, bound=f"{bound:g}"),
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
    word = text("checks.significance_list.below" if significant else "checks.significance_list.at_or_above")
    if named == side:
        return Verdict(
            CONSISTENT,
            float(len(named)),
            text("checks.significance_list.exact", n=len(named), side=word, alpha=f"{alpha:g}"),
        )
    wrong = sorted(labels[v] for v in named - side)
    missing = sorted(labels[v] for v in side - named)
    parts = [
        text(f"checks.significance_list.{key}", side=word, alpha=f"{alpha:g}", names=", ".join(names))
        for key, names in (("wrong", wrong), ("missing", missing))
        if names
    ]
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
            text("checks.count.by_construction", n=f"{n:g}"),
        )
    return Verdict(
        DISCREPANT,
        computed,
        text(
            "checks.count.discrepant",
            total=f"{published + sum(other_counts):g}",
            n=f"{n:g}",
            computed=f"{computed:g}",
        ),
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
            text("checks.total.consistent", what=what, items=len(sums), published=fixed(published, decimals)),
        )
    listing = ", ".join(f"{k} {v:g}" for k, v in bad.items())
    return Verdict(DISCREPANT, float(values[0]), text("checks.total.discrepant", what=what, listing=listing))


def candidate_codings(codes: Sequence[int], labels: Mapping[int, str] | None = None) -> dict[str, dict[int, int]]:
    """The stated coding and the alternatives a writer might have used by mistake.

    Returns ``{description: {code: value}}``: the stated coding (each code is its own value), the reversed
    coding and, for two categories, both 0/1 codings; each description but "stated" in the catalog's language.
    Duplicate mappings keep their first description.
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
        if name != "stated":
            name = label(name)
        if labels and name != "stated":
            by_value = sorted(mapping.items(), key=lambda kv: kv[1])
            spelled = text("checks.coding_named.separator").join(f"{labels[c]} = {v}" for c, v in by_value)
            name = text("checks.coding_named.name", coding=name, spelled=spelled)
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
    the printed SD fits the mean computed from the counts (then the printed mean is a slip: a typo, or a value
    copied from another row).
    """
    codings = candidate_codings(list(counts), labels)
    stated = moments_from_counts(counts, codings["stated"])
    if agrees(published, stated["mean"], decimals):
        return Verdict(CONSISTENT, stated["mean"], text("checks.table2_mean.consistent", mean=fixed(stated["mean"], 4)))
    fits = [
        name
        for name, mapping in codings.items()
        if name != "stated" and agrees(published, moments_from_counts(counts, mapping)["mean"], decimals)
    ]
    head = text("checks.table2_mean.head", mean=fixed(stated["mean"], decimals), published=fixed(published, decimals))
    if fits:
        return Verdict(DISCREPANT, stated["mean"], text("checks.table2_mean.fits", head=head, coding=fits[0]))
    reason = text("checks.table2_mean.no_recoding", head=head)
    codes = sorted(counts)
    if len(codes) == 2:
        v0, v1 = codes
        needed = (published - v0) / (v1 - v0) * stated["n"]
        name = labels[v1] if labels else f"code {v1}"
        reason += text(
            "checks.table2_mean.would_need",
            needed=f"{needed:.0f}",
            n=f"{stated['n']:.0f}",
            name=name,
            count=f"{counts[v1]:g}",
        )
    if published_sd is not None and agrees(published_sd, stated["sd"], sd_decimals):
        reason += text(
            "checks.table2_mean.typo", sd=fixed(published_sd, sd_decimals), mean=fixed(stated["mean"], decimals)
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
            debit_note = text(
                "checks.table2_sd.debit",
                mean=fixed(published_mean, mean_decimals),
                sd=fixed(d["expected_sd"], decimals),
            )
    if agrees(published, m["sd"], decimals):
        return Verdict(CONSISTENT, m["sd"], text("checks.table2_sd.sample", sd=fixed(m["sd"], 4), debit=debit_note))
    if agrees(published, m["sd_ddof0"], decimals):
        return Verdict(
            CONSISTENT,
            m["sd_ddof0"],
            text("checks.table2_sd.population", sd0=fixed(m["sd_ddof0"], 4), sd=fixed(m["sd"], 4), debit=debit_note),
        )
    return Verdict(
        DISCREPANT,
        m["sd"],
        text(
            "checks.table2_sd.discrepant",
            sd=fixed(m["sd"], decimals),
            sd0=fixed(m["sd_ddof0"], decimals),
            published=fixed(published, decimals),
            debit=debit_note,
        ),
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
            text(
                "checks.coding.unverifiable",
                mean=fixed(published_mean, decimals),
                label=label,
                code=f"{published_code:g}",
            ),
        )
    name, mapping = fits[0]
    implied = float(mapping[code])
    if agrees(published_code, implied, 0):
        return Verdict(
            CONSISTENT,
            implied,
            text("checks.coding.consistent", mean=fixed(published_mean, decimals), label=label, implied=f"{implied:g}"),
        )
    return Verdict(
        DISCREPANT,
        implied,
        text(
            "checks.coding.discrepant",
            mean=fixed(published_mean, decimals),
            coding=name,
            label=label,
            implied=f"{implied:g}",
            code=f"{published_code:g}",
        ),
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
            text("checks.coefficient.inconsistent_pair", floor=format_floor(p_floor_), refit=fixed(got, 4)),
        )
    if math.isnan(got):
        return Verdict(UNVERIFIABLE, got, text("checks.coefficient.no_refit"))
    if agrees(published, got, decimals):
        return Verdict(BY_CONSTRUCTION, got, text("checks.coefficient.built", refit=fixed(got, 4)))
    return Verdict(
        UNVERIFIABLE,
        got,
        text("checks.coefficient.missed", refit=fixed(got, 4)),
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

    The floor is :func:`ridersurvey.audit.precision.p_floor` (coefficient and SD at the top of their rounding
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
            text("checks.p_value.stars_follow")
            if star_ok
            else text(
                "checks.p_value.stars_wrong",
                stars=stars,
                p=fixed(published, decimals),
                expected=expected_stars(published),
            )
        )
    pair = check_p_vs_b("", printed(b, coef_decimals), printed(published, decimals), printed(sd, sd_decimals), n)
    if pair.verdict is TableVerdict.INCONSISTENT:
        z = max_abs_z(abs(b) + half_width(coef_decimals), sd + half_width(sd_decimals), n)
        return Verdict(
            INCONSISTENT_PAIR,
            floor,
            text(
                "checks.p_value.inconsistent_pair",
                b=fixed(b, coef_decimals),
                sd=fixed(sd, sd_decimals),
                z=format_ceiling(z),
                floor=format_floor(floor),
                p=fixed(published, decimals),
                star_note=star_note,
            ),
        )
    if not star_ok:
        return Verdict(
            DISCREPANT,
            float("nan") if refit_p is None else float(refit_p),
            text("checks.p_value.attainable", star_note=star_note),
        )
    if refit_p is None or math.isnan(refit_p):
        return Verdict(
            UNVERIFIABLE,
            float("nan"),
            text("checks.p_value.no_refit", floor=format_p_floor(floor), star_note=star_note),
        )
    if agrees(published, refit_p, decimals):
        return Verdict(
            BY_CONSTRUCTION,
            float(refit_p),
            text("checks.p_value.built", floor=format_p_floor(floor), refit=f"{refit_p:.4f}", star_note=star_note),
        )
    return Verdict(
        UNVERIFIABLE,
        float(refit_p),
        text("checks.p_value.missed", floor=format_p_floor(floor), refit=f"{refit_p:.4f}", star_note=star_note),
    )


# ------------------------------------------------------------------------------------------ text against tables


def check_mode_claim(
    published: float, values: Mapping[int, float], code: int, decimals: int, labels: Mapping[int, str] | None = None
) -> Verdict:
    """A number the text calls the most common answer: it must match the table and be the unique maximum."""
    computed = float(values[code])
    name = (lambda c: labels[c]) if labels else (lambda c: f"code {c}")
    if not agrees(published, computed, decimals):
        reason = text(
            "checks.mode_claim.differs", computed=f"{computed:g}", name=name(code), published=f"{published:g}"
        )
        return Verdict(DISCREPANT, computed, reason)
    top = max(values.values())
    if computed < top:
        winner = [c for c, v in values.items() if v == top]
        return Verdict(
            DISCREPANT,
            computed,
            text("checks.mode_claim.beaten", winner=name(winner[0]), top=f"{top:g}"),
        )
    ties = [c for c, v in values.items() if v == top and c != code]
    if ties:
        tied = ", ".join(f"'{name(c)}' ({values[c]:g})" for c in ties)
        return Verdict(
            DISCREPANT,
            computed,
            text("checks.mode_claim.tied", tied=tied),
        )
    return Verdict(CONSISTENT, computed, text("checks.mode_claim.unique", computed=f"{computed:g}"))


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
    follow = text("checks.outcome_definition.follows", **follows)
    if agrees(published, table2_code_willing, 0):
        return Verdict(CONSISTENT, float(table2_code_willing), text("checks.outcome_definition.agrees", follows=follow))
    return Verdict(
        DISCREPANT,
        float(table2_code_willing),
        text(
            "checks.outcome_definition.discrepant",
            published=f"{published:g}",
            willing=f"{table2_code_willing:g}",
            follows=follow,
        ),
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
        return Verdict(UNVERIFIABLE, float("nan"), text("checks.external.not_held"))
    if agrees(published, external, decimals):
        return Verdict(CORROBORATED, float(external), text("checks.external.agrees", source=source))
    return Verdict(
        UNVERIFIABLE,
        float(external),
        text("checks.external.differs", source=source, external=f"{external:g}", published=f"{published:g}"),
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
