"""The sentences the build tooling writes for readers, kept in ``text.toml`` (package data).

``reader_text("notebook.exec_table")`` returns one; fields in braces are filled with :meth:`str.format`.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["reader_text"]


@functools.cache
def _catalog() -> dict[str, Any]:
    return tomllib.loads(Path(__file__).with_name("text.toml").read_text(encoding="utf-8"))


def reader_text(key: str, **fields: Any) -> str:
    """The template at the dotted ``key`` of ``text.toml``, filled with ``fields``.

    Raises
    ------
    KeyError
        If ``text.toml`` has no such key.
    """
    template: Any = _catalog()
    for part in key.split("."):
        template = template[part]
    return template.format(**fields)
