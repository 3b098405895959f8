"""The book's editions: one English source, a Chinese edition from Sphinx's gettext catalogs.

* Each page's translation is ``locales/<language>/LC_MESSAGES/<docname>.po`` (``gettext_compact`` off),
  kept with ``sphinx-intl`` (``make i18n``); Sphinx compiles it and translates the page as it reads it.
* A paragraph's message is its MyST source, ``{eval}`` roles included. Sphinx parses a translated message
  as a document of its own, which has no kernel; the ``{eval}`` role here gives such a message the values
  the page's own paragraphs got from its kernel (:class:`TranslatedEvalRole`), so both editions print the
  same computed value.
* The cells of a table written in Markdown are messages (:class:`TableCellSources`).
* Tables' captions, written as arguments in the chapters' code, are messages too (:class:`ExtractCodeCaptions`,
  :class:`TranslateCodeCaptions`).
* The parts' captions in the navigation are the root page's messages (:class:`TranslateTocCaptions`).
* Sphinx's Chinese search splits words with jieba, which also knows the book's terms
  (``locales/<language>/search_terms.txt``: 职业伤害保障, 灵活就业人员, ...).
* Every page links the same page in the other edition (``rs-language-switch.html``, from the context value
  ``rs_edition``); an edition other than English lives in ``<language>/`` under the English HTML
  (:data:`EDITIONS`, :func:`edition_prefix`).
* The page chrome (everything around the page's text) is Sphinx's own business: ``locale_dirs`` in
  ``_config.yml`` makes Sphinx read the project's ``locales/<language>/LC_MESSAGES/sphinx.po`` before its own
  and the themes' catalogs, so it supplies or overrides the templates' ``_('...')`` strings (the themes' and
  bookbuild's). The strings the configuration gives the theme and myst-nb (the title, the author, the footer,
  the search box's text, the folded code cells' prompts) are translated here with the same catalog
  (:func:`config_messages`, :func:`translate_config`).
  sphinx-book-theme translates its buttons' tooltips with a catalog of its own (:data:`THEME_DOMAINS`): the
  project's ``<domain>.po`` beside ``sphinx.po`` gives the entries the theme's own catalog lacks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import publish_msgstr
from sphinx.util.i18n import CatalogRepository, docname_to_domain

from bookbuild.execute import InOrderEval

TEMPLATES = Path(__file__).resolve().parent / "templates"
SWITCH = "rs-language-switch.html"

#: The book's editions: Sphinx language code and the name a reader knows it by (in its own language).
EDITIONS: dict[str, str] = {"en": "English", "zh_CN": "中文"}

SOURCE_LANGUAGE = "en"
SEARCH_TERMS = "search_terms.txt"
_MEMO = "bookbuild_i18n_eval"
LABEL_PREFIXES = ("tbl-", "fig-")
#: The project's catalog of the page chrome: ``locales/<language>/LC_MESSAGES/sphinx.po`` (Sphinx's own domain).
CHROME_DOMAIN = "sphinx"
#: The themes' own catalogs (other than Sphinx's domain) to which the project's catalogs add missing entries.
THEME_DOMAINS = ("booktheme",)
#: Configuration values that are chrome: the title, the author, the prompts of a folded code cell.
CONFIG_STRINGS = ("html_title", "author", "nb_code_prompt_show", "nb_code_prompt_hide")
_PARAGRAPH = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.S)


def edition_prefix(language: str) -> str:
    """Where an edition's HTML lives relative to the English HTML: ``""`` for English, else ``<language>/``."""
    return "" if language == SOURCE_LANGUAGE else f"{language}/"


def other_edition(language: str) -> dict[str, str]:
    """The edition a page in ``language`` links to, as the switch template reads it.

    Returns
    -------
    dict
        ``language`` (the other edition's code), ``name``, ``tag`` (its BCP 47 tag, for ``hreflang``) and
        ``root`` (the other edition's HTML root relative to this edition's, with a trailing slash).
    """
    other = "zh_CN" if language == SOURCE_LANGUAGE else SOURCE_LANGUAGE
    up = "" if language == SOURCE_LANGUAGE else "../" * edition_prefix(language).count("/")
    return {
        "language": other,
        "name": EDITIONS[other],
        "tag": other.replace("_", "-"),
        "root": up + edition_prefix(other),
    }


