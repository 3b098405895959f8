"""A chapter in JupyterLab (``make lab``) reads as in the book, and saving it changes nothing it did not edit.

jupyterlab-myst renders a chapter's MyST, but it knows neither the book's numbers nor its bibliography: a
``{numref}`` to a table made by a code cell or kept in another chapter, and every ``{cite}``, show as
warnings, and the tables have no numbers. Two pieces close the gap:

* after an HTML build, :func:`write_references` records in ``_build/references.json`` what the book shows
  for each label (table, figure and equation numbers, section and chapter titles);
* :class:`ChapterContentsManager`, JupyterLab's contents manager (jupytext's, for the ``.md`` chapters),
  hands JupyterLab each Markdown cell with its cross-references and citations as the book's text
  (``{eval}`` roles stay for the kernel), and a first code cell that gives the kernel the book's table
  numbers (:mod:`bookbuild.table_numbers`). On save it puts back each cell's MyST source where the cell was
  not edited, drops the numbers cell and what a run added (jupyterlab-myst's ``user_expressions``, the
  running kernel's own description of itself), so that an unedited chapter is written back byte for byte,
  run or not.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from traitlets import Unicode

from bookbuild.notebook import Resolver, _Bibliography, _equation, _inline, _numbered, _section
from bookbuild.table_numbers import numbers_cell

__all__ = ["ChapterContentsManager", "REFERENCES", "readable_notebook", "restored_notebook", "write_references"]

#: Where the HTML build records the book's references, relative to the book's folder.
REFERENCES = Path("_build") / "references.json"
#: Cell metadata: the MyST source of a cell shown as the book's text, and the text shown.
KEY = "ridersurvey_lab"
NUMBERS_TAG = "ridersurvey-numbers"
_TABLE_LABEL = re.compile(r"\btbl-[\w-]+")


class _KeepEval(dict):
    """``{eval}`` expression -> the role itself: the kernel fills it in, as jupyterlab-myst does."""

    def get(self, expression, default=None):
        return f"{{eval}}`{expression}`"


def write_references(app, exception) -> None:
    """After an HTML build, record the text the book shows for each label, title and equation."""
    if exception is not None or app.builder.name != "html":
        return
    env = app.env
    labels = env.domaindata["std"]["labels"]
    numbered = {}
    for label in labels:
        text = _numbered(env, app.config, label, "{number}")
        if text != "{number}" and text != label:
            numbered[label] = {"text": _numbered(env, app.config, label, None), "number": text}
    record = {
        "numref": numbered,
        "ref": {label: _section(env, label) for label in labels},
        "eq": {label: _equation(env, label) for label in env.domaindata.get("math", {}).get("objects", {})},
        "doc": {docname: title.astext() for docname, title in env.titles.items()},
    }
    target = Path(app.confdir) / REFERENCES
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def _resolver(record: Mapping[str, Any], bibliography: _Bibliography, docname: str) -> Resolver:
    """What the book shows for the roles of chapter ``docname``, from a build's record."""

    def numref(label: str, template: str | None) -> str:
        found = record.get("numref", {}).get(label)
        if found is None:
            return template or label
        if template:
            return template.replace("%s", found["number"]).replace("{number}", found["number"])
        return found["text"]

    def doc(target: str) -> str:
        target = target.removesuffix(".md")
        name = target.lstrip("/") if target.startswith("/") else str(Path(docname).parent / target)
        title = record.get("doc", {}).get(name)
        return f"*{title}*" if title else target

    return Resolver(
        numref=numref,
        eq=lambda label: record.get("eq", {}).get(label, f"({label})"),
        doc=doc,
        ref=lambda label: record.get("ref", {}).get(label, label),
        cite=bibliography.cite,
    )


