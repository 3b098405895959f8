"""The conclusions chapter (``chapters/conclusions.md``): each of the paper's findings beside the printed numbers
it rests on, what they imply on their own, and the audit's verdicts."""

from __future__ import annotations

import pandas as pd

from ridersurvey import report as r
from ridersurvey.precision import format_p_floor


def _labels() -> dict[str, str]:
    from ridersurvey.codebook import load_codebook

    book = load_codebook()
    return {v: book[v].label_en for v in book.names}


def finding_verdicts() -> pd.DataFrame:
    """The reconstruction-free verdict on each finding (:func:`ridersurvey.robustness.finding_verdicts`)."""
    from ridersurvey.inference import table3_from_print
    from ridersurvey.power import load_power, n_for_power
    from ridersurvey.robustness import finding_verdicts as verdicts

    curve, _ = load_power()
    return verdicts(table3_from_print(), n_for_power(curve))


def facts(audit: pd.DataFrame) -> r.Facts:
    """The numbers the conclusions chapter quotes.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.run_audit`.

    Returns
    -------
    Facts
    """
    from ridersurvey.inference import table3_from_print
    from ridersurvey.mechanisms import decimal_slips
    from ridersurvey.power import design_text, load_power
    from ridersurvey.published import load_ledger
    from ridersurvey.robustness import verdict_rule
    from ridersurvey.verdicts import VERDICT_NAMES

    ledger = load_ledger()
    val = lambda i: float(ledger.loc[i, "value"])
    printed = table3_from_print(ledger)
    verdicts = finding_verdicts()
    labels = _labels()
    out: dict[str, str] = {
        "n_valid": r.integer(val("s6.valid")),
        "n_events": r.integer(val("t1.unwilling.1.count")),
        "n_predictors": r.count_words(len(printed)),
        "n_significant": r.count_words(int(printed["significant"].sum())),
        "pairs": r.names(labels[v].lower() for v in printed.index[~printed["clears_floor"]]),
        "n_pairs": r.count_words(int((~printed["clears_floor"]).sum())),
        "n_as_printed": r.count_words(int((verdicts["verdict"] == "reported significant, pair attainable").sum())),
        "as_printed": r.names(
            labels[v].lower() for v in verdicts.index[verdicts["verdict"] == "reported significant, pair attainable"]
        ),
        "not_ruled_out": r.names(
            labels[v].lower() for v in verdicts.index[verdicts["verdict"] == "null, effect of this size not ruled out"]
        ),
        "n_not_ruled_out": r.count_words(int((verdicts["verdict"] == "null, effect of this size not ruled out").sum())),
        "null_power": _with_power(verdicts, "null, effect of this size not ruled out", labels),
        "null_power_printed": _with_printed_power(verdicts, "null, effect of this size not ruled out", labels),
        "marital_mean_printed": r.number(val("t2.marital_status.mean"), 2),
        "marital_mean_stated": r.number(float(audit.loc["t2.marital_status.mean", "computed"]), 2),
        "prose_aw": r.number(val("s7p.policy_awareness.coef"), 2),
        "verdict_rule": r.Text(verdict_rule()),
        "power_design": r.Text(design_text(load_power()[1])),
        "per_step_note": r.Text(r.sentence_case(_per_step_note())),
    }
    for var in printed.index:
        row = printed.loc[var]
        out[f"b_{var}"] = r.number(row["b"])
        out[f"p_{var}"] = r.p_value(row["p"])
        out[f"floor_{var}"] = r.Text(format_p_floor(row["p_floor"]))
        out[f"needed_{var}"] = r.number(row["b_needed"])
        out[f"or_{var}"] = r.number(row["odds_ratio"], 2)
        out[f"ci_{var}"] = r.bounds(row["ci_low_min"], row["ci_high_max"], 2)
        out[f"power_{var}"] = r.percent(100 * verdicts.loc[var, "power"], 0)
        out[f"power_printed_{var}"] = r.Text(
            printed_power_text(*verdicts.loc[var, ["power_printed_min", "power_printed_max"]])
        )
    for eid in ("t2.marital_status.mean", "s7p.outcome_definition", "s7p.policy_awareness.coef", "t3.health.p"):
        out["verdict_" + eid.replace(".", "_")] = r.Text(VERDICT_NAMES[audit.loc[eid, "verdict"]])
    slips = decimal_slips(ledger)
    text = slips[slips["mechanism"].str.contains("the text's value")]
    out["prose_aw_floor"] = r.Text(format_p_floor(float(text.iloc[0]["p_floor"]))) if len(text) else r.Text("")
    return r.Facts(**out)


def _power_text(power: float, mcse: float) -> str:
    from ridersurvey.power import load_power, power_text

    return power_text(power, mcse, load_power()[1]["reps"])


