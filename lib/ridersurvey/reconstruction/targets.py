"""What a reconstruction must reproduce: Table 1's counts, Table 3's coefficients and its attainable p-values.

A printed number stands for its rounding interval (:mod:`ridersurvey.audit.precision`); the search aims inside a
``margin`` (default 0.9) of each interval's half-width, so that the last floating-point digits cannot flip a
rounding. A published p-value is a target only if some data set with the published frequencies and
coefficient can print it (:func:`ridersurvey.audit.precision.p_attainable`, decided with the printed b and Table
2's printed SD, the numbers the audit shows). The *alternative reading* frees chosen coefficients instead:
their p-values become targets and the coefficients may take any value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from ridersurvey import messages
from ridersurvey.audit.precision import half_width, p_attainable, p_floor, se_floor
from ridersurvey.data import ledger as published
from ridersurvey.data.codebook import load_codebook

N_RESPONDENTS = 100
OUTCOME = "unwilling"
#: The model's predictors, the codebook's nine in Table 2's order (the kernel's column order).
PREDICTORS = tuple(load_codebook().predictors)
#: Decimals of Table 3's coefficients and p-values.
DECIMALS = 3
#: Rounding half-width of a number printed with 3 decimals.
PRINT_TOL = half_width(DECIMALS)
#: Fraction of the rounding half-width the search aims inside (safety margin against boundary cases).
DEFAULT_MARGIN = 0.9
#: Half-width of the window the annealer holds a free coefficient in around its start
#: (:meth:`Targets.free_start`): narrower than the start's size, so the coefficient keeps its printed sign.
FREE_WINDOW = 0.5


@dataclass(frozen=True)
class Targets:
    """What a reconstruction must reproduce.

    Parameters
    ----------
    counts : dict
        ``{variable: {code: count}}`` for the outcome and every predictor.
    table3 : DataFrame
        Indexed by predictor with columns ``coef`` and ``p``.
    n : int
        Number of respondents.
    predictors : tuple of str
        The model's predictors in the kernel's column order.
    outcome : str
        The 0/1 outcome.
    free : tuple of str
        Predictors whose coefficient is *not* a target; their printed p-values are (the alternative reading).
    free_signs : tuple of (str, int)
        Sign (+1 or −1) at which the search starts a free coefficient (:meth:`free_start`); the printed sign
        for a free predictor not listed.
    """

    counts: dict
    table3: pd.DataFrame
    n: int = N_RESPONDENTS
    predictors: tuple = PREDICTORS
    outcome: str = OUTCOME
    free: tuple = ()
    free_signs: tuple = ()

    def __post_init__(self):
        say = lambda key, **fields: messages.text(f"reconstruction.targets.{key}", **fields)
        for var in (self.outcome, *self.predictors):
            if var not in self.counts:
                raise ValueError(f"counts lack {var!r}")
            if sum(self.counts[var].values()) != self.n:
                raise ValueError(say("counts_sum", var=var, total=sum(self.counts[var].values()), n=self.n))
        missing = set(self.predictors) - set(self.table3.index)
        if missing:
            raise ValueError(f"table3 lacks {sorted(missing)}")
        unknown = set(self.free) - set(self.predictors)
        if unknown:
            raise ValueError(say("free_unknown", names=sorted(unknown)))
        for var, sign in self.free_signs:
            if var not in self.free or sign not in (1, -1):
                raise ValueError(say("free_sign", sign=sign, var=var))

    def coef(self, var: str) -> float:
        """The published coefficient of ``var``."""
        return float(self.table3.loc[var, "coef"])

    def p(self, var: str) -> float:
        """The published p-value of ``var``."""
        return float(self.table3.loc[var, "p"])

    def column(self, var: str) -> np.ndarray:
        """The multiset of codes of ``var`` as a sorted integer array of length n."""
        c = self.counts[var]
        return np.repeat(np.array(sorted(c), dtype=np.int64), [c[k] for k in sorted(c)])

    def sd(self, var: str) -> float:
        """Sample SD (ddof = 1) of the codes of ``var`` under Table 1's counts."""
        return float(np.std(self.column(var), ddof=1))

    def coef_targeted(self, var: str) -> bool:
        """Whether the coefficient of ``var`` is a target (every one but the free ones)."""
        return var not in self.free

    def p_targeted(self, var: str) -> bool:
        """Whether the p-value of ``var`` is a target: it is attainable, or its coefficient is free."""
        return var in self.free or bool(self.attainability().loc[var, "attainable"])

    def attainability(self) -> pd.DataFrame:
        """Per predictor: sd, SE floor, p floor, published p and whether that p is attainable.

        The p floor is :func:`ridersurvey.audit.precision.p_floor` of the printed coefficient and Table 2's printed
        SD, the number the audit shows; the SE floor and largest z use the SD of Table 1's counts.
        """
        printed_sd = published.table2()["sd"]
        rows = []
        for var in self.predictors:
            sd = self.sd(var)
            b, p = self.coef(var), self.p(var)
            rows.append(
                {
                    "variable": var,
                    "coef": b,
                    "p": p,
                    "sd": sd,
                    "se_floor": se_floor(sd, self.n),
                    "z_max": abs(b) / se_floor(sd, self.n),
                    "p_floor": p_floor(b, printed_sd[var], self.n),
                    "attainable": p_attainable(p, b, printed_sd[var], self.n),
                }
            )
        return pd.DataFrame(rows).set_index("variable")

    def free_start(self, var: str) -> float:
        """Where the search starts a free coefficient: the sign of ``free_signs`` (default the printed sign),
        and the size its targeted |z| would have at 1.2 times the standard-error floor."""
        sign = dict(self.free_signs).get(var, np.sign(self.coef(var)))
        return float(sign * norm.isf(self.p(var) / 2) * 1.2 * se_floor(self.sd(var), self.n))

    def with_free(self, free: tuple) -> Targets:
        """The same targets with the coefficients of ``free`` released and their p-values targeted."""
        return Targets(self.counts, self.table3, self.n, self.predictors, self.outcome, tuple(free))

    def with_free_signs(self, signs: dict[str, int]) -> Targets:
        """The same targets with the free coefficients started at ``signs`` (``{variable: +1 or -1}``)."""
        pairs = tuple((v, int(s)) for v, s in signs.items())
        return Targets(self.counts, self.table3, self.n, self.predictors, self.outcome, self.free, pairs)


