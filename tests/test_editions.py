"""The Chinese edition: complete catalogs, the language switch, Chinese prose and the same numbers as English.

``TRANSLATED`` is the set of pages whose translation is held to completeness. While the English text is still
being revised only the pilot pages are; when the whole book is translated, ``TRANSLATED = ALL_PAGES``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from conftest import ROOT

LOCALES = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"


def _toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


ALL_PAGES = _toc_pages()
PILOT = ["chapters/intro", "chapters/codebook"]
TRANSLATED = PILOT  # the whole book: TRANSLATED = ALL_PAGES


def _catalog(page: str):
    with (LOCALES / f"{page}.po").open("rb") as handle:
        return read_po(handle)


def _untranslated(catalog) -> list[str]:
    return [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]


def test_every_page_has_a_catalog():
    assert [p for p in ALL_PAGES if not (LOCALES / f"{p}.po").exists()] == []


@pytest.mark.parametrize("page", TRANSLATED)
def test_no_entry_is_missing_or_fuzzy(page):
    assert _untranslated(_catalog(page)) == []


def test_a_missing_or_fuzzy_entry_is_found(tmp_path):
    catalog = _catalog(PILOT[0])
    first, second = [m for m in catalog if m.id][:2]
    first.string = ""
    second.flags.add("fuzzy")
    assert _untranslated(catalog) == [first.id, second.id]


@pytest.mark.book
def test_the_catalogs_hold_every_message_of_the_english_sources(tmp_path):
    """The pages' messages as they are now (the gettext builder) are all in the catalogs, translated."""
    build = subprocess.run(
        [sys.executable, "-m", "bookbuild", ".", "--builder", "gettext"], cwd=ROOT, capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr[-2000:]
    for page in TRANSLATED:
        with (ROOT / "_build" / "gettext" / f"{page}.pot").open("rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
        translated = {m.id for m in _catalog(page) if m.id and m.string and not m.fuzzy}
        assert sorted(wanted - translated) == [], page


# --- the built editions -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def editions(built_book: Path) -> tuple[Path, Path]:
    """The English HTML and the Chinese HTML inside it (``make book``), building the Chinese edition if needed."""
    chinese = built_book / "zh_CN"
    if not (os.environ.get("RIDERSURVEY_REUSE_BUILD") and (chinese / "index.html").exists()):
        command = [sys.executable, "-m", "bookbuild", ".", "-W", "-n", "--keep-going", "--language", "zh_CN"]
        build = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if build.returncode != 0:
            pytest.fail("Chinese edition failed:\n" + "\n".join((build.stdout + build.stderr).splitlines()[-60:]))
    return built_book, chinese


class _Page(HTMLParser):
    """What the tests read from a page: its lang, its switch link, its tables' cells and its prose."""

    SKIP = {"script", "style", "pre", "code", "table", "math", "nav", "header", "footer", "button"}

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.switch = ""
        self.tables: list[list[str]] = []
        self.prose: list[str] = []
        self._stack: list[str] = []
        self._in_article = 0
        self._skip = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "a" and "rs-language-switch" in classes:
            self.switch = a.get("href", "")
        if tag == "article":
            self._in_article += 1
        if tag == "table":
            self.tables.append([])
        if tag in ("td", "th") and self.tables:
            self._cell = []
        if tag in self.SKIP or "cell_input" in classes or "MathJax" in classes or "math" in classes:
            self._skip += 1
            self._stack.append(tag)
        elif tag not in ("br", "img", "hr", "meta", "link", "input"):
            self._stack.append("")

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1].append("".join(self._cell).strip())
            self._cell = None
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        while self._stack:
            top = self._stack.pop()
            if top:
                self._skip -= 1
            break

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._in_article and not self._skip and not data.strip().startswith("$"):
            self.prose.append(data)


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


NUMBER = re.compile(r"[−-]?\d+(?:[.,]\d+)*%?")


@pytest.mark.book
@pytest.mark.parametrize("page", ALL_PAGES)
def test_the_switch_leads_to_the_same_page_and_back(editions, page):
    english, chinese = editions
    there = _read(english / f"{page}.html")
    assert there.lang == "en"
    target = (english / page).parent / there.switch
    assert target.resolve() == (chinese / f"{page}.html").resolve()
    back = _read(target)
    assert back.lang == "zh-CN"
    assert ((chinese / page).parent / back.switch).resolve() == (english / f"{page}.html").resolve()


@pytest.mark.book
@pytest.mark.parametrize("page", PILOT)
def test_translated_prose_is_chinese(editions, page):
    text = "".join(_read(editions[1] / f"{page}.html").prose)
    letters = [c for c in text if c.isalpha()]
    han = [c for c in letters if "\u4e00" <= c <= "\u9fff"]
    assert len(han) / len(letters) >= 0.6, f"{len(han)} of {len(letters)} letters are Chinese"


@pytest.mark.book
@pytest.mark.parametrize("page", PILOT)
def test_the_same_tables_carry_the_same_numbers(editions, page):
    english, chinese = (_read(root / f"{page}.html").tables for root in editions)
    assert len(english) == len(chinese) > 0
    for en_table, zh_table in zip(english, chinese):
        assert [NUMBER.findall(c) for c in en_table] == [NUMBER.findall(c) for c in zh_table]
    assert english != chinese  # the headers are translated


@pytest.mark.book
def test_chinese_search_index_is_segmented(editions):
    text = (editions[1] / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))["terms"]
    assert {"职业伤害保障", "职业", "灵活就业者", "骑手"} <= terms.keys()  # jieba's words, the book's terms whole


# --- the figures' Chinese font ------------------------------------------------------------------------------


def _han(text: str) -> set[str]:
    return {c for c in text if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"}


def test_the_font_draws_every_chinese_character_the_figures_can_show():
    from fontTools.ttLib import TTFont

    from ridersurvey.presentation.plots import CJK_FONT

    covered = {chr(c) for c in TTFont(CJK_FONT).getBestCmap()}
    shown = _han((ROOT / "lib" / "ridersurvey" / "messages" / "zh_CN.toml").read_text(encoding="utf-8"))
    shown |= _han((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))
    assert sorted(shown - covered) == []


def test_chinese_figures_use_the_book_font_and_miss_no_glyph(monkeypatch, recwarn):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from ridersurvey import messages
    from ridersurvey.model.logit import load_analysis_data
    from ridersurvey.presentation import plots

    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    monkeypatch.setattr(plots, "_STYLED", False)  # restored afterwards, as rc_context restores the style
    with plt.rc_context():
        plots.set_style()
        assert font_manager.findfont(font_manager.FontProperties(family=["sans-serif"])) == str(plots.CJK_FONT)
        figure = plots.item_distributions(load_analysis_data())
        figure.canvas.draw()
        texts = [t.get_text() for ax in figure.axes for t in ax.get_yticklabels() + [ax.title]]
    assert "户籍状况" in texts and "农村" in texts
    assert not [w for w in recwarn if "missing from font" in str(w.message)]
