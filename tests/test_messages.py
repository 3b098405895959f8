"""The message catalog: lookup, filling, language selection and agreement between languages."""

import string

import pandas as pd
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


# --- short labels: headers, cell phrases, figure text ---------------------------------------------------------


def _labels(lang: str) -> dict[str, str]:
    return {k.removeprefix("labels."): v for k, v in messages.catalog(lang).items() if k.startswith("labels.")}


def _other_languages() -> list[str]:
    return [lang for lang in messages.CATALOG.languages() if lang != messages.DEFAULT_LANGUAGE]


def _shown_labels() -> set[str]:
    """Labels the library looks up from data rather than literals: names of verdicts, items, places, kinds."""
    from ridersurvey.audit import mechanisms
    from ridersurvey.audit.ledger_audit import load_external_checks
    from ridersurvey.audit.verdicts import AuditVerdict, FindingVerdict
    from ridersurvey.data.codebook import load_codebook
    from ridersurvey.data.context import ledger_overview, pilot_facts
    from ridersurvey.data.ledger import FINDINGS_FILE, load_ledger
    from ridersurvey.presentation import plots
    from ridersurvey.presentation.chapters.intro import STATISTIC_NAMES
    from ridersurvey.reconstruction.unpublished import CATALOGUE

    ledger = load_ledger()
    overview = ledger_overview(ledger)
    facts = pilot_facts()
    return {
        *ledger["quantity"],
        *ledger.loc[ledger["check"] == "claim", "note"],
        *load_external_checks()["source"],
        *pd.read_csv(FINDINGS_FILE, dtype=str, keep_default_na=False)["title"],
        *(v.value.replace("-", " ") for v in AuditVerdict),
        *(v.value for v in FindingVerdict),
        mechanisms.FITS,
        mechanisms.POSSIBLE,
        mechanisms.RULED_OUT,
        *(v.label_en for v in load_codebook().items),
        *overview.index,
        *STATISTIC_NAMES.values(),
        *plots.ENVELOPE_GROUPS,
        *(g[:1].upper() + g[1:] for g in plots.ENVELOPE_GROUPS),
        *plots.ENVELOPE_AXES.values(),
        *(s.group for s in CATALOGUE),
        *facts["description"],
        *facts["unit"],
        *facts["scope"],
    }


def test_every_label_the_library_looks_up_is_in_every_catalog_with_the_same_fields():
    from pathlib import Path

    import ridersurvey
    from catalog_calls import fields, label_calls

    used = label_calls(Path(ridersurvey.__file__).parent.rglob("*.py"))
    assert len(used) > 80
    english = _labels("en")
    for lang in _other_languages():
        translated = _labels(lang)
        missing = [where for where, key in used if key not in english or key not in translated]
        assert missing == [], lang
        assert sorted(_shown_labels() - translated.keys()) == [], lang
        assert {k for k in english if fields(english[k]) != fields(translated.get(k, ""))} == set(), lang


def test_chinese_labels_are_chinese_and_keep_numbers_as_english_writes_them():
    translated = _labels("zh_CN")
    latin_only = {k: v for k, v in translated.items() if v == k and any(c.isalpha() and c.isascii() for c in k)}
    # statistic names and test names read the same in Chinese statistics texts
    same = {"B", "p", "SE", "VIF", "AIC", "AUC", "DEBIT", "DEBIT SD", "Wald z", "n", "GRIM", "GRIMMER"}
    same |= {"McFadden R²", "Nagelkerke R²", "Cox–Snell R²", "Hosmer–Lemeshow p", "Hosmer–Lemeshow χ²"}
    assert set(latin_only) <= same
    assert translated["Likelihood-ratio χ² ({df} df)"].format(df=9) == "似然比 χ²（自由度 9）"


def test_a_label_with_fields_is_filled_in_either_language(monkeypatch):
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    assert messages.label("OR {ratio:g} per step", ratio=1.5) == "每级 OR 1.5"
    assert messages.label("{item} = {code}, willing", item="性别", code=2) == "性别 = 2，愿意"
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "en")
    assert messages.label("OR {ratio:g} per step", ratio=1.5) == "OR 1.5 per step"


def test_bilingual_data_show_the_paper_s_chinese_in_the_chinese_edition(monkeypatch):
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    assert messages.bilingual("Married", "已婚") == "已婚"
    monkeypatch.delenv(messages.LANGUAGE_VARIABLE)
    assert messages.bilingual("Married", "已婚") == "Married"
