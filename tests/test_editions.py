"""The Chinese edition: complete catalogs, the language switch, Chinese prose and the same numbers as English."""

from __future__ import annotations

import io
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
#: Every catalog: the pages' (``chapters/*.po``), the page chrome's (``sphinx.po``) and the theme's (``booktheme.po``).
ALL_CATALOGS = sorted(str(p.relative_to(LOCALES).with_suffix("")) for p in LOCALES.rglob("*.po"))
CHROME = "sphinx"


def _toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


ALL_PAGES = _toc_pages()


def _catalog(domain: str):
    with (LOCALES / f"{domain}.po").open("rb") as handle:
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
    assert {*ALL_PAGES, CHROME} <= set(ALL_CATALOGS)


@pytest.mark.parametrize("domain", ALL_CATALOGS)
def test_no_entry_is_missing_or_fuzzy(domain):
    assert _untranslated(_catalog(domain)) == []


#: What a chrome message's translation keeps: its fields (``%(version)s``) and its HTML tags.
FIELDS_AND_TAGS = re.compile(r"%\(\w+\)s|<[^<>]+>")


@pytest.mark.parametrize("domain", [c for c in ALL_CATALOGS if not c.startswith("chapters/")])
def test_chrome_translations_keep_every_field_and_tag(domain):
    assert [
        m.id
        for m in _catalog(domain)
        if m.id and Counter(FIELDS_AND_TAGS.findall(m.id)) != Counter(FIELDS_AND_TAGS.findall(m.string))
    ] == []


def template_messages(source: str) -> list[str | None]:
    """The messages of a Jinja template's ``_()`` calls, as the gettext tools extract them (``None`` for a call
    on a variable)."""
    from jinja2.ext import babel_extract

    found = babel_extract(io.BytesIO(source.encode("utf-8")), ["_"], [], {})
    return [message for _line, _function, message, _comments in found]


def test_template_messages_are_found():
    source = "<p>{{ _('Version %(v)s.') % {'v': x} }} <a>{{ _(title) }}</a> {{ _(\"How to cite\") }}</p>"
    assert template_messages(source) == ["Version %(v)s.", None, "How to cite"]


def test_bookbuilds_templates_translate_literal_messages_only():
    """Sphinx's gettext builder (``make i18n``) stops on a ``_()`` of a variable in a template."""
    from bookbuild.i18n import TEMPLATES

    assert [t.name for t in TEMPLATES.glob("*.html") if None in template_messages(t.read_text(encoding="utf-8"))] == []


def chrome_messages() -> set[str]:
    """Every message the book itself gives the page chrome: bookbuild's templates, the configuration (the title,
    the author, the search box, the footer); bookbuild's download-menu entry is in its own text catalogs."""
    from jupyter_book.config import get_default_sphinx_config
    from myst_nb.core.config import NbParserConfig

    from bookbuild.i18n import TEMPLATES, config_messages

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    options = {**get_default_sphinx_config()["html_theme_options"], "extra_footer": config["html"]["extra_footer"]}
    values = {
        "html_title": config["title"],
        "author": config["author"],
        "nb_code_prompt_show": NbParserConfig().code_prompt_show,
        "nb_code_prompt_hide": NbParserConfig().code_prompt_hide,
        "html_theme_options": options,
    }
    return {
        *(m for t in TEMPLATES.glob("*.html") for m in template_messages(t.read_text(encoding="utf-8")) if m),
        *config_messages(values),
        read_citation_title(),
    }


def test_the_chinese_title_is_the_one_the_citing_page_gives():
    title = read_citation_title()
    (entry,) = [m for m in _catalog(CHROME) if m.id == title]
    assert f"*{title}* [{entry.string}]" in "".join(m.string for m in _catalog("chapters/citing"))


def read_citation_title() -> str:
    from bookbuild.citation import read_citation

    return read_citation(ROOT)["title"]


