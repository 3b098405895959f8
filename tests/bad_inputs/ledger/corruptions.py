"""Corrupted copies of the published-numbers ledger, each made from the current ``data/published/ledger.csv``
by breaking one thing, so that they never go stale when the ledger grows.

:data:`CORRUPTIONS` maps a name to (the id of the row broken, its column, the new cell text); :data:`TEXT_EDITS`
breaks the file's text instead (a field too many, a lost column, an unbalanced quote, a missing row). Every
valid copy gets one further check of ``t3.health.p`` (the row model allows several checks of one number), so
the corruptions also cover such rows. ``tests/test_published.py`` holds the row, the column and a fragment of the
one line each must give. Run ``python tests/bad_inputs/ledger/corruptions.py OUTDIR`` to write them all for
inspection.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

LEDGER = Path(__file__).resolve().parents[3] / "data" / "published" / "ledger.csv"
FURTHER = "t3.health.p:arithmetic"
"""A further check of Table 3's printed p of health: the same number, quoted by an identity."""

CORRUPTIONS = {
    "duplicate_id": ("s6.recovery_rate", "id", "s6.valid"),
    "id_grammar": ("s6.recovery_rate", "id", "S6 recovery rate"),
    "unknown_location": ("s6.recovery_rate", "location", "Appendix B"),
    "empty_quantity": ("s6.recovery_rate", "quantity", ""),
    "unknown_variable": ("t2.gender.sd", "variable", "gender_identity"),
    "negative_code": ("t1.gender.2.count", "code", "-2"),
    "unknown_statistic": ("t2.gender.sd", "statistic", "stdev"),
    "value_not_a_number": ("t1.gender.2.count", "value", "3l"),
    "missing_value": ("t1.gender.2.count", "value", ""),
    "decimals_not_whole": ("t2.gender.sd", "decimals", "2.5"),
    "unknown_check": ("s6.recovery_rate", "check", "guesswork"),
    "unknown_finding": ("t2.gender.sd", "finding", "t2-gendre"),
    "expression_names_unknown_id": ("s6.recovery_rate", "expression", "100 * s6.valid / s6.colected"),
    "further_check_differs": (FURTHER, "value", "0.03"),
    "further_check_without_number": (FURTHER, "id", "t3.health.q:arithmetic"),
    "further_check_names_another_check": (FURTHER, "check", "p_value"),
}


def rows(path: Path = LEDGER) -> list[list[str]]:
    """The ledger's rows (header first) with the further check of :data:`FURTHER` after its number."""
    table = list(csv.reader(path.open(encoding="utf-8", newline="")))
    at = next(i for i, r in enumerate(table) if r[0] == FURTHER.split(":")[0])
    extra = list(table[at])
    header = table[0]
    extra[0] = FURTHER
    extra[header.index("check")] = "arithmetic"
    extra[header.index("expression")] = FURTHER.split(":")[0]
    return [*table[: at + 1], extra, *table[at + 1 :]]


def text(table: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(table)
    return buffer.getvalue()


def corrupted(name: str) -> tuple[str, int]:
    """The text of the corrupted ledger ``name`` and the spreadsheet row (header = 1) its defect is on."""
    table = rows()
    header = table[0]
    if name == "valid":
        return text(table), 0
    if name in CORRUPTIONS:
        entry, column, new = CORRUPTIONS[name]
        i = next(i for i, r in enumerate(table) if r[0] == entry)
        table[i][header.index(column)] = new
        return text(table), i + 1
    i = next(i for i, r in enumerate(table) if r[0] == "t2.gender.sd")
    if name == "too_many_fields":
        table[i].append("extra")
    elif name == "missing_column":
        table = [r[:-1] for r in table]
        i = 0
    elif name == "missing_row":  # the number's row and any further checks of it
        number = table[i][0]
        table = [r for r in table if r[0].split(":")[0] != number]
        return text(table), 0
    elif name == "unbalanced_quote":
        lines = text(table).split("\n")
        lines[i] = lines[i].replace(",SD of gender,", ',"SD of gender,', 1)
        return "\n".join(lines), i + 1
    return text(table), i + 1


TEXT_EDITS = ("too_many_fields", "missing_column", "missing_row", "unbalanced_quote")
NAMES = ("valid", *CORRUPTIONS, *TEXT_EDITS)


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        (out / f"{name}.csv").write_text(corrupted(name)[0], encoding="utf-8")
