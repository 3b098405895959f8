"""A reconstruction's files, its provenance record, the tables the appendix shows, and replay.

:func:`write_outputs` writes the layout of ``data/``: the raw export ``raw/responses.csv`` (what a
questionnaire platform would list: Chinese labels and question texts, UTF-8 with BOM, the valid responses
in a seeded order with three incomplete ones interleaved), the coded file ``riders_survey.csv`` *made from
it* by the cleaning code, and ``provenance.json``. Both CSVs depend only on the reconstructed data and the
seed; the provenance records what replays the search (:func:`regenerate`).

Every file of reconstructed respondent-level data says inside itself that it is a reconstruction and not the
survey's answers, so that a copy taken out of the repository still says it: the CSV files open with ``#``
note lines (:func:`notice`, :mod:`ridersurvey.data.csvnotes`; the cleaning code carries them from the raw file to
the coded one), and a JSON-lines record carries the same text under :data:`NOTICE_KEY`. Every JSON file is
strict JSON (:mod:`ridersurvey.data.strict_json`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ridersurvey import __version__, messages
from ridersurvey.data import strict_json
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.csvnotes import read_data_csv
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.data.readers import load_responses, write_coded, write_raw_export
from ridersurvey.reconstruction.search import Reconstruction, Schedule, replay, within
from ridersurvey.reconstruction.targets import OUTCOME, PREDICTORS, PRINT_TOL, targets_from_published

#: Where :func:`write_outputs` puts its three files, relative to the output directory (the layout of ``data/``).
RAW_FILE = Path("raw") / "responses.csv"
CODED_FILE = Path("riders_survey.csv")
PROVENANCE_FILE = Path("provenance.json")
#: Collected questionnaires the paper excluded for a missing key variable (103 collected, 100 valid).
N_EXCLUDED = 3
#: Stream tag that separates the raw-file randomness from the search's (``SeedSequence([seed, tag])``).
_RAW_STREAM = 103


def version() -> str:
    """The installed ``ridersurvey`` version."""
    return str(__version__)


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes (recorded in provenance so a reader can check the committed files)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def json_dump(obj, path: str | os.PathLike) -> None:
    """Write ``obj`` as sorted, indented, strict UTF-8 JSON with a final newline (non-finite numbers as null)."""
    strict_json.dump(obj, path)


# ------------------------------------------------------------------------------------------------- notices
#: The paper, the book and its repository, as every notice names them (no commas: a spreadsheet that opens
#: a CSV file shows each note line in one cell).
PAPER = messages.text("reconstruction.outputs.paper")
BOOK = messages.text("reconstruction.outputs.book")
REPOSITORY = "https://github.com/ridersurvey/ridersurvey-book"
#: The key of the notice in a JSON-lines record of reconstructed data (sorts before every lowercase key).
NOTICE_KEY = "_notice"


def notice(what: str, made_by: str, provenance: str) -> tuple[str, ...]:
    """The note lines that say a file holds reconstructed data and not the survey's answers.

    Parameters
    ----------
    what : str
        The reconstructed data the file holds, as the subject of a sentence ("These responses").
    made_by : str
        The command that made them.
    provenance : str
        Where the record of how they were made is.

    Returns
    -------
    tuple of str
        The lines, without the ``#`` that opens each in a CSV file (:func:`ridersurvey.data.csvnotes.notes_text`).
    """
    fields = {"what": what, "made_by": made_by, "paper": PAPER, "book": BOOK, "repository": REPOSITORY}
    lines = ("heading", "made", "no_answers", "statistics", "book_line")
    return (
        *(messages.text(f"reconstruction.outputs.notice.{line}", **fields) for line in lines),
        messages.text("reconstruction.outputs.notice.provenance", provenance=provenance),
    )


def encoded_notice(field: str, made_by: str, record: str) -> tuple[str, ...]:
    """The notice (:func:`notice`) of a file whose ``field`` holds data sets encoded by :func:`encode`."""
    return notice(
        messages.text("reconstruction.outputs.notice.encoded_what", field=field),
        made_by,
        messages.text("reconstruction.outputs.notice.encoded_record", record=record),
    )


def record_line(record: dict, notes: tuple[str, ...], *, sort_keys: bool = False) -> str:
    """One line of a JSON-lines file of reconstructed data: strict JSON (:mod:`ridersurvey.data.strict_json`),
    the notice first under :data:`NOTICE_KEY`, then ``record``; ends with a newline."""
    return strict_json.dumps({NOTICE_KEY: " ".join(notes), **record}, sort_keys=sort_keys, ensure_ascii=False) + "\n"


def read_record_line(line: str) -> dict:
    """The record :func:`record_line` wrote, without its notice (``null`` stays None: the caller knows which
    fields are numbers, :func:`ridersurvey.data.strict_json.nan_for_null`)."""
    record = json.loads(line)
    record.pop(NOTICE_KEY, None)
    return record


def responses_notice(seed: int, free: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The notice of a reconstruction's raw and coded files (:func:`notice`); the coded file inherits it from
    the raw file through the cleaning code."""
    freed = f"--free {' '.join(free)} " if free else ""
    return notice(
        "These responses",
        f"ridersurvey reconstruct {freed}--seed {int(seed)}",
        messages.text("reconstruction.outputs.notice.responses_record", provenance=PROVENANCE_FILE),
    )