def page_gettext(app: Any, docname: str) -> Callable[[str], str] | None:
    """The page's catalog as a function (message -> translation, or the message itself); ``None`` in English."""
    if (app.config.language or SOURCE_LANGUAGE) == SOURCE_LANGUAGE:
        return None
    domain = docname_to_domain(docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir) / d) for d in app.config.locale_dirs]
    catalog, found = init_locale(dirs, app.config.language, domain)
    return catalog.gettext if found else None


class TranslatedEvalRole(InOrderEval):
    """myst-nb's ``{eval}`` role, which also works in a translated message.

    On a page, the role asks the kernel (as myst-nb's does) and remembers the nodes it made for each
    expression while Sphinx reads that page. In a translated message (a document without a kernel), it gives
    the nodes the page's own paragraphs got for the same expression; an expression the page never evaluated
    gets myst-nb's warning.
    """

    def run(self) -> tuple[list[Any], list[Any]]:
        memo = self.document.settings.env.temp_data.setdefault(_MEMO, {})
        if "nb_renderer" in self.document or self.text not in memo:
            made, messages = super().run()
            if not messages:
                memo[self.text] = [node.deepcopy() for node in made]
            return made, messages
        return [node.deepcopy() for node in memo[self.text]], []


class TranslateTocCaptions(SphinxTransform):
    """The parts' captions in the root page's catalog, translated.

    sphinx-external-toc inserts the root page's toctrees (priority 100) after Sphinx has translated the page
    (priority 20), so their captions are looked up here, in the same catalog.
    """

    default_priority = 101

    def apply(self, **kwargs: Any) -> None:
        gettext = page_gettext(self.app, self.env.docname)
        if gettext is None:
            return
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = toctree["rawcaption"] = gettext(toctree["caption"])


def code_captions(code: str) -> list[str]:
    """The captions a code cell passes: ``caption=`` strings, and a string argument followed by a label
    (``"tbl-..."``)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        strings = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in call.args]
        found += [s for s, after in zip(strings, strings[1:]) if s and after and after.startswith(LABEL_PREFIXES)]
        found += [
            k.value.value
            for k in call.keywords
            if k.arg == "caption" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
        ]
    return found


def metadata_captions(metadata: dict[str, Any]) -> list[str]:
    """A figure's caption and alt text in a code cell's ``mystnb: figure:`` metadata."""
    figure = (metadata.get("mystnb") or {}).get("figure") or {}
    image = (metadata.get("mystnb") or {}).get("image") or {}
    return [str(t) for t in (figure.get("caption"), image.get("alt")) if t]


class TableCellSources(SphinxTransform):
    """The cells of a table written in the page's Markdown are messages too.

    MyST gives the paragraphs in a pipe table's cells no source, and Sphinx leaves a paragraph without one out
    of the catalog and untranslated; each such paragraph takes its table's place in the page before Sphinx
    extracts and translates the page's messages (``sphinx.transforms.i18n.Locale``, priority 20).
    """

    default_priority = 19

    def apply(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            source, line = get_source_line(table)
            for cell in table.findall(nodes.paragraph):
                if cell.source is None and cell.rawsource:
                    cell.source, cell.line = source or self.document.get("source"), line


class ExtractCodeCaptions(SphinxTransform):
    """For the gettext builder: the captions in code cells become messages of their page.

    A table's caption is an argument in the chapter's code, so it reaches the page only as output, which the
    gettext builder (reading without executing) does not see. Each becomes a paragraph of the page read for
    gettext only, which the catalog then holds like any other sentence (:class:`TranslateCodeCaptions`).
    """

    default_priority = 21

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name != "gettext":
            return
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") == "cell_code":
                captions = metadata_captions(cell.get("cell_metadata") or {})
            elif "cell_input" in cell["classes"]:
                captions = code_captions(cell.astext())
            else:
                continue
            for caption in captions:
                message = nodes.paragraph(caption, caption)
                message.source, message.line = cell.source, cell.line
                cell.parent.append(message)


class TranslateCodeCaptions(SphinxTransform):
    """Tables' captions from code, translated with the page's catalog (after Sphinx translated the page)."""

    default_priority = 21

    def apply(self, **kwargs: Any) -> None:
        gettext = page_gettext(self.app, self.env.docname)
        if gettext is None:
            return
        for table in self.document.findall(nodes.table):
            titles = [child for child in table.children if isinstance(child, nodes.title)]
            for title in titles:
                translated = gettext(title.rawsource)
                if title.rawsource and translated != title.rawsource:
                    parsed = publish_msgstr(
                        self.app, translated, title.source or "", title.line or 0, self.config, self.document.settings
                    )
                    title.children = []
                    title.extend(parsed.children if isinstance(parsed, nodes.paragraph) else [nodes.Text(translated)])


def footer_paragraphs(html: str) -> list[str]:
    """The messages of an HTML footer: each paragraph's content, its white space collapsed."""
    return [" ".join(match[2].split()) for match in _PARAGRAPH.finditer(html)]


