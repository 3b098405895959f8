"""Message catalogs kept in data: one TOML file per language inside a package, its templates by dotted key.

A package that speaks to people keeps its sentences in ``<package>/<lang>.toml`` (nested tables, string
templates) and reads them through a :class:`Catalog`. The language comes from an environment variable the
package names, ``en`` by default; :meth:`Catalog.text` fills a template with :meth:`str.format`.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from importlib import resources

DEFAULT_LANGUAGE = "en"


def flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    """The string templates of nested TOML tables, by dotted key (``checks.more_than.met``).

    Raises
    ------
    TypeError
        If an entry is neither a table nor a string.
    """
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, key + "."))
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise TypeError(f"{key!r} holds a {type(value).__name__}")
    return flat


@functools.cache
def load(package: str, lang: str) -> dict[str, str]:
    """Every template of ``<package>/<lang>.toml``, by dotted key.

    Raises
    ------
    FileNotFoundError
        If the package has no catalog for ``lang``.
    """
    source = resources.files(package).joinpath(f"{lang}.toml")
    return flatten(tomllib.loads(source.read_text(encoding="utf-8")))


class Catalog:
    """The message catalog of one package.

    Parameters
    ----------
    package : str
        The package that holds ``<lang>.toml`` files.
    variable : str
        The environment variable that selects the language.
    """

    def __init__(self, package: str, variable: str) -> None:
        self.package, self.variable = package, variable

    def language(self) -> str:
        """The language the catalog speaks now: the environment variable's value, or ``en``."""
        return os.environ.get(self.variable) or DEFAULT_LANGUAGE

    def templates(self, lang: str | None = None) -> dict[str, str]:
        """Every template of ``lang`` (default: the current language), by dotted key."""
        return load(self.package, lang or self.language())

    def languages(self) -> list[str]:
        """Every language the package has a catalog for."""
        files = resources.files(self.package).iterdir()
        return sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml"))

    def text(self, key: str, /, **fields: object) -> str:
        """The template ``key`` of the current language, filled with ``fields``.

        Raises
        ------
        KeyError
            If the catalog has no template ``key``, or the template names a field not given.
        """
        lang = self.language()
        templates = self.templates(lang)
        if key not in templates:
            raise KeyError(f"{key!r} missing from catalog {lang!r}")
        return templates[key].format(**fields)