def readable_notebook(notebook: dict, record: Mapping[str, Any], bibliography: _Bibliography, docname: str) -> dict:
    """The notebook JupyterLab shows: roles as the book's text, and the book's table numbers first.

    Parameters
    ----------
    notebook : dict
        The chapter as jupytext reads it (nbformat 4, as JSON); not modified.
    record : mapping
        What :func:`write_references` recorded (empty without a build: labels stay as they are).
    bibliography : _Bibliography
        The book's BibTeX entries.
    docname : str
        The chapter's name in the book, e.g. ``chapters/results``.
    """
    notebook = copy.deepcopy(notebook)
    if "kernelspec" in notebook["metadata"]:
        notebook["metadata"][KEY] = {"kernelspec": copy.deepcopy(notebook["metadata"]["kernelspec"])}
    resolver = _resolver(record, bibliography, docname)
    labels: list[str] = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code":
            labels += [label for label in _TABLE_LABEL.findall(source) if label in record.get("numref", {})]
        if cell["cell_type"] != "markdown":
            continue
        shown = _inline(source, resolver, _KeepEval())
        if shown != source:
            cell["metadata"][KEY] = {"myst": source, "shown": shown}
            cell["source"] = shown
    numbers = {label: record["numref"][label]["text"] for label in dict.fromkeys(labels)}
    if numbers:
        cell = {
            "cell_type": "code",
            "execution_count": None,
            "id": "ridersurvey-numbers",
            "metadata": {"tags": [NUMBERS_TAG]},
            "outputs": [],
            "source": numbers_cell(numbers),
        }
        notebook["cells"].insert(0, cell)
    return notebook


def restored_notebook(notebook: dict) -> dict:
    """The notebook to save: each unedited cell's MyST source back, the numbers cell and a run's traces dropped."""
    notebook = copy.deepcopy(notebook)
    read = notebook["metadata"].pop(KEY, {}).get("kernelspec")
    if read and notebook["metadata"].get("kernelspec", {}).get("name") == read.get("name"):
        notebook["metadata"]["kernelspec"] = read
    cells = []
    for cell in notebook["cells"]:
        if NUMBERS_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "markdown":
            cell.get("metadata", {}).pop("user_expressions", None)
        kept = cell.get("metadata", {}).pop(KEY, None)
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if kept is not None and source == kept["shown"]:
            cell["source"] = kept["myst"]
        cells.append(cell)
    notebook["cells"] = cells
    return notebook


@functools.cache
def _book(root: str) -> tuple[dict, _Bibliography]:
    """A build's record of the book at ``root`` (empty without one) and the book's bibliography."""
    recorded = Path(root) / REFERENCES
    record = json.loads(recorded.read_text(encoding="utf-8")) if recorded.is_file() else {}
    return record, _Bibliography.load(sorted(Path(root).glob("*.bib")))


def _contents_manager_base() -> type:
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
    from jupytext import build_async_jupytext_contents_manager_class  # type: ignore[import-untyped]

    return build_async_jupytext_contents_manager_class(AsyncLargeFileManager)


class ChapterContentsManager(_contents_manager_base()):  # type: ignore[misc]
    """jupytext's contents manager, showing chapters as the book reads them (see the module docstring)."""

    book_root = Unicode("", config=True, help="The book's folder")

    def _book(self) -> tuple[dict, _Bibliography]:
        root = self.book_root or str(Path(self.root_dir).resolve().parent)
        _book.cache_clear()
        return _book(root)

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and model.get("content") and str(path).endswith(".md"):
            record, bibliography = self._book()
            docname = "chapters/" + Path(path).stem
            shown = readable_notebook(json.loads(json.dumps(model["content"])), record, bibliography, docname)
            import nbformat

            model["content"] = nbformat.from_dict(shown)
        return model

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and model.get("content") and str(path).endswith(".md"):
            model = {**model, "content": restored_notebook(model["content"])}
        return await super().save(model, path)


def setup(app):
    """Sphinx extension: record the book's references after an HTML build (:func:`write_references`)."""
    app.connect("build-finished", write_references)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