def config_messages(values: dict[str, Any]) -> list[str]:
    """The chrome's messages that the configuration ``values`` give the theme and myst-nb: the title, the author,
    the code cells' show/hide prompts (:data:`CONFIG_STRINGS`), the search box's text and the footer's
    paragraphs (``html.extra_footer``)."""
    options = values.get("html_theme_options") or {}
    strings = [values[name] for name in CONFIG_STRINGS if values.get(name)]
    search = [options["search_bar_text"]] if options.get("search_bar_text") else []
    return [*strings, *search, *footer_paragraphs(options.get("extra_footer", ""))]


def translate_config(config, gettext: Callable[[str], str]) -> None:
    """Give the theme and myst-nb the configuration's chrome strings (:func:`config_messages`) in the edition's
    language (myst-nb reads its own at ``builder-inited``, after this)."""
    for name in CONFIG_STRINGS:
        if getattr(config, name, None):
            setattr(config, name, gettext(getattr(config, name)))
    options = dict(config.html_theme_options)
    if options.get("search_bar_text"):
        options["search_bar_text"] = gettext(options["search_bar_text"])
    if options.get("extra_footer"):
        options["extra_footer"] = _PARAGRAPH.sub(
            lambda match: match[1] + gettext(" ".join(match[2].split())) + match[3], options["extra_footer"]
        )
    config.html_theme_options = options


def add_theme_catalogs(app, config) -> None:
    """The project's catalogs of the themes' domains (:data:`THEME_DOMAINS`), compiled when outdated (as Sphinx
    compiles ``sphinx.po``) and added after the theme's own catalog, which keeps precedence."""
    repository = CatalogRepository(app.srcdir, config.locale_dirs, config.language, config.source_encoding)
    domains = {catalog.domain for catalog in repository.catalogs if catalog.domain in THEME_DOMAINS}
    for catalog in repository.catalogs:
        if catalog.domain in domains and catalog.is_outdated():
            catalog.write_mo(config.language, config.gettext_allow_fuzzy_translations)
    for domain in sorted(domains):
        for directory in repository.locale_dirs:
            app.add_message_catalog(domain, directory)


def on_config_inited(app, config) -> None:
    """One catalog per page, the chrome's strings from the configuration translated, and the other edition for
    the switch template."""
    config.gettext_compact = False
    language = config.language or SOURCE_LANGUAGE
    if language != SOURCE_LANGUAGE:
        translate_config(config, get_translation(CHROME_DOMAIN))
        add_theme_catalogs(app, config)
    terms = Path(app.confdir) / "locales" / language / SEARCH_TERMS
    if terms.exists():  # the book's terms as whole words for jieba (Sphinx's Chinese search)
        config.html_search_options = {**(config.html_search_options or {}), "dict": str(terms)}
    config.html_context = {**config.html_context, "rs_edition": other_edition(language)}
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    options = dict(config.html_theme_options)
    items = list(options.get("article_header_end", ["article-header-buttons.html"]))
    options["article_header_end"] = [SWITCH, *items] if SWITCH not in items else items
    config.html_theme_options = options


def setup(app):
    app.add_role("eval", TranslatedEvalRole(), override=True)
    app.add_transform(TranslateTocCaptions)
    app.add_transform(TableCellSources)
    app.add_transform(ExtractCodeCaptions)
    app.add_transform(TranslateCodeCaptions)
    app.connect("config-inited", on_config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
