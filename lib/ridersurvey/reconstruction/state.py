"""A data set as the search's arrays and back: ``(X, y, beta)`` of a frame, the frame of ``(X, y)``.

The search (:mod:`~ridersurvey.reconstruction.search`), its exact final step
(:mod:`~ridersurvey.reconstruction.endgame`) and the ensemble and envelope runs all move between a data frame
and the compiled kernel's arrays; this is the one place that conversion and the model fit it needs live.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ridersurvey.model.logit import fit_logit
from ridersurvey.reconstruction.targets import Targets

__all__ = ["fit_coefficients", "frame", "state_of"]


def frame(targets: Targets, X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """The state as a data frame: rows sorted, ``respondent_id`` 1..n, then the outcome and the predictors."""
    cols = [targets.outcome, *targets.predictors]
    vals = np.column_stack([y, X]).round().astype(np.int64)
    df = pd.DataFrame(vals, columns=cols).sort_values(cols, kind="mergesort").reset_index(drop=True)
    df.insert(0, "respondent_id", np.arange(1, len(df) + 1, dtype=np.int64))
    return df


def state_of(targets: Targets, data: pd.DataFrame):
    """(X, y, beta) of a data frame: the inverse of :func:`frame`, with beta the ML fit."""
    X = data[list(targets.predictors)].to_numpy(dtype=np.float64).copy()
    y = data[targets.outcome].to_numpy(dtype=np.float64).copy()
    beta = fit_coefficients(data, targets.predictors, targets.outcome)["coef"].to_numpy(dtype=np.float64).copy()
    return X, y, beta


def fit_coefficients(data: pd.DataFrame, predictors=None, outcome: str = "unwilling") -> pd.DataFrame:
    """The model's coef, se and p (index const + predictors): :func:`ridersurvey.model.logit.fit_logit`."""
    return fit_logit(data, None if predictors is None else list(predictors), outcome).coefficients()[
        ["coef", "se", "p"]
    ]
