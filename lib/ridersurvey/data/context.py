"""Context for the narrative chapters: reported sharing-economy and pilot figures, the scope of the
reproduction, and the software the book was built with.

The two context tables (``data/context/``) hold figures reported by official bodies, as they reached us
through secondary accounts; see ``data/context/README.md`` for their sources.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from ridersurvey import messages
from ridersurvey.data.ledger import numbers, paper_position
from ridersurvey.data.paths import DATA_DIR

SHARING_ECONOMY_COLUMNS = [
    "year",
    "transaction_volume_100m_yuan",
    "service_providers_10k",
    "participants_100m",
    "participants_is_lower_bound",
    "basis",
    "source",
    "certainty",
]
PILOT_FACT_COLUMNS = ["id", "description", "value", "unit", "as_of", "scope", "source", "certainty"]
BOOK_PACKAGES = (
    "ridersurvey",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "myst-nb",
    "jupyter-book",
    "sphinx",
)


def sharing_economy_series(path: str | Path | None = None) -> pd.DataFrame:
    """China's sharing economy by year, as reported by the State Information Center's annual reports.

    Parameters
    ----------
    path : str or Path, optional
        CSV to read; defaults to ``data/context/sharing_economy.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per year (sorted) with the columns of :data:`SHARING_ECONOMY_COLUMNS`; the numeric
        columns are floats with NaN where a figure was not reported, ``participants_is_lower_bound`` is
        boolean. Volumes before 2018 and from 2018 are on different bases (see ``basis``).
    """
    path = Path(path) if path else DATA_DIR / "context" / "sharing_economy.csv"
    frame = pd.read_csv(path, dtype={"basis": str, "source": str, "certainty": str})
    missing = [c for c in SHARING_ECONOMY_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    frame = frame[SHARING_ECONOMY_COLUMNS].copy()
    frame["year"] = frame["year"].astype(int)
    for col in ("transaction_volume_100m_yuan", "service_providers_10k", "participants_100m"):
        frame[col] = frame[col].astype(float)
    frame["participants_is_lower_bound"] = (
        frame["participants_is_lower_bound"].astype(str).str.strip().str.lower().map({"true": True, "false": False})
    )
    if frame["participants_is_lower_bound"].isna().any():
        raise ValueError(messages.text("context.lower_bound_flag", path=path))
    if frame["year"].duplicated().any():
        raise ValueError(f"{path}: duplicate years")
    return frame.sort_values("year").reset_index(drop=True)


def growth_rates(frame: pd.DataFrame, column: str) -> pd.Series:
    """Year-on-year growth of ``column`` in percent, indexed by year.

    Growth is only defined against the immediately preceding year on the same ``basis``: across the
    2017/2018 redefinition of the sharing economy, or after a gap, the result is NaN.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame like :func:`sharing_economy_series` returns.
    column : str
        Numeric column to compare.
    """
    ordered = frame.sort_values("year").reset_index(drop=True)
    previous = ordered.shift(1)
    comparable = (ordered["year"] - previous["year"] == 1) & (ordered["basis"] == previous["basis"])
    growth = (ordered[column] / previous[column] - 1.0) * 100.0
    growth = growth.where(comparable)
    return pd.Series(growth.to_numpy(dtype=float), index=ordered["year"].to_numpy(), name=column)


def pilot_facts(path: str | Path | None = None) -> pd.DataFrame:
    """Reported numeric facts about the occupational-injury protection pilot, indexed by ``id``.

    Parameters
    ----------
    path : str or Path, optional
        CSV to read; defaults to ``data/context/pilot_facts.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`PILOT_FACT_COLUMNS` (``value`` as float), indexed by the unique ``id``.
    """
    path = Path(path) if path else DATA_DIR / "context" / "pilot_facts.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in PILOT_FACT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    if frame["id"].duplicated().any():
        raise ValueError(f"{path}: duplicate ids {sorted(frame.loc[frame['id'].duplicated(), 'id'])}")
    frame = frame[PILOT_FACT_COLUMNS].copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="raise").astype(float)
    return frame.set_index("id", drop=False)


def pilot_fact(fact_id: str, facts: pd.DataFrame | None = None) -> float:
    """The value of one pilot fact (see :func:`pilot_facts`)."""
    facts = pilot_facts() if facts is None else facts
    if fact_id not in facts.index:
        raise KeyError(messages.text("context.no_pilot_fact", fact_id=fact_id, known=list(facts.index)))
    return float(facts.loc[fact_id, "value"])


def ledger_overview(ledger: pd.DataFrame) -> pd.DataFrame:
    """How many published numbers the ledger holds (each once, however many checks it has), by place in the
    paper and kind of statistic.

    Parameters
    ----------
    ledger : pandas.DataFrame
        The ledger of :func:`ridersurvey.data.ledger.load_ledger`.

    Returns
    -------
    pandas.DataFrame
        Counts with one row per ``location`` (in the paper's order,
        :func:`ridersurvey.data.ledger.paper_position`) and one column per ``statistic``, plus a ``Total`` row
        and column.
    """
    ledger = numbers(ledger)
    locations = sorted(dict.fromkeys(ledger["location"]), key=paper_position)
    statistics = list(dict.fromkeys(ledger["statistic"]))
    counts = pd.crosstab(ledger["location"], ledger["statistic"]).reindex(index=locations, columns=statistics)
    counts = counts.fillna(0).astype(int)
    counts["Total"] = counts.sum(axis=1)
    counts.loc["Total"] = counts.sum(axis=0)
    counts.index.name = "location"
    counts.columns.name = "statistic"
    return counts


def package_versions(packages: tuple[str, ...] = BOOK_PACKAGES) -> pd.DataFrame:
    """Versions of Python and of the distributions the book is built with, as installed now.

    Parameters
    ----------
    packages : tuple of str
        Distribution names (as pip knows them); a missing one is reported as ``not installed``.

    Returns
    -------
    pandas.DataFrame
        Columns ``package`` and ``version``; the first row is Python itself.
    """
    rows = [("python", platform.python_version())]
    for name in packages:
        try:
            rows.append((name, version(name)))
        except PackageNotFoundError:
            rows.append((name, "not installed"))
    return pd.DataFrame(rows, columns=["package", "version"])
