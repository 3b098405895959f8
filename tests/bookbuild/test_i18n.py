"""The configuration's chrome strings in the edition's language (``bookbuild.i18n``)."""

from __future__ import annotations

from types import SimpleNamespace

from bookbuild.i18n import config_messages, footer_paragraphs, translate_config

FOOTER = """<p>Text CC BY 4.0, code MIT. The data
are a reconstruction.</p>
<p class="rs-book-pdf-note" hidden>The whole book as one PDF: <a>book.pdf</a>.</p>
"""
CATALOG = {
    "A book": "一本书",
    "The team": "编写组",
    "Search this book...": "在本书中搜索……",
    "Text CC BY 4.0, code MIT. The data are a reconstruction.": "文字 CC BY 4.0，代码 MIT。数据为重构数据。",
    "The whole book as one PDF: <a>book.pdf</a>.": "全书 PDF 版：<a>book.pdf</a>。",
    "Show code cell {type}": "展开代码单元",
}


def _config(**options) -> SimpleNamespace:
    return SimpleNamespace(
        html_title="A book",
        author="The team",
        nb_code_prompt_show="Show code cell {type}",
        nb_code_prompt_hide="Hide code cell {type}",
        html_theme_options=options,
    )


def test_the_footer_has_one_message_per_paragraph_on_one_line():
    assert footer_paragraphs(FOOTER) == [
        "Text CC BY 4.0, code MIT. The data are a reconstruction.",
        "The whole book as one PDF: <a>book.pdf</a>.",
    ]


def test_config_messages_are_the_title_author_prompts_search_text_and_footer():
    values = vars(_config(search_bar_text="Search this book...", extra_footer=FOOTER))
    assert config_messages(values) == [
        "A book",
        "The team",
        "Show code cell {type}",
        "Hide code cell {type}",
        "Search this book...",
        *footer_paragraphs(FOOTER),
    ]
    assert config_messages({"html_title": "A book", "author": "The team"}) == ["A book", "The team"]


def test_translate_config_gives_the_theme_the_translations_and_keeps_the_footers_markup():
    config = _config(search_bar_text="Search this book...", extra_footer=FOOTER, logo={"text": "x"})
    translate_config(config, lambda message: CATALOG.get(message, message))
    assert (config.html_title, config.author) == ("一本书", "编写组")
    assert (config.nb_code_prompt_show, config.nb_code_prompt_hide) == ("展开代码单元", "Hide code cell {type}")
    assert config.html_theme_options == {
        "search_bar_text": "在本书中搜索……",
        "extra_footer": "<p>文字 CC BY 4.0，代码 MIT。数据为重构数据。</p>\n"
        '<p class="rs-book-pdf-note" hidden>全书 PDF 版：<a>book.pdf</a>。</p>\n',
        "logo": {"text": "x"},
    }


def test_a_message_without_translation_stays_as_it_reads():
    config = _config(extra_footer=FOOTER)
    translate_config(config, lambda message: message)
    assert (config.html_title, config.author) == ("A book", "The team")
    assert footer_paragraphs(config.html_theme_options["extra_footer"]) == footer_paragraphs(FOOTER)
    assert "search_bar_text" not in config.html_theme_options


def test_the_cells_of_a_markdown_table_are_messages(tmp_path):
    from sphinx.application import Sphinx

    (tmp_path / "conf.py").write_text("extensions = ['myst_parser', 'bookbuild.i18n']\n")
    (tmp_path / "index.md").write_text("# Title\n\n| Factor | Variable |\n|---|---|\n| Income | not measured |\n")
    app = Sphinx(tmp_path, tmp_path, tmp_path / "_build", tmp_path / "_doctrees", "gettext", status=None)
    app.build()
    pot = (tmp_path / "_build" / "index.pot").read_text(encoding="utf-8")
    assert all(f'msgid "{cell}"' in pot for cell in ("Factor", "Variable", "Income", "not measured"))
