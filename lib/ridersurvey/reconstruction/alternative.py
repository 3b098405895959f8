"""The other reading: the printed p-values of health (0.003) and awareness (0.006) kept, their coefficients freed.

Two (b, p) pairs of Table 3 cannot stand together: no data set with the published frequencies gives health
b = 0.111 with p = 0.003, or awareness b = −0.011 with p = 0.006 (:mod:`ridersurvey.audit.precision`). The main
reconstruction keeps the coefficients and lets those two p-values go. This module builds the data the other
way round, as they would be if the coefficients were the misprint: every other target of Table 3 and both
printed p-values are met, and the two coefficients take whatever values the search reaches. The search starts
them at the printed signs (a misprinted magnitude, not a misprinted sign). The printed p-values fix only a
floor on each coefficient's size (:func:`ridersurvey.audit.inference.printed_pair`'s ``b_needed``), not its sign;
the sign and size found are the committed data set's, not the paper's.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ridersurvey import messages
from ridersurvey.audit.inference import table3_from_print
from ridersurvey.audit.mechanisms import load_readings, reading_direction
from ridersurvey.audit.precision import fixed, integer
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.messages import text
from ridersurvey.reconstruction.outputs import encode, json_dump, load_provenance
from ridersurvey.reconstruction.search import Reconstruction, Schedule, reconstruct
from ridersurvey.reconstruction.targets import PREDICTORS, Targets, targets_from_published

#: The predictors whose printed (b, p) pairs cannot stand.
FREE = ("health", "policy_awareness")
#: Seed of the committed alternative reconstruction (``data/alternative/``).
SEED = 1


def alternative_targets(free: tuple = FREE) -> Targets:
    """Table 1's counts and Table 3 with the coefficients of ``free`` released and their p-values targeted."""
    return targets_from_published(free=free)


def reconstruct_alternative(
    seed: int = SEED, max_seconds: float = math.inf, signs: dict[str, int] | None = None, **kwargs
) -> Reconstruction:
    """The search of :func:`ridersurvey.reconstruction.search.reconstruct` for :func:`alternative_targets`,
    with the free coefficients started at ``signs`` (default their printed signs)."""
    targets = alternative_targets()
    if signs:
        targets = targets.with_free_signs(signs)
    return reconstruct(seed, max_seconds=max_seconds, targets=targets, **kwargs)


#: Where the sign search is stored (strict JSON; witnesses encoded by :func:`outputs.encode`).
SIGN_SEARCH_FILE = "sign_search.json"


def sign_patterns(free: tuple = FREE) -> list[dict[str, int]]:
    """Every combination of signs (+1, −1) of the free coefficients, printed signs first."""
    from itertools import product

    printed = alternative_targets(free)
    first = tuple(int(np.sign(printed.coef(v))) for v in free)
    combos = sorted(product((1, -1), repeat=len(free)), key=lambda c: c != first)
    return [dict(zip(free, c, strict=True)) for c in combos]


def sign_search(
    signs: dict[str, int], seed: int, max_seconds: float = math.inf, max_proposals: int | None = None
) -> dict:
    """One search with the free coefficients started at ``signs``, as a strict-JSON record.

    The start is where the annealer holds each free coefficient (within
    :data:`~ridersurvey.reconstruction.targets.FREE_WINDOW` of it); the exact final step does not, so a
    search may end at the other sign. The record says which signs the data set has (``signs_found``), meets
    the start's signs (``as_started``), and keeps the data set, encoded, when every target is met. The search
    replays from ``seed``, ``signs``, the default schedule and ``max_proposals = proposals``.
    """
    import time

    cpu0 = time.process_time()
    rec = reconstruct_alternative(seed, max_seconds=max_seconds, signs=signs, max_proposals=max_proposals)
    cpu = time.process_time() - cpu0
    found = {v: int(np.sign(rec.achieved.loc[v, "coef"])) for v in signs}
    return {
        "seed": int(seed),
        "start_signs": {v: int(s) for v, s in signs.items()},
        "success": bool(rec.success),
        "signs_found": found,
        "as_started": found == {v: int(s) for v, s in signs.items()},
        "achieved": {
            v: {k: float(rec.achieved.loc[v, k]) for k in ("coef", "se", "p")} for v in ("const", *PREDICTORS)
        },
        "failures": [str(f) for f in rec.failures],
        "proposals": int(rec.proposals),
        "cycles": int(rec.cycles),
        "wall_seconds": float(rec.wall_seconds),
        "cpu_seconds": float(cpu),
        "max_seconds": float(max_seconds) if math.isfinite(max_seconds) else None,
        "max_proposals": max_proposals,
        "margin": float(rec.margin),
        "schedule": Schedule().to_dict(),
        "data": encode(rec.data) if rec.success else None,
    }


