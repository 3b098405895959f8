"""The sentences the build tooling writes for readers, kept in ``text.toml`` (package data).

``reader_text("notebook.exec_table")`` returns one; fields in braces are filled with :meth:`str.format`. An
edition in another language (the Sphinx ``language`` config) reads ``text.<language>.toml`` where the package
has one: its tables replace the English tables of the same name (the downloadable notebook's first cell, the
PDF menu entry), and the tables it lacks (the bibliographic citation formats) stay as in ``text.toml``.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["reader_text"]


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(Path(__file__).with_name(name).read_text(encoding="utf-8"))


@functools.cache
def _catalog(language: str | None = None) -> dict[str, Any]:
    english = _read("text.toml")
    edition = Path(__file__).with_name(f"text.{language}.toml")
    return english | _read(edition.name) if language and edition.is_file() else english


def reader_text(key: str, /, language: str | None = None, **fields: Any) -> str:
    """The template at the dotted ``key`` of ``text.toml`` (of ``text.<language>.toml`` where that has the
    key's table), filled with ``fields``.

    Raises
    ------
    KeyError
        If ``text.toml`` has no such key.
    """
    template: Any = _catalog(language)
    for part in key.split("."):
        template = template[part]
    return template.format(**fields)
