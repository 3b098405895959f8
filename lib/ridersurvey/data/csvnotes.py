"""Note lines that open a CSV data file: ``#`` and a sentence, above the header.

The project's files of reconstructed respondent-level data say there, inside the file, that they are a
reconstruction and not the survey's answers, so that a copy taken out of the repository still says it.
Readers skip them by count (:func:`read_data_csv`); R reads such a file with ``read.csv(comment.char = "#")``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

NOTE_MARK = "#"
"""First character of a note line."""


def split_notes(text: str) -> tuple[tuple[str, ...], str]:
    """The note lines that open a CSV text (each starts with ``#``; returned without the mark and one space
    after it) and the rest of the text."""
    notes: list[str] = []
    rest = text
    while rest.startswith(NOTE_MARK):
        line, _, rest = rest.partition("\n")
        note = line.rstrip("\r")[len(NOTE_MARK) :]
        notes.append(note[1:] if note.startswith(" ") else note)
    return tuple(notes), rest


def notes_text(notes: Iterable[str]) -> str:
    """Note lines as they open a CSV file: ``# `` and the note, each ending with ``\\n``."""
    return "".join(f"{NOTE_MARK} {note}\n" for note in notes)


def read_data_csv(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    """:func:`pandas.read_csv` of a CSV file below its opening note lines (:func:`split_notes`).

    The project's files of reconstructed data open with such lines; pandas' own ``comment="#"`` would also
    cut any cell at a ``#``, so the note lines are skipped by count instead. ``kwargs`` go to ``read_csv``.
    """
    n_notes = 0
    with open(path, encoding=kwargs.get("encoding") or "utf-8-sig", newline="") as fh:
        for line in fh:
            if not line.startswith(NOTE_MARK):
                break
            n_notes += 1
    return pd.read_csv(path, skiprows=n_notes, **kwargs)
