"""The reader-facing sentences of the build tooling (``bookbuild.text``, ``text.toml``)."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

import pytest

from bookbuild import text
from bookbuild.text import reader_text

PACKAGE = Path(text.__file__).parent
CATALOG = tomllib.loads((PACKAGE / "text.toml").read_text(encoding="utf-8"))


def _keys(table: dict, prefix: str = "") -> dict[str, str]:
    found = {}
    for name, value in table.items():
        if isinstance(value, dict):
            found.update(_keys(value, f"{prefix}{name}."))
        else:
            found[prefix + name] = value
    return found


def test_templates_are_filled_with_their_fields():
    assert reader_text("citation.table_note", anchor="tbl-x") == "Table label tbl-x"
    assert reader_text("citation.table_howpublished", title="T", version="1.0") == r"In \emph{T} (Version 1.0)"
    with pytest.raises(KeyError):
        reader_text("citation.no_such_key")


def test_every_key_the_tooling_asks_for_exists_and_every_key_is_used():
    source = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    used = set(re.findall(r'reader_text\(\s*"([\w.]+)"', source))
    keys = _keys(CATALOG)
    assert used == set(keys)
    for key, template in keys.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert reader_text(key, **dict.fromkeys(fields, "x")), key


def test_an_edition_replaces_the_tables_it_translates_with_the_same_keys_and_fields():
    editions = sorted(PACKAGE.glob("text.*.toml"))
    assert [p.name for p in editions] == ["text.zh_CN.toml"]
    english = {k: v for k, v in _keys(CATALOG).items()}
    for path in editions:
        translated = _keys(tomllib.loads(path.read_text(encoding="utf-8")))
        tables = {key.split(".")[0] for key in translated}
        assert set(translated) == {k for k in english if k.split(".")[0] in tables}, path.name
        for key, template in translated.items():
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert fields == {name for _, name, _, _ in string.Formatter().parse(english[key]) if name}, key


def test_the_language_picks_the_edition_and_falls_back_to_english():
    assert reader_text("book_pdf.menu_text", language="zh_CN") == "全书（.pdf）"
    assert reader_text("book_pdf.menu_text", language="en") == "Whole book (.pdf)"
    assert reader_text("book_pdf.menu_text") == "Whole book (.pdf)"
    assert reader_text("citation.table_note", language="zh_CN", anchor="tbl-x") == "Table label tbl-x"
    cell = reader_text("notebook.install", "zh_CN", title="T", book="B", repository="r", name="n", chapter="c.md")
    assert "并非调查的真实应答" in cell and "RIDERSURVEY_LANG=zh_CN" in cell
