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

#: The p floors of the two pairs that cannot stand, by hand: the smallest logit SE a predictor of sample SD s
#: allows at n = 100 is 2 / (s √99), so p ≥ 2Φ(−z) with z = (|b| + 0.0005)(s + 0.0005)√99 / 2, |b| from
#: Wu (2023) Table 3 (0.011, 0.111) and s from its Table 2 (1.248, 1.150), each at the top of its rounding
#: interval: z = 0.0714 and 0.6382, rounded to three decimals.
P_FLOORS = {"policy_awareness": 0.943, "health": 0.523}

#: Holm's adjustment over the nine tests by hand (m = 9, the i-th smallest p times m - i, running maximum, cap
#: at 1). If the printed coefficients are right, the two pairs that cannot stand enter with their floors (both above
#: hukou's 0.105, so the four smallest keep their ranks): education 0.002 × 9, marital status 0.009 × 8, gender
#: 0.032 × 7, hukou 0.105 × 6, the rest 1. If the printed p-values are right: education 0.002 × 9, health
#: 0.003 × 8, policy awareness 0.006 × 7, marital status 0.009 × 6, gender 0.032 × 5, hukou 0.105 × 4.
HOLM_COEFFICIENTS_RIGHT = {
    "education": 9 * 0.002,
    "marital_status": 8 * 0.009,
    "gender": 7 * 0.032,
    "hukou": 6 * 0.105,
    "publicity": 1.0,
    "policy_awareness": 1.0,
    "health": 1.0,
    "employment_duration": 1.0,
    "age_group": 1.0,
}
HOLM_ALL = {
    "education": 9 * 0.002,
    "health": 8 * 0.003,
    "policy_awareness": 7 * 0.006,
    "marital_status": 6 * 0.009,
    "gender": 5 * 0.032,
    "hukou": 4 * 0.105,
}

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
