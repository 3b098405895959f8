"""Is n = 100 enough for a nine-predictor logit? Events per variable and Riley et al.'s (2020) criteria.

Only the design (sample size, events, number of parameters) and an anticipated R² enter; the anticipated R²
can be a conservative default or the refit's apparent value.
"""

from __future__ import annotations

import math

import pandas as pd

from ridersurvey import messages


def cox_snell_r2(ll_model: float, ll_null: float, n: int) -> float:
    """Cox–Snell R² = 1 - exp(2 (ll_null - ll_model) / n)."""
    return 1.0 - math.exp(2.0 * (ll_null - ll_model) / n)


def max_cox_snell_r2(prevalence: float) -> float:
    """Largest Cox–Snell R² a binary outcome with this prevalence allows (Riley et al. 2020)."""
    phi = prevalence
    ln_null = phi * math.log(phi) + (1 - phi) * math.log(1 - phi)
    return 1.0 - math.exp(2.0 * ln_null)


def riley_sample_size(
    p: int, r2_cs: float, prevalence: float, shrinkage: float = 0.9, delta: float = 0.05, margin: float = 0.05
) -> dict[str, float]:
    """Riley et al. (2020) minimum sample sizes for a binary-outcome model with ``p`` parameters.

    Criterion 1: expected shrinkage >= ``shrinkage``; criterion 2: optimism in Nagelkerke R² <= ``delta``;
    criterion 3: intercept within ``margin`` (95%). Values are unrounded; take the ceiling for a sample size.
    """
    n1 = p / ((shrinkage - 1) * math.log(1 - r2_cs / shrinkage))
    s2 = r2_cs / (r2_cs + delta * max_cox_snell_r2(prevalence))
    n2 = p / ((s2 - 1) * math.log(1 - r2_cs / s2))
    n3 = (1.96 / margin) ** 2 * prevalence * (1 - prevalence)
    return {"criterion_1": n1, "criterion_2": n2, "criterion_3": n3, "shrinkage_2": s2}


def expected_shrinkage(n: int, p: int, r2_cs: float) -> float:
    """Expected (van Houwelingen) shrinkage S at sample size ``n``: solves n = p / ((S - 1) ln(1 - R²/S))."""
    from scipy import optimize

    f = lambda s: (s - 1) * math.log(1 - r2_cs / s) * n - p
    return float(optimize.brentq(f, r2_cs * (1 + 1e-12) + 1e-12, 1 - 1e-12))


def criterion_1_break_even(n: int, p: int, prevalence: float, shrinkage: float = 0.9) -> dict[str, float]:
    """The smallest anticipated R² at which ``n`` meets Riley et al.'s criterion 1 (expected shrinkage ≥ ``shrinkage``).

    Criterion 1 asks for n ≥ p / ((S - 1) ln(1 - R²_CS / S)); the required n falls as R²_CS rises, so ``n``
    meets it exactly when R²_CS ≥ S (1 - exp(p / ((S - 1) n))). Returns that Cox–Snell R² (``r2_cs``) and the
    Nagelkerke R² it corresponds to at this prevalence (``r2_nagelkerke``, R²_CS over its maximum); a
    Nagelkerke value above 1 would mean no model can reach the criterion at this ``n``.
    """
    r2_cs = shrinkage * (1.0 - math.exp(p / ((shrinkage - 1.0) * n)))
    return {"r2_cs": r2_cs, "r2_nagelkerke": r2_cs / max_cox_snell_r2(prevalence)}


def design_adequacy(
    n: int = 100,
    events: int = 49,
    p: int = 9,
    r2_cs: float | None = None,
    prevalence: float = 0.51,
    nagelkerke_default: float = 0.15,
) -> pd.DataFrame:
    """Is n = 100 enough for a nine-predictor logit? Events per variable and Riley et al.'s three criteria.

    One row per anticipated Cox–Snell R²: the refit model's (``r2_cs``, apparent and therefore optimistic)
    when given, and a conservative default, R²_CS = ``nagelkerke_default`` × max R²_CS (Riley et al. 2020).
    """
    max_r2 = max_cox_snell_r2(prevalence)
    scenarios = []
    if r2_cs is not None and not math.isnan(r2_cs) and r2_cs > 0:
        scenarios.append(("refit model's Cox–Snell R² (apparent)", float(r2_cs)))
    scenarios.append(
        (messages.text("sample_size.default_scenario", r2=nagelkerke_default), nagelkerke_default * max_r2)
    )
    rows = []
    for name, r2 in scenarios:
        req = riley_sample_size(p, r2, prevalence)
        needed = max(math.ceil(req["criterion_1"]), math.ceil(req["criterion_2"]), math.ceil(req["criterion_3"]))
        rows.append(
            {
                "scenario": name,
                "r2_cs": r2,
                "r2_nagelkerke": r2 / max_r2,
                "epv": events / p,
                "n_criterion_1": math.ceil(req["criterion_1"]),
                "n_criterion_2": math.ceil(req["criterion_2"]),
                "n_criterion_3": math.ceil(req["criterion_3"]),
                "n_required": needed,
                "shrinkage_at_n": expected_shrinkage(n, p, r2) if r2 < 1 else float("nan"),
                "n": n,
            }
        )
    return pd.DataFrame(rows).set_index("scenario")
