"""The downloadable notebook (``bookbuild.notebook``): MyST text becomes plain Markdown with the book's
numbers, tables keep their HTML form with the book's number, and no role or directive is left raw."""

from __future__ import annotations

from typing import Any

import jupytext
import nbformat
import pytest

from bookbuild import notebook as booknotebook
from bookbuild.execute import markdown_cell_at, record_expression
from bookbuild.notebook import Resolver, plain_markdown, plain_notebook, raw_myst
from bookbuild.table_numbers import numbers_cell
from conftest import ROOT
from ridersurvey.presentation import report

BOOK_RESOLVER = Resolver(
    numref=lambda label, template: (template or "Table %s").replace("%s", {"tbl-x": "5.1"}.get(label, "?")),
    eq=lambda label: "(5.1)",
    doc=lambda target: f"*Title of {target}*",
    ref=lambda label: f"*Section {label}*",
    cite=lambda keys, textual: "Wu (2023)" if textual else "(Wu, 2023)",
)


def test_roles_become_the_text_the_book_shows():
    text = (
        "See {numref}`tbl-x` and {numref}`the table %s <tbl-x>`, {doc}`results`, {doc}`the results <results>`, "
        "{ref}`sec-a`, {eq}`eq-logit`, {cite:t}`wu2023riders` and {cite}`wu2023riders`; "
        "{eval}`facts.n_agree` of {eval}`n_valid`, {math}`x^2`, H{sub}`2`O."
    )
    out = plain_markdown(text, BOOK_RESOLVER, {"facts.n_agree": "ninety", "n_valid": "100"})
    assert out == (
        "See Table 5.1 and the table 5.1, *Title of results*, the results, *Section sec-a*, (5.1), Wu (2023) and "
        "(Wu, 2023); ninety of 100, $x^2$, H<sub>2</sub>O."
    )
    assert raw_myst(out) == []


def test_directives_become_plain_markdown():
    text = """(sec-a)=
% a comment
:::{table} Counts by item
:name: tbl-x

| a | b |
|---|---|
| 1 | {eval}`facts.b` |
:::

```{admonition} Reconstructed data
:class: important
Not the survey's answers ({doc}`data_sample`).
```

```{note}
A note.
```

```{math}
:label: eq-logit
y = x
```"""
    out = plain_markdown(text, BOOK_RESOLVER, {"facts.b": "2"})
    assert "(sec-a)=" not in out and "a comment" not in out
    assert "**Table 5.1:** Counts by item\n\n| a | b |\n|---|---|\n| 1 | 2 |" in out
    assert "> **Reconstructed data**\n>\n> Not the survey's answers (*Title of data_sample*)." in out
    assert "> **Note**\n>\n> A note." in out
    assert "$$\ny = x\\tag{5.1}\n$$" in out
    assert raw_myst(out) == []


def test_raw_myst_finds_what_is_left():
    assert raw_myst("a {eval}`x` b") == ["{eval}`"]
    assert raw_myst(":::{table} t\n") == [":::{table}"]
    assert raw_myst("plain *text* with `code` and $x$") == []


@pytest.mark.parametrize("chapter", sorted(p.name for p in (ROOT / "chapters").glob("*.md")))
def test_every_chapter_converts_without_raw_myst(chapter):
    """Every role and directive a chapter uses has a plain-Markdown form (none survives the conversion)."""
    notebook = jupytext.read(ROOT / "chapters" / chapter, fmt="md:myst")
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            left = raw_myst(plain_markdown(cell.source, BOOK_RESOLVER))
            assert not left, f"{chapter}: {left} left in\n{cell.source[:300]}"


def _executed_notebook() -> nbformat.NotebookNode:
    table = report.Table(
        report.TableSpec([report.Column("a", "A")]).render(__import__("pandas").DataFrame({"a": [1]})),
        "Counts",
        "tbl-x",
    )
    markdown = nbformat.v4.new_markdown_cell("There are {eval}`facts.n` riders; see {numref}`tbl-x`.")
    record_expression(markdown, "facts.n", {"text/plain": "100"}, {})
    code = nbformat.v4.new_code_cell("table")
    code.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/html": table.to_html(), "text/markdown": table.to_markdown(), "text/plain": repr(table)},
            execution_count=2,
        )
    ]
    figure = nbformat.v4.new_code_cell(
        "plot()", metadata={"mystnb": {"figure": {"caption": "Items by {cite:t}`wu2023riders`.", "name": "tbl-x"}}}
    )
    notebook = nbformat.v4.new_notebook(cells=[markdown, code, figure])
    notebook.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "jupytext": {"text_representation": {"format_name": "myst"}},
        "source_map": [1, 2, 3],
    }
    return notebook


def test_plain_notebook_keeps_outputs_numbers_tables_and_begins_with_install_instructions():
    executed = _executed_notebook()
    first = booknotebook.install_cell("Variables and model", "https://example.org/book", "chapters/model.md", "A book")
    plain = plain_notebook(
        executed,
        BOOK_RESOLVER,
        first=first,
        references=lambda keys: "\n".join(f"- {k}" for k in keys),
    )
    nbformat.validate(plain)
    sources = [cell.source for cell in plain.cells]
    assert "pip install -r requirements.txt" in sources[0] and "git clone https://example.org/book" in sources[0]
    assert sources[0].startswith("**Variables and model**: a chapter of the book *A book*")
    numbers = plain.cells[1]  # the kernel gets the book's table numbers before any table is shown
    assert numbers.cell_type == "code" and "ridersurvey-numbers" in numbers.metadata["tags"]
    assert sources[1] == numbers_cell({"tbl-x": "Table 5.1"})
    assert sources[2] == "There are 100 riders; see Table 5.1."
    assert "user_expressions" not in plain.cells[2].metadata
    table_output = plain.cells[3].outputs[0]["data"]
    assert "text/markdown" not in table_output
    assert '<caption><span class="caption-number">Table 5.1: </span>Counts</caption>' in table_output["text/html"]
    assert sources[5] == "**Table 5.1:** Items by Wu (2023)."
    assert sources[-1] == "**References**\n\n- wu2023riders"
    assert set(plain.metadata) == {"kernelspec"}
    assert executed.cells[0].source.startswith("There are {eval}")  # the input is not modified


