"""The interactive table and its cell helpers: numbers at one precision with one minus sign, citations
rendered, a complete numbered static copy for print and an offline DataTables view for the screen."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from ridersurvey.presentation import interactive as I

BIB = """
@article{doe2020, author = {Doe, Jane and Roe, Richard}, title = {A}, journal = {J}, year = {2020}}
@techreport{agency2021, author = {{National Statistics Agency}}, title = {B}, institution = {N}, year = {2021}}
@article{many2019, author = {One, A. and Two, B. and Three, C.}, title = {C}, journal = {J}, year = {2019}}
"""


@pytest.fixture
def bib(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "part": ["Table 1", "Table 1", "Table 3", "Section 1"],
            "quantity": ["Count of A", "Mean of B", "Coefficient of C", "Headline figure"],
            "computed": ["29", "0.49", "\u22120.011", ""],
            "verdict": ["agrees", "differs", "agrees", "unverifiable"],
            "reason": ["sum = 100.0", "mean -0.10 | printed", "b = -0.011", "report (agency2021), as quoted"],
        },
        index=pd.Index(["a", "b", "c", "d"], name="id"),
    )


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (29.0, None, "29"),
        (29.0, 0, "29"),
        (29, 2, "29.00"),
        (-0.0110, 3, "\u22120.011"),
        (-0.0004, 3, "0.000"),
        (0.50242, 3, "0.502"),
        (0.50242, None, "0.5024"),
        (-1234.5, None, "\u22121234"),
        (1.5e-7, None, "1.5e\u221207"),
        (float("nan"), 2, ""),
        (None, 2, ""),
    ],
)
def test_format_number(value, decimals, expected):
    assert I.format_number(value, decimals) == expected


def test_format_numbers_uses_each_rows_decimals_and_names_a_bad_row():
    assert I.format_numbers([29.0, 0.50242, -0.0110, float("nan")], [0, 3, 3, 2]) == ["29", "0.502", "\u22120.011", ""]
    assert I.format_numbers([1.0, 2.25], 1) == ["1.0", "2.2"]
    assert I.format_numbers(pd.Series([3.0]), pd.Series([float("nan")])) == ["3"]
    with pytest.raises(ValueError, match="row 1"):
        I.format_numbers([1.0, 2.0], [0, 1.5])
    with pytest.raises(ValueError, match="2 values but 1"):
        I.format_numbers([1.0, 2.0], [0])


def test_minus_signs_sets_the_minus_of_numbers_only():
    text = "b = -0.011, z in (-2, 3), -.5, ages 16-30, years 2016-2023, non-zero, e-mail"
    assert I.minus_signs(text) == (
        "b = \u22120.011, z in (\u22122, 3), \u2212.5, ages 16-30, years 2016-2023, non-zero, e-mail"
    )
    assert I.minus_signs("\u22121") == "\u22121"


def test_citations_as_author_year_text_and_as_roles(bib):
    assert I.citation_text("doe2020", bib) == "[Doe and Roe, 2020]"
    assert I.citation_text("agency2021", bib) == "[National Statistics Agency, 2021]"
    assert I.citation_text("many2019", bib) == "[One et al., 2019]"
    with pytest.raises(KeyError, match="nokey"):
        I.citation_text("nokey", bib)
    assert I.cite_text("a report (agency2021), and doe2020.", bib) == (
        "a report [National Statistics Agency, 2021], and [Doe and Roe, 2020]."
    )
    assert I.cite_myst("see (doe2020) *and* |z|", bib) == r"see {cite:p}`doe2020` \*and\* \|z\|"
    assert I.cite_text("doe20201 and xdoe2020 are not keys", bib) == "doe20201 and xdoe2020 are not keys"


def test_the_books_bibliography_renders_the_key_that_leaked_into_the_audit():
    assert I.cite_text("Report 2021 (sic2021sharing), as reported") == (
        "Report 2021 [State Information Center, Sharing Economy Research Center, 2021], as reported"
    )


def _datatable_arguments(html: str, table_id: str) -> dict:
    """The DataTables arguments itables wrote into the page for ``table_id``."""
    script = html[html.index(f'querySelectorAll("#{table_id}:not(.dataTable)")') :]
    start = script.index("let dt_args = ") + len("let dt_args = ")
    end = script.index(";\n", start)
    return json.loads(script[start:end])


def test_interactive_table_static_copy_is_complete_numbered_and_clean(frame, bib):
    table = I.interactive_table(
        frame,
        caption="The audit: one row per number.",
        name="tbl-test",
        filter_columns=["verdict", "part"],
        show_only={"verdict": ["differs", "unverifiable"]},
        rename={"part": "Where", "reason": "Reason"},
        bibliography=bib,
    )
    lines = table.markdown.splitlines()
    assert lines[:3] == [":::{table} The audit: one row per number.", ":name: tbl-test", ":class: rs-print-copy"]
    assert lines[-1] == ":::"
    rows = [line for line in lines if line.startswith("|")]
    assert len(rows) == 2 + len(frame), "heading, rule and every row"
    assert "Where" in rows[0] and "Reason" in rows[0]
    assert "{cite:p}`agency2021`" in table.markdown and "(agency2021)" not in table.markdown
    assert "\u22120.10 \\| printed" in table.markdown and "b = \u22120.011" in table.markdown
    assert not re.search(r"(?<![\w.])-\d", table.markdown), "a hyphen-minus left before a number"


def test_interactive_table_view_is_offline_filterable_and_opens_on_the_findings(frame, bib):
    table = I.interactive_table(
        frame,
        caption="Cap.",
        name="tbl-test",
        filter_columns=["verdict", "part"],
        show_only={"verdict": ["differs", "unverifiable"]},
        bibliography=bib,
    )
    page = table.html
    assert page.startswith('<div class="rs-interactive"')
    fetched = re.findall(r"""(?:src=|<link[^>]*href=|import\s*\(?\s*)["']?(https?://[^"' >]+)""", page)
    assert not fetched, f"the view loads from the network: {fetched}"
    links = set(re.findall(r"https?://[^/\"' >]+", page))
    assert links <= {"https://itables.org", "http://www.w3.org"}, f"addresses other than help pages, SVG names: {links}"
    assert "injectModule" in page, "the DataTables bundle is embedded (itables offline mode)"
    args = _datatable_arguments(page, "rs-tbl-test")
    assert args["searchPanes"]["columns"] == [3, 0]
    assert args["searchPanes"]["preSelect"] == [{"column": 3, "rows": ["differs", "unverifiable"]}]
    assert args["layout"]["top1"] == "searchPanes"
    data = json.loads(args["data_json"])
    assert len(data) == len(frame), "every row is in the view (no downsampling)"
    assert data[3][4] == "report [National Statistics Agency, 2021], as quoted"
    assert data[1][4] == "mean \u22120.10 | printed"


def test_interactive_table_refuses_bad_arguments(frame, bib):
    with pytest.raises(KeyError, match="colour"):
        I.interactive_table(frame, "c", "tbl-x", filter_columns=["colour"], bibliography=bib)
    with pytest.raises(ValueError, match="'verdict' has no value \\['wrong'\\]"):
        I.interactive_table(
            frame, "c", "tbl-x", filter_columns=["verdict"], show_only={"verdict": ["wrong"]}, bibliography=bib
        )
    with pytest.raises(ValueError, match="not a label"):
        I.interactive_table(frame, "c", "tbl x", bibliography=bib)


def test_interactive_table_displays_the_static_copy_then_the_view(frame, bib, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append((obj, raw)))
    table = I.interactive_table(frame, "Cap.", "tbl-test", bibliography=bib)
    table._ipython_display_()
    (static, raw), (view, _) = shown
    assert raw and static["text/markdown"] == table.markdown  # the numbered copy in the book
    assert 'id="tbl-test"' in static["text/html"] and "Cap." in static["text/html"]  # its label in Jupyter
    assert type(view).__name__ == "HTML" and view.data == table.html


def test_long_text_columns_are_marked_to_keep_a_readable_width(frame, bib):
    wordy = frame.assign(reason=["a reason that runs on for well over forty characters in all"] * len(frame))
    args = _datatable_arguments(I.interactive_table(wordy, "c", "tbl-x", bibliography=bib).html, "rs-tbl-x")
    assert args["columnDefs"] == [{"targets": [4], "className": "rs-long"}]
    assert (
        _datatable_arguments(I.interactive_table(frame, "c", "tbl-x", bibliography=bib).html, "rs-tbl-x")["columnDefs"]
        == []
    )


def test_usage_note_counts_the_rows_and_names_what_the_view_opens_on():
    closed = I.usage_note(3, {})
    assert closed.startswith("All 3 rows are in the table. ") and "opens on" not in closed
    opened = I.usage_note(185, {"Verdict": ["discrepant", "unverifiable"], "Part": ["Table 3"]})
    assert "185 rows" in opened and "it opens on Verdict: discrepant, unverifiable; Part: Table 3 (" in opened
    assert opened.endswith("to find a row.")


def test_the_tables_own_controls_speak_the_catalogs_language(monkeypatch):
    import pandas as pd

    from ridersurvey import messages
    from ridersurvey.presentation import interactive

    view = pd.DataFrame({"a": ["x", "y"]})
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "en")
    english = interactive._view_options(view, "t", 10)["language"]
    panes = interactive._filter_options(["a"], ["a"], {})["searchPanes"]["i18n"]
    assert english["search"] == "Search:" and panes["clearMessage"] == "Clear All"
    assert all(isinstance(v, str) for v in english.values())  # itables types DataTables' language as str -> str
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    chinese = interactive._view_options(view, "t", 10)["language"]
    panes = interactive._filter_options(["a"], ["a"], {})["searchPanes"]["i18n"]
    assert chinese["search"] == "搜索：" and "_TOTAL_" in chinese["info"] and "%d" in panes["title"]
