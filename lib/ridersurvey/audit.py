"""The reproduction audit: a verdict on every number Wu (2023) publishes.

Each check is a small pure function that takes numbers (or a small mapping of counts) and returns a
:class:`Verdict`. :func:`run_audit` applies the right check to every entry of the published-numbers ledger.
Checks against the survey data compute from whatever the coded analysis file holds; in this book those are
reconstructed responses consistent with the published tables, not the survey's original answers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ridersurvey.paths import DATA_DIR
from ridersurvey.precision import agrees, half_width, max_abs_z, p_floor
from ridersurvey.published import load_ledger

VERDICTS = ("reproduced", "discrepant", "impossible", "unverifiable")
AUDIT_COLUMNS = ["id", "location", "quantity", "published", "printed", "computed", "verdict", "reason", "check"]

#: The paper's verbal readings of Table 3 (Section 7.2): variable, the reading, and the direction it asserts
#: for a higher code on *willingness* (+1 more willing, -1 less willing).
PAPER_READINGS: tuple[tuple[str, str, int], ...] = (
    ("gender", "women (code 2) are less willing", -1),
    ("education", "more educated riders are more willing", +1),
)


@dataclass(frozen=True)
class Verdict:
    """Outcome of one check: the verdict, the number we computed (NaN if none), a one-line reason."""

    verdict: str
    computed: float
    reason: str
    check: str

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {VERDICTS}")


def _fmt(x: float, decimals: int = 3) -> str:
    """A number for a reason string: fixed decimals, minus sign as printed by Python."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{decimals}f}"


# ---------------------------------------------------------------------------------------------- arithmetic


def check_arithmetic(published: float, computed: float, decimals: int, expression: str) -> Verdict:
    """Compare a published number with one computed from other published numbers (``expression`` says how)."""
    ok = agrees(published, computed, decimals)
    verb = "agrees with" if ok else "differs from"
    return Verdict(
        "reproduced" if ok else "discrepant",
        float(computed),
        f"{expression} = {_fmt(computed, decimals)}, which {verb} the printed {_fmt(published, decimals)}",
        "check_arithmetic",
    )


def check_percent(published: float, count: float, n: float, decimals: int) -> Verdict:
    """A printed percentage against 100 × count / n, at the printed decimals."""
    computed = 100.0 * count / n
    ok = agrees(published, computed, decimals)
    return Verdict(
        "reproduced" if ok else "discrepant",
        computed,
        f"100 × {count:g} / {n:g} = {computed:.4g}%, which {'rounds' if ok else 'does not round'} "
        f"to the printed {_fmt(published, decimals)}",
        "check_percent",
    )


def check_count(published: float, other_counts: Sequence[float], n: float) -> Verdict:
    """A category count against n minus the variable's other counts (the counts must sum to n)."""
    computed = float(n - sum(other_counts))
    ok = agrees(published, computed, 0)
    if ok:
        reason = f"the variable's counts sum to n = {n:g}"
    else:
        reason = (
            f"the variable's counts sum to {published + sum(other_counts):g}, not n = {n:g}; "
            f"n minus the other counts gives {computed:g}"
        )
    return Verdict("reproduced" if ok else "discrepant", computed, reason, "check_count")


def check_total(published: float, sums: Mapping[str, float], decimals: int, what: str) -> Verdict:
    """A printed total against the sums of every variable's printed ``what`` (counts or percentages)."""
    values = list(sums.values())
    computed = float(values[0])
    bad = {k: v for k, v in sums.items() if not agrees(published, v, decimals)}
    if not bad:
        return Verdict(
            "reproduced",
            computed,
            f"the {what} of each of the {len(sums)} variables sum to {_fmt(published, decimals)}",
            "check_total",
        )
    listing = ", ".join(f"{k} {v:g}" for k, v in bad.items())
    return Verdict("discrepant", computed, f"the {what} do not sum to the printed total for: {listing}", "check_total")