def run_sign_search(
    plan: list[tuple[dict[str, int], int]],
    max_seconds: float = math.inf,
    max_proposals: int | None = None,
    path=None,
    note: str = "",
) -> dict:
    """Run the searches of ``plan`` (signs, seed) one after another, appending each record to ``path``.

    Returns
    -------
    dict
        The stored record: ``searches`` (one :func:`sign_search` record each), ``note`` (what the data are).
    """
    path = DATA_DIR / "alternative" / SIGN_SEARCH_FILE if path is None else path
    record = load_sign_search(path) if path.exists() else {"searches": []}
    record["note"] = note or record.get("note", "")
    for signs, seed in plan:
        record["searches"].append(sign_search(signs, seed, max_seconds, max_proposals))
        json_dump(record, path)
    return record


def load_sign_search(path=None) -> dict:
    """The stored sign search (default ``data/alternative/sign_search.json``)."""
    import json

    path = DATA_DIR / "alternative" / SIGN_SEARCH_FILE if path is None else path
    return json.loads(path.read_text(encoding="utf-8"))


def attainable_signs(record: dict, committed: dict | None = None, free: tuple = FREE) -> pd.DataFrame:
    """Which combination of the free coefficients' signs some data set meeting every target has, from the sign
    search.

    A combination is *found* when a successful search (or the committed alternative, ``committed``'s provenance,
    whose search started the free coefficients at their printed signs) ended with it, read from the signs of the
    coefficients refitted on its data set (``achieved``), not from where it started. A combination not found is
    an inner-bound statement (other seeds or longer searches could find it), never a proof that it is
    impossible.

    Returns
    -------
    DataFrame
        One row per combination of signs (index: one level per free variable, values +1 and −1, in
        :func:`sign_patterns`' order): searches (started at that combination, the committed search included),
        failed (of those, how many did not meet every target), found (a data set with that combination meets every
        target), witness_seed (the first such search's seed, −1 for the committed data set, 0 when not found)
        and, per free variable ``v``, ``b_v`` (the witness's coefficient; NaN when not found).
    """
    searches = list(record["searches"])
    if committed is not None and committed.get("success"):
        printed = alternative_targets(free)
        searches.insert(0, {
            "seed": -1, "success": True, "start_signs": {v: int(np.sign(printed.coef(v))) for v in free},
            "achieved": committed["achieved"],
        })  # fmt: skip

    def ended(s: dict) -> tuple:
        return tuple(int(np.sign(s["achieved"][v]["coef"])) for v in free)

    rows = []
    for pattern in sign_patterns(free):
        combo = tuple(pattern[v] for v in free)
        started = [s for s in searches if tuple(s["start_signs"][v] for v in free) == combo]
        witnesses = [s for s in searches if s["success"] and ended(s) == combo]
        w = witnesses[0] if witnesses else None
        rows.append(
            {
                **dict(zip(free, combo, strict=True)),
                "searches": len(started),
                "failed": sum(not s["success"] for s in started),
                "found": w is not None,
                "witness_seed": int(w["seed"]) if w else 0,
                **{f"b_{v}": float(w["achieved"][v]["coef"]) if w else float("nan") for v in free},
            }
        )
    return pd.DataFrame(rows).set_index(list(free))


