"""Granularity tests on Table 2's printed means and SDs: GRIM, a GRIMMER-style exhaustive search and DEBIT.

Summaries of integer answers must be attainable by integers. The tests are :mod:`tablecheck.granularity`'s; this
module applies them to Table 2 with Table 1's scales and n. They use only the printed numbers and the sample size;
none depends on the book's (reconstructed) respondent-level data.
"""

from __future__ import annotations

import pandas as pd

from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.ledger import load_ledger, table1_counts, table2
from tablecheck.granularity import attainable_sums_of_squares, debit, grim, grimmer

__all__ = ["attainable_sums_of_squares", "debit", "granularity_audit", "grim", "grimmer"]


def granularity_audit(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """GRIM, GRIMMER-style and (two-category variables) DEBIT results for every Table 2 mean/SD pair."""
    ledger = load_ledger() if ledger is None else ledger
    counts = table1_counts(ledger)
    t2 = table2(ledger)
    n = int(ledger.loc[ids.N, "value"])
    rows = []
    for var in t2.index:
        mean, sd = float(t2.loc[var, "mean"]), float(t2.loc[var, "sd"])
        codes = sorted(counts[var])
        g = grim(mean, n, 2)
        gm = grimmer(mean, sd, n, codes[0], codes[-1], 2, 3)
        row = {
            "variable": var,
            "mean": mean,
            "sd": sd,
            "grim": g["consistent"],
            "grim_informative": g["informative"],
            "grimmer": gm["consistent"],
            "grimmer_share": gm["share"],
            "debit": None,
            "debit_sd": float("nan"),
        }
        if len(codes) == 2:
            d = debit(mean, sd, n, 2, 3, low_code=codes[0])
            row.update(debit=d["consistent"], debit_sd=d["expected_sd"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("variable")
