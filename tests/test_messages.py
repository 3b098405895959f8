"""The message catalog: lookup, filling, language selection and agreement between languages."""

import string

import pytest

from ridersurvey import messages


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_text_fills_a_template(monkeypatch):
    monkeypatch.delenv(messages.LANGUAGE_VARIABLE, raising=False)
    assert messages.text("messages.missing", key="a.b", lang="en") == "no message 'a.b' in the 'en' catalog"


def test_unknown_key_names_the_key():
    with pytest.raises(KeyError, match="no.such.key"):
        messages.text("no.such.key")


def test_language_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "xx")
    assert messages.language() == "xx"
    with pytest.raises(FileNotFoundError):
        messages.text("messages.missing", key="k", lang="xx")


def test_every_catalog_has_the_english_keys_and_fields():
    from importlib import resources

    english = messages.catalog("en")
    for entry in resources.files(messages.__name__).iterdir():
        if entry.name.endswith(".toml") and entry.name != "en.toml":
            other = messages.catalog(entry.name.removesuffix(".toml"))
            assert other.keys() == english.keys(), entry.name
            for key, template in english.items():
                assert _fields(other[key]) == _fields(template), (entry.name, key)


def test_every_key_the_code_asks_for_exists_with_the_fields_given():
    from pathlib import Path

    import ridersurvey
    from catalog_calls import calls, fields

    english = messages.catalog("en")
    used = calls(Path(ridersurvey.__file__).parent.rglob("*.py"))
    assert len(used) > 100
    for where, key, given in used:
        assert key in english, where
        assert given is None or given == fields(english[key]), where


def test_io_problems_and_cli_errors_are_one_line():
    english = messages.catalog("en")
    assert all("\n" not in t for k, t in english.items() if k.startswith(("io.", "cli.", "mechanisms."))), english


def test_a_plural_has_both_forms_with_the_same_fields():
    from catalog_calls import fields

    english = messages.catalog("en")
    for key, template in english.items():
        if key.endswith("_one"):
            other = key.removesuffix("_one") + "_other"
            assert other in english and fields(english[other]) == fields(template), key


def test_a_label_is_translated_or_shown_as_it_is(monkeypatch):
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    assert messages.label("Variable") == "变量"
    assert messages.label("A header no catalog lists") == "A header no catalog lists"
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "en")
    assert messages.label("Variable") == "Variable"


def test_english_labels_are_their_own_keys():
    english = messages.catalog("en")
    assert {k: v for k, v in english.items() if k.startswith("labels.") and k != f"labels.{v}"} == {}