def comparison(main: dict, alternative: dict) -> pd.DataFrame:
    """Table 3 as printed beside the main and the alternative reconstruction (two provenance records).

    Returns
    -------
    DataFrame
        Index ``variable`` in Table 2's order; columns b_printed, p_printed, b_main, p_main, b_alt, se_alt,
        p_alt and ``free`` (the alternative released this coefficient).
    """
    free = set(alternative.get("free_coefficients", ()))
    rows = []
    for var in PREDICTORS:
        tgt = main["targets"][var]
        rows.append(
            {
                "variable": var,
                "b_printed": float(tgt["coef"]),
                "p_printed": float(tgt["p"]),
                "b_main": float(main["achieved"][var]["coef"]),
                "p_main": float(main["achieved"][var]["p"]),
                "b_alt": float(alternative["achieved"][var]["coef"]),
                "se_alt": float(alternative["achieved"][var]["se"]),
                "p_alt": float(alternative["achieved"][var]["p"]),
                "free": var in free,
            }
        )
    return pd.DataFrame(rows).set_index("variable")


def readings(alternative: dict, level: float = 0.95) -> pd.DataFrame:
    """What the paper's readings of the freed predictors become under the alternative reconstruction.

    Parameters
    ----------
    alternative : dict
        The alternative's provenance record.
    level : float
        Confidence level of the odds-ratio interval.

    Returns
    -------
    DataFrame
        Index ``variable``; columns reading (the paper's, in the catalog's language,
        :func:`ridersurvey.messages.bilingual`), paper_direction (+1 more, −1 less willing per code step), b,
        odds_ratio, or_low, or_high (Wald, per code step, for Pr(unwilling)), p,
        direction (what this data set's coefficient implies) and b_needed (the smallest |b| the printed p-value
        allows, :func:`ridersurvey.audit.inference.table3_from_print`; the printed numbers fix no sign).
    """
    from scipy.stats import norm

    paper = load_readings()
    printed = table3_from_print()
    crit = norm.ppf(0.5 + level / 2)
    rows = []
    for var in alternative.get("free_coefficients", ()):
        got = alternative["achieved"][var]
        b, se, p = float(got["coef"]), float(got["se"]), float(got["p"])
        direction = reading_direction(b, outcome_is_unwilling=True)
        paper_direction = int(paper.loc[var, "direction"]) if var in paper.index else 0
        rows.append(
            {
                "variable": var,
                "reading": messages.bilingual(paper.loc[var, "reading_en"], paper.loc[var, "quote_zh"])
                if var in paper.index
                else "",
                "paper_direction": paper_direction,
                "b": b,
                "odds_ratio": float(np.exp(b)),
                "or_low": float(np.exp(b - crit * se)),
                "or_high": float(np.exp(b + crit * se)),
                "p": p,
                "direction": direction,
                "b_needed": float(printed.loc[var, "b_needed"]),
            }
        )
    return pd.DataFrame(rows).set_index("variable")


def load_alternative_provenance(path=None) -> dict:
    """The committed alternative reconstruction's provenance (default ``data/alternative/provenance.json``)."""
    return load_provenance(path if path is not None else DATA_DIR / "alternative" / "provenance.json")


def relative_size(b: float, printed: float) -> tuple[bool, str]:
    """How a coefficient compares with the printed one: whether the two have the same sign, and the ratio of
    their sizes as running text shows it (to one decimal below 10, to a whole number from 10 up).

    Parameters
    ----------
    b : float
        The coefficient.
    printed : float
        The printed coefficient (non-zero).

    Returns
    -------
    same_sign : bool
    ratio : str
        ``|b / printed|`` as shown ("58", "6.6").

    Raises
    ------
    ValueError
        If the printed coefficient is zero.
    """
    if printed == 0:
        raise ValueError(text("reconstruction.alternative.zero_printed"))
    ratio = abs(b / printed)
    return b * printed > 0, integer(round(ratio)) if ratio >= 10 else fixed(ratio, 1)
