"""The report layer: one style for numbers and prose, and tables that render in the book and in Jupyter."""

from __future__ import annotations

import html.parser

import pandas as pd
import pytest

from ridersurvey import report as r


def test_numbers_use_fixed_decimals_and_a_typographic_minus():
    assert r.number(-0.011) == "\u22120.011" and r.number(1.5, 1) == "1.5"
    assert r.number(0.25, 2, signed=True) == "+0.25" and r.number(-0.25, 2, signed=True) == "\u22120.25"
    assert r.number(float("nan")) == "–"
    assert repr(r.number(2.0, 1)) == "2.0"  # no quotes where a notebook shows it


def test_counts_print_as_integers_and_small_ones_as_words():
    assert r.integer(29.0) == "29" and r.integer(-3) == "\u22123"
    with pytest.raises(ValueError):
        r.integer(2.5)
    assert [r.count_words(n) for n in (0, 2, 9, 10, 11, 100)] == ["zero", "two", "nine", "ten", "11", "100"]
    assert r.count_words(0, zero="none") == "none"


def test_p_values_never_print_as_zero():
    assert r.p_value(0.006) == "0.006" and r.p_value(0.0005) == "0.001"
    assert r.p_value(0.00049) == "< 0.001" and r.p_value(0.0) == "< 0.001"
    assert r.p_value(0.0449, 2) == "0.04" and r.p_value(0.004, 2) == "< 0.01"
    assert r.p_text(0.0002) == "p < 0.001" and r.p_text(0.006) == "p = 0.006"


def test_p_values_never_print_as_one():
    assert r.p_value(0.9994) == "0.999" and r.p_value(0.9995) == "> 0.999" and r.p_value(1.0) == "> 0.999"
    assert r.p_value(0.996, 2) == "> 0.99" and r.p_interval(0.0001, 1.0) == "[< 0.001, > 0.999]"


def test_intervals_percentages_and_lists_have_one_style():
    assert r.interval(0.123, 3.4) == "[0.12, 3.40]" and r.interval(-1, 1, 1) == "[\u22121.0, 1.0]"
    assert r.percent(71.0) == "71.0%"
    assert r.names([]) == "none" and r.names(["a"]) == "a" and r.names(["a", "b"]) == "a and b"
    assert r.names(["a", "b", "c"]) == "a, b and c" and r.names(["a", "b"], "or") == "a or b"


@pytest.mark.parametrize(
    ("share", "decimals", "shown"),
    [
        (998 / 1000, 0, "99.8%"),
        (999 / 1000, 1, "99.9%"),
        (9999 / 10000, 1, "99.99%"),
        (2 / 1000, 0, "0.2%"),
        (2 / 10000, 1, "0.02%"),
        (1 / 3, 0, "33%"),
        (0.995, 0, "99.5%"),
        (0.994, 0, "99%"),
        (0.005, 0, "0.5%"),
        (1.0, 0, "100%"),
        (0.0, 1, "0.0%"),
    ],
)
def test_a_share_strictly_inside_never_prints_as_an_end(share, decimals, shown):
    assert r.percent(100 * share, decimals) == shown


def test_percent_keeps_shares_off_the_ends_at_every_count():
    for reps in (10, 1000, 20000):
        for k in range(1, reps):
            text = r.percent(100 * k / reps, 0)
            value = float(text.rstrip("%"))
            assert 0 < value < 100, (k, reps, text)


def test_facts_hold_text_and_show_as_a_list():
    facts = r.Facts(n=r.integer(100), share="51%")
    assert facts.n == "100" and isinstance(facts.share, r.Text)
    assert repr(facts) == "n      100\nshare  51%"
    assert facts.as_dict() == {"n": "100", "share": "51%"}


SPEC = r.TableSpec(
    [
        r.Column("variable", "Variable"),
        r.Column("coef", "B", ".3f"),
        r.Column("p", "p", r.p_value),
        r.Column("printed", "As printed", literal=True),
        r.Column("differs", "Differs"),
    ]
)
FRAME = pd.DataFrame(
    {"coef": [-0.5, 1.0], "p": [0.0001, 0.2], "printed": ["0.006**", "a|b"], "differs": [True, False]},
    index=pd.Index(["x", "y"], name="variable"),
)


