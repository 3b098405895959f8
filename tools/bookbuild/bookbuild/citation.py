"""Sphinx extension: how to cite the book, read from ``CITATION.cff`` when the book is built.

``CITATION.cff`` is the one home of the book's title, authors, version, release date and repository, and
of the paper it reproduces (its first reference). When Sphinx starts, this extension reads it and

* offers MyST substitutions to the pages: ``{{ book_title }}``, ``{{ book_version }}``,
  ``{{ book_released }}``, ``{{ book_apa }}``, ``{{ book_bibtex }}`` (a BibTeX block), ``{{ table_apa }}``
  and ``{{ table_bibtex }}`` (a table cited by its label, the anchor that stays when tables are renumbered),
  ``{{ paper_apa }}`` and ``{{ paper_bibtex }}`` (the paper, as APA 7 cites a work in another language: the
  original title, then its translation in square brackets) and ``{{ paper_start }}`` (its first page);
* gives the theme's templates ``rs_citation`` (the same facts) and two components from ``bookbuild/templates``:
  the footer's "Version ..., released ..." line on every page, and the book's title with its version at
  the head of the home page, at every width (``article_header_start``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bookbuild.text import reader_text

CFF = "CITATION.cff"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The table the "How to cite" page takes as its example, by label, and the page that holds it.
EXAMPLE_TABLE = ("tbl-results-refit", "chapters/results")
#: sphinx-book-theme's defaults for the two component lists this extension extends.
THEME_DEFAULTS = {
    "footer_content_items": ["author.html", "copyright.html", "last-updated.html", "extra-footer.html"],
    "article_header_start": ["toggle-primary-sidebar.html"],
}


def read_citation(root: Path) -> dict:
    """The fields of ``root/CITATION.cff`` the book shows, dates as ISO text.

    Raises ``ValueError`` naming the first missing field.
    """
    cff = yaml.safe_load((root / CFF).read_text(encoding="utf-8"))
    for key in ("title", "authors", "version", "date-released", "repository-code", "references"):
        if key not in cff:
            raise ValueError(f"{CFF}: no {key!r}")
    released = cff["date-released"]
    paper = cff["references"][0]
    return {
        "title": cff["title"],
        "authors": [a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"]],
        "version": str(cff["version"]),
        "released": released.isoformat() if isinstance(released, dt.date) else str(released),
        "url": cff["repository-code"],
        "site": cff.get("url"),
        "paper": paper,
    }


def table_address(citation: dict, page: str, anchor: str) -> str:
    """The full https address of a table: its page and anchor on the book's site when ``CITATION.cff`` gives one
    (``url``), otherwise the page's source file in the repository (which has no anchor for the table)."""
    if citation.get("site"):
        return f"{citation['site'].rstrip('/')}/{page}.html#{anchor}"
    return f"{citation['url'].rstrip('/')}/blob/main/{page}.md"


def _address(url: str) -> str:
    """A link that shows its full address (as literal text: the theme shortens a GitHub link whose text is its URL)."""
    return f"[`{url}`]({url})"


def _bibtex(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields)
    return f"```bibtex\n@{kind}{{{key},\n{body}\n}}\n```"


def paper_forms(paper: dict) -> dict[str, str]:
    """APA 7 and BibTeX for the paper, from its entry in ``CITATION.cff``'s references.

    The page range is left out: the entry gives the first page only (``start``), which the forms' note states.
    """
    (author,) = paper["authors"]
    doi = f"https://doi.org/{paper['doi']}"
    return {
        "paper_apa": reader_text(
            "citation.paper_apa",
            family=author["family-names"],
            initial=author["given-names"][0],
            year=paper["year"],
            title=paper["title"],
            journal=paper["journal"],
            volume=paper["volume"],
            issue=paper["issue"],
            address=_address(doi),
        ),
        "paper_bibtex": _bibtex(
            "article",
            "wu2023riders",
            [
                ("author", f"{author['family-names']}, {author['given-names']}"),
                ("title", paper["title"]),
                ("journal", paper["journal"]),
                ("year", str(paper["year"])),
                ("volume", str(paper["volume"])),
                ("number", str(paper["issue"])),
                ("doi", paper["doi"]),
                ("note", reader_text("citation.paper_note", alias=author["alias"], start=paper["start"])),
            ],
        ),
        "paper_start": str(paper["start"]),
    }


def substitutions(citation: dict) -> dict[str, str]:
    """The MyST substitutions of the "How to cite" page and the home page."""
    authors = " and ".join(f"{{{a}}}" if "," not in a else a for a in citation["authors"])
    year = citation["released"][:4]
    names = ", ".join(citation["authors"])
    anchor, page = EXAMPLE_TABLE
    table_url = table_address(citation, page, anchor)
    title = citation["title"].replace("Wu (2023)", "{Wu} (2023)")
    return {
        "book_title": citation["title"],
        "book_version": citation["version"],
        "book_released": citation["released"],
        "book_apa": reader_text(
            "citation.book_apa",
            names=names,
            year=year,
            title=citation["title"],
            version=citation["version"],
            address=_address(citation["url"]),
        ),
        "book_bibtex": _bibtex(
            "misc",
            "ridersurvey_book",
            [
                ("author", authors),
                ("title", title),
                ("howpublished", "Jupyter Book"),
                ("year", year),
                ("version", citation["version"]),
                ("date", citation["released"]),
                ("url", citation["url"]),
                ("note", reader_text("citation.book_note", version=citation["version"], released=citation["released"])),
            ],
        ),
        "table_apa": reader_text(
            "citation.table_apa",
            names=names,
            year=year,
            anchor=anchor,
            title=citation["title"],
            version=citation["version"],
            address=_address(table_url),
        ),
        "table_bibtex": _bibtex(
            "misc",
            f"ridersurvey_book_{anchor.replace('-', '_')}",
            [
                ("author", authors),
                ("title", f"Table {anchor}"),
                ("howpublished", reader_text("citation.table_howpublished", title=title, version=citation["version"])),
                ("year", year),
                ("version", citation["version"]),
                ("url", table_url),
                ("note", reader_text("citation.table_note", anchor=anchor)),
            ],
        ),
        **paper_forms(citation["paper"]),
    }


def on_config_inited(app, config) -> None:
    """Read CITATION.cff; hand its facts to the pages (substitutions) and to the theme (context, components)."""
    citation = read_citation(Path(app.confdir))
    config.myst_substitutions = {**config.myst_substitutions, **substitutions(citation)}
    config.html_context = {**config.html_context, "rs_citation": citation}
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    options = dict(config.html_theme_options)
    for name, component in (
        ("footer_content_items", "rs-citation-footer.html"),
        ("article_header_start", "rs-book-title.html"),
    ):
        items = list(options.get(name, THEME_DEFAULTS[name]))
        options[name] = [*items, component] if component not in items else items
    config.html_theme_options = options


def setup(app):
    app.connect("config-inited", on_config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
