"""The message catalog: every sentence the library returns, as a template kept in data.

Templates live in one TOML file per language (``en.toml``; an edition adds its own file with the same keys).
A key is the dotted path of a template in its file (``checks.more_than.met``); :func:`text` fills it with
:meth:`str.format`. The language is the ``RIDERSURVEY_LANG`` environment variable, ``en`` by default. The
loading is :class:`tablecheck.catalog.Catalog`'s.
"""

from __future__ import annotations

from tablecheck.catalog import DEFAULT_LANGUAGE, Catalog, load

#: The environment variable that selects the catalog's language.
LANGUAGE_VARIABLE = "RIDERSURVEY_LANG"

CATALOG = Catalog(__name__, LANGUAGE_VARIABLE)


def language() -> str:
    """The language the catalog speaks now: ``$RIDERSURVEY_LANG`` or ``en``."""
    return CATALOG.language()


def catalog(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every template of one language, by dotted key.

    Raises
    ------
    FileNotFoundError
        If the package has no catalog for ``lang``.
    """
    return load(__name__, lang)


def text(key: str, /, **fields: object) -> str:
    """The template ``key`` of the current language, filled with ``fields``.

    Raises
    ------
    KeyError
        If the catalog has no template ``key``, or the template names a field not given.
    """
    return CATALOG.text(key, **fields)


def label(english: str, /, **fields: object) -> str:
    """A table header, cell phrase or figure label in the current language, filled with ``fields`` if given.

    Labels are the ``[labels]`` table of each catalog, keyed by the English label (a label with fields is keyed
    by its English template, ``"OR {ratio:g} per step"``); a label the catalog does not list (yet) is shown as
    it is, so an edition whose translation is under way still builds.
    """
    shown = catalog(language()).get(f"labels.{english}", english)
    return shown.format(**fields) if fields else shown


def bilingual(english: str, chinese: str, /) -> str:
    """Of a text the data hold in both languages (the codebook's answer options, as the paper prints them in
    Chinese), the one the current language shows: the English in English, the paper's own Chinese otherwise."""
    return english if language() == DEFAULT_LANGUAGE else chinese


__all__ = ["CATALOG", "DEFAULT_LANGUAGE", "LANGUAGE_VARIABLE", "bilingual", "catalog", "label", "language", "text"]
