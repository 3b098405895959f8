"""Simulated power of the paper's design to detect stated odds ratios, from Table 1's marginals alone."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import expit

from ridersurvey import messages
from ridersurvey.audit.precision import fixed, percent
from ridersurvey.data import strict_json
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import table1_counts
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.model.batch_logit import batch_logit

POWER_SEED = 442
POWER_GRID = (100, 150, 200, 300, 500, 750, 1000, 1500, 2000)
#: Odds ratios per one-step rise in a code that a policy reader might care about.
POWER_ODDS_RATIOS = (1.5, 2.0, 3.0)
POWER_REPS = 1000
#: More replicates at the sample sizes whose power the book reads cell by cell (the paper's n = 100): at
#: 1,000 replicates one of the grid's cells there fell 3.3 Monte Carlo SEs below its value.
POWER_REPS_AT = {100: 20000}
EVENT_RATE = 0.51


def published_marginals() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Table 1's marginals of the nine predictors as ``{var: (codes, probabilities)}``."""
    counts = table1_counts()
    out = {}
    for var in load_codebook().predictors:
        codes = np.array(list(counts[var]), dtype=float)
        freq = np.array(list(counts[var].values()), dtype=float)
        out[var] = (codes, freq / freq.sum())
    return out


def intercept_for_event_rate(coefs: pd.Series, rate: float = EVENT_RATE, marginals: dict | None = None) -> float:
    """Intercept giving an expected event rate of ``rate`` with independent covariates from the marginals.

    Exact: enumerates every combination of codes (60,000 for Table 1) with its product probability and
    solves E[expit(a + x'b)] = rate for a with Brent's method.
    """
    marginals = published_marginals() if marginals is None else marginals
    cols = list(coefs.index)
    eta = np.zeros(1)
    prob = np.ones(1)
    for var in cols:
        codes, p = marginals[var]
        eta = (eta[:, None] + coefs[var] * codes[None, :]).ravel()
        prob = (prob[:, None] * p[None, :]).ravel()
    return float(optimize.brentq(lambda a: prob @ expit(a + eta) - rate, -50, 50, xtol=1e-12))


def simulate_power(
    n: int,
    odds_ratio: float,
    reps: int = POWER_REPS,
    seed: int = POWER_SEED,
    rate: float = EVENT_RATE,
    alpha: float = 0.05,
    chunk: int = 250,
    variables: list[str] | None = None,
) -> pd.DataFrame:
    """Simulated power of the Wald test to detect a stated odds ratio per code step, for each predictor.

    For predictor j, data sets of ``n`` riders are drawn with the nine covariates independent from Table 1's
    marginals and the outcome Bernoulli with log-odds ``a + log(odds_ratio) x_j`` (every other predictor
    without effect; ``a`` from :func:`intercept_for_event_rate`, so that about ``rate`` are unwilling); the
    paper's nine-predictor logit is fitted and x_j tested at ``alpha``. The generator is seeded with
    ``(seed, n, round(100 * odds_ratio), j)``, so each cell is reproducible on its own. Replicates whose fit
    fails (separation, non-convergence) count as non-rejections and are reported in ``n_failed``.

    Parameters
    ----------
    n : int
    odds_ratio : float
        Odds ratio per one-step rise in the predictor's code.
    reps, seed : int
    rate, alpha : float
    chunk : int
        Replicates fitted at once.
    variables : list of str, optional
        Predictors to simulate (all nine by default); the generator of each is seeded as in the full run.

    Returns
    -------
    DataFrame
        One row per predictor: n, odds_ratio, variable, power, mcse (``sqrt(power (1 - power) / reps)``),
        reps and n_failed.
    """
    names = load_codebook().predictors
    marg = published_marginals()
    rows = []
    for j, var in enumerate(names):
        if variables is not None and var not in variables:
            continue
        coefs = pd.Series(0.0, index=names)
        coefs[var] = np.log(odds_ratio)
        a = intercept_for_event_rate(coefs, rate, marg)
        beta = np.r_[a, coefs.to_numpy()]
        rng = np.random.default_rng([seed, n, int(round(100 * odds_ratio)), j])
        reject = failed = done = 0
        while done < reps:
            b = min(chunk, reps - done)
            cols = [rng.choice(marg[v][0], size=(b, n), p=marg[v][1]) for v in names]
            X = np.stack([np.ones((b, n)), *cols], axis=-1)
            y = (rng.random((b, n)) < expit(X @ beta)).astype(float)
            fit = batch_logit(X, y, np.ones((b, n)), max_iter=30)
            z = fit.beta[:, j + 1] / fit.se[:, j + 1]
            reject += int(((2 * stats.norm.sf(np.abs(z)) < alpha) & fit.converged).sum())
            failed += int((~fit.converged).sum())
            done += b
        power = reject / reps
        rows.append(
            {
                "n": n,
                "odds_ratio": odds_ratio,
                "variable": var,
                "power": power,
                "mcse": float(np.sqrt(power * (1 - power) / reps)),
                "reps": reps,
                "n_failed": failed,
            }
        )
    return pd.DataFrame(rows)


