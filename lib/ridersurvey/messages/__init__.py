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


def label(english: str, /) -> str:
    """A table header or other short label in the current language.

    Labels are the ``[labels]`` table of each catalog, keyed by the English label; a label the catalog does not
    list (yet) is shown as it is, so an edition whose translation is under way still builds.
    """
    return catalog(language()).get(f"labels.{english}", english)


__all__ = ["CATALOG", "DEFAULT_LANGUAGE", "LANGUAGE_VARIABLE", "catalog", "label", "language", "text"]
