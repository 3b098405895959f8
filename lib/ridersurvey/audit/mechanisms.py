"""How the paper's inconsistencies could have arisen: each candidate explanation tested on the printed numbers.

Every test returns rows of a tidy table: the problem it explains, the mechanism, the arithmetic that
tests it and a verdict:

``fits``
    consistent with every printed number and explains the problem;
``possible``
    not excluded by any printed number, but the paper cannot confirm it;
``ruled out``
    contradicted by printed numbers.

Only published numbers enter (Table 1's frequencies, Table 2's codings and SDs, Table 3, the text). Whether
a mechanism is also compatible with *all* of Table 3 at once (for example, a chi-square p-value together
with every other coefficient) needs respondent-level data; that question is answered by the search over
reconstructions (:mod:`ridersurvey.reconstruction`), not here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ridersurvey.audit.inference import table3_from_print
from ridersurvey.audit.precision import (
    agrees,
    fixed,
    format_floor,
    integer,
    p_attainable,
    p_floor,
    p_value,
    rounding_interval,
)
from ridersurvey.audit.wording import count_words, names, share_words
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, table1_counts
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.messages import bilingual, text

MECHANISM_COLUMNS = ["problem", "mechanism", "test", "verdict", "variable"]
FITS, POSSIBLE, RULED_OUT = "fits", "possible", "ruled out"
#: The smallest p Table 3 prints as a number; below it the paper prints ``<0.001``.
SMALLEST_P = 0.001


def _labels() -> dict[str, str]:
    return {v: label.lower() for v, label in load_codebook().labels().items()}


def _ledger(ledger: pd.DataFrame | None) -> pd.DataFrame:
    return load_ledger() if ledger is None else ledger


# ----------------------------------------------------------------------------------------- decimal slips


def _floor_text(floor: float) -> str:
    if floor < SMALLEST_P:
        return text("mechanisms.slips.floor_below", smallest=SMALLEST_P)
    return text("mechanisms.slips.floor_at_least", floor=format_floor(floor))


def _pair(label: str, b: object, p: object) -> str:
    return text("mechanisms.pair", label=label, b=b, p=p)


def decimal_slips(ledger: pd.DataFrame | None = None, factors: Sequence[int] = (10, 100)) -> pd.DataFrame:
    """Could a misplaced decimal point in b explain each inconsistent pair?

    For each pair that cannot stand, the printed coefficient times each factor is tested against the
    printed p (:func:`ridersurvey.audit.precision.p_attainable`); so is any other value the paper prints for the
    same coefficient in its text (Section 7.2 quotes −0.11 for policy awareness).

    Parameters
    ----------
    ledger : DataFrame, optional
    factors : sequence of int

    Returns
    -------
    DataFrame
        Columns ``problem``, ``mechanism``, ``test``, ``verdict``, ``variable``, ``b``, ``p_floor`` and ``quoted``
        (the value is the one the text prints, not Table 3's times a factor).
    """
    led = _ledger(ledger)
    frame = table3_from_print(led)
    n = int(led.loc[ids.N, "value"])
    labels = _labels()
    rows = []
    for var in frame.index[~frame["clears_floor"]]:
        b, p = float(frame.loc[var, "b"]), float(frame.loc[var, "p"])
        sd = float(led.loc[ids.sd(var), "value"])
        candidates = [(b * f, 3, text("mechanisms.slips.factor", factor=f), True) for f in factors]
        quote = ids.quoted(var)
        repeated = ""
        if quote in led.index and agrees(b, float(led.loc[quote, "value"]), 3):
            repeated = text("mechanisms.slips.quoted_same", b=fixed(b))
        elif quote in led.index:
            dec = int(led.loc[quote, "decimals"])
            repeated = text("mechanisms.slips.quoted_other", value=fixed(float(led.loc[quote, "value"]), dec))
            candidates.insert(0, (float(led.loc[quote, "value"]), dec, text("mechanisms.slips.quoted"), False))
        for value, dec, how, slip in candidates:
            floor = p_floor(value, sd, n, dec)
            ok = p_attainable(p, value, sd, n, 3, dec)
            rows.append(
                {
                    "problem": _pair(labels[var], fixed(b), fixed(p)),
                    "mechanism": text("mechanisms.slips.mechanism", how=how, value=fixed(value, dec)),
                    "test": text(
                        "mechanisms.slips.test",
                        value=fixed(value, dec),
                        sd=fixed(sd),
                        floor=_floor_text(floor),
                        verdict=text(f"mechanisms.slips.{'not_excluded' if ok else 'excluded'}", p=fixed(p)),
                        repeated=repeated if ok and slip else "",
                    ),
                    "verdict": POSSIBLE if ok else RULED_OUT,
                    "variable": var,
                    "b": value,
                    "p_floor": floor,
                    "quoted": not slip,
                }
            )
    return pd.DataFrame(rows)


# -------------------------------------------------------------------------------- p-values on other rows


def attainability_matrix(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which printed p-value could stand beside which printed coefficient.

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        Boolean, rows the coefficients' variables, columns the p-values' variables (Table 3's order).
    """
    led = _ledger(ledger)
    frame = table3_from_print(led)
    n = int(led.loc[ids.N, "value"])
    sd = {v: float(led.loc[ids.sd(v), "value"]) for v in frame.index}
    return pd.DataFrame(
        [
            [p_attainable(float(frame.loc[q, "p"]), float(frame.loc[v, "b"]), sd[v], n) for q in frame.index]
            for v in frame.index
        ],
        index=pd.Index(frame.index, name="coefficient"),
        columns=pd.Index(frame.index, name="p_value"),
    )


def consistent_assignments(matrix: pd.DataFrame) -> list[tuple[str, ...]]:
    """Every assignment of the printed p column to the printed b column under which all pairs can stand.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`attainability_matrix`.

    Returns
    -------
    list of tuple
        Each tuple gives, for the coefficients in row order, the variable whose printed p it would carry.
        Exhaustive over all ``k!`` permutations (362,880 for Table 3's nine rows).
    """
    ok = matrix.to_numpy()
    k = ok.shape[0]
    names = list(matrix.columns)
    return [
        tuple(names[j] for j in perm)
        for perm in itertools.permutations(range(k))
        if all(ok[i, perm[i]] for i in range(k))
    ]


def misplaced_p_values(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Could the p-values have been attached to the wrong rows?

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        One row per inconsistent pair and one for the whole column, with the mechanism's verdict.
    """
    led = _ledger(ledger)
    matrix = attainability_matrix(led)
    frame = table3_from_print(led)
    labels = _labels()
    assignments = consistent_assignments(matrix)
    k = len(matrix)
    rows = []
    for var in frame.index[~frame["clears_floor"]]:
        partners = [q for q in matrix.columns if matrix.loc[var, q]]
        shown = names(f"{labels[q]} ({fixed(frame.loc[q, 'p'])})" for q in partners) if partners else None
        rows.append(
            {
                "problem": _pair(labels[var], fixed(frame.loc[var, "b"]), fixed(frame.loc[var, "p"])),
                "mechanism": text("mechanisms.misplaced.mechanism"),
                "test": text(
                    "mechanisms.misplaced.test",
                    floor=fixed(frame.loc[var, "p_floor"]),
                    shown=shown or text("mechanisms.none"),
                ),
                "verdict": POSSIBLE if partners else RULED_OUT,
                "variable": var,
            }
        )
    rows.append(
        {
            "problem": text("mechanisms.shuffled.problem"),
            "mechanism": text("mechanisms.shuffled.mechanism"),
            "test": text(
                "mechanisms.shuffled.test",
                permutations=math.factorial(k),
                k=count_words(k),
                fitting=count_words(len(assignments)),
            ),
            "verdict": POSSIBLE if assignments else RULED_OUT,
        }
    )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------- another test's p-value


def pearson_chi2_p_values(row_totals: Sequence[int], column_total: int) -> np.ndarray:
    """Pearson chi-square p-values of every k × 2 table with the given margins.

    Parameters
    ----------
    row_totals : sequence of int
        The item's category counts (Table 1).
    column_total : int
        Cases in the first outcome column; the other column holds the rest.

    Returns
    -------
    ndarray
        One p-value (df = k − 1) per table, in no particular order; exhaustive over all tables.
    """
    from scipy import stats

    rows = np.asarray(row_totals, dtype=int)
    n = int(rows.sum())
    grids = np.array(np.meshgrid(*[np.arange(r + 1) for r in rows], indexing="ij")).reshape(len(rows), -1).T
    grids = grids[grids.sum(axis=1) == column_total]
    expected = np.outer(rows, [column_total, n - column_total]) / n
    observed = np.stack([grids, rows - grids], axis=2)
    chi2 = ((observed - expected) ** 2 / expected).sum(axis=(1, 2))
    return stats.chi2.sf(chi2, len(rows) - 1)


def other_tests(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Could each impossible p-value come from another test of the same item against the outcome?

    Pearson's chi-square test of the item's k × 2 table against willingness (a test the methods section's
    "差异性分析" could mean) is evaluated exhaustively over every table with Table 1's margins. A joint test of
    the item entered as categories depends on the other predictors too and is listed as not decidable from
    the printed numbers alone.

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        Columns problem, mechanism, test, verdict, and for the chi-square rows ``n_tables`` and ``n_matching``
        (tables whose p rounds to the printed value) and the smallest and largest p.
    """
    led = _ledger(ledger)
    frame = table3_from_print(led)
    counts = table1_counts(led)
    labels = _labels()
    willing = counts["unwilling"][0]
    rows = []
    for var in frame.index[~frame["clears_floor"]]:
        p = float(frame.loc[var, "p"])
        lo, hi = rounding_interval(p, 3)
        ps = pearson_chi2_p_values(list(counts[var].values()), willing)
        matching = int(((ps >= lo) & (ps <= hi)).sum())
        problem = _pair(labels[var], fixed(frame.loc[var, "b"]), fixed(p))
        rows.append(
            {
                "problem": problem,
                "mechanism": text("mechanisms.chi2.mechanism", levels=len(counts[var]), df=len(counts[var]) - 1),
                "test": text(
                    "mechanisms.chi2.test",
                    tables=integer(len(ps)),
                    matching=integer(matching),
                    p=fixed(p),
                    p_min=p_value(ps.min()),
                    p_max=fixed(ps.max()),
                ),
                "verdict": POSSIBLE if matching else RULED_OUT,
                "variable": var,
                "n_tables": len(ps),
                "n_matching": matching,
                "p_min": float(ps.min()),
                "p_max": float(ps.max()),
            }
        )
        rows.append(
            {
                "problem": problem,
                "mechanism": text("mechanisms.joint.mechanism"),
                "test": text("mechanisms.joint.test", others=count_words(len(frame.index) - 1)),
                "verdict": POSSIBLE,
                "variable": var,
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------- codings


def marital_coding(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which coding of marital status do the printed numbers imply, and what does it do to the reading?

    Table 1 lists 已婚 (married) before 未婚 (unmarried), the only item not printed in Table 2's code order;
    coding the answers in that (questionnaire) order, married = 1, gives exactly the printed mean.

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        Columns problem, mechanism, test, verdict.
    """
    led = _ledger(ledger)
    t1 = led[(led["location"] == "Table 1") & (led["variable"] == "marital_status") & (led["statistic"] == "count")]
    order = [int(c) for c in t1["code"]]
    counts = {int(c): float(v) for c, v in zip(t1["code"], t1["value"], strict=True)}
    n = sum(counts.values())
    mean = float(led.loc[ids.mean("marital_status"), "value"])
    stated = sum(c * k for c, k in counts.items()) / n
    questionnaire = {code: i + 1 for i, code in enumerate(order)}  # Table 1's order numbers the options
    implied = sum(questionnaire[c] * k for c, k in counts.items()) / n
    b = float(led.loc[ids.coef("marital_status"), "value"])
    problem = text("mechanisms.marital.problem", mean=fixed(mean, 2))
    return pd.DataFrame(
        [
            {
                "problem": problem,
                "mechanism": text("mechanisms.marital.questionnaire_mechanism"),
                "test": text(
                    "mechanisms.marital.questionnaire_test",
                    married=fixed(counts[2], 0),
                    unmarried=fixed(counts[1], 0),
                    n=fixed(n, 0),
                    implied=fixed(implied, 2),
                    stated=fixed(stated, 2),
                ),
                "verdict": FITS if agrees(mean, implied, 2) else RULED_OUT,
            },
            {
                "problem": problem,
                "mechanism": text("mechanisms.marital.typo_mechanism"),
                "test": text("mechanisms.marital.typo_test", stated=fixed(stated, 2), mirror=fixed(3 - stated, 2)),
                "verdict": POSSIBLE,
            },
            {
                "problem": text("mechanisms.marital.reading_problem"),
                "mechanism": text("mechanisms.marital.reading_mechanism"),
                "test": text("mechanisms.marital.reading_test", b=fixed(b)),
                "verdict": POSSIBLE,
            },
        ]
    )


def outcome_mean(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where could Table 2's outcome mean have come from, given that Table 1's counts give another?

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        Columns problem, mechanism, test, verdict.
    """
    led = _ledger(ledger)
    t1 = led[(led["location"] == "Table 1") & (led["statistic"] == "count")]
    n = float(led.loc[ids.N, "value"])
    mean = float(led.loc[ids.mean("unwilling"), "value"])
    sd = float(led.loc[ids.sd("unwilling"), "value"])
    shares = {row.Index: float(row.value) / n for row in t1.itertuples()}
    unwilling = shares[ids.table1("unwilling", 1, ids.Part.COUNT)]
    willing = shares[ids.table1("unwilling", 0, ids.Part.COUNT)]

    def binary_sd(share: float) -> float:
        return math.sqrt(share * (1 - share) * n / (n - 1))

    others = [i for i, share in shares.items() if t1.loc[i, "variable"] != "unwilling" and agrees(mean, share, 2)]
    book, labels = load_codebook(), _labels()

    def share_name(i: str) -> str:
        var, code = str(t1.loc[i, "variable"]), int(t1.loc[i, "code"])
        option = next(o for o in book[var].options if o.code == code)
        return text(
            "mechanisms.outcome_mean.share",
            item=labels[var],
            option=bilingual(option.en.lower(), option.zh),
            share=fixed(shares[i], 2),
        )

    quoted = names(share_name(i) for i in others)
    digits = sum(a != b for a, b in zip(str(fixed(unwilling, 2)), str(fixed(mean, 2)), strict=True))
    problem = text("mechanisms.outcome_mean.problem", mean=fixed(mean, 2), unwilling=fixed(unwilling, 2))
    return pd.DataFrame(
        [
            {
                "problem": problem,
                "mechanism": text("mechanisms.outcome_mean.willing_mechanism"),
                "test": text("mechanisms.outcome_mean.willing_test", willing=fixed(willing, 2), mean=fixed(mean, 2)),
                "verdict": FITS if agrees(mean, willing, 2) else RULED_OUT,
            },
            {
                "problem": problem,
                "mechanism": text("mechanisms.outcome_mean.other_row_mechanism"),
                "test": text(
                    "mechanisms.outcome_mean.other_row_test",
                    mean=fixed(mean, 2),
                    quoted=quoted if others else text("mechanisms.none"),
                    sd=fixed(sd, 3),
                    outcome_sd=fixed(binary_sd(unwilling), 3),
                    share_sd=fixed(binary_sd(mean), 3),
                ),
                "verdict": POSSIBLE if others else RULED_OUT,
            },
            {
                "problem": problem,
                "mechanism": text("mechanisms.outcome_mean.typo_mechanism"),
                "test": text(
                    f"mechanisms.outcome_mean.typo_test_{'one' if digits == 1 else 'other'}",
                    unwilling=fixed(unwilling, 2),
                    mean=fixed(mean, 2),
                    digits=count_words(digits),
                ),
                "verdict": POSSIBLE,
            },
        ]
    )


def reading_direction(coef: float, outcome_is_unwilling: bool) -> int:
    """Direction (+1 more, −1 less willing) that a one-step rise in a code implies, given the outcome coding.

    Parameters
    ----------
    coef : float
    outcome_is_unwilling : bool

    Returns
    -------
    int
    """
    s = int(np.sign(coef))
    return -s if outcome_is_unwilling else s


def load_readings(path=None) -> pd.DataFrame:
    """The paper's verbal readings of Table 3 (Section 7.2), ``data/published/readings.csv``.

    Returns
    -------
    DataFrame
        Index ``variable``; columns quote_zh (as printed), reading_en and direction (+1: a higher code is read
        as more willing, −1 as less willing, codes as Table 2 states them).
    """
    path = path or DATA_DIR / "published" / "readings.csv"
    return pd.read_csv(path, comment="#").set_index("variable")


def outcome_coding(ledger: pd.DataFrame | None = None, readings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which outcome coding each of the paper's readings of Table 3 follows.

    Parameters
    ----------
    ledger : DataFrame, optional
    readings : DataFrame, optional
        From :func:`load_readings`.

    Returns
    -------
    DataFrame
        One row per reading: variable, quote_zh, reading_en, coef (Table 3), and follows_table2 /
        follows_model_section (whether the sign of the coefficient gives the reading under unwilling = 1 or
        under willing = 1).
    """
    led = _ledger(ledger)
    readings = load_readings() if readings is None else readings
    out = readings.copy()
    out["coef"] = [float(led.loc[ids.coef(v), "value"]) for v in out.index]
    out["follows_table2"] = [
        reading_direction(b, True) == d for b, d in zip(out["coef"], out["direction"], strict=True)
    ]
    out["follows_model_section"] = [
        reading_direction(b, False) == d for b, d in zip(out["coef"], out["direction"], strict=True)
    ]
    return out


def outcome_definition(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """The two outcome definitions tested against the paper's readings.

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        Columns problem, mechanism, test, verdict.
    """
    table = outcome_coding(ledger)
    k = len(table)
    t2, ms = int(table["follows_table2"].sum()), int(table["follows_model_section"].sum())
    problem = text("mechanisms.outcome_definition.problem")
    return pd.DataFrame(
        [
            {
                "problem": problem,
                "mechanism": text("mechanisms.outcome_definition.table2_mechanism"),
                "test": text("mechanisms.outcome_definition.table2_test", follow=share_words(t2, k)),
                "verdict": FITS if t2 == k else POSSIBLE if t2 else RULED_OUT,
            },
            {
                "problem": problem,
                "mechanism": text("mechanisms.outcome_definition.model_mechanism"),
                "test": text("mechanisms.outcome_definition.model_test", follow=share_words(ms, k)),
                "verdict": POSSIBLE if ms < k else FITS,
            },
        ]
    )


# ----------------------------------------------------------------------------------------- software


def template_evidence(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Does the text's template prose ("共有29.0个，占比为29.00%") identify the software?

    The counts the text quotes carry one decimal (29.0, 51.0, 28.0), as a program formats a floating-point
    count and a writer would not; the same sentence frames recur item after item. That marks the text as
    generated, but the frames are not unique to one product in anything the book can cite, so the software
    stays unidentified.

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        Columns problem, mechanism, test, verdict.
    """
    led = _ledger(ledger)
    quoted = led[(led["location"] == "Section 6.2 (prose)") & (led["statistic"] == "count")]
    floats = [p for p in quoted["printed"] if "." in str(p)]
    return pd.DataFrame(
        [
            {
                "problem": text("mechanisms.software.problem"),
                "mechanism": text("mechanisms.software.mechanism"),
                "test": text(
                    "mechanisms.software.test", floats=share_words(len(floats), len(quoted)), examples=", ".join(floats)
                ),
                "verdict": POSSIBLE,
            },
        ]
    )


def all_mechanisms(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every mechanism test, in the order the audit chapter discusses them.

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    DataFrame
        Columns problem, mechanism, test, verdict, and ``variable``: the predictor whose printed pair the row
        explains, missing where the row is not about one pair.
    """
    parts: list[pd.DataFrame] = [
        decimal_slips(ledger),
        misplaced_p_values(ledger),
        other_tests(ledger),
        marital_coding(ledger),
        outcome_mean(ledger),
        outcome_definition(ledger),
        template_evidence(ledger),
    ]
    return pd.concat([p.reindex(columns=MECHANISM_COLUMNS) for p in parts], ignore_index=True)
