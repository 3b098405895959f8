"""The '#' note lines that open a CSV data file: split, written, and skipped by the reader."""

from __future__ import annotations

import pandas as pd

from ridersurvey.data.csvnotes import notes_text, read_data_csv, split_notes


def test_split_notes_takes_only_the_opening_lines():
    text = "# first note\r\n#second\n# third, with a comma\na,b\n1,#2\n# not a note\n"
    notes, rest = split_notes(text)
    assert notes == ("first note", "second", "third, with a comma")
    assert rest == "a,b\n1,#2\n# not a note\n"
    assert split_notes("a,b\n1,2\n") == ((), "a,b\n1,2\n")


def test_notes_text_round_trips():
    notes = ("RECONSTRUCTED DATA", "重构数据", "")
    assert notes_text(notes) == "# RECONSTRUCTED DATA\n# 重构数据\n# \n"
    assert split_notes(notes_text(notes) + "x\n") == (notes, "x\n")


def test_read_data_csv_skips_the_notes_and_keeps_a_hash_inside_a_cell(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes("\ufeff# a note\n# another\nid,label\n1,#1 choice\n2,plain\n".encode())
    frame = read_data_csv(path)
    assert frame.columns.tolist() == ["id", "label"]
    assert frame["label"].tolist() == ["#1 choice", "plain"]
    # pandas' comment="#" would have cut the cell: the reason the notes are skipped by count
    assert pd.read_csv(path, comment="#")["label"].isna().tolist() == [True, False]


def test_read_data_csv_of_a_file_without_notes_is_read_csv(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    pd.testing.assert_frame_equal(read_data_csv(path, dtype=str), pd.read_csv(path, dtype=str))
