"""The audit's verdicts: names a reader sees, in the catalog's language when they are looked up."""

from __future__ import annotations

import pandas as pd
import pytest

from ridersurvey import messages
from ridersurvey.audit.verdicts import VERDICT_NAMES, AuditVerdict, FindingVerdict


def test_verdict_names_are_the_values_with_spaces_in_english(monkeypatch):
    monkeypatch.delenv(messages.LANGUAGE_VARIABLE, raising=False)
    assert dict(VERDICT_NAMES) == {v.value: v.value.replace("-", " ") for v in AuditVerdict}
    assert FindingVerdict.INFORMATIVE_NULL.label == "informative null"


def test_verdict_names_follow_the_language_when_looked_up(monkeypatch):
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    assert VERDICT_NAMES["matched-by-construction"] == AuditVerdict.BY_CONSTRUCTION.label == "按构造吻合"
    assert pd.Series(["discrepant", "consistent"]).map(VERDICT_NAMES).tolist() == ["相互矛盾", "一致"]
    assert FindingVerdict.INFORMATIVE_NULL.label == "有信息量的零结果"
    assert len({v.label for v in AuditVerdict}) == len(AuditVerdict)


def test_an_unknown_verdict_is_not_a_name():
    with pytest.raises(KeyError):
        VERDICT_NAMES["fine"]
    assert VERDICT_NAMES.get("fine", "fine") == "fine"
