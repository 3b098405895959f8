"""The conclusions chapter (``chapters/conclusions.md``): each of the paper's findings beside the printed numbers
it rests on and the audit's verdicts, and what limits every p-value. Numbers, short lists and tables only; the
chapter writes the sentences, captions and labels."""

from __future__ import annotations

import inspect

import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.inference import table3_from_print
from ridersurvey.audit.mechanisms import decimal_slips, load_readings
from ridersurvey.audit.precision import format_p_floor
from ridersurvey.audit.verdicts import AuditVerdict, FindingVerdict
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, table1_counts, table3, value
from ridersurvey.presentation import report as r
from ridersurvey.robustness.finding_robustness import finding_verdicts
from ridersurvey.robustness.power import (
    end_to_end_odds_ratio,
    load_power,
    power_text,
    printed_power_text,
    published_marginals,
)
from ridersurvey.robustness.sample_size import design_adequacy

#: The verdicts of :func:`ridersurvey.robustness.finding_robustness.finding_verdicts` for a significant finding whose pair can stand
#: and for a null whose interval still includes the odds ratio the rule asks to rule out.
AS_PRINTED = FindingVerdict.PAIR_ATTAINABLE
NOT_RULED_OUT = FindingVerdict.NULL_NOT_RULED_OUT


def _labels() -> dict[str, str]:
    return load_codebook().labels()


def _smaller_class(ledger: pd.DataFrame) -> int:
    """The number of riders in the smaller outcome class of Table 1 (the events of events per predictor)."""
    return min(table1_counts(ledger)[load_codebook().outcome].values())


def _verdict(audit: pd.DataFrame, entry: str) -> r.Text:
    return r.Text(AuditVerdict(audit.loc[entry, "verdict"]).label)


def findings_results() -> r.Facts:
    """How the paper's findings fare by the reconstruction-free rule: which stand as printed, which cannot be
    interpreted, which nulls leave an odds ratio of 2 open."""
    ledger = load_ledger()
    printed = table3_from_print(ledger)
    verdicts = finding_verdicts()
    labels = _labels()
    named = lambda mask: r.names(labels[v].lower() for v in verdicts.index[mask])
    return r.Facts(
        n_valid=r.integer(ledger.loc[ids.VALID, "value"]),
        n_smaller_class=r.integer(_smaller_class(ledger)),
        n_predictors=r.count_words(len(printed)),
        n_significant=r.count_words(int(printed["significant"].sum())),
        n_as_printed=r.count_words(int((verdicts["verdict"] == AS_PRINTED).sum())),
        as_printed=named(verdicts["verdict"] == AS_PRINTED),
        n_pairs=r.count_words(int((~printed["clears_floor"]).sum())),
        pairs=named(~printed["clears_floor"]),
        n_not_ruled_out=r.count_words(int((verdicts["verdict"] == NOT_RULED_OUT).sum())),
        not_ruled_out=named(verdicts["verdict"] == NOT_RULED_OUT),
        rule_odds_ratio=r.number(inspect.signature(finding_verdicts).parameters["odds_ratio"].default, 0),
    )


def sampling_results() -> r.Facts:
    """The sample as Section 6.1 reports it: questionnaires collected, valid, and the printed "recovery rate"."""
    return r.Facts(
        n_collected=r.integer(value(ids.COLLECTED)),
        n_valid=r.integer(value(ids.VALID)),
        recovery_rate=r.percent(value(ids.RECOVERY_RATE), 0),
    )


def finding(variable: str) -> r.Facts:
    """One finding's printed pair and what it implies on its own.

    Parameters
    ----------
    variable : str
        A Table 3 predictor.

    Returns
    -------
    Facts
        b, p, odds ratio and its interval (outermost limits over the rounding), the smallest p-value the
        printed b allows (``floor``), the |b| the printed p would need (``needed``), and the Wald power for an
        odds ratio of 2 per step at the SE the pair implies (``power``).
    """
    row = table3_from_print().loc[variable]
    verdict = finding_verdicts().loc[variable]
    return r.Facts(
        b=r.number(row["b"]),
        p=r.p_value(row["p"]),
        odds_ratio=r.number(row["odds_ratio"], 2),
        ci=r.bounds(row["ci_low_min"], row["ci_high_max"], 2),
        floor=format_p_floor(row["p_floor"]),
        needed=r.number(row["b_needed"]),
        power=printed_power_text(verdict["power_printed_min"], verdict["power_printed_max"]),
    )


def coding_results(audit: pd.DataFrame) -> r.Facts:
    """The audit's verdicts on the outcome definition and on the marital-status mean, with the means."""
    return r.Facts(
        outcome_verdict=_verdict(audit, ids.OUTCOME_DEFINITION),
        marital_verdict=_verdict(audit, ids.mean("marital_status")),
        marital_mean_printed=r.number(value(ids.mean("marital_status")), 2),
        marital_mean_stated=r.number(float(audit.loc[ids.mean("marital_status"), "computed"]), 2),
    )


