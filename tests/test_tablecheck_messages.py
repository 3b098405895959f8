"""tablecheck.messages: the catalog has a reason for every check's verdicts and fills each from numbers."""

from __future__ import annotations

from pathlib import Path

import tablecheck
from catalog_calls import calls, fields
from tablecheck.messages import CATALOG, interval, num, reason, reason_key
from tablecheck.verdicts import Check, Verdict

TEMPLATES = CATALOG.templates("en")


def test_every_check_can_say_consistent_and_inconsistent():
    for check in Check:
        assert reason_key(check, Verdict.CONSISTENT) in TEMPLATES, check
        assert reason_key(check, Verdict.INCONSISTENT) in TEMPLATES, check


def test_every_reason_is_keyed_by_a_check_and_a_verdict():
    for key in TEMPLATES:
        if key.startswith("reasons."):
            _, check, verdict = key.split(".")
            assert Verdict(verdict.partition("_")[0]) and Check(check), key


def test_templates_are_one_line_with_named_fields_only():
    for key, template in TEMPLATES.items():
        assert "\n" not in template, key
        assert all(name.isidentifier() for name in fields(template)), key


def test_a_reason_states_the_floors_scope_in_full():
    said = reason(Check.SE_VS_FLOOR, Verdict.INCONSISTENT, {"se": "0.1", "floor": "0.2", "sd": "0.5", "n": 100})
    assert said.startswith("SE = 0.1 is below the floor 0.2 that SD = 0.5 and n = 100 allow (model-based Wald")
    assert said.endswith("SD with denominator n - 1)")


def test_every_key_the_code_asks_for_exists_with_the_fields_given():
    used = calls(Path(tablecheck.__file__).parent.glob("*.py"))
    assert used
    for where, key, given in used:
        assert key in TEMPLATES, where
        assert given is None or given == fields(TEMPLATES[key]), where


def test_every_catalog_has_the_english_keys_and_fields():
    for lang in CATALOG.languages():
        other = CATALOG.templates(lang)
        assert other.keys() == TEMPLATES.keys(), lang
        assert all(fields(other[k]) == fields(t) for k, t in TEMPLATES.items()), lang


def test_numbers_are_shown_at_five_significant_digits():
    assert num(5.31721) == "5.3172" and num(float("inf")) == "inf"
    assert interval(0.46464, 0.4651) == "[0.46464, 0.4651]"


def test_bounds_are_rounded_outward_at_five_significant_digits():
    from tablecheck.messages import count, lower_bound, upper_bound

    assert lower_bound(0.943069) == "0.94306" and upper_bound(0.0714281) == "0.071429"
    assert lower_bound(2.44179e-06) == "2.4417e-06" and upper_bound(4.71281) == "4.7129"
    assert lower_bound(0.161) == "0.161" and count(143710.0) == "143710" and count(float("inf")) == "no n"