def power_curve(
    grid: tuple[int, ...] = POWER_GRID,
    odds_ratios: tuple[float, ...] = POWER_ODDS_RATIOS,
    reps: int = POWER_REPS,
    seed: int = POWER_SEED,
    reps_at: dict[int, int] | None = None,
) -> pd.DataFrame:
    """:func:`simulate_power` over a grid of sample sizes and odds ratios (long format), with ``reps``
    replicates per cell, or ``reps_at[n]`` at the sample sizes it names (default :data:`POWER_REPS_AT`)."""
    reps_at = POWER_REPS_AT if reps_at is None else reps_at
    return pd.concat(
        [simulate_power(n, r, reps_at.get(n, reps), seed) for r in odds_ratios for n in grid], ignore_index=True
    )


def n_for_power(curve: pd.DataFrame, target: float = 0.8) -> pd.DataFrame:
    """Per predictor and odds ratio: power at n = 100 and the smallest grid n reaching ``target``.

    Parameters
    ----------
    curve : DataFrame
        From :func:`power_curve`.
    target : float

    Returns
    -------
    DataFrame
        Index (variable, odds_ratio); columns power_at_100, mcse_at_100, reps_at_100, n_for_target (NaN if never on the
        grid), n_label ("> max" then) and clear (False when the power at 100, at that n or at the grid point
        before it is within two Monte Carlo standard errors of the target, so that another seed could move
        the answer by a grid step).
    """
    rows = []
    top = int(curve["n"].max())
    for (var, ratio), sub in curve.groupby(["variable", "odds_ratio"], sort=False):
        sub = sub.sort_values("n")
        at100 = sub[sub["n"] == 100].iloc[0]
        hit = sub[sub["power"] >= target]
        first = hit.iloc[0] if len(hit) else None
        before = sub[sub["n"] < first["n"]].iloc[-1] if first is not None and (sub["n"] < first["n"]).any() else None
        close = (
            abs(at100["power"] - target) <= 2 * at100["mcse"]
            or (first is not None and first["power"] - target <= 2 * first["mcse"])
            or (before is not None and target - before["power"] <= 2 * before["mcse"])
        )
        rows.append(
            {
                "variable": var,
                "odds_ratio": ratio,
                "power_at_100": float(at100["power"]),
                "mcse_at_100": float(at100["mcse"]),
                "reps_at_100": int(at100["reps"]),
                "n_for_target": float(first["n"]) if first is not None else np.nan,
                "n_label": f"{int(first['n']):,}" if first is not None else f"> {top:,}",
                "clear": not close,
            }
        )
    return pd.DataFrame(rows).set_index(["variable", "odds_ratio"])


