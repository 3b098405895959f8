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
            "evidence": f"{f.events} events in the smaller class, {f.epv} per predictor; Riley et al.'s criteria ask "
            f"for at least {f.n_required} riders, and the expected shrinkage at n = {f.n} is {f.shrinkage_at_n}",
            "consequence": "Coefficients are likely overstated and unstable; non-significant results are weak "
            "evidence of no effect",
            "resolution": "Acknowledging the limitation; penalised estimation; a larger sample",
        },
        {
            "problem": "Wording of descriptive statistics",
            "where": "Sections 6.1–6.2",
            "quote": f"问卷回收率{printed('s6.recovery_rate')}; 样本大部分为“健康状况比较差”",
            "evidence": f"The {f.valid_share_printed}% is the valid share of collected questionnaires ({f.n} of {f.collected}), not a "
            f"response rate; 'most of the sample' is said of answers given by fewer than a third of riders, and for "
            f"health ({f.health_fairly_poor} riders) the answer ties with 'average' ({f.health_average})",
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
