"""The summary for the journal (``chapters/summary.md``): the problems ranked by severity, with their evidence."""

from __future__ import annotations

import pandas as pd

from ridersurvey import report as r


def problems(audit: pd.DataFrame) -> pd.DataFrame:
    """The problems of the paper in order of severity, each with its evidence and what would resolve it.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.run_audit`.

    Returns
    -------
    DataFrame
        Columns rank, problem, where (section or table), quote (the paper's words, Chinese), evidence (the
        arithmetic, computed), consequence and resolution.
    """
    from ridersurvey.chapters.audit import facts as audit_facts
    from ridersurvey.published import load_ledger, table3

    f = audit_facts(audit)
    ledger = load_ledger()
    printed = lambda i: str(ledger.loc[i, "printed"])
    n_significant = r.count_words(int((table3(ledger)["p"] < 0.05).sum()))
    rows = [
        {
            "problem": "Two coefficient and p-value pairs that no data set can produce as Wald or likelihood-ratio tests",
            "where": "Table 3 (health; policy awareness)",
            "quote": f"健康状况 {printed('t3.health.coef')} {printed('t3.health.p')}; 对当前灵活就业者职业伤害保障的了解程度 "
            f"{printed('t3.policy_awareness.coef')} {printed('t3.policy_awareness.p')}",
            "evidence": f"With Table 2's SDs ({f.he_sd}, {f.aw_sd}) and n = {f.n}, the smallest possible standard errors are "
            f"{f.he_se_floor} and {f.aw_se_floor}, so the printed coefficients allow no p below {f.he_p_floor} and "
            f"{f.aw_p_floor} (model-based Wald or likelihood-ratio test); the printed p-values would need |b| ≥ "
            f"{f.he_b_needed} and {f.aw_b_needed}",
            "consequence": f"{f.n_pairs_words.capitalize()} of the {n_significant} effects reported as significant, and the "
            "recommendations on compulsion and publicity that rest on them, cannot be interpreted as printed",
            "resolution": "The estimation output (standard errors or Wald statistics for every coefficient) and the "
            "name of the test behind the p-values",
        },
        {
            "problem": "The outcome is coded in two opposite ways",
            "where": "Section 7.2 against Table 2",
            "quote": f"{printed('s7p.outcome_definition')}; Table 2: {printed('t2.unwilling.coding.0')}, "
            f"{printed('t2.unwilling.coding.1')}",
            "evidence": f"All {f.n_readings} readings of individual coefficients follow Table 2 (unwilling = 1) and "
            f"{f.n_follow_model} follows the model section; the model section's own rule for signs follows Z = 1 for "
            "willing",
            "consequence": "The direction of every effect depends on which coding was used",
            "resolution": "A statement of the coding used in the estimation",
        },
        {
            "problem": "The marital-status coding contradicts its mean",
            "where": "Table 2 (and Table 1's row order)",
            "quote": f"{printed('t2.marital_status.coding.1')}, {printed('t2.marital_status.coding.2')}; "
            f"均值 {printed('t2.marital_status.mean')}",
            "evidence": f"With {f.married} married and {f.unmarried} unmarried riders the stated coding gives "
            f"{f.marital_mean_stated}; the printed {f.marital_mean_printed} is what married = 1 gives, the order in "
            "which Table 1 lists the answers",
            "consequence": "Whether married or unmarried riders are less willing cannot be settled from the paper",
            "resolution": "The coding in the data file",
        },
        {
            "problem": "Table 2's mean of the outcome contradicts Table 1",
            "where": "Table 2",
            "quote": f"个人意愿 均值 {printed('t2.unwilling.mean')} 标准差 {printed('t2.unwilling.sd')}",
            "evidence": f"Table 1's {f.outcome_unwilling} unwilling riders of {f.n} give {f.outcome_mean_counts}; the "
            f"printed SD {f.outcome_sd_printed} fits {f.outcome_mean_counts}, while a mean of "
            f"{f.outcome_mean_printed} would have SD {f.outcome_debit_sd}",
            "consequence": "A misreading of the share unwilling; none for the model",
            "resolution": f"Correcting the mean to {f.outcome_mean_counts}",
        },
        {
            "problem": "The text's awareness coefficient differs tenfold from Table 3's",
            "where": "Section 7.2 against Table 3",
            "quote": f"回归系数是{printed('s7p.policy_awareness.coef')}; Table 3: {printed('t3.policy_awareness.coef')}",
            "evidence": f"The text's {f.aw_text_b} is {f.aw_ratio_text} times the table's {f.aw_b}, and neither is "
            f"compatible with p = {f.aw_p} (the text's value allows no p below {f.aw_text_floor})",
            "consequence": "The size of the awareness effect is unknown",
            "resolution": "The estimation output",
        },
        {
            "problem": "Methods announced but not reported",
            "where": "Sections 2, 4.2 and 6.1",
            "quote": f"{printed('s2p.indicator_system')}; {printed('s4p.difference_analysis')}; "
            f"{printed('s6p.reliability_validity')}",
            "evidence": "No indicator system, no difference analysis and no reliability or validity statistic appear "
            "in the paper",
            "consequence": "The claims cannot be assessed",
            "resolution": "Reporting the analyses and statistics, or removing the claims",
        },
        {
            "problem": "A sample small for a nine-predictor model",
            "where": "Sections 6–7",
            "quote": "最后获得有效样本100份",
            "evidence": f"{f.events} events in the smaller class, {f.epv} per predictor; under Riley et al.'s default "
            f"anticipated R² (Nagelkerke {f.nagelkerke_default}) their criteria ask for at least {f.n_required} riders, "
            f"and the expected shrinkage at n = {f.n} is {f.shrinkage_at_n}; n = {f.n} meets their shrinkage "
            f"criterion only if the anticipated Nagelkerke R² is at least {f.break_even_nagelkerke}",
            "consequence": "Under that assumption, coefficients are expected to be overstated and unstable; "
            "non-significant results are weak evidence of no effect",
            "resolution": "Acknowledging the limitation; penalised estimation; a larger sample",
        },
        {
            "problem": "Wording of descriptive statistics",
            "where": "Sections 6.1–6.2",
            "quote": f"问卷回收率{printed('s6.recovery_rate')}; 样本大部分为“健康状况比较差”",
            "evidence": f"The {f.valid_share_printed}% is arithmetically consistent (the audit's verdict on the number) but it is the "
            f"valid share of collected questionnaires ({f.n} of {f.collected}), not the response rate its label "
            f"回收率 suggests; 'most of the sample' (样本大部分为), read as the audit reads all {f.mos_n_uses} of the "
            f"paper's uses of the phrase, as the single most frequent answer, holds for {f.mos_holds} but not for "
            f"{f.mos_fails}, where 'fairly poor' ({f.health_fairly_poor} riders) ties with 'average' "
            f"({f.health_average})",
            "consequence": "Minor",
            "resolution": "Rewording",
        },
    ]
    out = pd.DataFrame(rows)
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


