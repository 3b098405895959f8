"""Tests of ridersurvey.reconstruction.outputs: the raw export and the cleaning step, byte identity,
provenance, the appendix's tables, replay, and the committed data files.

The searches here are tiny (a fixed proposal budget); what is checked is what happens to their results.
"""

import dataclasses
import hashlib
import itertools
import json

import pandas as pd
import pytest

from recon_oracles import COUNTS, NAMES, PREDICTORS, statsmodels_fit
from ridersurvey.cli import clean_command
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.data.readers import load_responses
from ridersurvey.reconstruction import outputs as O
from ridersurvey.reconstruction import search as S
from ridersurvey.reconstruction.targets import targets_from_published

TINY = dataclasses.replace(S.Schedule(), proposals_per_cycle=20_000, chunk=10_000, reheats=0)
BUDGET = 20_000
SEED = 7


def tiny(seed=SEED):
    return S.reconstruct(seed, max_seconds=1e9, schedule=TINY, max_proposals=BUDGET)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(frame):
    """The multiset of response rows (order-free comparison of two data sets)."""
    return sorted(map(tuple, frame[NAMES].astype(int).to_numpy().tolist()))


def failure_keys(messages):
    """'gender: coef 1.16 vs 1.166' -> ('gender', 'coef'): which requirement, not its printed digits."""
    return sorted(tuple(m.split(" ")[:2]) for m in messages)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The same tiny reconstruction searched and written twice, into two directories."""
    dirs = []
    for name in ("a", "b"):
        rec = tiny()
        out = tmp_path_factory.mktemp(name)
        prov = O.write_outputs(rec, out, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY)
        dirs.append((rec, out, prov))
    return dirs


def test_raw_responses_structure():
    data = tiny().data
    raw = O.raw_responses(data, 11)
    assert len(raw) == 103
    assert raw["respondent_id"].tolist() == list(range(1, 104))
    gaps = raw[NAMES].isna().sum(axis=1)
    assert sorted(gaps.value_counts().to_dict().items()) == [(0, 100), (1, 3)]
    assert rows(raw[gaps == 0]) == rows(data)
    for var in NAMES:
        assert set(raw[var].dropna().astype(int)) <= set(COUNTS[var])
    pd.testing.assert_frame_equal(raw, O.raw_responses(data, 11))
    assert not raw.equals(O.raw_responses(data, 12))


def test_files_written(outputs):
    _, out, _ = outputs[0]
    for rel in ("raw/responses.csv", "riders_survey.csv", "provenance.json"):
        assert (out / rel).is_file(), rel
    raw = (out / "raw" / "responses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# RECONSTRUCTED DATA - NOT THE SURVEY'S ANSWERS.")
    lines = raw.decode("utf-8-sig").splitlines()
    header = next(line for line in lines if not line.startswith("#")).split(",")
    assert header[0] == "序号" and len(header) == 11 and not any(h in NAMES for h in header)


def test_both_files_say_inside_that_they_are_reconstructed(outputs):
    """The raw and the coded file open with the same notice naming the reconstruction (its command and seed),
    the paper, the book and the provenance file; a spreadsheet shows each line in one cell (no comma)."""
    _, out, _ = outputs[0]
    notices = []
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        lines = (out / rel).read_text(encoding="utf-8-sig").splitlines()
        notice = list(itertools.takewhile(lambda line: line.startswith("# "), lines))
        assert notice[0] == "# RECONSTRUCTED DATA - NOT THE SURVEY'S ANSWERS. 重构数据：并非问卷的真实回答。"
        text = "\n".join(notice)
        for named in (
            f"ridersurvey reconstruct --seed {SEED}",
            "doi:10.12677/aam.2023.1210442",
            "Wu (2023)",
            "github.com/ridersurvey/ridersurvey-book",
            "provenance.json",
            "no rider gave these answers",
        ):
            assert named in text, (rel, named)  # fmt: skip
        assert not any("," in line for line in notice), rel
        notices.append(notice)
    assert notices[0] == notices[1]


def test_cleaning_103_to_100(outputs):
    rec, out, prov = outputs[0]
    result = load_responses(out / "raw" / "responses.csv")
    assert (result.n_collected, result.n_excluded, result.n_valid) == (103, 3, 100)
    assert prov["cleaning"]["n_collected"] == 103 and len(prov["cleaning"]["exclusions"]) == 3
    coded = pd.read_csv(out / "riders_survey.csv", comment="#")
    assert rows(coded) == rows(rec.data)
    excluded = {e["respondent_id"] for e in prov["cleaning"]["exclusions"]}
    assert coded["respondent_id"].tolist() == [i for i in range(1, 104) if i not in excluded]
    for var, counts in COUNTS.items():
        assert coded[var].value_counts().to_dict() == counts
        assert prov["achieved_counts"][var] == {str(k): v for k, v in counts.items()}


def test_clean_command_reproduces_coded_file(outputs, tmp_path):
    _, out, _ = outputs[0]
    target = tmp_path / "cleaned.csv"
    assert clean_command(out / "raw" / "responses.csv", target) == 0
    assert target.read_bytes() == (out / "riders_survey.csv").read_bytes()


def test_same_seed_byte_identical(outputs):
    (_, a, pa), (_, b, pb) = outputs
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert pa["files"] == pb["files"]


def test_provenance_file(outputs):
    rec, out, prov = outputs[0]
    text = (out / "provenance.json").read_text(encoding="utf-8")
    on_disk = json.loads(text)
    assert text == json.dumps(on_disk, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert on_disk == json.loads(json.dumps(prov))
    assert on_disk["files"]["raw/responses.csv"]["sha256"] == sha(out / "raw" / "responses.csv")
    assert on_disk["seed"] == SEED and on_disk["budget"]["max_proposals"] == BUDGET
    assert on_disk["budget"]["replay_max_proposals"] == rec.proposals
    assert S.Schedule.from_dict(on_disk["budget"]["schedule"]) == TINY
    assert on_disk["success"] is False and on_disk["failures"] == rec.failures


def fake_prov():
    return {
        "tolerance": {"aimed_half_width": 0.00045, "margin": 0.9},
        "targets": {
            "gender": {"coef": 1.166, "p": 0.032, "p_targeted": True, "counts": {"1": 69, "2": 31}},
            "health": {"coef": 0.111, "p": 0.003, "p_targeted": False, "counts": {"1": 60, "2": 40}},
            "unwilling": {"counts": {"0": 49, "1": 51}},
        },
        "achieved": {
            "const": {"coef": 0.0, "se": 1.0, "p": 1.0},
            "gender": {"coef": 1.16644, "se": 0.5, "p": 0.03246},
            "health": {"coef": 0.1106, "se": 0.2, "p": 0.003},
        },
        "achieved_counts": {
            "gender": {"1": 69, "2": 31},
            "health": {"1": 61, "2": 39},
            "unwilling": {"0": 49, "1": 51},
        },
    }


def test_provenance_table_met_rules():
    table = O.provenance_table(fake_prov()).set_index(["variable", "statistic"])
    assert table.index.tolist() == [("gender", "coef"), ("gender", "p"), ("health", "coef"), ("health", "p")]
    assert bool(table.loc[("gender", "coef"), "met"]) is True
    # 0.03246 rounds to 0.032 but lies 0.00046 away: outside the aimed tolerance
    assert bool(table.loc[("gender", "p"), "met"]) is False
    assert bool(table.loc[("health", "coef"), "met"]) is True
    # an unattainable p is never 'met', even if the number happened to agree
    assert bool(table.loc[("health", "p"), "targeted"]) is False and bool(table.loc[("health", "p"), "met"]) is False


def test_counts_table():
    table = O.cell_counts(fake_prov()).set_index(["variable", "code"])
    assert table["met"].to_dict() == {
        ("gender", 1): True,
        ("gender", 2): True,
        ("health", 1): False,
        ("health", 2): False,
        ("unwilling", 0): True,
        ("unwilling", 1): True,
    }


def test_summary_lines_report_failures_and_unattainable(outputs):
    _, _, prov = outputs[0]
    text = "\n".join(O.summary_lines(prov))
    assert "NOT successful" in text and f"{len(prov['failures'])} requirement(s) unmet" in text
    assert "unattainable: policy_awareness" in text and "unattainable: health" in text
    assert "103 responses, 3 excluded, 100 valid" in text


def test_encode_decode_and_fingerprint():
    data = tiny().data
    code = O.encode(data)
    assert len(code) == 1000 and set(code) <= set("012345")
    back = O.decode(code)
    assert rows(back) == rows(data) and O.fingerprint(back) == O.fingerprint(data)
    shuffled = data.sample(frac=1, random_state=1)
    assert O.fingerprint(shuffled) == O.fingerprint(data)
    with pytest.raises(ValueError, match="multiple of 10"):
        O.decode(code[:-1])


def test_time_limited_run_replays_from_provenance(tmp_path):
    """A run cut off by the clock is replayed exactly by the recorded proposal count."""
    rec = S.reconstruct(5, max_seconds=0.0, schedule=TINY)
    prov = O.write_outputs(rec, tmp_path / "first", max_seconds=0.0, schedule=TINY)
    assert prov["budget"]["replay_max_proposals"] == rec.proposals > 0
    again = O.regenerate(json.loads((tmp_path / "first" / "provenance.json").read_text()), tmp_path / "second")
    pd.testing.assert_frame_equal(rec.data, again.data)
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        assert (tmp_path / "first" / rel).read_bytes() == (tmp_path / "second" / rel).read_bytes()


# ---------------------------------------------------------------------------------------------- committed data
@pytest.fixture(scope="module", params=["", "alternative"])
def committed(request):
    path = DATA_DIR / request.param / "provenance.json"
    assert path.is_file(), f"{path} is missing"
    return DATA_DIR / request.param, O.load_provenance(path)


def test_committed_files_match_provenance_hashes(committed):
    root, prov = committed
    for rel, info in prov["files"].items():
        assert sha(root / rel) == info["sha256"], rel
    assert set(prov["files"]) == {"raw/responses.csv", "riders_survey.csv"}


def test_committed_coded_file_is_cleaned_raw_file(committed, tmp_path):
    root, _ = committed
    target = tmp_path / "cleaned.csv"
    assert clean_command(root / "raw" / "responses.csv", target) == 0
    assert target.read_bytes() == (root / "riders_survey.csv").read_bytes()


def test_committed_data_achieve_what_provenance_records(committed):
    root, prov = committed
    data = pd.read_csv(root / "riders_survey.csv", comment="#")
    for var, counts in COUNTS.items():
        assert data[var].value_counts().to_dict() == counts, var
    res = statsmodels_fit(data)
    for term in ["const", *PREDICTORS]:
        assert res.params[term] == pytest.approx(prov["achieved"][term]["coef"], abs=1e-7), term
        assert res.pvalues[term] == pytest.approx(prov["achieved"][term]["p"], abs=1e-7), term
    targets = targets_from_published(free=tuple(prov.get("free_coefficients", ())))
    problems = S.verify(data, targets, prov["tolerance"]["margin"])
    assert failure_keys(problems) == failure_keys(prov["failures"])
    assert prov["success"] is True and not problems


def respondent_level_files():
    """Every CSV under data/ with a respondent per row (a respondent id column) or a data set per row (``data``),
    relative to data/."""
    for path in DATA_DIR.rglob("*.csv"):
        lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
        if {"序号", "respondent_id", "data"} & set(lines[0].split(",")):
            yield path.relative_to(DATA_DIR).as_posix()


def test_every_file_of_reconstructed_data_says_so_inside_itself():
    """Found by content, not by a list: a new respondent-level file without the notice fails here."""
    found = sorted(respondent_level_files())
    assert found == sorted(
        ["riders_survey.csv", "raw/responses.csv", "alternative/riders_survey.csv", "alternative/raw/responses.csv",
         "ensemble/summary.csv"]
    )  # fmt: skip
    for rel in found:
        first = (DATA_DIR / rel).read_text(encoding="utf-8-sig").splitlines()[0]
        assert first.startswith("# RECONSTRUCTED DATA - NOT THE SURVEY'S ANSWERS."), rel
    for line in (DATA_DIR / "envelope" / "searches.jsonl").read_text(encoding="utf-8").splitlines():
        assert line.startswith('{"_notice": "RECONSTRUCTED DATA - NOT THE SURVEY\'S ANSWERS.')


@pytest.mark.replay
def test_committed_data_regenerate_from_seed(committed, tmp_path):
    """The recorded seed, schedule and budget give the committed files again, byte for byte."""
    root, prov = committed
    O.regenerate(prov, tmp_path)
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        assert (tmp_path / rel).read_bytes() == (root / rel).read_bytes(), rel
    assert json.loads((tmp_path / "provenance.json").read_text())["files"] == prov["files"]
