"""The Chinese edition: complete catalogs, the language switch, Chinese prose and the same numbers as English."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
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


def _catalog(page: str):
    with (LOCALES / f"{page}.po").open("rb") as handle:
        return read_po(handle)


def _untranslated(catalog) -> list[str]:
    return [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]


ROLE = re.compile(r"\{([a-z:-]+)\}`([^`]*)`")
_TARGET = re.compile(r"<([^<>]+)>$")
INLINE = [
    re.compile(p) for p in (r"(?<![}`])`[^`]+`", r"\]\(([^)]*)\)", r"\[\^[^\]]+\]", r"\$[^$]+\$", r"\{\{[^}]*\}\}")
]


def markup(message: str) -> Counter:
    """What a translation must keep of its message: every role (with its target: a cross-reference's text may be
    translated, ``{ref}`内界 <label>```), inline code, link target, footnote, math and substitution."""
    roles = Counter()
    for name, content in ROLE.findall(message):
        target = _TARGET.search(content) if name in ("ref", "doc", "numref", "term") else None
        roles[(name, target.group(1) if target else content)] += 1
    rest = ROLE.sub(" ", message)
    return roles + Counter(m for pattern in INLINE for m in pattern.findall(rest))


def test_every_page_has_a_catalog():
    assert [p for p in ALL_PAGES if not (LOCALES / f"{p}.po").exists()] == []


@pytest.mark.parametrize("page", ALL_PAGES)
def test_no_entry_is_missing_or_fuzzy(page):
    assert _untranslated(_catalog(page)) == []


@pytest.mark.parametrize("page", ALL_PAGES)
def test_translations_keep_every_role_reference_and_value(page):
    assert [m.id[:60] for m in _catalog(page) if m.id and m.string and markup(m.id) != markup(m.string)] == []


def test_a_dropped_value_or_a_changed_target_is_found():
    message = "Of {eval}`f.n` findings ({numref}`tbl-x`), see {ref}`inner bounds <rb-inner>` and `code`."
    assert markup(message) == markup("{eval}`f.n`个发现（{numref}`tbl-x`），见{ref}`内界 <rb-inner>`和`code`。")
    assert markup(message) != markup("发现（{numref}`tbl-x`），见{ref}`内界 <rb-inner>`和`code`。")
    assert markup(message) != markup("{eval}`f.n`个发现（{numref}`tbl-y`），见{ref}`内界 <rb-inner>`和`code`。")


def test_a_missing_or_fuzzy_entry_is_found(tmp_path):
    catalog = _catalog(ALL_PAGES[0])
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
    for page in ALL_PAGES:
        with (ROOT / "_build" / "gettext" / f"{page}.pot").open("rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
        translated = {m.id for m in _catalog(page) if m.id and m.string and not m.fuzzy}
        assert sorted(wanted - translated) == [], page


# --- the built editions -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def editions(built_book: Path) -> tuple[Path, Path]:
    """The English HTML and the Chinese HTML inside it (``make book`` builds both)."""
    return built_book, built_book / "zh_CN"


class _Page(HTMLParser):
    """What the tests read from a page: its lang, its switch link, its tables' cells and its prose."""

    SKIP = {"script", "style", "pre", "code", "table", "math", "nav", "header", "footer", "button"}
    #: Code, math, and reference entries (the bibliography's and the citing page's APA forms), which keep
    #: every work's title in its own language, as a reference list does.
    NOT_PROSE = {"cell_input", "MathJax", "math", "citation", "rs-reference-entry"}

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
        if tag in self.SKIP or self.NOT_PROSE & set(classes):
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
@pytest.mark.parametrize("page", ALL_PAGES)
def test_translated_prose_is_chinese(editions, page):
    text = "".join(_read(editions[1] / f"{page}.html").prose)
    letters = [c for c in text if c.isalpha()]
    han = [c for c in letters if "\u4e00" <= c <= "\u9fff"]
    assert len(han) / len(letters) >= 0.6, f"{len(han)} of {len(letters)} letters are Chinese"


@pytest.mark.book
@pytest.mark.parametrize("page", ALL_PAGES)
def test_the_same_tables_carry_the_same_numbers(editions, page):
    english, chinese = (_read(root / f"{page}.html").tables for root in editions)
    assert len(english) == len(chinese)
    for en_table, zh_table in zip(english, chinese):
        assert [NUMBER.findall(c) for c in en_table] == [NUMBER.findall(c) for c in zh_table]
        assert zh_table != en_table or not any(re.search("[A-Za-z]{3}", c) for c in en_table)  # words translated


@pytest.mark.book
def test_the_book_has_tables_to_compare(editions):
    assert sum(len(_read(editions[0] / f"{page}.html").tables) for page in ALL_PAGES) >= 40


