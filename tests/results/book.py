"""Book-level reference numbers: the paper's printed values and the audit's headline counts.

Each number is typed from the source named beside it, never computed by the code under test. A test that
needs one imports it from here (``from results import book``), so a reviewed change of a headline is one edit.
"""

#: Wu (2023), Table 3, column p as printed (stars dropped): the seven predictors whose printed coefficient and
#: p-value can stand together.
COHERENT_P = {
    "publicity": 0.407,
    "employment_duration": 0.845,
    "education": 0.002,
    "marital_status": 0.009,
    "age_group": 0.845,
    "hukou": 0.105,
    "gender": 0.032,
}
#: Wu (2023), Table 3, column p as printed: the two predictors whose printed p is below the floor their printed
#: coefficient allows (the book's audit chapter, "inconsistent pairs").
CANNOT_STAND_P = {"policy_awareness": 0.006, "health": 0.003}

#: Holm's adjustment of those p-values by hand (m = family size, the i-th smallest p times m - i): over the seven
#: coherent pairs education 0.002 × 7 and marital status 0.009 × 6; over all nine printed p-values education
#: 0.002 × 9, health 0.003 × 8, policy awareness 0.006 × 7, marital status 0.009 × 6.
HOLM_COHERENT = {"education": 7 * 0.002, "marital_status": 6 * 0.009}
HOLM_ALL = {"education": 9 * 0.002, "health": 8 * 0.003, "policy_awareness": 7 * 0.006, "marital_status": 6 * 0.009}

#: The printed numbers and claims the ledger records, one each: the rows of data/published/ledger.csv whose id
#: has no ":check" (by place: Section 1 4, Section 6.1 4, Table 1 68, Table 2 53, Table 3 18, prose and model 38).
N_NUMBERS = 185
#: The audit's findings: the rows of data/published/findings.csv, each a point the book makes about the paper.
N_FINDINGS = 38
#: The audit's findings by verdict, as reviewed in the audit chapter (chapters/audit.md, "Scorecard") when the
#: ledger was last changed; a change here is a changed verdict and needs the chapter's text to change with it.
FINDINGS_BY_VERDICT = {
    "inconsistent-pair": 2,
    "discrepant": 5,
    "unverifiable": 3,
    "matched-by-construction": 8,
    "corroborated": 1,
    "consistent": 19,
}