def printed_power_text(low: float, high: float) -> str:
    """Power at the ends of a printed pair's SE interval, in percent: one number when both round alike.

    Parameters
    ----------
    low, high : float
        :func:`ridersurvey.robustness.finding_verdicts`' ``power_printed_min`` and ``power_printed_max``
        (missing where the pair cannot stand).

    Returns
    -------
    str
    """
    if pd.isna(low) or pd.isna(high):
        return "cannot stand"
    lo, hi = r.percent(100 * low, 0), r.percent(100 * high, 0)
    return str(lo) if lo == hi else f"{lo[:-1]}–{hi}"


def _with_printed_power(verdicts: pd.DataFrame, verdict: str, labels: dict[str, str]) -> r.Text:
    rows = verdicts[verdicts["verdict"] == verdict]
    return r.names(
        f"{labels[v].lower()} ({printed_power_text(rows.loc[v, 'power_printed_min'], rows.loc[v, 'power_printed_max'])})"
        for v in rows.index
    )


def _with_power(verdicts: pd.DataFrame, verdict: str, labels: dict[str, str]) -> r.Text:
    rows = verdicts[verdicts["verdict"] == verdict]
    return r.names(
        f"{labels[v].lower()} (power {_power_text(rows.loc[v, 'power'], rows.loc[v, 'power_mcse'])})"
        for v in rows.index
    )


def _per_step_note(odds_ratio: float = 2.0) -> str:
    from ridersurvey.power import end_to_end_odds_ratio, published_marginals

    k = max(len(codes) for codes, _ in published_marginals().values())
    return (
        f"an odds ratio of {odds_ratio:g} per step is {odds_ratio:g} between the two answers of a two-option item but "
        f"{end_to_end_odds_ratio(odds_ratio, k):g} between the ends of a {r.count_words(k)}-point scale, so power "
        "is not comparable across items"
    )


def findings_table() -> r.Table:
    """The paper's nine findings: the printed pair, what it implies, and the reconstruction-free verdict."""
    from ridersurvey.mechanisms import load_readings
    from ridersurvey.power import design_text, load_power

    verdicts = finding_verdicts()
    readings = load_readings()
    labels = _labels()
    frame = verdicts.copy()
    frame["label"] = [labels[v] for v in frame.index]
    frame["claim"] = [
        readings.loc[v, "reading_en"] if v in readings.index else "no significant association" for v in frame.index
    ]
    frame["ci_text"] = [
        r.bounds(lo, hi, 2) if s else "cannot stand"
        for lo, hi, s in zip(frame["ci_low_min"], frame["ci_high_max"], frame["stands"], strict=True)
    ]
    frame["power_text"] = [_power_text(p, m) for p, m in zip(frame["power"], frame["power_mcse"], strict=True)]
    frame["power_printed_text"] = [
        printed_power_text(lo, hi)
        for lo, hi in zip(frame["power_printed_min"], frame["power_printed_max"], strict=True)
    ]
    _, meta = load_power()
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("claim", "What the paper concludes"),
            r.Column("b", "b", ".3f"),
            r.Column("p", "p", r.p_value),
            r.Column("ci_text", "95% CI of the odds ratio"),
            r.Column("power_printed_text", "Power for OR 2 per step, at the printed SE"),
            r.Column("power_text", "Power, simulated with no other effect"),
            r.Column("verdict", "Verdict"),
        ]
    )
    return spec.table(
        frame,
        "The paper's findings in the order of the paper's Table 3, each with the printed coefficient and p-value, the odds-ratio "
        "interval those two numbers imply (outermost limits over their rounding; none where the pair cannot stand), "
        "the power of the paper's own design to detect an odds ratio of 2 per code step, first at the standard "
        "error the printed pair implies (Wald test, normal approximation; a range where the rounding matters), then "
        "simulated with every other predictor without effect, which is optimistic, since the paper's other effects "
        "are large and leave less information about each coefficient (± its Monte Carlo standard error, in "
        "percentage points; "
        + design_text(meta)
        + f"; {_per_step_note()}), and the verdict of the rule stated above, which uses the printed numbers only.",
        "tbl-conclusions-findings",
    )


def basis_table(audit: pd.DataFrame) -> r.Table:
    """The audit's verdicts on the printed numbers the conclusions rest on."""
    from ridersurvey.published import table3
    from ridersurvey.verdicts import VERDICT_NAMES

    ids = [f"t3.{v}.p" for v in table3().index] + [
        "s7p.outcome_definition",
        "t2.marital_status.mean",
        "s7p.policy_awareness.coef",
    ]
    frame = audit.loc[ids].copy()
    frame["verdict_name"] = frame["verdict"].map(VERDICT_NAMES)
    spec = r.TableSpec(
        [
            r.Column("quantity", "Published number", literal=True),
            r.Column("printed", "As printed", literal=True),
            r.Column("verdict_name", "Verdict"),
            r.Column("reason", "Reason", literal=True),
        ]
    )
    return spec.table(
        frame,
        "The audit's verdicts on the numbers behind the conclusions: the p-values of the paper's Table 3, the outcome definition, "
        "the marital-status mean and the awareness coefficient quoted in the text. A p-value matched by "
        "construction is one the book's reconstruction was built to reproduce.",
        "tbl-conclusions-audit",
    )