@pytest.mark.book
def test_chinese_search_index_is_segmented(editions):
    text = (editions[1] / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))["terms"]
    assert {"职业伤害保障", "职业", "灵活就业者", "骑手"} <= terms.keys()  # jieba's words, the book's terms whole


# --- the figures' Chinese font ------------------------------------------------------------------------------


def _han(text: str) -> set[str]:
    return {c for c in text if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"}


def _figure_characters() -> set[str]:
    """Every Chinese character a figure can show: the catalog's and the codebook's."""
    shown = _han((ROOT / "lib" / "ridersurvey" / "messages" / "zh_CN.toml").read_text(encoding="utf-8"))
    return shown | _han((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))


_DRAWS = """async (chars) => {
    const face = new FontFace("BookCJK", "url(/font.otf)");
    document.fonts.add(await face.load());
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 40;
    const g = canvas.getContext("2d", {willReadFrequently: true});
    const draw = (ch, family) => {
        g.clearRect(0, 0, 40, 40);
        g.font = `32px ${family}`;
        g.fillText(ch, 2, 34);
        return g.getImageData(0, 0, 40, 40).data.join(",");
    };
    // a character the font lacks is drawn by the browser's fallback, as for a family that does not exist
    return chars.filter((ch) => draw(ch, "BookCJK") === draw(ch, "NoSuchFamilyAnywhere"));
}"""


@pytest.mark.browser
def test_chromium_draws_every_chinese_character_of_the_figures_from_the_book_font(browser):
    """No tofu, as Chromium sees it: every Chinese character a figure can show is drawn from the font the
    figures use (a glyph the font lacked would be drawn by Chromium's fallback instead)."""
    from ridersurvey.presentation.plots import CJK_FONT

    page = browser.new_page()
    page.route("http://book.test/font.otf", lambda r: r.fulfill(body=CJK_FONT.read_bytes(), content_type="font/otf"))
    page.route(
        "http://book.test/", lambda r: r.fulfill(body="<!doctype html><title>t</title>", content_type="text/html")
    )
    page.goto("http://book.test/")
    assert page.evaluate(_DRAWS, ["龘"]) == ["龘"]  # outside GB 2312, not in the subset: the check can fail
    assert page.evaluate(_DRAWS, sorted(_figure_characters())) == []
    page.close()


@pytest.mark.browser
@pytest.mark.book
def test_chromium_shows_every_chinese_figure(editions, browser):
    """Each figure of the Chinese edition loads in Chromium, with a Chinese text alternative."""
    page = browser.new_page()
    shown = 0
    for name in ALL_PAGES:
        page.goto((editions[1] / f"{name}.html").as_uri())
        figures = page.eval_on_selector_all(
            "figure img",
            """async (imgs) => Promise.all(imgs.map(async (i) => {
                i.loading = "eager";
                try { await i.decode(); } catch (e) { return [false, i.src]; }
                return [i.naturalWidth > 0, i.getAttribute("alt") || ""];
            }))""",
        )
        assert all(loaded for loaded, _ in figures), name
        assert all(_han(alt) for _, alt in figures), name
        shown += len(figures)
    page.close()
    assert shown >= 8


def test_the_font_draws_every_chinese_character_the_figures_can_show():
    from fontTools.ttLib import TTFont

    from ridersurvey.presentation.plots import CJK_FONT

    covered = {chr(c) for c in TTFont(CJK_FONT).getBestCmap()}
    assert sorted(_figure_characters() - covered) == []


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


# --- the downloadable notebooks -----------------------------------------------------------------------------


def _han_share(text: str) -> float:
    text = re.sub(r"`[^`]*`|\$[^$]*\$|\]\([^)]*\)|<[^>]+>", "", text)
    han, latin = len(re.findall("[\u4e00-\u9fff]", text)), len(re.findall("[A-Za-z]", text))
    return han / max(1, han + latin)


@pytest.mark.book
@pytest.mark.parametrize("page", [p for p in ALL_PAGES if p != "chapters/references"])
def test_the_chinese_notebooks_read_in_chinese(editions, page):
    """The notebook a reader downloads from the Chinese edition: its text translated, plain Markdown, run in
    Chinese (its outputs are the Chinese edition's)."""
    import nbformat

    from bookbuild.notebook import raw_myst

    notebook = nbformat.read(editions[1] / "_sources" / f"{page}.ipynb", as_version=4)
    markdown = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert [r for text in markdown for r in raw_myst(text)] == []
    body = "\n\n".join(
        p for text in markdown for p in text.split("\n\n") if not p.startswith("- ")
    )  # the works cited keep their titles
    assert _han_share(body) >= 0.6
