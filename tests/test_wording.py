"""Counts and lists in words for the library's sentences (ridersurvey.audit.wording)."""

from __future__ import annotations

import pytest

from ridersurvey.audit import wording as W


def test_small_counts_print_as_words():
    assert [W.count_words(n) for n in (0, 2, 9, 10, 11, 100)] == ["zero", "two", "nine", "ten", "11", "100"]
    assert W.count_words(0, zero="none") == "none" and W.count_words(1234) == "1,234"


def test_a_part_of_a_set_reads_all_none_or_k_of_the_n():
    assert W.share_words(4, 4) == "all four" and W.share_words(111, 111) == "all 111"
    assert W.share_words(2, 2) == "both"
    assert W.share_words(0, 33) == "none of the 33" and W.share_words(0, 5) == "none of the five"
    assert W.share_words(3, 9) == "three of the nine" and W.share_words(12, 33) == "12 of the 33"
    with pytest.raises(ValueError, match="5 of 4"):
        W.share_words(5, 4)
    with pytest.raises(ValueError):
        W.share_words(-1, 4)


def test_lists_read_a_b_and_c():
    assert W.names([]) == "none" and W.names(["a"]) == "a" and W.names(["a", "b"]) == "a and b"
    assert W.names(["a", "b", "c"]) == "a, b and c" and W.names(["a", "b"], "or") == "a or b"