# ------------------------------------------------------------------------------------- Table 2 from Table 1


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
            "reproduced",
            stated["mean"],
            f"Σ code × count / n = {_fmt(stated['mean'], 4)} under Table 2's coding",
            "check_table2_mean",
        )
    fits = [
        name
        for name, mapping in codings.items()
        if name != "stated" and agrees(published, moments_from_counts(counts, mapping)["mean"], decimals)
    ]
    head = f"the counts give {_fmt(stated['mean'], decimals)} under the stated coding, not {_fmt(published, decimals)}"
    if fits:
        return Verdict(
            "discrepant", stated["mean"], f"{head}; the printed value fits the {fits[0]}", "check_table2_mean"
        )
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
    return Verdict("discrepant", stated["mean"], reason, "check_table2_mean")


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
        return Verdict(
            "reproduced",
            m["sd"],
            f"sample SD (ddof = 1) from the counts = {_fmt(m['sd'], 4)}{debit_note}",
            "check_table2_sd",
        )
    if agrees(published, m["sd_ddof0"], decimals):
        return Verdict(
            "reproduced",
            m["sd_ddof0"],
            f"fits the population SD (ddof = 0) {_fmt(m['sd_ddof0'], 4)}, not the sample SD "
            f"{_fmt(m['sd'], 4)}{debit_note}",
            "check_table2_sd",
        )
    return Verdict(
        "discrepant",
        m["sd"],
        f"the counts give SD {_fmt(m['sd'], decimals)} (ddof = 1) or {_fmt(m['sd_ddof0'], decimals)} "
        f"(ddof = 0), not {_fmt(published, decimals)}; recoding cannot change an SD{debit_note}",
        "check_table2_sd",
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
            "unverifiable",
            float("nan"),
            f"the printed mean {_fmt(published_mean, decimals)} fits no coding of Table 1's counts, "
            f"so it can neither confirm nor refute '{label} = {published_code:g}'",
            "check_coding",
        )
    name, mapping = fits[0]
    implied = float(mapping[code])
    if agrees(published_code, implied, 0):
        return Verdict(
            "reproduced",
            implied,
            f"the printed mean {_fmt(published_mean, decimals)} is what '{label} = {implied:g}' gives",
            "check_coding",
        )
    return Verdict(
        "discrepant",
        implied,
        f"the printed mean {_fmt(published_mean, decimals)} implies the {name}, i.e. '{label} = "
        f"{implied:g}', not the printed '{label} = {published_code:g}'",
        "check_coding",
    )


# -------------------------------------------------------------------------------------------- granularity


def grim(mean: float, n: int, decimals: int = 2) -> dict:
    """GRIM test: is a mean of ``n`` integers able to round to ``mean``? (Brown & Heathers 2017)

    Returns ``consistent``, the integer totals that round to the mean, and ``informative``: with
    ``n >= 10**decimals`` every printed mean is attainable and the test cannot fail.
    """
    half = 0.5 * 10.0 ** (-decimals)
    lo = math.ceil((mean - half) * n - 1e-9)
    hi = math.floor((mean + half) * n + 1e-9)
    totals = list(range(lo, hi + 1))
    return {"consistent": bool(totals), "totals": totals, "informative": n < 10**decimals}


@lru_cache(maxsize=64)
def attainable_sums_of_squares(n: int, lo: int, hi: int, total: int) -> frozenset[int]:
    """Every Σx² attainable by ``n`` integers in ``[lo, hi]`` summing to ``total`` (exhaustive over counts).

    Enumerates the category counts of all but the two highest scale points; the last two are then fixed by
    the number of respondents and the total. Exact for scales of up to six points at n in the hundreds.
    """
    values = list(range(lo, hi + 1))
    k = len(values)
    if k == 1:
        return frozenset({n * lo * lo}) if total == n * lo else frozenset()
    free = values[:-2]
    found: set[int] = set()
    a, b = values[-2], values[-1]
    if free:
        grids = np.stack(np.meshgrid(*[np.arange(n + 1)] * len(free), indexing="ij"), -1).reshape(-1, len(free))
        grids = grids[grids.sum(axis=1) <= n]
    else:
        grids = np.zeros((1, 0), dtype=int)
    fv = np.array(free, dtype=np.int64)
    rest_n = n - grids.sum(axis=1)
    rest_t = total - grids @ fv
    cb = rest_t - a * rest_n  # b - a == 1
    ca = rest_n - cb
    ok = (cb >= 0) & (ca >= 0)
    q = grids[ok] @ (fv**2) + ca[ok] * a * a + cb[ok] * b * b
    found.update(int(x) for x in np.unique(q))
    return frozenset(found)