def problems_text(audit: pd.DataFrame):
    """:func:`problems` as a numbered list in Markdown, one problem per item, for the summary page.

    Parameters
    ----------
    audit : DataFrame
        :func:`ridersurvey.audit.run_audit`.

    Returns
    -------
    IPython.display.Markdown
    """
    from IPython.display import Markdown

    items = []
    for row in problems(audit).itertuples(index=False):
        items.append(
            f"{row.rank}. **{row.problem}** ({row.where}). As printed: {r.escape_markdown(row.quote)}. "
            f"Evidence: {r.escape_markdown(row.evidence)}. What it affects: {row.consequence}. "
            f"What would resolve it: {row.resolution}."
        )
    return Markdown("\n".join(items) + "\n")


#: How each kind of mechanism in :mod:`ridersurvey.mechanisms` reads as the object of "remains possible".
MECHANISM_NOUNS = {
    "decimal slip in b": "a decimal slip in b",
    "its p-value belongs to another row": "a p-value taken from another row",
    "p is a Pearson χ² test of the 5 × 2 table": "a p-value from a χ² test of the item's answers against the outcome",
    "p is a joint test of the item entered as categories": "a joint test of the item entered as categories",
}


def _kind(mechanism: str) -> tuple[str, str]:
    kind, _, variant = mechanism.partition(" (")
    return kind, variant.rstrip(")")


def pair_mechanisms_text(mechanisms: pd.DataFrame | None = None) -> r.Text:
    """What the audit's mechanism tests leave open for the inconsistent (b, p) pairs, as one sentence.

    A kind of mechanism (a decimal slip, a p-value from another row, another test) is open for a pair when at
    least one of its variants is "possible" (the open variants are named when others are ruled out), and
    ruled out when every variant is.

    Parameters
    ----------
    mechanisms : DataFrame, optional
        :func:`ridersurvey.mechanisms.all_mechanisms` (computed if not given).

    Returns
    -------
    Text
    """
    from ridersurvey.mechanisms import POSSIBLE, RULED_OUT, all_mechanisms

    mechanisms = all_mechanisms() if mechanisms is None else mechanisms

    pairs = mechanisms[mechanisms["problem"].str.contains(" with p = ", regex=False)]
    parts = []
    for problem, rows in pairs.groupby("problem", sort=False):
        label = problem.split(":")[0]
        kinds: dict[str, list[tuple[str, str]]] = {}
        for mechanism, verdict in zip(rows["mechanism"], rows["verdict"]):
            kind, variant = _kind(mechanism)
            kinds.setdefault(kind, []).append((variant, verdict))
        open_, closed = [], []
        for kind, variants in kinds.items():
            noun = MECHANISM_NOUNS.get(kind, kind)
            possible = [v for v, verdict in variants if verdict == POSSIBLE]
            if not possible:
                if all(verdict == RULED_OUT for _, verdict in variants):
                    closed.append(noun)
                continue
            if len(possible) < len(variants) and all(possible):
                noun += f" (only {r.names(possible, 'or')})"
            open_.append(noun)
        text = f"for {label}, {r.names(open_)} {'remain' if len(open_) > 1 else 'remains'} possible"
        if closed:
            text += f", while {r.names(closed)} {'are' if len(closed) > 1 else 'is'} ruled out"
        parts.append(text)
    sentence = "; ".join(parts)
    joint = mechanisms[mechanisms["problem"] == "both inconsistent pairs"]
    if len(joint):
        verdict = "ruled out" if (joint["verdict"] == RULED_OUT).all() else "possible"
        sentence += f"; a shuffle of the whole p column against the b column is {verdict}"
    return r.Text(sentence[0].upper() + sentence[1:] + ".")
