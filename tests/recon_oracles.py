"""Independent transcriptions of the paper's Table 1 and Table 3 for the reconstruction's tests.

Typed here from the paper, not read from ``ridersurvey.data.ledger``, so that the tests cross-check the ledger.
"""

import numpy as np
import pandas as pd

PREDICTORS = [
    "gender",
    "hukou",
    "age_group",
    "marital_status",
    "education",
    "health",
    "employment_duration",
    "policy_awareness",
    "publicity",
]
NAMES = ["unwilling", *PREDICTORS]
COUNTS = {
    "unwilling": {1: 51, 0: 49},
    "gender": {1: 69, 2: 31},
    "hukou": {1: 61, 2: 39},
    "age_group": {1: 21, 2: 64, 3: 15},
    "marital_status": {1: 41, 2: 59},
    "education": {1: 6, 2: 32, 3: 45, 4: 16, 5: 1},
    "health": {1: 8, 2: 29, 3: 29, 4: 22, 5: 12},
    "employment_duration": {1: 49, 2: 51},
    "policy_awareness": {1: 18, 2: 28, 3: 24, 4: 20, 5: 10},
    "publicity": {1: 24, 2: 28, 3: 31, 4: 13, 5: 4},
}
TABLE3 = pd.DataFrame(
    {
        "coef": [-0.011, -0.217, -0.106, 0.111, -1.132, 1.296, -0.092, 0.886, 1.166],
        "p": [0.006, 0.407, 0.845, 0.003, 0.002, 0.009, 0.845, 0.105, 0.032],
    },
    index=[
        "policy_awareness",
        "publicity",
        "employment_duration",
        "health",
        "education",
        "marital_status",
        "age_group",
        "hukou",
        "gender",
    ],
)
UNATTAINABLE = {"policy_awareness", "health"}


def column(var):
    """The multiset of codes of ``var`` (sorted)."""
    return np.repeat(list(COUNTS[var]), list(COUNTS[var].values()))


def statsmodels_fit(df, outcome="unwilling"):
    """The paper's model fitted by statsmodels directly."""
    import statsmodels.api as sm

    return sm.Logit(df[outcome].astype(float), sm.add_constant(df[PREDICTORS].astype(float))).fit(disp=0)


def meets_table3(df, free=()):
    """Every coefficient rounds to Table 3's and every attainable (or freed) p-value too."""
    res = statsmodels_fit(df)
    for var in PREDICTORS:
        if var not in free and round(res.params[var], 3) != TABLE3.loc[var, "coef"]:
            return False
        if (var not in UNATTAINABLE or var in free) and round(res.pvalues[var], 3) != TABLE3.loc[var, "p"]:
            return False
    return all(df[v].value_counts().to_dict() == c for v, c in COUNTS.items())


def envelope_frame():
    """A made-up envelope table (:func:`ridersurvey.robustness.finding_robustness.envelope`) with one statistic in each
    state."""
    from ridersurvey.robustness.finding_robustness import IMPLIED

    frame = pd.DataFrame(
        {
            "statistic": ["se_a", "se_b", "se_c", "auc", "n_x"],
            "label": ["A", "B", "C", "AUC", "X = 1, unwilling"],
            "group": ["standard errors", "standard errors", "standard errors", "fit measures", "cross-table cells"],
            "decimals": [3, 3, 3, 3, 0],
            "min": [0.4, 0.5, 0.30, 0.7, 10.0],
            "max": [0.6, 0.5004, 0.32, 0.85, 14.0],
            "committed": [0.5, 0.5002, 0.31, 0.77, 12.0],
            "ensemble_min": [0.45, 0.5001, 0.305, 0.74, 11.0],
            "ensemble_max": [0.55, 0.5003, 0.315, 0.8, 13.0],
            "implied_min": [float("nan"), float("nan"), 0.29871, float("nan"), float("nan")],
            "implied_max": [float("nan"), float("nan"), 0.32009, float("nan"), float("nan")],
        }
    )
    frame["pinned"] = frame["max"] - frame["min"] < 10.0 ** -frame["decimals"]
    frame["state"] = ["open", "narrow so far", IMPLIED, "open", "open"]
    frame.attrs["n_ensemble"] = 7
    return frame
