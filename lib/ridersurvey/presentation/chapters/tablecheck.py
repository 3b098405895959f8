"""The appendix "Checking a published table yourself" (``chapters/tablecheck.md``): its tables and the facts its
prose quotes, from :mod:`tablecheck` findings."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from ridersurvey import messages
from ridersurvey.presentation import report as r
from tablecheck import Check, Finding, Verdict
from tablecheck.messages import lower_bound

FINDINGS_SPEC = r.TableSpec(
    [
        r.Column("term", "Term"),
        r.Column("check", "Check"),
        r.Column("verdict", "Verdict"),
        r.Column("detail", "Detail", literal=True),
    ]
)


def findings_frame(findings: Sequence[Finding], verdicts: Sequence[Verdict] = tuple(Verdict)) -> pd.DataFrame:
    """Findings as a frame (term, check, verdict, detail), keeping those with one of ``verdicts``.

    Parameters
    ----------
    findings : sequence of Finding
    verdicts : sequence of Verdict
        Which verdicts to keep (default: all).

    Returns
    -------
    DataFrame
    """
    rows = [
        {"term": f.term, "check": f.check.value, "verdict": f.verdict.value, "detail": f.detail}
        for f in findings
        if f.verdict in verdicts
    ]
    return pd.DataFrame(rows, columns=["term", "check", "verdict", "detail"])


def findings_table(
    findings: Sequence[Finding], caption: str, name: str, verdicts: Sequence[Verdict] = tuple(Verdict)
) -> r.Table:
    """:func:`findings_frame` as a numbered table.

    Parameters
    ----------
    findings : sequence of Finding
    caption, name : str
        The caption and label, from the chapter.
    verdicts : sequence of Verdict
        Which verdicts to show.

    Returns
    -------
    Table
    """
    return FINDINGS_SPEC.table(findings_frame(findings, verdicts), caption, name)


def verdict_counts_table(panels: Mapping[str, Sequence[Finding]], caption: str, name: str) -> r.Table:
    """Findings per check and verdict, one column pair per panel (consistent / inconsistent).

    Parameters
    ----------
    panels : mapping
        Panel name to its findings.
    caption, name : str

    Returns
    -------
    Table
    """
    checks = [c for c in Check if any(f.check is c for fs in panels.values() for f in fs)]
    frame = pd.DataFrame({"check": [c.value for c in checks]})
    columns = [r.Column("check", "Check")]
    for panel, findings in panels.items():
        for verdict in Verdict:
            key = f"{panel}: {verdict.value}"
            frame[key] = [sum(f.check is c and f.verdict is verdict for f in findings) for c in checks]
            if frame[key].any():
                header = messages.label(
                    "{panel}: {verdict}", panel=messages.label(panel), verdict=messages.label(verdict.value)
                )
                columns.append(r.Column(key, header, r.integer))
    return r.TableSpec(columns).table(frame, caption, name)


def _pick(findings: Sequence[Finding], term: str, check: Check) -> Finding:
    return next(f for f in findings if f.term == term and f.check is check)


def wu_results(wu: Sequence[Finding], labels: Mapping[str, str], n: int) -> r.Facts:
    """The numbers the appendix's prose quotes about Wu's Table 3.

    Parameters
    ----------
    wu : sequence of Finding
        The tool's findings on Wu's Table 3.
    labels : mapping
        Wu's variable names to their labels (:meth:`ridersurvey.data.codebook.Codebook.labels`).
    n : int
        Wu's number of cases.

    Returns
    -------
    Facts
    """
    wu_bad = [f for f in wu if f.verdict is Verdict.INCONSISTENT]
    aw = _pick(wu, "policy_awareness", Check.P_VS_B).values
    return r.Facts(
        n=r.integer(n),
        wu_rows=r.count_words(len({f.term for f in wu})),
        wu_stars_consistent=r.share_words(
            sum(f.check is Check.STARS_VS_P and f.verdict is Verdict.CONSISTENT for f in wu), len({f.term for f in wu})
        ),
        wu_findings=r.integer(len(wu)),
        wu_inconsistent=r.count_words(len(wu_bad)),
        wu_caught=r.names(labels[f.term].lower() for f in wu_bad),
        wu_checks=r.names(dict.fromkeys(f.check.value for f in wu)),
        aw_p_floor=lower_bound(aw["p_floor"]),
        aw_se_floor=lower_bound(aw["se_floor"]),
        aw_b_needed=lower_bound(aw["b_needed"]),
        aw_n_needed=r.integer(aw["n_needed"]),
    )


def _namesakes_clean(roy: Mapping[str, Sequence[Finding]], flagged) -> list[tuple[str, str]]:
    """(panel, term) of the rows, in panels other than a flagged row's, of the same term that pass every check."""

    def clean(panel: str, term: str) -> bool:
        rows = [f for f in roy[panel] if f.term.lower() == term]
        return bool(rows) and all(f.verdict is Verdict.CONSISTENT for f in rows)

    return list(
        dict.fromkeys(
            (other, term)
            for panel, term in flagged
            for other in roy
            if other != panel and (other, term) not in flagged and clean(other, term)
        )
    )


def roy_results(roy: Mapping[str, Sequence[Finding]]) -> r.Facts:
    """The numbers the appendix's prose quotes about Roy et al.'s Table 5.

    Parameters
    ----------
    roy : mapping
        Panel name to the tool's findings on that panel; a flagged row's panel is named by this name
        (``roy_caught_terms``), and ``roy_namesakes_clean`` lists the rows of the same terms in the other panels
        that pass every check.

    Returns
    -------
    Facts
    """
    roy_all = [f for fs in roy.values() for f in fs]
    flagged = {
        (panel, f.term.lower()): None for panel, fs in roy.items() for f in fs if f.verdict is Verdict.INCONSISTENT
    }
    return r.Facts(
        roy_findings=r.integer(len(roy_all)),
        roy_consistent=r.integer(sum(f.verdict is Verdict.CONSISTENT for f in roy_all)),
        roy_inconsistent=r.count_words(sum(f.verdict is Verdict.INCONSISTENT for f in roy_all)),
        roy_caught_terms=r.names(f"{term} ({messages.label(panel)})" for panel, term in flagged),
        roy_namesakes_clean=r.names(
            f"{term} ({messages.label(panel)})" for panel, term in _namesakes_clean(roy, flagged)
        ),
    )


def sd_denominators(count: int, n: int, decimals: int = 3) -> r.Facts:
    """The SD of a two-category variable with ``count`` of ``n`` cases in one category, with each denominator.

    Parameters
    ----------
    count, n : int
        Cases in one category, and all cases.
    decimals : int
        Decimals to show, those of the printed SD it is compared with.

    Returns
    -------
    Facts
        ``n_minus_1``: ``sqrt(p (1 - p) n / (n - 1))``; ``n``: ``sqrt(p (1 - p))``, with ``p = count / n``.
    """
    share = count / n
    return r.Facts(
        n_minus_1=r.number(math.sqrt(share * (1 - share) * n / (n - 1)), decimals),
        n=r.number(math.sqrt(share * (1 - share)), decimals),
    )
