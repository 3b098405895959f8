"""The summary for the journal (``chapters/summary.md``): the numbers behind each problem, computed from the
paper's printed numbers only. The chapter writes the problems, their order and their wording."""

from __future__ import annotations

import math

import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.granularity import debit
from ridersurvey.audit.inference import inconsistent_pairs, table3_from_print
from ridersurvey.audit.mechanisms import POSSIBLE, RULED_OUT, all_mechanisms, decimal_slips, outcome_coding
from ridersurvey.audit.precision import format_floor, format_p_floor
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, most_of_sample, table1_counts, value
from ridersurvey.presentation import report as r
from ridersurvey.robustness.sample_size import criterion_1_break_even, design_adequacy, riley_sample_size

#: Ledger entries the summary quotes as printed.
QUOTED = (
    ids.coef("health"),
    ids.p_value("health"),
    ids.coef("policy_awareness"),
    ids.p_value("policy_awareness"),
    ids.OUTCOME_DEFINITION,
    ids.coding("unwilling", 0),
    ids.coding("unwilling", 1),
    ids.coding("marital_status", 1),
    ids.coding("marital_status", 2),
    ids.mean("marital_status"),
    ids.mean("unwilling"),
    ids.sd("unwilling"),
    ids.quoted("policy_awareness"),
    ids.INDICATOR_SYSTEM,
    ids.DIFFERENCE_ANALYSIS,
    ids.RELIABILITY_VALIDITY,
    ids.RECOVERY_RATE,
)


def _labels() -> dict[str, str]:
    return load_codebook().labels()


def printed(*entries: str) -> r.Facts:
    """Published numbers and phrases exactly as printed, for quoting with ``{eval}`` (which inserts plain text).

    Parameters
    ----------
    *entries : str
        Ledger ids; each becomes an attribute with its dots replaced by underscores.

    Returns
    -------
    Facts
    """
    ledger = load_ledger()
    return r.Facts(**{e.replace(".", "_"): r.Text(ledger.loc[e, "printed"]) for e in entries})


def pair_results(variable: str) -> r.Facts:
    """What a printed (b, p) pair that cannot stand implies: Table 2's SD, the SE floor, the smallest p-value the
    printed b allows and the |b| the printed p would need (:func:`ridersurvey.audit.inference.table3_from_print`)."""
    ledger = load_ledger()
    row = table3_from_print(ledger).loc[variable]
    return r.Facts(
        b=r.number(row["b"]),
        p=r.p_value(row["p"]),
        sd=r.number(float(ledger.loc[ids.sd(variable), "value"])),
        se_floor=format_floor(row["se_floor"]),
        p_floor=format_p_floor(row["p_floor"]),
        b_needed=r.number(row["b_needed"]),
    )


def counts_results(audit: pd.DataFrame) -> r.Facts:
    """Counts the problems quote: sample, pairs, readings of the outcome, marital and outcome means."""
    ledger = load_ledger()
    val = lambda i: float(ledger.loc[i, "value"])
    counts = table1_counts(ledger)
    n = int(val(ids.N))
    printed_ = table3_from_print(ledger)
    readings = outcome_coding(ledger)
    labels = _labels()
    standing = printed_[printed_["clears_floor"] & printed_["significant"]]
    return r.Facts(
        n=r.integer(n),
        n_predictors=r.count_words(len(printed_)),
        coherent=r.names(labels[v].lower() for v in standing.index),
        pairs=r.names(labels[v].lower() for v in printed_.index[~printed_["clears_floor"]]),
        collected=r.integer(val(ids.COLLECTED)),
        n_significant=r.count_words(int(printed_["significant"].sum())),
        n_pairs=r.count_words(int((~printed_["clears_floor"]).sum())),
        n_readings=r.count_words(len(readings)),
        n_follow_model=r.count_words(int(readings["follows_model_section"].sum()), zero="none"),
        married=r.integer(counts["marital_status"][2]),
        unmarried=r.integer(counts["marital_status"][1]),
        marital_mean_stated=r.number(float(audit.loc[ids.mean("marital_status"), "computed"]), 2),
        unwilling=r.integer(counts["unwilling"][1]),
        outcome_mean_counts=r.number(counts["unwilling"][1] / n, 2),
        outcome_debit_sd=r.number(debit(val(ids.mean("unwilling")), val(ids.sd("unwilling")), n)["expected_sd"]),
        health_fairly_poor=r.integer(counts["health"][2]),
        health_average=r.integer(counts["health"][3]),
    )


