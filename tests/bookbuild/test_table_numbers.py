"""bookbuild.table_numbers: the book's table numbers in a notebook's HTML outputs, also when it is run again."""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from bookbuild.table_numbers import number_captions, numbers_cell
from ridersurvey.presentation import report


def _table(name: str, caption: str) -> report.Table:
    return report.TableSpec([report.Column("a", "A")]).table(pd.DataFrame({"a": [1]}), caption, name)


def test_number_captions_numbers_the_tables_it_knows_and_leaves_the_others():
    markup = _table("tbl-x", "Counts").to_html() + _table("tbl-y", "Shares").to_html()
    numbered = number_captions(markup, {"tbl-x": "Table 5.1"})
    assert '<caption><span class="caption-number">Table 5.1: </span>Counts</caption>' in numbered
    assert '<table class="ridersurvey-table" id="tbl-y"><caption>Shares</caption>' in numbered


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def test_the_numbers_cell_makes_ipython_show_each_table_with_its_number(shell):
    table = _table("tbl-x", "Counts")
    assert "caption-number" not in shell.display_formatter.format(table)[0]["text/html"]
    result = shell.run_cell(numbers_cell({"tbl-x": "Table 5.1", "tbl-z": "Table B.2"}))
    assert result.success, result.error_in_exec
    shown = shell.display_formatter.format(table)[0]
    assert '<caption><span class="caption-number">Table 5.1: </span>Counts</caption>' in shown["text/html"]
    assert shown["text/markdown"] == table.to_markdown()  # the book's form is unchanged