# ----------------------------------------------------------------------------------------- compact data sets
def fingerprint(data: pd.DataFrame, columns=None) -> str:
    """First 16 hex digits of the SHA-256 of the data set's sorted rows (equal for equal data sets)."""
    cols = list(columns) if columns is not None else [OUTCOME, *PREDICTORS]
    rows = data[cols].astype(np.int64).sort_values(cols, kind="mergesort").to_numpy()
    return hashlib.sha256(rows.tobytes()).hexdigest()[:16]


def encode(data: pd.DataFrame, targets=None) -> str:
    """A data set as one string: its rows sorted, each the outcome and the nine codes as digits."""
    targets = targets or targets_from_published()
    cols = [targets.outcome, *targets.predictors]
    rows = data[cols].astype(int).sort_values(cols, kind="mergesort").to_numpy()
    return "".join("".join(str(v) for v in row) for row in rows)


def decode(text: str, targets=None) -> pd.DataFrame:
    """The data set :func:`encode` wrote (rows in sorted order, ``respondent_id`` 1..n)."""
    targets = targets or targets_from_published()
    cols = [targets.outcome, *targets.predictors]
    width = len(cols)
    if len(text) % width:
        raise ValueError(messages.text("reconstruction.outputs.bad_length", length=len(text), width=width))
    values = np.array([int(ch) for ch in text], dtype=np.int64).reshape(-1, width)
    df = pd.DataFrame(values, columns=cols)
    df.insert(0, "respondent_id", np.arange(1, len(df) + 1, dtype=np.int64))
    return df


def raw_responses(data: pd.DataFrame, seed: int, n_excluded: int = N_EXCLUDED, book=None) -> pd.DataFrame:
    """The collected questionnaires as a platform would list them: ``data``'s valid responses in a seeded
    submission order, with ``n_excluded`` incomplete responses interleaved at seeded positions.

    Each incomplete response has one key item left empty (NA) and its other answers drawn from the valid
    responses' frequencies. Ids run 1..len(data)+n_excluded in file order. Everything is a function of
    ``seed`` through one ``numpy`` PCG64 stream, so the same seed gives the same rows on any machine.
    """
    book = book or load_codebook()
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), _RAW_STREAM]))
    names = book.names
    valid = data[names].astype("int64").to_numpy()[rng.permutation(len(data))]
    extra = np.empty((n_excluded, len(names)), dtype=np.int64)
    for j, var in enumerate(names):
        codes, counts = np.unique(data[var].to_numpy(), return_counts=True)
        extra[:, j] = rng.choice(codes, size=n_excluded, p=counts / counts.sum())
    blank = rng.integers(len(names), size=n_excluded)
    total = len(data) + n_excluded
    positions = np.sort(rng.choice(total, size=n_excluded, replace=False))
    rows = np.empty((total, len(names)), dtype=np.int64)
    is_extra = np.zeros(total, dtype=bool)
    is_extra[positions] = True
    rows[is_extra] = extra
    rows[~is_extra] = valid
    frame = pd.DataFrame(rows, columns=names).astype("Int64")
    for pos, j in zip(positions, blank, strict=True):
        frame.iat[int(pos), int(j)] = pd.NA
    frame.insert(0, book.id_variable, np.arange(1, total + 1, dtype=np.int64))
    return frame