def grimmer(
    mean: float, sd: float, n: int, lo: int, hi: int, mean_decimals: int = 2, sd_decimals: int = 3, window: float = 0.05
) -> dict:
    """GRIMMER-style check: can integer data on ``[lo, hi]`` with this mean have an SD that rounds to ``sd``?

    Exhaustive over category counts (a complete SPRITE search; Heathers et al. 2018). ``share`` is the
    fraction of SDs printable at ``sd_decimals`` within ``window`` of ``sd`` that some such data set attains:
    near 1 the test cannot catch an error, near 0 it almost always would.
    """
    half = 0.5 * 10.0 ** (-sd_decimals)
    step = 10.0 ** (-sd_decimals)
    attainable: set[float] = set()
    for total in grim(mean, n, mean_decimals)["totals"]:
        if not lo * n <= total <= hi * n:
            continue
        qs = np.array(sorted(attainable_sums_of_squares(n, lo, hi, total)), dtype=float)
        sds = np.sqrt(np.maximum(qs - total**2 / n, 0.0) / (n - 1))
        attainable.update(np.round(sds, sd_decimals).tolist())
        attainable.update(np.round(sds + half * 1e-9, sd_decimals).tolist())
    k = int(round(window / step))
    grid = {round(sd + i * step, sd_decimals) for i in range(-k, k + 1) if sd + i * step >= 0}
    consistent = round(sd, sd_decimals) in attainable
    return {"consistent": bool(consistent), "share": len(grid & attainable) / len(grid)}


def debit(mean: float, sd: float, n: int, mean_decimals: int = 2, sd_decimals: int = 3, low_code: int = 0) -> dict:
    """DEBIT: the SD of a two-category variable is fixed by its mean, sd = sqrt(p(1-p)·n/(n-1)).

    ``low_code`` is the value of the lower category (0 for 0/1 coding, 1 for 1/2 coding). Accounts for the
    rounding of both the mean and the SD; returns ``consistent`` and the ``expected_sd`` at the printed mean.
    """
    half_m = 0.5 * 10.0 ** (-mean_decimals)
    half_s = 0.5 * 10.0 ** (-sd_decimals)

    def sd_of(p: float) -> float:
        return math.sqrt(max(p * (1 - p), 0.0) * n / (n - 1))

    p_lo = min(max(mean - half_m - low_code, 0.0), 1.0)
    p_hi = min(max(mean + half_m - low_code, 0.0), 1.0)
    candidates = [sd_of(p_lo), sd_of(p_hi)] + ([sd_of(0.5)] if p_lo <= 0.5 <= p_hi else [])
    lo_sd, hi_sd = min(candidates), max(candidates)
    consistent = hi_sd >= sd - half_s - 1e-12 and lo_sd <= sd + half_s + 1e-12
    return {"consistent": bool(consistent), "expected_sd": sd_of(mean - low_code)}


