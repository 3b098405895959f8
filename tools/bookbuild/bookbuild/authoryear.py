"""Sphinx extension: an author-year bibliography for sphinxcontrib-bibtex, to match its author-year citations.

Registers three pybtex plugins; ``bibtex_default_style: authoryear`` in ``_config.yml`` selects them. The
formatting style is pybtex's ``unsrt`` with the year moved behind the authors ("Wu, Chengzhuo (2023).
Title. *Journal* ...") and titles kept as the bibliography file spells them (``unsrt`` lower-cases every
title after its first letter, which turns a bracketed title or a proper noun into lower case). Entries
sort by author, year and title. Labels are "Surname Year" (with a, b, ... for the same authors and year);
the stylesheet hides them, since the entry itself begins with both.

It also registers pybtex's installed plugins (:data:`PYBTEX_GROUPS`) as run-time plugins, the same classes
their entry points name (:func:`register_installed_plugins`): pybtex looks a run-time plugin up in a dict,
but an installed one by scanning the entry points of every installed distribution, and sphinxcontrib-bibtex
looks the same few plugins up again for each citation.
"""

from __future__ import annotations

import re
from collections import Counter
from importlib.metadata import entry_points

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import pages
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSorting
from pybtex.style.template import field, first_of, join, names, optional, optional_field, sentence, tag, words

year = join["(", field("year"), ")"]


def _unbraced(text: str) -> str:
    return re.sub(r"[{}]", "", text)


def _surnames(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    last = [_unbraced(" ".join(person.prelast_names + person.last_names)) for person in people]
    if not last:
        return _unbraced(entry.fields.get("key", entry.key))
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} and {last[1]}"
    return f"{last[0]} et al."


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Surname Year", "Surname and Surname Year" or "Surname et al. Year", made unique with a, b, ..."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [f"{_surnames(e)} {e.fields.get('year', 'n.d.')}" for e in entries]
        totals, seen = Counter(bases), Counter[str]()
        for base in bases:
            if totals[base] == 1:
                yield base
            else:
                yield base + "abcdefghijklmnopqrstuvwxyz"[seen[base]]
                seen[base] += 1


class AuthorYearSorting(AuthorYearTitleSorting):
    """pybtex's author-year-title order, with a corporate author's protecting braces ignored."""

    def person_key(self, person):
        return _unbraced(super().person_key(person))


class AuthorYearStyle(UnsrtStyle):
    """pybtex's unsrt with the year behind the authors and titles as spelled in the .bib file."""

    default_name_style = "lastfirst"
    default_label_style = "authoryear"
    default_sorting_style = "authoryear"

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def _lead(self, e):
        authors = first_of[
            optional[names("author", sep=", ", sep2=" and ", last_sep=", and ")],
            optional[words[names("editor", sep=", ", sep2=" and ", last_sep=", and "), "(ed.)"]],
        ]
        return sentence[words[authors, year]]

    def get_article_template(self, e):
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            optional[join[field("volume"), optional["(", field("number"), ")"]]],
            words["pages", pages],
        ]
        return toplevel[
            self._lead(e),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_book_template(self, e):
        return toplevel[
            self._lead(e),
            self.format_btitle(e, "title"),
            self.format_volume_and_series(e),
            sentence[field("publisher"), optional_field("address"), self.format_edition(e)],
            optional[sentence[self.format_isbn(e)]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def _in_collection(self, e, extra):
        return words[
            "In",
            sentence[
                optional[self.format_editor(e, as_sentence=False)],
                self.format_btitle(e, "booktitle", as_sentence=False),
                self.format_volume_and_series(e, as_sentence=False),
                extra,
            ],
        ]

    def get_incollection_template(self, e):
        return toplevel[
            self._lead(e),
            self.format_title(e, "title"),
            self._in_collection(e, self.format_chapter_and_pages(e)),
            sentence[optional_field("publisher"), optional_field("address"), self.format_edition(e)],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_inproceedings_template(self, e):
        return toplevel[
            self._lead(e),
            self.format_title(e, "title"),
            self._in_collection(e, optional[pages]),
            sentence[optional_field("organization"), optional_field("publisher"), optional_field("address")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return toplevel[
            self._lead(e),
            optional[self.format_title(e, "title")],
            sentence[optional[field("howpublished")]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            self._lead(e),
            self.format_title(e, "title"),
            sentence[
                words[first_of[optional_field("type"), "Technical Report"], optional_field("number")],
                field("institution"),
                optional_field("address"),
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


#: The plugin groups the bibliography looks plugins up in, with their aliases.
PYBTEX_GROUPS = tuple(
    f"pybtex.{kind}{suffix}"
    for kind in ("backends", "style.names", "style.labels", "style.sorting", "style.formatting")
    for suffix in ("", ".aliases")
)


def register_installed_plugins(groups: tuple[str, ...] = PYBTEX_GROUPS) -> dict[tuple[str, str], type]:
    """Register each installed plugin of ``groups`` as a run-time plugin (pybtex's public ``register_plugin``);
    return what was registered, by (group, name)."""
    registered = {}
    for group in groups:
        for entry_point in entry_points(group=group):
            klass = entry_point.load()
            register_plugin(group, entry_point.name, klass, force=True)
            registered[group, entry_point.name] = klass
    return registered


def setup(app):
    register_installed_plugins()
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabelStyle)
    register_plugin("pybtex.style.sorting", "authoryear", AuthorYearSorting)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
