"""tablecheck.catalog: message catalogs kept in data, read per language from a package."""

from __future__ import annotations

import pytest

from tablecheck.catalog import Catalog, flatten

TABLECHECK = Catalog("tablecheck.messages", "TABLECHECK_LANG")


def test_nested_tables_become_dotted_keys():
    assert flatten({"a": {"b": "x {y}", "c": {"d": "z"}}, "e": "w"}) == {"a.b": "x {y}", "a.c.d": "z", "e": "w"}


def test_an_entry_that_is_not_a_template_is_refused():
    with pytest.raises(TypeError, match="'a.b'"):
        flatten({"a": {"b": 3}})


def test_the_language_comes_from_the_packages_variable(monkeypatch):
    monkeypatch.delenv("TABLECHECK_LANG", raising=False)
    assert TABLECHECK.language() == "en"
    monkeypatch.setenv("TABLECHECK_LANG", "xx")
    assert TABLECHECK.language() == "xx"
    with pytest.raises(FileNotFoundError):
        TABLECHECK.text("cli.stars")


def test_text_fills_a_template_and_names_a_missing_key(monkeypatch):
    monkeypatch.delenv("TABLECHECK_LANG", raising=False)
    assert TABLECHECK.text("cli.level_range", level=2.0) == "--level 2.0 is not between 0 and 1"
    with pytest.raises(KeyError, match="no.such.key"):
        TABLECHECK.text("no.such.key")


def test_languages_lists_the_catalog_files():
    assert "en" in TABLECHECK.languages()
