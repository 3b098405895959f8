"""The ledger's number ids, built from typed parts: each names a number the ledger holds."""

from __future__ import annotations

import pytest

from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, numbers


def test_every_named_number_is_a_number_of_the_ledger():
    held = set(numbers(load_ledger()).index)
    assert [str(i) for i in ids.NAMED if i not in held] == []


def test_constructors_spell_the_ids_the_ledger_uses():
    held = set(numbers(load_ledger()).index)
    book = load_codebook()
    built = [ids.N]
    for v in book.variables:
        built += [ids.table1(v.name, c, part) for c in v.codes for part in (ids.Part.COUNT, ids.Part.PCT)]
        built += [ids.mean(v.name), ids.sd(v.name), *(ids.coding(v.name, c) for c in v.codes)]
    built += [ids.coef(p) for p in book.predictors] + [ids.p_value(p) for p in book.predictors]
    assert [i for i in built if i not in held] == []
    assert (ids.table1("gender", 1, ids.Part.COUNT), ids.p_value("gender")) == ("t1.gender.1.count", "t3.gender.p")
    assert (ids.coding("unwilling", 0), ids.quoted("education")) == ("t2.unwilling.coding.0", "s7p.education.coef")
    assert ids.section62("health", 2, ids.Part.COUNT) == "s6p.health.2.count"


def test_a_variable_the_codebook_does_not_know_fails_when_the_id_is_built():
    with pytest.raises(ValueError, match="unknown variable 'gendr'"):
        ids.p_value("gendr")
    with pytest.raises(ValueError, match="id grammar"):
        ids.table1("gender", -1, ids.Part.COUNT)
