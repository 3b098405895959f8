"""myst-nb's execution-statistics table in words, in the edition's language (``bookbuild.exec_table_text``)."""

from __future__ import annotations

from docutils import nodes

from bookbuild.exec_table_text import _is_exec_table, words


def _table(*cells: str) -> nodes.table:
    table = nodes.table()
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", nodes.paragraph(text=cell))
    table += row
    return table


def test_the_words_are_english_or_the_edition_s():
    assert words()["\u2705"] == "yes" and words("en")["\u274c"] == "no"
    assert words()["Run Time (s)"] == "Run Time (s)"
    chinese = words("zh_CN")
    assert (chinese["\u2705"], chinese["Document"], chinese["Run Time (s)"]) == ("是", "文档", "运行时间（秒）")


def test_only_myst_nb_s_table_is_reworded():
    assert _is_exec_table(_table("Document", "Modified"))
    assert not _is_exec_table(_table("Method", "Document"))
    assert not _is_exec_table(nodes.table())
