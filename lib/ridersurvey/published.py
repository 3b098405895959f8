"""The published-numbers ledger: every number Wu (2023) prints about its sample and model, as data."""

from __future__ import annotations

import re
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


def table3_as_printed(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 3 with Table 2's SDs, as printed, in the columns of a :mod:`tablecheck` table.

    Parameters
    ----------
    ledger : DataFrame, optional
        The published-numbers ledger (default: the project's).

    Returns
    -------
    DataFrame
        One row per predictor in Table 3's order; columns ``term`` (the codebook's name), ``b`` and ``p`` (the
        printed text, stars removed), ``stars`` (the asterisks printed beside p) and ``sd`` (Table 2's printed SD).
    """
    ledger = load_ledger() if ledger is None else ledger
    t3 = table3(ledger)
    text = lambda entry: str(ledger.loc[entry, "printed"])
    rows = [
        {
            "term": var,
            "b": text(f"t3.{var}.coef"),
            "p": text(f"t3.{var}.p").rstrip("*"),
            "stars": "*" * int(t3.loc[var, "stars"]),
            "sd": text(f"t2.{var}.sd"),
        }
        for var in t3.index
    ]
    return pd.DataFrame(rows, columns=["term", "b", "p", "stars", "sd"])


def value(entry_id: str, ledger: pd.DataFrame | None = None) -> float:
    """The published value of one ledger entry."""
    ledger = load_ledger() if ledger is None else ledger
    return float(ledger.loc[entry_id, "value"])


#: Section 6.2's uses of 大部分为 ("most ... are"): the ledger entry of the count of the answer it names.
#: For health and policy awareness the text writes 样本大部分为 ("most of the sample"), for employment duration
#: 实际年总就业时间大部分为 ("the actual total employment time is mostly").
MOST_OF_SAMPLE = ("s6p.health.2.count", "s6p.employment_duration.2.count", "s6p.policy_awareness.2.count")

#: The one rule by which the book reads 大部分为 wherever it discusses the phrase.
MOST_OF_SAMPLE_RULE = "the single most frequent answer of the item in Table 1"


def most_of_sample(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Section 6.2's three uses of 大部分为, each read by :data:`MOST_OF_SAMPLE_RULE`.

    Parameters
    ----------
    ledger : DataFrame, optional
        The published-numbers ledger (default: the project's).

    Returns
    -------
    DataFrame
        One row per use (index ``variable``, in the paper's order): ``code`` and ``count`` of the answer the text
        names (the count as the text prints it), ``top`` (Table 1's largest count for the item), ``tied_with``
        (the other codes with that count), ``holds`` (the answer is the single most frequent one) and
        ``majority`` (it is more than half of the sample, the literal reading, shown for comparison only).
    """
    ledger = load_ledger() if ledger is None else ledger
    counts = table1_counts(ledger)
    n = int(ledger.loc["t1.total.count", "value"])
    rows = []
    for entry in MOST_OF_SAMPLE:
        var, code = str(ledger.loc[entry, "variable"]), int(ledger.loc[entry, "code"])
        item = counts[var]
        top = max(item.values())
        tied = [c for c, k in item.items() if k == top and c != code]
        rows.append(
            {
                "variable": var,
                "code": code,
                "count": int(ledger.loc[entry, "value"]),
                "top": top,
                "tied_with": tied,
                "holds": item[code] == top and not tied,
                "majority": item[code] > n / 2,
            }
        )
    return pd.DataFrame(rows).set_index("variable")


#: Where the paper prints its tables and the parts of Section 7.2, as (section, subsection, place within it).
PAPER_POSITIONS = {
    "Table 1": (6, 2, 0),
    "Section 6.2 (prose)": (6, 2, 1),
    "Section 7.1 (prose)": (7, 1, 0),
    "Table 2": (7, 1, 1),
    "Section 7.2 (model)": (7, 2, 0),
    "Table 3": (7, 2, 1),
    "Section 7.2 (prose)": (7, 2, 2),
}


def paper_position(location: str) -> tuple[int, int, int]:
    """Where a ledger ``location`` ("Section 6.1 (prose)", "Table 3") comes in the paper, as a sort key.

    Parameters
    ----------
    location : str

    Returns
    -------
    tuple of int
        (section, subsection, place within the subsection); a section without a subsection has subsection 0.

    Raises
    ------
    ValueError
        If the location is neither in :data:`PAPER_POSITIONS` nor of the form "Section N[.M][ (…)]".
    """
    if location in PAPER_POSITIONS:
        return PAPER_POSITIONS[location]
    match = re.fullmatch(r"Section (\d+)(?:\.(\d+))?(?: \(.+\))?", location)
    if match is None:
        raise ValueError(f"ledger location {location!r} is not a place in the paper the book knows")
    return int(match.group(1)), int(match.group(2) or 0), 0