def test_the_chrome_catalog_translates_every_message_the_book_gives_the_chrome():
    translated = {m.id for m in _catalog(CHROME) if m.id and m.string and not m.fuzzy}
    assert len(chrome_messages()) >= 10
    assert sorted(chrome_messages() - translated) == []


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

    #: Chrome: text outside <article>, and these attributes; not scripts, not links to pages or sections (their
    #: text is the pages' headings, from the pages' catalogs), not an element in another language (the switch).
    CHROME_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-bs-title")
    NOT_CHROME = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.switch = ""
        self.switch_attrs: dict[str, str] = {}
        self.switch_label = ""
        self.tables: list[list[str]] = []
        self.prose: list[str] = []
        self.chrome: list[str] = []
        self._stack: list[str] = []
        self._chrome_stack: list[bool] = []
        self._in_article = 0
        self._skip = 0
        self._not_chrome = 0
        self._in_switch = False
        self._cell: list[str] | None = None

    def _chrome_starttag(self, tag: str, a: dict, classes: list[str]) -> None:
        if tag == "html":
            return
        leaves = tag in self.NOT_CHROME or "reference" in classes or bool(a.get("lang") and a["lang"] != self.lang)
        if not self._in_article and not self._not_chrome and not leaves:
            self.chrome += [a[name] for name in self.CHROME_ATTRIBUTES if a.get(name)]
        if tag not in ("br", "img", "hr", "meta", "link", "input"):
            self._chrome_stack.append(leaves)
            self._not_chrome += leaves

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "a" and "rs-language-switch" in classes:
            self.switch = a.get("href", "")
            self.switch_attrs = a
            self._in_switch = True
        self._chrome_starttag(tag, a, classes)
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
        if tag == "a":
            self._in_switch = False
        if tag not in ("br", "img", "hr", "meta", "link", "input", "html") and self._chrome_stack:
            self._not_chrome -= self._chrome_stack.pop()
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
        if self._in_switch:
            self.switch_label += data.strip()
        if not self._in_article and not self._not_chrome and data.strip():
            self.chrome.append(" ".join(data.split()))
        if self._cell is not None:
            self._cell.append(data)
        if self._in_article and not self._skip and not data.strip().startswith("$"):
            self.prose.append(data)


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


#: A number as a cell shows it: a sign only where it cannot be a range's dash ("16-30", "16~30").
NUMBER = re.compile(r"(?:(?<!\d)[−-])?\d+(?:[.,]\d+)*%?")
#: What English writes in words and Chinese in digits or a unit character (audit.wording.count_words: words
#: up to ten in English, digits in other editions; the context tables' units 万人 and 亿人).
_COUNT_WORDS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
_UNIT_WORDS = {"10 thousand": "万", "100 million": "亿"}
#: The execution-statistics table (environment chapter): its times are each build's own, not numbers of the book.
_TIMINGS = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")


_COUNT = re.compile(r"\b(?:{})\b".format("|".join(_COUNT_WORDS)), flags=re.IGNORECASE)
_SMALL_COUNT = re.compile(r"^(?:10|\d)$")


def _is_text(cell: str) -> bool:
    return len(re.findall(r"[A-Za-z\u4e00-\u9fff]", cell)) >= 2


def numbers(cell: str, text: bool) -> Counter:
    """The numbers a table cell shows. In a cell of text (``text``: either edition's cell has words), whole
    numbers up to ten are left out: English writes them in words, Chinese in digits
    (``audit.wording.count_words``: "nine factors", 9 个因素). Units are compared as Chinese writes them."""
    for words, unit in _UNIT_WORDS.items():
        cell = cell.replace(words, unit)
    found = NUMBER.findall(_COUNT.sub(lambda m: _COUNT_WORDS[m.group(0).lower()], cell))
    if text:
        found = [n for n in found if not _SMALL_COUNT.match(n)]
    return Counter(found)


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
def test_the_switch_names_the_other_edition_in_its_own_language(editions, page):
    english, chinese = (_read(root / f"{page}.html") for root in editions)
    assert (english.switch_label, english.switch_attrs["hreflang"], english.switch_attrs["lang"]) == (
        "中文",
        "zh-CN",
        "zh-CN",
    )
    assert (chinese.switch_label, chinese.switch_attrs["hreflang"], chinese.switch_attrs["lang"]) == (
        "English",
        "en",
        "en",
    )
    assert english.switch_attrs["title"] == "中文" and chinese.switch_attrs["title"] == "English"