def _published_hash() -> str:
    text = json.dumps(
        {"t1": {k: {str(c): v for c, v in d.items()} for k, d in table1_counts().items()}}, sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()


def precompute(
    out_dir: str | Path | None = None,
    seed: int = POWER_SEED,
    reps: int = POWER_REPS,
    grid: tuple[int, ...] = POWER_GRID,
    odds_ratios: tuple[float, ...] = POWER_ODDS_RATIOS,
    reps_at: dict[int, int] | None = None,
) -> Path:
    """Regenerate ``data/robustness/power.csv`` and its ``power.json`` (seed, reps, grid, method) exactly.

    The power simulation depends only on Table 1's marginals, the stated odds ratios and the seed (not on
    Table 3, and not on reconstructed data), so it is computed once and stored; the JSON records a hash of
    the inputs.
    """
    out_dir = Path(out_dir) if out_dir else DATA_DIR / "robustness"
    out_dir.mkdir(parents=True, exist_ok=True)
    reps_at = POWER_REPS_AT if reps_at is None else reps_at
    curve = power_curve(grid, odds_ratios, reps, seed, reps_at)
    curve.to_csv(out_dir / "power.csv", index=False, float_format="%.6g")
    meta = {
        "seed": seed,
        "reps": reps,
        "reps_at": {str(n): int(r) for n, r in reps_at.items()},
        "grid": list(grid),
        "odds_ratios": list(odds_ratios),
        "event_rate": EVENT_RATE,
        "alpha": 0.05,
        **{key: messages.text(f"power.meta.{key}") for key in ("covariates", "effects", "test", "generator")},
        "inputs_sha256": _published_hash(),
        "function": "ridersurvey.robustness.power.precompute",
    }
    (out_dir / "power.json").write_text(strict_json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out_dir


def load_power(path: str | Path | None = None) -> tuple[pd.DataFrame, dict]:
    """The precomputed power curve and its metadata; raises if the published inputs have changed."""
    path = Path(path) if path else DATA_DIR / "robustness"
    meta = json.loads((path / "power.json").read_text(encoding="utf-8"))
    if meta["inputs_sha256"] != _published_hash():
        raise RuntimeError(messages.text("power.stale"))
    return pd.read_csv(path / "power.csv"), meta


def end_to_end_odds_ratio(odds_ratio: float, n_codes: int) -> float:
    """The odds ratio between the lowest and the highest code of an item entered linearly.

    Parameters
    ----------
    odds_ratio : float
        The odds ratio per one-step rise in the code.
    n_codes : int
        Number of codes of the item.

    Returns
    -------
    float
        ``odds_ratio ** (n_codes - 1)``.
    """
    return float(odds_ratio ** (n_codes - 1))


def power_text(power: float, mcse: float, reps: int = POWER_REPS) -> str:
    """A simulated power for tables and prose, in percent with its Monte Carlo standard error in percentage points
    ("93% ± 0.8"). The power prints by :func:`ridersurvey.audit.precision.percent`, so a power below 1 never shows
    as 100% ("99.98%"), and the error gains decimals until it shows a non-zero digit ("± 0.01"). When every replicate
    (or none) rejected, the binomial standard error is zero and says nothing: the power is then shown as the one-sided
    95% bound of the rule of three, 3 / ``reps``, rounded outwards to its first significant digit: "> 99.7%"
    ("< 0.3%") at 1,000 replicates, "> 99.98%" at 20,000.

    Parameters
    ----------
    power, mcse : float
        As in :func:`simulate_power`.
    reps : int
        Replicates behind ``power``.

    Returns
    -------
    str
    """
    bound = 100 * 3 / reps
    digits = max(1, -math.floor(math.log10(bound)))
    scale = 10**digits
    if power >= 1:
        return f"> {fixed(math.floor((100 - bound) * scale) / scale, digits)}%"
    if power <= 0:
        return f"< {fixed(math.ceil(bound * scale) / scale, digits)}%"
    shown = 1
    while 0 < 100 * mcse and float(f"{100 * mcse:.{shown}f}") == 0:
        shown += 1
    return f"{percent(100 * power, 0)} ± {fixed(100 * mcse, shown)}"


def printed_power_text(low: float, high: float) -> str:
    """Power at the ends of a printed pair's SE interval, in percent: one number when both round alike
    ("25%"), else a range ("24–25%"); "–" where the pair cannot stand (both missing).

    Parameters
    ----------
    low, high : float
        :func:`ridersurvey.robustness.finding_robustness.finding_verdicts`' ``power_printed_min`` and
        ``power_printed_max``.

    Returns
    -------
    str
    """
    if math.isnan(low) or math.isnan(high):
        return "–"
    lo, hi = percent(100 * low, 0), percent(100 * high, 0)
    return str(lo) if lo == hi else f"{lo[:-1]}–{hi}"