def provenance(rec: Reconstruction) -> dict:
    """JSON-ready record of a reconstruction. The timing fields (``wall_seconds``, ``proposals_per_second``,
    ``anneal_seconds``, ``final_step_seconds``) vary between runs; byte-identity checks compare the data files."""
    t = rec.targets
    unatt = {u["variable"] for u in rec.unattainable}
    targets = {
        var: {
            "coef": t.coef(var),
            "p": t.p(var),
            "coef_targeted": t.coef_targeted(var),
            "p_targeted": var not in unatt,
            "counts": {str(k): v for k, v in t.counts[var].items()},
        }
        for var in t.predictors
    }
    targets[t.outcome] = {"counts": {str(k): v for k, v in t.counts[t.outcome].items()}}
    achieved = {
        str(idx): {"coef": float(r["coef"]), "se": float(r["se"]), "p": float(r["p"])}
        for idx, r in rec.achieved.iterrows()
    }
    return {
        "seed": int(rec.seed),
        "ridersurvey_version": version(),
        "n": int(t.n),
        "free_coefficients": list(t.free),
        "tolerance": {
            "printed_half_width": PRINT_TOL,
            "margin": rec.margin,
            "aimed_half_width": rec.margin * PRINT_TOL,
        },
        "targets": targets,
        "achieved": achieved,
        "unattainable": rec.unattainable,
        "proposals": int(rec.proposals),
        "anneal_proposals": int(rec.anneal_proposals),
        "cycles": int(rec.cycles),
        "final_steps": int(rec.final_steps),
        "proposals_per_second": float(rec.proposals_per_second),
        "wall_seconds": float(rec.wall_seconds),
        "anneal_seconds": float(rec.anneal_seconds),
        "final_step_seconds": float(rec.final_step_seconds),
        "success": bool(rec.success),
        "failures": list(rec.failures),
    }