def test_record_expression_keeps_the_first_result():
    cell = nbformat.v4.new_markdown_cell("{eval}`x` {eval}`y`")
    record_expression(cell, "x", {"text/plain": "1"}, {})
    record_expression(cell, "x", {"text/plain": "2"}, {})
    record_expression(cell, "y", {"text/html": "<b>2</b>"}, {"isolated": True})
    assert cell.metadata["user_expressions"] == [
        {"expression": "x", "result": {"status": "ok", "data": {"text/plain": "1"}, "metadata": {}}},
        {
            "expression": "y",
            "result": {"status": "ok", "data": {"text/html": "<b>2</b>"}, "metadata": {"isolated": True}},
        },
    ]


class _Client:
    """What :func:`bookbuild.execute.markdown_cell_at` reads of myst-nb's client: cells and their first lines."""

    def __init__(self, notebook: nbformat.NotebookNode, lines: list[int]):
        self.notebook = notebook
        self._lines = lines

    def cell_line(self, index: int) -> int:
        return self._lines[index]


def test_an_eval_role_is_found_in_the_markdown_cell_that_holds_its_line():
    cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("x is {eval}`x`,\nstill x."),
    ]
    client = _Client(nbformat.v4.new_notebook(cells=cells), [1, 3, 7])
    assert [markdown_cell_at(client, line) for line in (1, 2, 7, 8, 40)] == [0, 0, 2, 2, 2]
    assert markdown_cell_at(client, 4) is None  # inside the code cell
    assert markdown_cell_at(client, 0) is None  # front matter, before the first cell


class _Runner:
    """What ``_user_expression`` reads of myst-nb's nbclient: a kernel client and ``wait_for_reply``."""

    def __init__(self, value: dict):
        self.kc = self
        self.value = value
        self.requests: list[dict] = []

    def execute(self, code: str, **options: Any) -> str:
        self.requests.append(options)
        return "msg-1"

    def wait_for_reply(self, msg_id: str) -> dict:
        return {"content": {"user_expressions": {"value": self.value}}}


def test_an_expression_is_evaluated_as_user_expressions_or_left_to_myst_nb():
    from types import SimpleNamespace

    from myst_nb.core.variables import RetrievalError

    from bookbuild.execute import _user_expression

    config = SimpleNamespace(eval_name_regex=r"^[A-Za-z_][\w.]*$")
    runner = _Runner({"status": "ok", "data": {"text/plain": "100"}, "metadata": {}})
    client = SimpleNamespace(_client=runner, nb_config=config)
    [output] = _user_expression(client, None, "facts.n")  # type: ignore[arg-type]
    assert output.data == {"text/plain": "100"}
    assert runner.requests == [{"silent": True, "store_history": False, "user_expressions": {"value": "facts.n"}}]
    with pytest.raises(RetrievalError, match="does not match"):
        _user_expression(client, None, "__import__('os')")  # type: ignore[arg-type]
    client._client = _Runner({"status": "error", "ename": "NameError", "evalue": "name 'x' is not defined"})
    with pytest.raises(RetrievalError, match="NameError: name 'x' is not defined"):
        _user_expression(client, None, "x")  # type: ignore[arg-type]
    assert _user_expression(SimpleNamespace(nb_config=config), None, "x") == []  # type: ignore[arg-type]


def test_translate_markdown_translates_paragraphs_headings_items_and_titles_by_their_joined_lines():
    from bookbuild.notebook import translate_markdown

    catalog = {
        "Title": "标题",
        "A paragraph on two lines with |b| ≥ {eval}`x` inside.": "一个段落，其中 |b| ≥ {eval}`x`。",
        "an item that goes on": "一个条目",
        "Note": "注意",
        "Inside the note.": "注释之内。",
    }
    source = "\n".join(
        [
            "# Title",
            "",
            "A paragraph on two lines with",
            "|b| ≥ {eval}`x` inside.",
            "",
            "| a | b |",
            "|---|---|",
            "",
            "$$",
            "x = 1",
            "$$",
            "",
            "- an item that",
            "  goes on",
            "",
            "```{admonition} Note",
            ":class: tip",
            "Inside the note.",
            "```",
            "",
            "Not in the catalog.",
        ]
    )
    translated = translate_markdown(source, lambda m: catalog.get(m, m)).splitlines()
    assert translated == [
        "# 标题",
        "",
        "一个段落，其中 |b| ≥ {eval}`x`。",
        "",
        "| a | b |",
        "|---|---|",
        "",
        "$$",
        "x = 1",
        "$$",
        "",
        "- 一个条目",
        "",
        "```{admonition} 注意",
        ":class: tip",
        "注释之内。",
        "```",
        "",
        "Not in the catalog.",
    ]
