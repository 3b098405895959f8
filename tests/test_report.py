"""The report layer: one style for numbers and prose, and tables that render in the book and in Jupyter."""

from __future__ import annotations

import html.parser

import pandas as pd
import pytest

from ridersurvey.audit import precision as P
from ridersurvey.audit import wording as W
from ridersurvey.presentation import report as r


def test_formats_are_the_audit_layers_shown_as_text():
    shown = [
        (r.integer(-1234), P.integer(-1234)),
        (r.percent(99.8, 0), P.percent(99.8, 0)),
        (r.p_value(0.0002), P.p_value(0.0002)),
        (r.interval(-1, 1, 1), P.interval(-1, 1, 1)),
        (r.p_interval(0.0002, 0.9951), P.p_interval(0.0002, 0.9951)),
        (r.count_words(3), W.count_words(3)),
        (r.share_words(0, 33), W.share_words(0, 33)),
        (r.names(["a", "b", "c"]), W.names(["a", "b", "c"])),
    ]
    for text, plain in shown:
        assert isinstance(text, r.Text) and text == plain and repr(text) == plain


def test_p_text_states_the_relation():
    assert r.p_text(0.0002) == "p < 0.001" and r.p_text(0.006) == "p = 0.006"


def test_numbers_use_fixed_decimals_and_a_typographic_minus():
    assert r.number(-0.011) == "\u22120.011" and r.number(1.5, 1) == "1.5"
    assert r.number(0.25, 2, signed=True) == "+0.25" and r.number(-0.25, 2, signed=True) == "\u22120.25"
    assert r.number(float("nan")) == "–"
    assert repr(r.number(2.0, 1)) == "2.0"  # no quotes where a notebook shows it


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
    assert r.bounds(-0.305, -0.001) == "[−0.31, 0.00]"
    assert r.bounds(0.31, 2.62) == "[0.31, 2.62]"  # exact limits stay put


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


def test_a_chinese_table_has_chinese_headers_and_labels_and_the_same_numbers(monkeypatch):
    from ridersurvey import messages

    frame = pd.DataFrame({"place": ["Table 3", "Section 6.1 (prose)"], "b": [-0.011, 1.5], "ok": [True, False]})
    spec = r.TableSpec([r.Column("place", "Place in the paper"), r.Column("b", "B", ".3f"), r.Column("ok", "Met")])
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "en")
    english = spec.render(frame)
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    chinese = spec.render(frame)
    assert list(english.columns) == ["Place in the paper", "B", "Met"]
    assert list(chinese.columns) == ["在原文中的位置", "B", "是否达到"]
    assert english.iloc[:, 0].tolist() == ["Table 3", "Section 6.1 (prose)"]
    assert chinese.iloc[:, 0].tolist() == ["原文表3", "第 6.1 节（正文）"]
    assert chinese["B"].tolist() == english["B"].tolist() == ["−0.011", "1.500"]
    assert chinese["是否达到"].tolist() == ["是", ""]
