"""The message catalog: every sentence the library returns, as a template kept in data.

Templates live in one TOML file per language (``en.toml``; an edition adds its own file with the same keys).
A key is the dotted path of a template in its file (``checks.more_than.met``); :func:`text` fills it with
:meth:`str.format`. The language is the ``RIDERSURVEY_LANG`` environment variable, ``en`` by default.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from importlib import resources

#: The environment variable that selects the catalog's language.
LANGUAGE_VARIABLE = "RIDERSURVEY_LANG"
DEFAULT_LANGUAGE = "en"


def language() -> str:
    """The language the catalog speaks now: ``$RIDERSURVEY_LANG`` or ``en``."""
    return os.environ.get(LANGUAGE_VARIABLE) or DEFAULT_LANGUAGE


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, key + "."))
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise TypeError(f"catalog entry {key!r} is {type(value).__name__}, not a string template")
    return flat


@functools.cache
def catalog(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every template of one language, by dotted key.

    Raises
    ------
    FileNotFoundError
        If the package has no catalog for ``lang``.
    """
    source = resources.files(__name__).joinpath(f"{lang}.toml")
    return _flatten(tomllib.loads(source.read_text(encoding="utf-8")))


def text(key: str, /, **fields: object) -> str:
    """The template ``key`` of the current language, filled with ``fields``.

    Raises
    ------
    KeyError
        If the catalog has no template ``key``, or the template names a field not given.
    """
    templates = catalog(language())
    if key not in templates:
        raise KeyError(f"{key!r} missing from catalog {language()!r}")
    return templates[key].format(**fields)


def label(english: str, /) -> str:
    """A table header or other short label in the current language.

    Labels are the ``[labels]`` table of each catalog, keyed by the English label; a label the catalog does not
    list (yet) is shown as it is, so an edition whose translation is under way still builds.
    """
    return catalog(language()).get(f"labels.{english}", english)


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGE_VARIABLE", "catalog", "label", "language", "text"]
