"""tablecheck.printed: reading numbers as tables print them."""

from __future__ import annotations

import math

import pytest

from tablecheck.printed import Bound, exact, parse_printed, printed


@pytest.mark.parametrize(
    ("text", "value", "decimals", "bound"),
    [
        ("1.427", 1.427, 3, Bound.ROUNDED),
        ("\u22120.766", -0.766, 3, Bound.ROUNDED),
        ("-0.766", -0.766, 3, Bound.ROUNDED),
        ("<0.001", 0.001, 3, Bound.BELOW),
        ("< .001", 0.001, 3, Bound.BELOW),
        (">0.99", 0.99, 2, Bound.ABOVE),
        ("12", 12.0, 0, Bound.ROUNDED),
        ("0.050", 0.05, 3, Bound.ROUNDED),
        (" 2.5e-4 ", 0.00025, 5, Bound.ROUNDED),
    ],
)
def test_numbers_are_read_with_their_decimals_and_bounds(text, value, decimals, bound):
    p = parse_printed(text)
    assert (p.value, p.decimals, p.bound) == (pytest.approx(value), decimals, bound)


def test_intervals_of_rounded_bound_and_exact_numbers():
    assert parse_printed("0.050").interval == pytest.approx((0.0495, 0.0505))
    assert parse_printed("<0.001").interval == (-math.inf, 0.001)
    assert parse_printed("<0.001").clipped(0.0, 1.0) == (0.0, 0.001)
    assert parse_printed(">0.9").interval == (0.9, math.inf)
    assert exact(0.5).interval == (0.5, 0.5)
    assert printed(-0.011, 3).interval == pytest.approx((-0.0115, -0.0105))
    assert str(printed(-0.011, 3)) == "-0.011"


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "<", "nan", "inf", "1,5"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_printed(text)
