"""The codebook: labels and codes round-trip in both languages, Table 1's options are all there, and
label matching survives the spellings exports and PDF extraction produce."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from ridersurvey.data.codebook import Scale, load_codebook, normalise_label
from ridersurvey.data.ledger import table1_counts
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.model.logit import ModelSpec

BOOK = load_codebook()


def test_columns_are_the_id_then_table2_order():
    assert BOOK.names == [
        "unwilling",
        "gender",
        "hukou",
        "age_group",
        "marital_status",
        "education",
        "health",
        "employment_duration",
        "policy_awareness",
        "publicity",
    ]
    assert BOOK.columns == ["respondent_id", *BOOK.names]
    assert BOOK.predictors == BOOK.names[1:]
    assert BOOK.outcome == "unwilling" and BOOK["unwilling"].role == "outcome"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("variable", BOOK.names)
def test_labels_round_trip_through_codes(variable, lang):
    v = BOOK[variable]
    lookup = v.lookup()
    for option in v.options:
        label = v.label(option.code, lang)
        assert label == (option.zh if lang == "zh" else option.en)
        assert lookup[normalise_label(label)] == option.code
    assert len({v.label(c, lang) for c in v.codes}) == len(v.codes)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_frame_round_trip(lang):
    frame = pd.DataFrame({v.name: [v.codes[i % len(v.codes)] for i in range(7)] for v in BOOK.variables})
    labelled = BOOK.to_labels(frame, lang)
    assert not labelled.isin(list(range(6))).any().any()
    back = pd.DataFrame(
        {v.name: labelled[v.name].map(lambda s, v=v: v.lookup()[normalise_label(s)]) for v in BOOK.variables}
    )
    pd.testing.assert_frame_equal(back, frame)


def test_no_spelling_maps_to_two_codes():
    for v in BOOK.variables:
        spellings = [(normalise_label(s), o.code) for o in v.options for s in (o.zh, o.en, str(o.code), *o.aliases_zh)]
        for key, code in spellings:
            assert {c for k, c in spellings if k == key} == {code}, (v.name, key)


def test_no_header_maps_to_two_variables():
    headers = [(normalise_label(s), v.name) for v in BOOK.variables for s in (v.name, v.question_zh, v.question_en)]
    for key, name in headers:
        assert {n for k, n in headers if k == key} == {name}, key
    lookup = BOOK.header_lookup()
    assert lookup[normalise_label("respondent_id")] == "respondent_id"
    for v in BOOK.variables:
        assert lookup[normalise_label(v.question_zh)] == lookup[normalise_label(v.question_en)] == v.name


def test_every_table1_option_is_in_the_codebook():
    counts = table1_counts()
    assert list(counts) == BOOK.names
    for name, by_code in counts.items():
        assert sorted(by_code) == sorted(BOOK[name].codes)


@pytest.mark.parametrize(
    "variable, label, code",
    [
        ("unwilling", "是", 0),
        ("unwilling", "没有意愿", 1),
        ("gender", "女", 2),
        ("hukou", "农村户口", 1),
        ("age_group", "45~60岁", 3),
        ("marital_status", "未婚", 1),
        ("marital_status", "已婚", 2),
        ("education", "小学", 1),
        ("education", "研究生及以上", 5),
        ("health", "一般", 3),
        ("employment_duration", "6个月以上", 2),
        ("policy_awareness", "非常了解", 5),
        ("publicity", "宣传力度非常小", 1),
    ],
)
def test_table2_codes(variable, label, code):
    assert BOOK[variable].lookup()[normalise_label(label)] == code


@pytest.mark.parametrize(
    "variant, canonical",
    [
        ("6 个月及以下", "6个月及以下"),
        (" 6个月 以上 ", "6个月以上"),
        ("16～30岁", "16~30岁"),
        ("３１~４４岁", "31~44岁"),
        ("您当前的婚姻状况是?", "您当前的婚姻状况是？"),
        ("年总就业时间（灵活就业者实际年总就业时间）？", "年总就业时间(灵活就业者实际年总就业时间)？"),
        ("MALE", "Male"),
        ("Primary  or\tbelow", "primary or below"),
    ],
)
def test_normalise_label_variants(variant, canonical):
    assert normalise_label(variant) == normalise_label(canonical)


def test_variant_spellings_find_their_codes_and_headers():
    assert BOOK["employment_duration"].lookup()[normalise_label("6 个月及以下")] == 1
    assert BOOK["age_group"].lookup()[normalise_label("16～30岁")] == 1
    assert BOOK.header_lookup()[normalise_label("您当前的婚姻状况是?")] == "marital_status"
    assert normalise_label("6个月及以下") != normalise_label("6个月以上")


def test_unknown_code_and_variable_raise():
    with pytest.raises(KeyError, match="allowed codes"):
        BOOK["gender"].label(3)
    with pytest.raises(KeyError, match="unknown variable"):
        BOOK["shoe_size"]


def test_every_predictor_declares_the_scale_it_enters_on():
    raw = yaml.safe_load((DATA_DIR / "codebook.yaml").read_text(encoding="utf-8"))
    declared = {item["name"]: item["scale"] for item in raw["variables"] if item["role"] == "predictor"}
    assert declared == {v: BOOK[v].scale.value for v in BOOK.predictors}
    assert set(declared.values()) == {Scale.SCORE.value}


def test_an_added_variable_joins_the_data_and_the_books_model_but_not_the_questionnaire(tmp_path):
    raw = yaml.safe_load((DATA_DIR / "codebook.yaml").read_text(encoding="utf-8"))
    extra = {**raw["variables"][1], "name": "extra", "scale": "categories"}
    raw["added"] = [extra]
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    book = load_codebook(path)
    assert book.names == BOOK.names and book.predictors == BOOK.predictors and book.columns == BOOK.columns
    assert book.data_columns == [*BOOK.columns, "extra"] and book["extra"].scale is Scale.CATEGORIES
    assert ModelSpec.from_codebook(book).predictors == (*BOOK.predictors, "extra")
    assert ModelSpec.from_codebook(book).scales["extra"] is Scale.CATEGORIES
    assert ModelSpec.paper(book) == ModelSpec.paper(BOOK)


def test_labels_follow_the_catalogs_language(monkeypatch):
    from ridersurvey import messages

    book = load_codebook()
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    assert book.labels(["gender", "hukou"]) == {"gender": "性别", "hukou": "户籍状况"}
    assert list(book.labels()) == book.names
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "en")
    assert book.labels(["gender"]) == {"gender": book["gender"].label_en}