def granularity_audit(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """GRIM, GRIMMER-style and (two-category variables) DEBIT results for every Table 2 mean/SD pair."""
    from ridersurvey.published import table1_counts, table2

    ledger = load_ledger() if ledger is None else ledger
    counts = table1_counts(ledger)
    t2 = table2(ledger)
    n = int(ledger.loc["t1.total.count", "value"])
    rows = []
    for var in t2.index:
        mean, sd = float(t2.loc[var, "mean"]), float(t2.loc[var, "sd"])
        codes = sorted(counts[var])
        g = grim(mean, n, 2)
        gm = grimmer(mean, sd, n, codes[0], codes[-1], 2, 3)
        row = {
            "variable": var,
            "mean": mean,
            "sd": sd,
            "grim": g["consistent"],
            "grim_informative": g["informative"],
            "grimmer": gm["consistent"],
            "grimmer_share": gm["share"],
            "debit": None,
            "debit_sd": float("nan"),
        }
        if len(codes) == 2:
            d = debit(mean, sd, n, 2, 3, low_code=codes[0])
            row.update(debit=d["consistent"], debit_sd=d["expected_sd"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("variable")


# ------------------------------------------------------------------------------------------------ Table 3


def expected_stars(p: float) -> int:
    """Stars by Table 3's note: * p < .05, ** p < .01."""
    return 2 if p < 0.01 else 1 if p < 0.05 else 0


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
    """A Table 3 p-value: impossible if below the floor that the coefficient and the predictor's SD allow.

    The floor is taken conservatively (coefficient and SD at the top of their rounding intervals). A p-value
    above the floor is compared with the refit's at the printed decimals; stars are checked against the note.
    """
    b_top = abs(b) + half_width(coef_decimals)
    sd_top = sd + half_width(sd_decimals)
    floor = p_floor(b, sd, n, coef_decimals, sd_decimals)
    star_note = ""
    star_ok = True
    if stars is not None:
        star_ok = stars == expected_stars(published)
        star_note = (
            "; stars agree with the note"
            if star_ok
            else (f"; {stars} star(s) printed but p = {_fmt(published, decimals)} earns {expected_stars(published)}")
        )
    published_top = published + half_width(decimals)
    if published_top < floor:
        return Verdict(
            "impossible",
            floor,
            f"with b = {_fmt(b, coef_decimals)} and SD {_fmt(sd, sd_decimals)}, |z| ≤ "
            f"{max_abs_z(b_top, sd_top, n):.3f}, so p ≥ {floor:.3f} for any data; the printed "
            f"{_fmt(published, decimals)} is impossible{star_note}",
            "check_p_value",
        )
    if refit_p is None or math.isnan(refit_p):
        return Verdict(
            "unverifiable",
            float("nan"),
            f"possible (floor {floor:.3g}) but no refit is available to compare{star_note}",
            "check_p_value",
        )
    ok = agrees(published, refit_p, decimals) and star_ok
    return Verdict(
        "reproduced" if ok else "discrepant",
        float(refit_p),
        f"refit p = {refit_p:.4f} {'matches' if agrees(published, refit_p, decimals) else 'differs from'} "
        f"the printed {_fmt(published, decimals)} (floor {floor:.3g}){star_note}",
        "check_p_value",
    )


def check_coefficient(published: float, refit: float | None, decimals: int = 3) -> Verdict:
    """A Table 3 coefficient against the refit on the data, at the printed decimals."""
    if refit is None or math.isnan(refit):
        return Verdict("unverifiable", float("nan"), "no refit is available to compare", "check_coefficient")
    ok = agrees(published, refit, decimals)
    return Verdict(
        "reproduced" if ok else "discrepant",
        float(refit),
        f"refit on the data gives {refit:.4f}, which {'rounds' if ok else 'does not round'} to the "
        f"printed {_fmt(published, decimals)}",
        "check_coefficient",
    )


# ------------------------------------------------------------------------------------------ prose vs tables


def check_prose_number(published: float, table_value: float, decimals: int, counterpart: str) -> Verdict:
    """A number quoted in the text against its table counterpart, at the text's decimals."""
    ok = agrees(published, table_value, decimals)
    if ok:
        return Verdict(
            "reproduced", float(table_value), f"matches {counterpart} ({table_value:g})", "check_prose_number"
        )
    reason = f"the text says {published:g} but {counterpart} prints {table_value:g}"
    if table_value and abs(abs(published / table_value) - 10) < 0.5:
        reason += "; a misplaced decimal point makes the text's number ten times the table's"
    elif table_value and abs(abs(published / table_value) - 0.1) < 0.005:
        reason += "; a misplaced decimal point makes the text's number a tenth of the table's"
    return Verdict("discrepant", float(table_value), reason, "check_prose_number")


def check_mode_claim(
    published: float, values: Mapping[int, float], code: int, decimals: int, labels: Mapping[int, str] | None = None
) -> Verdict:
    """A number the text calls the most common answer: it must match the table and be the unique maximum."""
    computed = float(values[code])
    name = (lambda c: labels[c]) if labels else (lambda c: f"code {c}")
    if not agrees(published, computed, decimals):
        return Verdict(
            "discrepant",
            computed,
            f"the table gives {computed:g} for '{name(code)}', not {published:g}",
            "check_mode_claim",
        )
    top = max(values.values())
    if computed < top:
        winner = [c for c, v in values.items() if v == top]
        return Verdict(
            "discrepant",
            computed,
            f"the number matches, but '{name(winner[0])}' ({top:g}) is more "
            f"common, so the claim 'most common' is wrong",
            "check_mode_claim",
        )
    ties = [c for c, v in values.items() if v == top and c != code]
    if ties:
        tied = ", ".join(f"'{name(c)}' ({values[c]:g})" for c in ties)
        return Verdict(
            "discrepant",
            computed,
            f"the number matches the table, but it ties with {tied}: a joint, not the single, most common answer",
            "check_mode_claim",
        )
    return Verdict(
        "reproduced",
        computed,
        f"matches the table and is the unique most common answer ({computed:g})",
        "check_mode_claim",
    )


def reading_direction(coef: float, outcome_is_unwilling: bool) -> int:
    """Direction (+1 more, -1 less willing) that a positive code step implies, given the outcome coding."""
    s = int(np.sign(coef))
    return -s if outcome_is_unwilling else s


def check_outcome_definition(
    published: float, table2_code_willing: float, readings: Sequence[tuple[str, float, str, int]]
) -> Verdict:
    """The model section's code for a willing rider against Table 2's, and the paper's readings against both.

    ``readings`` are (variable, coefficient, the paper's words, direction asserted for willingness).
    """
    under_t2 = [r for r in readings if reading_direction(r[1], True) == r[3]]
    under_model = [r for r in readings if reading_direction(r[1], False) == r[3]]
    words = "; ".join(f"{v} {c:+.3f} read as '{w}'" for v, c, w, _ in readings)
    follow = (
        f"the paper's readings ({words}) follow from Table 2's coding in {len(under_t2)} of {len(readings)} "
        f"cases and from the model section's in {len(under_model)} of {len(readings)}"
    )
    if agrees(published, table2_code_willing, 0):
        return Verdict(
            "reproduced", float(table2_code_willing), f"agrees with Table 2; {follow}", "check_outcome_definition"
        )
    return Verdict(
        "discrepant",
        float(table2_code_willing),
        f"the model section sets Z = {published:g} for a willing rider, Table 2 codes willing = "
        f"{table2_code_willing:g} (not willing = 1); {follow}",
        "check_outcome_definition",
    )


# -------------------------------------------------------------------------------------------- headline


def check_external(published: float, external: float | None, decimals: int, source: str = "") -> Verdict:
    """A headline figure that the survey cannot verify, against an external report's value where we have one."""
    if external is None or math.isnan(external):
        return Verdict(
            "unverifiable", float("nan"), "comes from an external report, not from the survey data", "check_external"
        )
    ok = agrees(published, external, decimals)
    if ok:
        return Verdict("reproduced", float(external), f"agrees with the external report ({source})", "check_external")
    return Verdict(
        "unverifiable",
        float(external),
        f"the external account gives {external:g}, not {published:g}; the survey data cannot settle it",
        "check_external",
    )


def load_external_checks(path: str | Path | None = None) -> pd.DataFrame:
    """The external values we hold for the paper's headline figures (``data/published/external_checks.csv``)."""
    path = Path(path) if path else DATA_DIR / "published" / "external_checks.csv"
    return pd.read_csv(path, dtype={"id": str, "source": str}).set_index("id")


# ---------------------------------------------------------------------------------------------- refit


def refit(data: pd.DataFrame | str | Path | None = None) -> dict:
    """Refit the paper's logit on the coded data: coefficients, p-values and the Cox–Snell R².

    Returns a dict with ``params``/``pvalues`` (Series by predictor), ``r2_cs``, ``n``; empty Series if the
    data cannot be fitted (then Table 3 entries are unverifiable rather than wrong).
    """
    from ridersurvey.model import fit_logit, load_analysis_data

    frame = data if isinstance(data, pd.DataFrame) else load_analysis_data(data)
    try:
        res = fit_logit(frame)
    except Exception as exc:  # perfect separation or singular design: no refit to compare against
        return {
            "params": pd.Series(dtype=float),
            "pvalues": pd.Series(dtype=float),
            "r2_cs": float("nan"),
            "n": len(frame),
            "error": str(exc),
        }
    n = res.n
    return {
        "params": res.params,
        "pvalues": res.pvalues,
        "n": n,
        "r2_cs": cox_snell_r2(float(res.llf), float(res.llnull), n),
        "error": "",
    }


# --------------------------------------------------------------------------------------- design adequacy


def cox_snell_r2(ll_model: float, ll_null: float, n: int) -> float:
    """Cox–Snell R² = 1 - exp(2 (ll_null - ll_model) / n)."""
    return 1.0 - math.exp(2.0 * (ll_null - ll_model) / n)


def max_cox_snell_r2(prevalence: float) -> float:
    """Largest Cox–Snell R² a binary outcome with this prevalence allows (Riley et al. 2020)."""
    phi = prevalence
    ln_null = phi * math.log(phi) + (1 - phi) * math.log(1 - phi)
    return 1.0 - math.exp(2.0 * ln_null)


def riley_sample_size(
    p: int, r2_cs: float, prevalence: float, shrinkage: float = 0.9, delta: float = 0.05, margin: float = 0.05
) -> dict[str, float]:
    """Riley et al. (2020) minimum sample sizes for a binary-outcome model with ``p`` parameters.

    Criterion 1: expected shrinkage >= ``shrinkage``; criterion 2: optimism in Nagelkerke R² <= ``delta``;
    criterion 3: intercept within ``margin`` (95%). Values are unrounded; take the ceiling for a sample size.
    """
    n1 = p / ((shrinkage - 1) * math.log(1 - r2_cs / shrinkage))
    s2 = r2_cs / (r2_cs + delta * max_cox_snell_r2(prevalence))
    n2 = p / ((s2 - 1) * math.log(1 - r2_cs / s2))
    n3 = (1.96 / margin) ** 2 * prevalence * (1 - prevalence)
    return {"criterion_1": n1, "criterion_2": n2, "criterion_3": n3, "shrinkage_2": s2}


def expected_shrinkage(n: int, p: int, r2_cs: float) -> float:
    """Expected (van Houwelingen) shrinkage S at sample size ``n``: solves n = p / ((S - 1) ln(1 - R²/S))."""
    from scipy import optimize

    f = lambda s: (s - 1) * math.log(1 - r2_cs / s) * n - p
    return float(optimize.brentq(f, r2_cs * (1 + 1e-12) + 1e-12, 1 - 1e-12))


def design_adequacy(
    n: int = 100,
    events: int = 49,
    p: int = 9,
    r2_cs: float | None = None,
    prevalence: float = 0.51,
    nagelkerke_default: float = 0.15,
) -> pd.DataFrame:
    """Is n = 100 enough for a nine-predictor logit? Events per variable and Riley et al.'s three criteria.

    One row per anticipated Cox–Snell R²: the refit model's (``r2_cs``, apparent and therefore optimistic)
    when given, and a conservative default, R²_CS = ``nagelkerke_default`` × max R²_CS (Riley et al. 2020).
    """
    max_r2 = max_cox_snell_r2(prevalence)
    scenarios = []
    if r2_cs is not None and not math.isnan(r2_cs) and r2_cs > 0:
        scenarios.append(("refit model's Cox–Snell R² (apparent)", float(r2_cs)))
    scenarios.append((f"conservative default (Nagelkerke R² = {nagelkerke_default:g})", nagelkerke_default * max_r2))
    rows = []
    for name, r2 in scenarios:
        req = riley_sample_size(p, r2, prevalence)
        needed = max(math.ceil(req["criterion_1"]), math.ceil(req["criterion_2"]), math.ceil(req["criterion_3"]))
        rows.append(
            {
                "scenario": name,
                "r2_cs": r2,
                "r2_nagelkerke": r2 / max_r2,
                "epv": events / p,
                "n_criterion_1": math.ceil(req["criterion_1"]),
                "n_criterion_2": math.ceil(req["criterion_2"]),
                "n_criterion_3": math.ceil(req["criterion_3"]),
                "n_required": needed,
                "shrinkage_at_n": expected_shrinkage(n, p, r2) if r2 < 1 else float("nan"),
                "n": n,
            }
        )
    return pd.DataFrame(rows).set_index("scenario")


# ---------------------------------------------------------------------------------------------- the audit


def _labels_from_table2(ledger: pd.DataFrame) -> dict[str, dict[int, str]]:
    rows = ledger[(ledger["location"] == "Table 2") & (ledger["statistic"] == "coding")]
    out: dict[str, dict[int, str]] = {}
    for _, r in rows.iterrows():
        out.setdefault(r["variable"], {})[int(r["code"])] = r["printed"].split(" = ")[0].strip()
    return out


def _row_verdict(row: pd.Series, ctx: dict) -> Verdict:
    """Dispatch one ledger entry to its check."""
    ledger, counts, labels, fit = ctx["ledger"], ctx["counts"], ctx["labels"], ctx["fit"]
    val = lambda i: float(ledger.loc[i, "value"])
    eid, loc, stat, var, dec = row["id"], row["location"], row["statistic"], row["variable"], int(row["decimals"])
    published = float(row["value"])
    n = val("t1.total.count")
    code = None if pd.isna(row["code"]) else int(row["code"])

    if loc == "Section 1":
        ext = ctx["external"]
        external = float(ext.loc[eid, "value"]) if eid in ext.index else None
        source = str(ext.loc[eid, "source"]) if eid in ext.index else ""
        return check_external(published, external, dec, source)
    if eid == "s6.collected":
        a, b = val("s6.valid"), val("s6.excluded")
        return check_arithmetic(published, a + b, dec, f"valid + excluded = {a:g} + {b:g}")
    if eid == "s6.excluded":
        a, b = val("s6.collected"), val("s6.valid")
        return check_arithmetic(published, a - b, dec, f"collected − valid = {a:g} − {b:g}")
    if eid == "s6.valid":
        a, b = val("s6.collected"), val("s6.excluded")
        return check_arithmetic(published, a - b, dec, f"collected − excluded = {a:g} − {b:g}")
    if eid == "s6.recovery_rate":
        return check_percent(published, val("s6.valid"), val("s6.collected"), dec)
    if loc == "Table 1":
        if eid == "t1.total.count":
            return check_total(published, {v: sum(c.values()) for v, c in counts.items()}, dec, "counts")
        if eid == "t1.total.pct":
            pct = {v: sum(val(f"t1.{v}.{c}.pct") for c in cs) for v, cs in counts.items()}
            return check_total(published, pct, dec, "percentages")
        if stat == "count":
            others = [x for c, x in counts[var].items() if c != code]
            return check_count(published, others, n)
        return check_percent(published, counts[var][code], n, dec)
    if loc == "Table 2":
        if stat == "mean":
            return check_table2_mean(published, counts[var], dec, labels[var], val(f"t2.{var}.sd"))
        if stat == "sd":
            return check_table2_sd(published, counts[var], dec, val(f"t2.{var}.mean"))
        return check_coding(published, code, counts[var], val(f"t2.{var}.mean"), 2, labels[var])  # type: ignore[arg-type]
    if loc == "Table 3":
        if stat == "coef":
            return check_coefficient(published, float(fit["params"].get(var, float("nan"))), dec)
        stars = str(row["printed"]).count("*")
        return check_p_value(
            published,
            val(f"t3.{var}.coef"),
            val(f"t2.{var}.sd"),
            int(n),
            dec,
            stars,
            float(fit["pvalues"].get(var, float("nan"))),
        )
    if eid.startswith("s6p."):
        key = "pct" if stat == "percent" else "count"
        quantity = str(row["quantity"])
        if "most common" in quantity or "largest share" in quantity:
            values = {c: val(f"t1.{var}.{c}.{key}") for c in counts[var]}
            return check_mode_claim(published, values, code, dec, labels[var])  # type: ignore[arg-type]
        return check_prose_number(published, val(f"t1.{var}.{code}.{key}"), dec, f"Table 1 ({var}, code {code})")
    if eid == "s7p.n_factors":
        return check_arithmetic(published, float(len(ctx["t3_vars"])), dec, "rows of Table 3")
    if eid == "s7p.outcome_definition":
        readings = [(v, val(f"t3.{v}.coef"), words, d) for v, words, d in PAPER_READINGS]
        return check_outcome_definition(published, val("t2.unwilling.coding.0"), readings)
    if eid.startswith("s7p.") and stat == "coef":
        return check_prose_number(published, val(f"t3.{var}.coef"), dec, f"Table 3 ({var})")
    if eid == "s8p.n":
        return check_arithmetic(published, val("s6.valid"), dec, "valid responses of Section 6.1")
    return Verdict("unverifiable", float("nan"), "no check applies to this entry", "none")


def run_audit(data: pd.DataFrame | str | Path | None = None, ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Give every ledger entry a verdict: reproduced, discrepant, impossible or unverifiable.

    ``data`` is the coded analysis file (frame or path; default ``data/riders_survey.csv``) used for the
    Table 3 refit; everything else is checked against the paper's own numbers or the external checks file.
    """
    from ridersurvey.published import table1_counts, table3

    ledger = load_ledger() if ledger is None else ledger
    ctx = {
        "ledger": ledger,
        "counts": table1_counts(ledger),
        "labels": _labels_from_table2(ledger),
        "fit": refit(data),
        "external": load_external_checks(),
        "t3_vars": list(table3(ledger).index),
    }
    rows = []
    for _, row in ledger.iterrows():
        v = _row_verdict(row, ctx)
        rows.append(
            {
                "id": row["id"],
                "location": row["location"],
                "quantity": row["quantity"],
                "published": float(row["value"]),
                "printed": row["printed"],
                "computed": v.computed,
                "verdict": v.verdict,
                "reason": v.reason,
                "check": v.check,
            }
        )
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS).set_index("id", drop=False)


def scorecard(audit: pd.DataFrame) -> pd.Series:
    """Number of entries per verdict, in the fixed order reproduced, discrepant, impossible, unverifiable."""
    return audit["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0).astype(int)


def consequence(entry: pd.Series) -> str:
    """What a non-reproduced number changes in the paper's conclusions, in plain words."""
    eid, check, verdict = entry["id"], entry["check"], entry["verdict"]
    if verdict == "reproduced":
        return ""
    if check == "check_external":
        return "None for the survey's findings: a context figure from another source."
    if eid == "t2.unwilling.mean":
        return (
            "None for the model (fitted to the responses, not to Table 2); a reader of Table 2 alone would "
            "think 59% rather than 51% were unwilling."
        )
    if eid.startswith("t2.unwilling.coding"):
        return (
            "None on its own: the outcome's coding is settled by the paper's readings of Table 3, which "
            "follow not willing = 1 (see the model-section entry)."
        )
    if check == "check_table2_mean" or check == "check_coding":
        return (
            (
                "The marital coefficient's sign is read against a coding; if married = 1 as the printed mean "
                "implies, the paper's reading of the marital effect is reversed."
            )
            if "marital" in eid
            else ("Table 2's summary and its stated coding do not fit together; Table 3 rests on the coding used.")
        )
    if check == "check_p_value" and verdict == "impossible":
        return (
            "The 'significant' effect does not survive: no data set gives this p-value with this coefficient; "
            "if the coefficient is right the effect is far from significant."
        )
    if check in ("check_p_value", "check_coefficient"):
        return (
            "Concerns the refit, not the paper alone: the responses in the data file are a reconstruction, "
            "so a mismatch says the reconstruction missed this number."
        )
    if check == "check_prose_number":
        return "The text overstates the effect tenfold; Table 3's value is negligible."
    if check == "check_mode_claim":
        return "Minor: the answer is a joint, not the single, most common one."
    if check == "check_outcome_definition":
        return (
            "The direction of every effect depends on it; the paper's readings follow Table 2 (unwilling = 1), "
            "so they stand only if the model was fitted with unwilling = 1 and the model section is the error."
        )
    return "See the reason."


def format_table(audit: pd.DataFrame, reason_width: int = 90) -> str:
    """The audit as a fixed-width text table followed by a scorecard line."""

    def num(x: float) -> str:
        return "" if pd.isna(x) else f"{x:.4g}"

    head = f"{'id':<34} {'verdict':<12} {'published':>10} {'computed':>10}  reason"
    lines = [head, "-" * len(head)]
    for _, r in audit.iterrows():
        reason = r["reason"] if len(r["reason"]) <= reason_width else r["reason"][: reason_width - 1] + "…"
        lines.append(f"{r['id']:<34} {r['verdict']:<12} {num(r['published']):>10} {num(r['computed']):>10}  {reason}")
    score = scorecard(audit)
    lines.append("")
    lines.append(f"{len(audit)} entries: " + ", ".join(f"{k} {v}" for k, v in score.items()))
    return "\n".join(lines)


def to_json(audit: pd.DataFrame) -> str:
    """The audit as a JSON list of objects (NaN becomes null)."""
    records = []
    for rec in audit.to_dict(orient="records"):
        records.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return json.dumps(records, ensure_ascii=False, indent=1)


# ------------------------------------------------------------------------------------------ presentation

VERDICT_COLOURS = {"reproduced": "#4c9f70", "discrepant": "#e0a030", "impossible": "#c0392b", "unverifiable": "#8a8a8a"}


def findings(audit: pd.DataFrame) -> pd.DataFrame:
    """The entries that do not reproduce, with the reason and what each changes in the paper's conclusions."""
    rows = audit[audit["verdict"] != "reproduced"]
    out = rows[["location", "quantity", "printed", "computed", "verdict", "reason"]].copy()
    out["consequence"] = [consequence(r) for _, r in rows.iterrows()]
    return out