def awareness_text_results() -> r.Facts:
    """The text's awareness coefficient against Table 3's: their ratio and the smallest p-value the text's allows
    (read, as printed, to two decimals), and the same value as Table 3's times ten, read to three decimals
    (``tenfold_b``, ``tenfold_floor``)."""
    slips = decimal_slips()
    aware = slips[slips["variable"] == "policy_awareness"]
    is_text = aware["quoted"]
    text = aware[is_text].iloc[0]
    ratio = round(value(ids.quoted("policy_awareness")) / value(ids.coef("policy_awareness")))
    tenfold = aware[~is_text & (aware["b"] / value(ids.coef("policy_awareness"))).round().eq(ratio)].iloc[0]
    return r.Facts(
        text_b=r.number(float(text["b"]), 2),
        ratio=r.integer(ratio),
        text_floor=format_p_floor(float(text["p_floor"])),
        tenfold_b=r.number(float(tenfold["b"]), 3),
        tenfold_floor=format_p_floor(float(tenfold["p_floor"])),
    )


def largest_slip_results(variable: str) -> r.Facts:
    """The largest decimal slip the audit tests for ``variable``: the coefficient it implies and that coefficient's
    odds ratio per code step, rounded to thousands (``odds_ratio``)."""
    slips = decimal_slips()
    b = float(slips.loc[slips["variable"] == variable, "b"].abs().max())
    return r.Facts(b=r.number(b, 3), odds_ratio=r.integer(round(math.exp(b), -3)))


def mechanism_results() -> r.Facts:
    """Which of the audit's error mechanisms remain possible for each inconsistent pair and which are ruled out
    (:func:`ridersurvey.audit.mechanisms.all_mechanisms`; each in quotation marks, as the audit table labels
    it), and the verdict on a shuffle of the whole p column."""
    mechanisms = all_mechanisms()
    out: dict[str, r.Text] = {}
    for var in inconsistent_pairs():
        rows = mechanisms[mechanisms["variable"] == var]
        out[f"{var}_open"] = r.names(f"“{m}”" for m in rows.loc[rows["verdict"] == POSSIBLE, "mechanism"])
        out[f"{var}_closed"] = r.names(f"“{m}”" for m in rows.loc[rows["verdict"] == RULED_OUT, "mechanism"])
    joint = mechanisms[mechanisms["problem"] == messages.text("mechanisms.shuffled.problem")]
    out["shuffle"] = r.Text(messages.label(RULED_OUT if (joint["verdict"] == RULED_OUT).all() else POSSIBLE))
    return r.Facts(**out)


def design_results() -> r.Facts:
    """Events per predictor, Riley et al.'s sample size under their default anticipated R², the expected
    shrinkage at the paper's n and the Nagelkerke R² at which n would meet their shrinkage criterion."""
    import inspect

    book = load_codebook()
    outcome = table1_counts()[book.outcome]
    n, p = int(value(ids.VALID)), len(book.predictors)
    row = design_adequacy(n=n, events=min(outcome.values()), p=p, prevalence=outcome[1] / n).iloc[-1]
    shrinkage = inspect.signature(riley_sample_size).parameters["shrinkage"].default
    even = criterion_1_break_even(n, p, outcome[1] / n, shrinkage)
    return r.Facts(
        events=r.integer(min(outcome.values())),
        epv=r.number(row["epv"], 1),
        r2_nagelkerke=r.number(row["r2_nagelkerke"], 2),
        n_required=r.integer(row["n_required"]),
        shrinkage=r.number(row["shrinkage_at_n"], 2),
        break_even=format_floor(even["r2_nagelkerke"], 2),
    )


def wording_results() -> r.Facts:
    """Section 6.2's uses of "most of the sample" (:func:`ridersurvey.data.ledger.most_of_sample`) and the valid share."""
    uses = most_of_sample()
    labels = _labels()
    return r.Facts(
        valid_share=r.percent(100 * value(ids.VALID) / value(ids.COLLECTED)),
        n_uses=r.count_words(len(uses)),
        holds=r.names(labels[v].lower() for v in uses.index[uses["holds"]]),
        fails=r.names(labels[v].lower() for v in uses.index[~uses["holds"]]),
    )
