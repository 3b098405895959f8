"""tablecheck.precision: rounding intervals, agreement and bounds shown outward, against hand computations."""

from __future__ import annotations

import pytest

from tablecheck import precision as P


def test_a_printed_number_stands_for_its_closed_rounding_interval():
    assert P.rounding_interval(1.427, 3) == pytest.approx((1.4265, 1.4275))
    assert P.rounding_interval(12, 0) == (11.5, 12.5)
    assert P.half_width(2) == pytest.approx(0.005)


def test_agreement_holds_at_an_exact_half_either_way_and_fails_just_outside():
    assert P.agrees(0.012, 0.0125, 3) and P.agrees(0.013, 0.0125, 3)
    assert not P.agrees(0.012, 0.01251, 3)
    assert P.agrees(97.09, 100 * 100 / 103, 2)
    assert not P.agrees(None, 1.0, 2) and not P.agrees(1.0, float("nan"), 2)


def test_intervals_overlap_when_they_touch_and_not_when_apart():
    assert P.overlaps((1.0, 2.0), (2.0, 3.0))
    assert P.overlaps((0.1 + 0.2, 1.0), (0.0, 0.3))  # 0.30000000000000004 touches 0.3
    assert not P.overlaps((1.0, 2.0), (2.001, 3.0))
    assert P.overlaps((0.0, float("inf")), (5.0, 6.0))


def test_bounds_are_rounded_outward():
    assert P.format_floor(0.01349) == "0.013"
    assert P.format_ceiling(0.01301) == "0.014"
    assert P.format_floor(0.013) == "0.013" and P.format_ceiling(0.013) == "0.013"
    assert P.format_p_floor(0.0004) == "below 0.001"
    assert P.format_p_floor(0.0219) == "0.021"