def write_outputs(
    rec: Reconstruction,
    out_dir: str | os.PathLike,
    *,
    max_seconds: float | None = None,
    max_proposals: int | None = None,
    schedule: Schedule | None = None,
) -> dict:
    """Write a reconstruction as ``out_dir/raw/responses.csv``, ``out_dir/riders_survey.csv`` and
    ``out_dir/provenance.json``; return the provenance record.

    The raw file (:func:`raw_responses`, via :func:`ridersurvey.data.readers.write_raw_export`) holds all collected
    responses; the coded file is *made from it* by the cleaning code (:func:`ridersurvey.data.readers.load_responses`
    then :func:`ridersurvey.data.readers.write_coded`), so it is exactly what ``ridersurvey clean`` produces. The
    provenance adds the search budget (``max_seconds``, ``max_proposals``, the schedule), the proposal count
    that replays the search deterministically, the cleaning summary, the Table 1 counts of the coded file and
    the files' SHA-256.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(messages.text("reconstruction.outputs.not_a_directory", path=out))
    book = load_codebook()
    raw_path, coded_path, prov_path = out / RAW_FILE, out / CODED_FILE, out / PROVENANCE_FILE
    raw_path.parent.mkdir(parents=True, exist_ok=True)
    notes = responses_notice(rec.seed, tuple(rec.targets.free))
    write_raw_export(raw_responses(rec.data, rec.seed, book=book), raw_path, lang="zh", book=book, notes=notes)
    cleaned = load_responses(raw_path)
    write_coded(cleaned.data, coded_path, book=book, notes=cleaned.notes)
    coded = read_data_csv(coded_path)
    prov = provenance(rec)
    prov["budget"] = {
        "max_seconds": None if max_seconds is None else float(max_seconds),
        "max_proposals": None if max_proposals is None else int(max_proposals),
        "schedule": (Schedule() if schedule is None else schedule).to_dict(),
        # the search stops only between chunks, so this budget replays it exactly
        "replay_max_proposals": int(rec.proposals),
    }
    prov["cleaning"] = {
        "n_collected": int(cleaned.n_collected),
        "n_excluded": int(cleaned.n_excluded),
        "n_valid": int(cleaned.n_valid),
        "exclusions": [
            {"row": int(r.row), "respondent_id": int(r.respondent_id), "reason": str(r.reason)}
            for r in cleaned.exclusions.itertuples(index=False)
        ],
    }
    prov["achieved_counts"] = {
        var: {str(int(k)): int(v) for k, v in sorted(coded[var].value_counts().items())}
        for var in (rec.targets.outcome, *rec.targets.predictors)
    }
    prov["files"] = {str(p.relative_to(out).as_posix()): {"sha256": sha256_file(p)} for p in (raw_path, coded_path)}
    json_dump(prov, prov_path)
    return prov


def load_provenance(path: str | os.PathLike | None = None) -> dict:
    """The provenance record of the committed reconstruction (default ``data/provenance.json``)."""
    path = Path(path) if path is not None else DATA_DIR / PROVENANCE_FILE
    return json.loads(Path(path).read_text(encoding="utf-8"))


def provenance_table(prov: dict) -> pd.DataFrame:
    """Table 3 targets against what the reconstruction achieved, one row per coefficient and p-value.

    Columns ``variable``, ``statistic`` ('coef' or 'p'), ``published``, ``achieved``, ``targeted`` (False for
    p-values no data set can reach and for free coefficients) and ``met``: the achieved value agrees with the
    published one at the printed precision and lies within the aimed tolerance (the criterion of
    :func:`ridersurvey.reconstruction.search.verify`).
    """
    margin = float(prov["tolerance"]["margin"])
    rows = []
    for var, tgt in prov["targets"].items():
        if "coef" not in tgt:
            continue
        for stat in ("coef", "p"):
            published = float(tgt[stat])
            achieved = float(prov["achieved"][var][stat])
            targeted = bool(tgt.get("coef_targeted", True)) if stat == "coef" else bool(tgt["p_targeted"])
            rows.append(
                {
                    "variable": var,
                    "statistic": stat,
                    "published": published,
                    "achieved": achieved,
                    "targeted": targeted,
                    "met": bool(targeted and within(published, achieved, margin)),
                }
            )
    order = {v: i for i, v in enumerate(PREDICTORS)}
    frame = pd.DataFrame(rows)
    frame["_o"] = frame["variable"].map(order).fillna(len(order))
    return frame.sort_values(["_o", "statistic"], kind="mergesort").drop(columns="_o").reset_index(drop=True)


def cell_counts(prov: dict) -> pd.DataFrame:
    """Table 1 cells (variable, code) with the published and the achieved count and whether they agree."""
    rows = []
    for var, tgt in prov["targets"].items():
        got = prov.get("achieved_counts", {}).get(var, {})
        for code, count in sorted(tgt["counts"].items(), key=lambda kv: int(kv[0])):
            achieved = int(got.get(code, 0))
            rows.append(
                {
                    "variable": var,
                    "code": int(code),
                    "published": int(count),
                    "achieved": achieved,
                    "met": achieved == int(count),
                }
            )
    return pd.DataFrame(rows)


def regenerate(prov: dict, out_dir: str | os.PathLike | None = None) -> Reconstruction:
    """Rerun the search a provenance record describes (seed, schedule, margin, free coefficients and the
    replay budget), and write its files into ``out_dir`` if given; the CSVs then equal the recorded ones
    byte for byte."""
    targets = targets_from_published(free=tuple(prov.get("free_coefficients", ())))
    rec = replay(prov, targets)
    if out_dir is not None:
        budget = prov["budget"]
        write_outputs(
            rec,
            out_dir,
            max_seconds=budget["max_seconds"],
            max_proposals=budget["max_proposals"],
            schedule=Schedule.from_dict(budget["schedule"]),
        )
    return rec


def summary_lines(prov: dict) -> list[str]:
    """Human-readable summary of a provenance record (what ``ridersurvey reconstruct`` prints)."""
    table = provenance_table(prov)
    counts = cell_counts(prov)
    coef = table[(table["statistic"] == "coef") & table["targeted"]]
    ptab = table[(table["statistic"] == "p") & table["targeted"]]
    say = lambda key, **fields: messages.text(f"reconstruction.outputs.summary.{key}", **fields)
    verdict = say("success") if prov["success"] else say("failure", unmet=len(prov["failures"]))
    lines = [
        say("seed", seed=prov["seed"], verdict=verdict),
        say("cells", met=int(counts["met"].sum()), of=len(counts)),
        say("coefficients", met=int(coef["met"].sum()), of=len(coef)),
        say("p_values", met=int(ptab["met"].sum()), of=len(ptab)),
    ]
    if prov.get("free_coefficients"):
        lines.append(say("free", names=", ".join(prov["free_coefficients"])))
    lines += [say("unmet", message=msg) for msg in prov["failures"]]
    lines += [
        say("unattainable", variable=u["variable"], published=u["published"], floor=u["p_floor"])
        for u in prov["unattainable"]
    ]
    lines.append(
        say(
            "search",
            proposals=prov["proposals"],
            rate=prov["proposals_per_second"],
            wall=prov["wall_seconds"],
        )
    )
    if "cleaning" in prov:
        c = prov["cleaning"]
        lines.append(say("cleaning", collected=c["n_collected"], excluded=c["n_excluded"], valid=c["n_valid"]))
    return lines