def test_table_spec_renders_strings_in_the_declared_order():
    body = SPEC.render(FRAME)
    assert list(body.columns) == ["Variable", "B", "p", "As printed", "Differs"]
    assert body.iloc[0].tolist() == ["x", "\u22120.500", "< 0.001", r"0.006\*\*", "yes"]
    assert body.iloc[1].tolist() == ["y", "1.000", "0.200", r"a\|b", ""]
    with pytest.raises(KeyError, match="missing"):
        r.TableSpec([r.Column("missing", "M")]).render(FRAME)


def test_table_renders_as_a_numbered_myst_table():
    table = SPEC.table(FRAME, "Coefficients, $b$ and $p$.", "tbl-demo")
    md = table._repr_markdown_()
    lines = md.splitlines()
    assert lines[0] == ":::{table} Coefficients, $b$ and $p$." and lines[1] == ":name: tbl-demo"
    assert lines[3].startswith("| Variable") and lines[-1] == ":::"
    assert r"| a\|b " in md  # an escaped pipe does not split the cell
    assert len(lines) == 3 + 2 + 2 + 1


class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self.caption, self._in = [], "", None

    def handle_starttag(self, tag, attrs):
        self._in = tag

    def handle_data(self, data):
        if self._in in ("td", "th"):
            self.cells.append(data)
        elif self._in == "caption":
            self.caption += data


def test_table_renders_as_html_with_its_caption_for_jupyter():
    table = SPEC.table(FRAME, "Coefficients <b>.", "tbl-demo")
    parser = _Cells()
    parser.feed(table._repr_html_())
    assert parser.caption == "Coefficients <b>."
    assert parser.cells[:5] == ["Variable", "B", "p", "As printed", "Differs"]
    assert parser.cells[5:10] == ["x", "\u22120.500", "< 0.001", "0.006**", "yes"]  # literal text unescaped
    assert "a|b" in parser.cells


def test_table_labels_and_captions_are_checked():
    with pytest.raises(ValueError, match="tbl-"):
        r.Table(pd.DataFrame(), "c", "fig-x")
    with pytest.raises(ValueError, match="one line"):
        r.Table(pd.DataFrame(), "a\nb", "tbl-x")


def test_pipes_in_headers_do_not_split_columns():
    table = r.TableSpec([r.Column("z", "|z| implied", ".2f")]).table(pd.DataFrame({"z": [2.0]}), "c", "tbl-z")
    md = table.to_markdown()
    assert r"| \|z\| implied" in md and "2.00" in md


def test_bounds_round_outward_and_intervals_to_nearest():
    assert r.bounds(0.308, 2.624) == "[0.30, 2.63]"
    assert r.interval(0.308, 2.624) == "[0.31, 2.62]"
    assert r.bounds(-0.305, -0.001) == "[−0.31, 0.00]"
    assert r.bounds(0.31, 2.62) == "[0.31, 2.62]"  # exact limits stay put


def test_p_intervals_print_each_end_as_a_p_value():
    assert r.p_interval(0.0002, 0.9951) == "[< 0.001, 0.995]"
    assert r.p_interval(0.0004, 0.0006) == "[< 0.001, 0.001]"
    assert r.p_interval(0.25, 0.5, 2) == "[0.25, 0.50]"


def test_sentence_case_touches_only_the_first_letter():
    assert r.sentence_case("an odds ratio of 2 per step in Table 1") == "An odds ratio of 2 per step in Table 1"
    assert r.sentence_case("") == ""


def test_lists_and_counts_follow_the_catalog_language(monkeypatch):
    from ridersurvey import messages

    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    assert r.names(["性别", "婚姻状况", "文化程度"]) == "性别、婚姻状况和文化程度"
    assert r.names(["甲", "乙"], "or") == "甲或乙"
    assert r.names([]) == "无"
    assert r.count_words(7) == "7"
    assert r.count_words(0) == "0"
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "en")
    assert r.names(["a", "b", "c"]) == "a, b and c"
    assert r.count_words(7) == "seven"


def test_headers_follow_the_catalog_language(monkeypatch):
    from ridersurvey import messages

    spec = r.TableSpec([r.Column("v", "Variable"), r.Column("n", "Count", r.integer)])
    frame = pd.DataFrame({"v": ["gender"], "n": [3]})
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    assert list(spec.render(frame).columns) == ["变量", "频数"]
    assert spec.render(frame).iloc[0].tolist() == ["gender", "3"]