#: Latin words that the Chinese chrome keeps: names (of licences, files, services, keys, the library).
CHROME_NAMES = {
    "CC",
    "BY",
    "MIT",
    "PDF",
    "pdf",
    "book.pdf",
    "md",
    "ipynb",
    "Binder",
    "Ctrl",
    "JavaScript",
    "ridersurvey",
}
#: sphinx-book-theme 1.3.0 hard-codes these in its templates (components/toggle-primary-sidebar.html,
#: toggle-secondary-sidebar.html, sbt-sidebar-nav.html, layout.html), out of any catalog's reach.
HARD_CODED = {"Toggle primary sidebar", "Toggle secondary sidebar", "Main", "Page"}
#: A Latin word of two letters or more (a single letter is an appendix's number, "A.", or a key, "K").
WORD = re.compile(r"[A-Za-z]{2,}(?:\.[A-Za-z]+)*")


def untranslated_chrome(page: _Page) -> list[str]:
    """The chrome's strings with a Latin word that is neither a name nor a string the theme hard-codes."""
    return [t for t in page.chrome if t not in HARD_CODED and set(WORD.findall(t)) - CHROME_NAMES]


@pytest.mark.book
def test_the_chinese_chrome_has_no_english_a_catalog_can_reach(editions):
    """Everything around the text of every Chinese page (the search page and the index too) is Chinese."""
    english, chinese = editions
    pages = sorted(chinese.glob("*.html")) + sorted(chinese.glob("chapters/*.html"))
    assert len(pages) >= len(ALL_PAGES) + 2
    assert {p.name: untranslated_chrome(_read(p)) for p in pages} == {p.name: [] for p in pages}
    folded = [
        p.name for p in pages if re.search(r"admonition-title\">(Show|Hide) code cell", p.read_text(encoding="utf-8"))
    ]
    assert folded == []  # a folded code cell's prompts (myst-nb's, in <article>)
    assert len(untranslated_chrome(_read(english / "chapters" / "model.html"))) >= 10  # the English chrome is found


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
        assert len(en_table) == len(zh_table)
        if any(_TIMINGS.match(c) for c in en_table):
            continue
        assert [
            (e, z) for e, z in zip(en_table, zh_table) if numbers(e, t := _is_text(e) or _is_text(z)) != numbers(z, t)
        ] == []


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


def _english_paragraph(text: str) -> bool:
    """Prose in English only: a dozen Latin words or more, no Chinese, outside code, math and links."""
    text = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]+>", "", text, flags=re.DOTALL)
    return not re.search("[\u4e00-\u9fff]", text) and len(re.findall(r"[A-Za-z]{2,}", text)) >= 12


def _han_share(text: str) -> float:
    text = re.sub(r"`[^`]*`|\$[^$]*\$|\]\([^)]*\)|<[^>]+>", "", text)
    han, latin = len(re.findall("[\u4e00-\u9fff]", text)), len(re.findall("[A-Za-z]", text))
    return han / max(1, han + latin)


@pytest.mark.book
@pytest.mark.parametrize("page", ALL_PAGES)
def test_the_chinese_notebooks_read_in_chinese(editions, page):
    """The notebook a reader downloads from the Chinese edition: its text translated, plain Markdown, run in
    Chinese (its outputs are the Chinese edition's)."""
    import nbformat

    from bookbuild.notebook import raw_myst

    english, chinese = (root / "_sources" / f"{page}.ipynb" for root in editions)
    assert english.exists() == chinese.exists()
    if not english.exists():
        pytest.skip("a page without code has no notebook in either edition")
    notebook = nbformat.read(chinese, as_version=4)
    markdown = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert [r for text in markdown for r in raw_myst(text)] == []
    body = "\n\n".join(
        p for text in markdown for p in text.split("\n\n") if not p.startswith("- ")
    )  # the works cited keep their titles
    assert _han_share(body) >= 0.6
    english = [p[:80] for p in body.split("\n\n") if _english_paragraph(p)]
    assert english == []  # a paragraph the catalog has but the notebook kept in English
