"""Strict JSON: the writer's null for a non-finite number, the strict parser, and every JSON file the project
writes (the committed data, the command line's audit, the built book) parsed strictly."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ridersurvey.cli import main
from ridersurvey.data import strict_json
from ridersurvey.data.paths import DATA_DIR

DATA_JSON = sorted([*DATA_DIR.rglob("*.json"), *DATA_DIR.rglob("*.jsonl")])


def parse_strictly(path: Path) -> None:
    """Parse a .json file, or every line of a .jsonl file, rejecting NaN and Infinity (as R's jsonlite does)."""

    def reject(name):
        raise ValueError(f"{path}: bare {name}")

    text = path.read_text(encoding="utf-8")
    for line in text.splitlines() if path.suffix == ".jsonl" else [text]:
        json.loads(line, parse_constant=reject)


def test_non_finite_numbers_are_written_as_null():
    obj = {"a": math.nan, "b": [1.5, math.inf, {"c": -math.inf}], "d": (2, "NaN"), "e": None}
    text = strict_json.dumps(obj, sort_keys=True)
    assert text == '{"a": null, "b": [1.5, null, {"c": null}], "d": [2, "NaN"], "e": null}'
    assert json.dumps(obj, sort_keys=True).count("NaN") == 2  # what the standard library would have written


def test_dumps_refuses_what_json_cannot_hold():
    with pytest.raises(TypeError):
        strict_json.dumps({"a": {1, 2}})


@pytest.mark.parametrize("text", ["NaN", "[1, Infinity]", '{"x": -Infinity}'])
def test_loads_rejects_bare_constants(text):
    with pytest.raises(ValueError, match="not JSON"):
        strict_json.loads(text)


def test_nan_for_null_keeps_the_named_nulls():
    back = strict_json.nan_for_null({"p": None, "seed": None, "q": 0.5}, keep_null=("seed",))
    assert math.isnan(back["p"]) and back["seed"] is None and back["q"] == 0.5


def test_the_data_directory_has_json_files():
    names = {p.relative_to(DATA_DIR).as_posix() for p in DATA_JSON}
    assert {"provenance.json", "envelope/searches.jsonl", "ensemble/ensemble.json"} <= names


@pytest.mark.parametrize("path", DATA_JSON, ids=[p.relative_to(DATA_DIR).as_posix() for p in DATA_JSON])
def test_every_data_json_file_is_strict_json(path):
    parse_strictly(path)


def test_the_command_line_audit_is_strict_json(capsys, tmp_path):
    assert main(["audit", "--format", "json"]) == 0
    out = tmp_path / "audit.json"
    out.write_text(capsys.readouterr().out, encoding="utf-8")
    parse_strictly(out)


@pytest.mark.book
def test_every_json_file_of_the_built_book_is_strict_json(built_book):
    paths = sorted(p for pattern in ("*.json", "*.ipynb") for p in Path(built_book).rglob(pattern) if p.is_file())
    assert paths, "the build wrote no JSON file"
    for path in paths:
        parse_strictly(path)