def awareness_results(audit: pd.DataFrame) -> r.Facts:
    """The awareness coefficient the text quotes, the audit's verdict on it and the smallest p-value it allows."""
    ledger = load_ledger()
    slips = decimal_slips(ledger)
    text = slips[slips["quoted"]]
    return r.Facts(
        text_b=r.number(float(ledger.loc[ids.quoted("policy_awareness"), "value"]), 2),
        text_verdict=_verdict(audit, ids.quoted("policy_awareness")),
        text_floor=format_p_floor(float(text.iloc[0]["p_floor"])),
        health_verdict=_verdict(audit, ids.p_value("health")),
    )


def power_results() -> r.Facts:
    """Power to detect an odds ratio of 2 per step for the nulls whose interval includes it: at the printed SE
    (Wald, normal approximation; ``printed_low`` and ``printed_high`` its extremes over them) and simulated with
    no other effect (± Monte Carlo SE), and the simulation's design."""
    verdicts = finding_verdicts()
    nulls = verdicts[verdicts["verdict"] == NOT_RULED_OUT]
    labels = _labels()
    _, meta = load_power()
    printed = (printed_power_text(row.power_printed_min, row.power_printed_max) for row in nulls.itertuples())
    simulated = (power_text(row.power, row.power_mcse, meta["reps"]) for row in nulls.itertuples())
    k = max(len(codes) for codes, _ in published_marginals().values())
    return r.Facts(
        at_printed_se=r.names(
            messages.label("{power} for {item}", power=t, item=labels[v].lower())
            for v, t in zip(nulls.index, printed, strict=True)
        ),
        printed_low=r.percent(100 * nulls["power_printed_min"].min(), 0),
        printed_high=r.percent(100 * nulls["power_printed_max"].max(), 0),
        simulated=r.names(f"{labels[v].lower()} ({t})" for v, t in zip(nulls.index, simulated, strict=True)),
        reps=r.integer(meta["reps"]),
        event_rate=r.number(meta["event_rate"], 2),
        alpha=r.percent(100 * meta["alpha"], 0),
        n_codes_max=r.count_words(k),
        end_to_end=r.number(end_to_end_odds_ratio(2.0, k), 0),
    )


def design_results() -> r.Facts:
    """Events per predictor and Riley et al.'s sample size under their default anticipated R²
    (:func:`ridersurvey.robustness.sample_size.design_adequacy`)."""
    ledger = load_ledger()
    book = load_codebook()
    outcome = table1_counts(ledger)[book.outcome]
    n = int(value(ids.VALID, ledger))

    events = _smaller_class(ledger)
    row = design_adequacy(n=n, events=events, p=len(book.predictors), prevalence=outcome[1] / n).iloc[-1]
    return r.Facts(
        n=r.integer(n),
        epv=r.number(row["epv"], 1),
        n_required=r.integer(row["n_required"]),
        r2_nagelkerke=r.number(row["r2_nagelkerke"], 2),
        shrinkage=r.number(row["shrinkage_at_n"], 2),
    )


def findings_table(caption: str, name: str) -> r.Table:
    """The paper's nine findings: what the paper concludes and the verdict of the reconstruction-free rule."""
    frame = finding_verdicts().copy()
    readings = load_readings()
    labels = _labels()
    frame["label"] = [labels[v] for v in frame.index]
    frame["claim"] = [
        messages.bilingual(readings.loc[v, "reading_en"], readings.loc[v, "quote_zh"]) if v in readings.index else "–"
        for v in frame.index
    ]
    frame["significant_text"] = [messages.label("yes" if s else "no") for s in frame["significant"]]
    spec = r.TableSpec(
        [
            r.Column("label", "Predictor"),
            r.Column("significant_text", "Significant as printed"),
            r.Column("claim", "The paper's reading"),
            r.Column("verdict", "Verdict"),
        ]
    )
    return spec.table(frame, caption, name)


def basis_table(audit: pd.DataFrame, caption: str, name: str) -> r.Table:
    """The audit's verdicts on the printed numbers the conclusions rest on."""
    basis = [ids.p_value(v) for v in table3().index] + [
        ids.OUTCOME_DEFINITION,
        ids.mean("marital_status"),
        ids.quoted("policy_awareness"),
    ]
    frame = audit.loc[basis].copy()
    frame["verdict_name"] = [AuditVerdict(v).label for v in frame["verdict"]]
    spec = r.TableSpec(
        [
            r.Column("quantity", "Published number", literal=True),
            r.Column("printed", "As printed", literal=True),
            r.Column("verdict_name", "Verdict"),
            r.Column("reason", "Reason", literal=True),
        ]
    )
    return spec.table(frame, caption, name)
