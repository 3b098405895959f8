"""Independent computations that several test modules check the library against.

Written from textbook formulas, without calling the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def newton_logit(y: np.ndarray, x: np.ndarray, iters: int = 50) -> tuple[np.ndarray, np.ndarray, float]:
    """Textbook Newton–Raphson for the logit: coefficients, Wald SEs (inverse information), log-likelihood."""
    beta = np.zeros(x.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-x @ beta))
        info = x.T @ (x * (p * (1 - p))[:, None])
        step = np.linalg.solve(info, x.T @ (y - p))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    p = 1 / (1 + np.exp(-x @ beta))
    info = x.T @ (x * (p * (1 - p))[:, None])
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    ll = float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return beta, se, ll


def permuted_table1_data(seed: int = 20231010) -> pd.DataFrame:
    """Independent columns with exactly Table 1's marginals (built from the ledger, not the data file)."""
    from ridersurvey.codebook import load_codebook
    from ridersurvey.published import table1_counts

    rng = np.random.default_rng(seed)
    counts = table1_counts()
    book = load_codebook()
    cols: dict[str, np.ndarray] = {"respondent_id": np.arange(1, 101)}
    for var in book.names:
        col = np.repeat(list(counts[var]), list(counts[var].values()))
        cols[var] = rng.permutation(col)
    return pd.DataFrame(cols)[book.columns]
