"""The published-numbers ledger: every number Wu (2023) prints about its sample and model, as data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ridersurvey.codebook import load_codebook
from ridersurvey.paths import DATA_DIR

LEDGER_COLUMNS = [
    "id",
    "location",
    "quantity",
    "variable",
    "code",
    "statistic",
    "value",
    "printed",
    "decimals",
    "note",
    "check",
    "expression",
    "finding",
]


@lru_cache(maxsize=4)
def _read_ledger(path: str) -> pd.DataFrame:
    frame = pd.read_csv(
        path,
        dtype={"id": str, "printed": str, "note": str, "variable": str},
        keep_default_na=False,
        na_values={"value": [""], "code": [""]},
    )
    frame["code"] = frame["code"].astype("Int64")
    frame["decimals"] = frame["decimals"].astype(int)
    return frame


def load_ledger(path: str | Path | None = None) -> pd.DataFrame:
    """Return the ledger (one row per published number), indexed by its stable ``id``.

    Columns: location in the paper, plain-English quantity, variable and option code where they apply,
    statistic kind (count, percent, mean, sd, coef, p, coding, headline, bound, claim), the value as a number
    (empty for a claim), the text as printed, the number of decimals printed, a note, the audit check that
    judges the entry (:data:`ridersurvey.audit.CHECKS`), the expression it evaluates where it has one and the
    finding the entry belongs to.
    """
    path = Path(path) if path else DATA_DIR / "published" / "ledger.csv"
    return _read_ledger(str(path)).set_index("id", drop=False).copy()


def table1_counts(ledger: pd.DataFrame | None = None) -> dict[str, dict[int, int]]:
    """Table 1's frequencies as ``{variable: {code: count}}``, variables and codes in codebook order."""
    ledger = load_ledger() if ledger is None else ledger
    rows = ledger[(ledger["location"] == "Table 1") & (ledger["statistic"] == "count") & (ledger["variable"] != "")]
    book = load_codebook()
    counts = {}
    for var in book.names:
        sub = rows[rows["variable"] == var]
        counts[var] = {code: int(sub.loc[sub["code"] == code, "value"].iloc[0]) for code in book[var].codes}
    return counts


def table1(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 1 as printed: one row per (variable, code) with count and percent, in codebook order."""
    ledger = load_ledger() if ledger is None else ledger
    t1 = ledger[(ledger["location"] == "Table 1") & (ledger["variable"] != "")]
    wide = t1.pivot_table(index=["variable", "code"], columns="statistic", values="value", aggfunc="first")
    book = load_codebook()
    order = [(v, c) for v in book.names for c in book[v].codes]
    wide = wide.reindex(pd.MultiIndex.from_tuples(order, names=["variable", "code"]))
    wide["count"] = wide["count"].astype(int)
    return wide[["count", "percent"]]


def table2(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 2's printed means and SDs, indexed by variable in Table 2's order."""
    ledger = load_ledger() if ledger is None else ledger
    t2 = ledger[(ledger["location"] == "Table 2") & ledger["statistic"].isin(["mean", "sd"])]
    wide = t2.pivot(index="variable", columns="statistic", values="value")
    return wide.reindex(load_codebook().names)[["mean", "sd"]]


def table2_codings(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 2's codings as printed: variable, code and the printed 'label = code' text."""
    ledger = load_ledger() if ledger is None else ledger
    rows = ledger[(ledger["location"] == "Table 2") & (ledger["statistic"] == "coding")]
    return rows[["variable", "code", "printed"]].reset_index(drop=True)


def table3(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 3 as printed: coefficient and p-value per predictor, in the paper's row order."""
    ledger = load_ledger() if ledger is None else ledger
    t3 = ledger[ledger["location"] == "Table 3"]
    order = list(dict.fromkeys(t3["variable"]))
    wide = t3.pivot(index="variable", columns="statistic", values="value").reindex(order)
    stars = t3[t3["statistic"] == "p"].set_index("variable")["printed"].str.count(r"\*")
    wide["stars"] = stars.reindex(order).astype(int)
    return wide[["coef", "p", "stars"]]


def value(entry_id: str, ledger: pd.DataFrame | None = None) -> float:
    """The published value of one ledger entry."""
    ledger = load_ledger() if ledger is None else ledger
    return float(ledger.loc[entry_id, "value"])
