"""CITATION.cff is valid Citation File Format 1.2.0, agrees with the project's metadata, and the book
shows the DOI of the study it reproduces on its first page."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import tomllib
import urllib.parse
from pathlib import Path

import jsonschema
import pytest
import yaml
from pybtex.database import parse_file, parse_string

from bookbuild import citation
from conftest import ROOT

PAPER_DOI = "10.12677/aam.2023.1210442"
SCHEMA = ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json"


def _dates_as_text(node):
    """Cast YAML dates to ISO strings, as the CFF schema asks validators to do."""
    if isinstance(node, dict):
        return {key: _dates_as_text(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_dates_as_text(value) for value in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


@pytest.fixture(scope="module")
def cff() -> dict:
    return _dates_as_text(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def book_config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff_1_2_0(cff):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(cff)]
    assert not errors, errors
    assert cff["cff-version"] == "1.2.0"


def test_the_schema_rejects_a_broken_citation(cff):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {key: value for key, value in cff.items() if key != "authors"}
    broken["date-released"] = "29 November 2026"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_citation_matches_the_project(cff, book_config):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["title"] == book_config["title"]
    assert [a.get("name") for a in cff["authors"]] == [book_config["author"]] == ["The ridersurvey book team"]
    assert cff["version"] == project["version"] == "0.1.0"
    assert cff["date-released"] == "2026-11-29"
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    assert cff["repository-code"] == book_config["repository"]["url"]


def test_citation_credits_the_original_study(cff):
    cited = cff.get("references", []) + ([cff["preferred-citation"]] if "preferred-citation" in cff else [])
    paper = next(ref for ref in cited if ref.get("doi") == PAPER_DOI)
    assert paper["type"] == "article"
    assert paper["authors"][0]["family-names"] == "Wu" and paper["authors"][0]["given-names"] == "Chengzhuo"
    assert paper["journal"] == "应用数学进展 [Advances in Applied Mathematics]"
    assert (paper["year"], paper["volume"], str(paper["issue"]), int(paper["start"])) == (2023, 12, "10", 4509)


@pytest.mark.book
def test_the_introduction_shows_the_papers_doi(built_book: Path):
    root = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]
    page = (built_book / f"{root}.html").read_text(encoding="utf-8")
    assert PAPER_DOI in page, f"{root}.html does not show the DOI {PAPER_DOI}"
    assert f"https://doi.org/{PAPER_DOI}" in page, f"{root}.html does not link the DOI"


# ================================================================ the citation the book shows (issue 23)

CITING_PAGE = "chapters/citing"


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_the_citation_carries_a_version_and_a_release_date(cff):
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(cff["version"]))
    assert dt.date.fromisoformat(cff["date-released"]) <= dt.date.today()


def test_the_papers_title_is_its_chinese_title(cff):
    paper = next(ref for ref in cff["references"] if ref.get("doi") == PAPER_DOI)
    assert re.search(r"[\u4e00-\u9fff]", paper["title"]) and not paper["title"].startswith("[")
    assert "zh" in paper["languages"]


@pytest.mark.book
def test_the_home_page_and_every_footer_show_the_version_and_release_date(built_book: Path, cff):
    root = toc_pages()[0]
    home = (built_book / f"{root}.html").read_text(encoding="utf-8")
    head = re.search(r'<p class="rs-book-title">(.*?)</p>', home, flags=re.S)
    assert head, f"{root}.html has no title line"
    assert html.escape(cff["title"]) in head.group(1) or cff["title"] in head.group(1)
    assert f"Version {cff['version']}, released {cff['date-released']}" in head.group(1)
    for page in toc_pages():
        text = (built_book / f"{page}.html").read_text(encoding="utf-8")
        footer = re.search(r'<p class="rs-citation-footer">(.*?)</p>', text, flags=re.S)
        assert footer, f"{page}.html: no version in the footer"
        assert f"Version {cff['version']}, released {cff['date-released']}" in footer.group(1)
        assert "citing.html" in footer.group(1) or page == CITING_PAGE


@pytest.mark.book
def test_the_citing_page_gives_apa_and_bibtex_for_the_book_and_a_table(built_book: Path, cff):
    page = (built_book / f"{CITING_PAGE}.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))
    year = cff["date-released"][:4]
    assert f"The ridersurvey book team. ({year}). {cff['title']} (Version {cff['version']})" in text
    assert "@misc{ridersurvey_book," in text and f"version = {{{cff['version']}}}" in text
    assert f"date = {{{cff['date-released']}}}" in text
    assert "@misc{ridersurvey_book_tbl_results_refit," in text
    assert "Table label tbl-results-refit" in text and "chapters/results" in text
    table_url = citation.table_address(citation.read_citation(ROOT), "chapters/results", "tbl-results-refit")
    assert f"(Version {cff['version']}). {table_url}" in text, "the APA form does not show the full address"
    assert f"(Version {cff['version']}) [Jupyter Book]. {cff['repository-code']}" in text
    results = (built_book / "chapters" / "results.html").read_text(encoding="utf-8")
    assert 'id="tbl-results-refit"' in results, "the example table's anchor is gone"
    paper = next(ref for ref in cff["references"] if ref.get("doi") == PAPER_DOI)
    assert f"Wu, C. (2023). {paper['title']}. {paper['journal']}, 12(10). https://doi.org/{PAPER_DOI}" in text
    assert "@article{wu2023riders," in text and "begins on p. 4509" in text


def _bibtex_entry(block: str):
    source = block.removeprefix("```bibtex\n").removesuffix("\n```")
    (entry,) = parse_string(source, "bibtex").entries.values()
    return entry


def _is_https_address(text: str) -> bool:
    parts = urllib.parse.urlsplit(text)
    return parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in text)


def test_the_table_citation_is_bibtex_with_a_full_address():
    facts = citation.read_citation(ROOT)
    forms = citation.substitutions(facts)
    entry = _bibtex_entry(forms["table_bibtex"])
    assert entry.type == "misc" and "booktitle" not in entry.fields
    assert _is_https_address(entry.fields["url"]) and entry.fields["url"].startswith(facts["url"])
    assert facts["title"].replace("Wu (2023)", "{Wu} (2023)") in entry.fields["howpublished"]
    shown, target = re.search(r"\[`([^`]+)`\]\(([^)]+)\)$", forms["table_apa"]).groups()
    assert shown == target == entry.fields["url"]
    assert _bibtex_entry(forms["book_bibtex"]).fields["url"] == facts["url"]


def test_the_papers_title_is_the_chinese_then_the_english_in_brackets(cff):
    paper = next(ref for ref in cff["references"] if ref.get("doi") == PAPER_DOI)
    chinese, english = re.fullmatch(r"(\S+) \[(.+)\]", paper["title"]).groups()
    assert re.search(r"[\u4e00-\u9fff]", chinese) and not re.search(r"[\u4e00-\u9fff]", english)
    assert english.startswith("Participation of Flexible Employees") and english.endswith("Shanghai")
    assert "end" not in paper and "pages" not in paper, "no source this book used gives the last page"


def test_the_papers_bibtex_on_the_citing_page_is_the_entry_in_references_bib():
    shown = _bibtex_entry(citation.substitutions(citation.read_citation(ROOT))["paper_bibtex"])
    listed = parse_file(ROOT / "references.bib").entries["wu2023riders"]
    assert shown.type == listed.type == "article"
    assert dict(shown.fields) == dict(listed.fields)
    assert [str(person) for person in shown.persons["author"]] == [str(p) for p in listed.persons["author"]]


def test_a_site_gives_the_tables_page_and_anchor():
    facts = {**citation.read_citation(ROOT), "site": "https://books.example.org/riders/"}
    url = _bibtex_entry(citation.substitutions(facts)["table_bibtex"]).fields["url"]
    assert url == "https://books.example.org/riders/chapters/results.html#tbl-results-refit"
    assert _is_https_address(url)
    assert not _is_https_address("https://github.com/ridersurvey/ridersurvey-book (chapters/results.html#x)")
