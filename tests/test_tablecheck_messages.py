"""tablecheck.messages: the catalog has a reason for every check's verdicts and fills each from numbers."""

from __future__ import annotations

import string

from tablecheck.messages import CATALOG, interval, num
from tablecheck.verdicts import Check, Verdict


def test_every_check_can_say_consistent_and_inconsistent():
    for check in Check:
        assert (check, Verdict.CONSISTENT) in CATALOG and (check, Verdict.INCONSISTENT) in CATALOG, check


def test_templates_are_one_line_with_named_fields_only():
    for key, template in CATALOG.items():
        assert "\n" not in template, key
        names = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        assert all(name.isidentifier() for name in names), key


def test_numbers_are_shown_at_five_significant_digits():
    assert num(5.31721) == "5.3172" and num(float("inf")) == "inf"
    assert interval(0.46464, 0.4651) == "[0.46464, 0.4651]"


def test_bounds_are_rounded_outward_at_five_significant_digits():
    from tablecheck.messages import count, lower_bound, upper_bound

    assert lower_bound(0.943069) == "0.94306" and upper_bound(0.0714281) == "0.071429"
    assert lower_bound(2.44179e-06) == "2.4417e-06" and upper_bound(4.71281) == "4.7129"
    assert lower_bound(0.161) == "0.161" and count(143710.0) == "143710" and count(float("inf")) == "no n"