def targets_from_published(counts: dict | None = None, table3: pd.DataFrame | None = None, free: tuple = ()) -> Targets:
    """Targets from ``ridersurvey.data.ledger`` (Table 1 counts, Table 3), or from the arguments given.

    Parameters
    ----------
    counts, table3 : optional
        Replace the published counts or Table 3.
    free : tuple of str
        Coefficients to release (their p-values become targets).

    Returns
    -------
    Targets
    """
    if counts is None or table3 is None:
        counts = published.table1_counts() if counts is None else counts
        table3 = published.table3() if table3 is None else table3
    counts = {str(v): {int(k): int(c) for k, c in d.items()} for v, d in counts.items()}
    t3 = table3[["coef", "p"]].astype(float).copy()
    return Targets(counts=counts, table3=t3, free=tuple(free))


def unattainable_targets(targets: Targets) -> list[dict]:
    """Published p-values no dataset with the published counts and coefficients can reproduce.

    A free coefficient's p-value is a target, so it is never listed.
    """
    att = targets.attainability()
    out = []
    for var, row in att[~att["attainable"]].iterrows():
        if var in targets.free:
            continue
        out.append(
            {
                "variable": var,
                "statistic": "p",
                "published": float(row["p"]),
                "coef": float(row["coef"]),
                "sd": float(row["sd"]),
                "se_floor": float(row["se_floor"]),
                "z_max": float(row["z_max"]),
                "p_floor": float(row["p_floor"]),
                "reason": messages.text(
                    "reconstruction.targets.unattainable",
                    b=row["coef"],
                    sd=row["sd"],
                    n=targets.n,
                    se_floor=row["se_floor"],
                    z_max=row["z_max"],
                    p_floor=row["p_floor"],
                    p=row["p"],
                ),
            }
        )
    return out


@dataclass(frozen=True)
class TargetArrays:
    """The targets as the kernel scores them, with tolerances ``margin x 0.0005``.

    ``bstar``/``btol``: published coefficient and tolerance per term (intercept first, tolerance inf for
    the intercept; a free coefficient its start and :data:`FREE_WINDOW`, which the annealer's loss sees but
    the targets do not); ``cidx``: the targeted coefficients' term indices; ``zidx``,
    ``zstar``, ``ztol``: the targeted p-values' terms and the |z| window ``zstar +- ztol`` that maps onto
    ``p +- margin x 0.0005``; ``zfree``: 1 for p-value targets whose coefficient is free (their |z| is always
    measured at the state's coefficient); ``names``: one label per error coordinate (``coef:var`` then
    ``p:var``).
    """

    bstar: np.ndarray
    btol: np.ndarray
    cidx: np.ndarray
    zidx: np.ndarray
    zstar: np.ndarray
    ztol: np.ndarray
    zfree: np.ndarray
    names: tuple

    @property
    def legacy_btol(self) -> np.ndarray:
        """Tolerances as the original annealer takes them (the intercept's 1, never used)."""
        out = self.btol.copy()
        out[0] = 1.0
        return out


def target_arrays(targets: Targets, margin: float = DEFAULT_MARGIN) -> TargetArrays:
    """The kernel's view of ``targets`` (see :class:`TargetArrays`)."""
    m = len(targets.predictors) + 1
    bstar, btol = np.zeros(m), np.full(m, np.inf)
    cidx, zidx, zstar, ztol, zfree, names_c, names_z = [], [], [], [], [], [], []
    half = margin * PRINT_TOL
    for j, var in enumerate(targets.predictors, start=1):
        if targets.coef_targeted(var):
            bstar[j], btol[j] = targets.coef(var), half
            cidx.append(j)
            names_c.append(f"coef:{var}")
        else:
            bstar[j], btol[j] = targets.free_start(var), FREE_WINDOW
        if targets.p_targeted(var):
            p = targets.p(var)
            z_lo, z_hi = norm.isf((p + half) / 2.0), norm.isf((p - half) / 2.0)
            zidx.append(j)
            zstar.append((z_lo + z_hi) / 2.0)
            ztol.append((z_hi - z_lo) / 2.0)
            zfree.append(0.0 if targets.coef_targeted(var) else 1.0)
            names_z.append(f"p:{var}")
    return TargetArrays(
        bstar=bstar,
        btol=btol,
        cidx=np.array(cidx, dtype=np.int64),
        zidx=np.array(zidx, dtype=np.int64),
        zstar=np.array(zstar, dtype=float),
        ztol=np.array(ztol, dtype=float),
        zfree=np.array(zfree, dtype=float),
        names=tuple(names_c + names_z),
    )
