"""Sphinx extension: the ``{eval}`` role runs the code cells above it first and records what it showed.

With ``nb_execution_mode: inline`` myst-nb executes a notebook while it renders it, so that the
``{eval}`` role can ask the kernel for a value. It executes a code cell only when it renders one, and it
never renders a cell tagged ``remove-cell`` (myst-nb issue 418): the Markdown after such a cell would ask a
kernel that has not run it yet. This extension registers its own ``eval`` role in place of myst-nb's
(``app.add_role(..., override=True)``, as myst-nb registers its own). Before it evaluates, the role asks the
inline client for the outputs of the cell just above its Markdown cell (myst-nb's public
``code_cell_outputs``, which runs every cell up to that one, hidden ones included, in the notebook's order,
as Jupyter's Run All does). It then evaluates as myst-nb's role does and records each value in its
Markdown cell's metadata, as ``user_expressions`` (the format jupyterlab-myst reads and writes), so the
executed notebook carries the values the book shows; :mod:`bookbuild.notebook` writes them into the
downloadable notebook's text. Other execution modes are not affected.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from docutils import nodes
from myst_nb.core.execute import NotebookClientInline
from myst_nb.core.variables import RetrievalError, create_warning, render_variable_outputs
from myst_nb.ext.eval import EvalRoleAny, retrieve_eval_data
from sphinx.application import Sphinx

__all__ = ["InOrderEval", "markdown_cell_at", "record_expression", "setup"]


def record_expression(cell: Any, expression: str, data: Mapping[str, Any], metadata: Mapping[str, Any]) -> None:
    """Store an evaluated expression in a Markdown cell's ``user_expressions`` metadata (the first value wins).

    Parameters
    ----------
    cell : NotebookNode
        The Markdown cell whose text holds the ``{eval}`` role.
    expression : str
    data, metadata : mapping
        The MIME bundle the kernel returned for it, and its metadata.
    """
    results = cell.metadata.setdefault("user_expressions", [])
    if any(item.get("expression") == expression for item in results):
        return
    results.append(
        {"expression": expression, "result": {"status": "ok", "data": dict(data), "metadata": dict(metadata)}}
    )


def markdown_cell_at(client: Any, line: int) -> int | None:
    """The index of the Markdown cell that holds source line ``line``, or None if a code cell holds it."""
    cells = client.notebook.cells
    starts = [client.cell_line(index) for index in range(len(cells))]
    index = bisect_right(starts, line) - 1
    if index < 0 or cells[index].cell_type != "markdown":
        return None
    return index


class InOrderEval(EvalRoleAny):
    """myst-nb's ``{eval}`` role, run after every cell above it and recorded in its cell's metadata."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        renderer = self.document.get("nb_renderer")
        client = renderer.renderer.nb_client if renderer is not None else None
        if not isinstance(client, NotebookClientInline):
            return super().run()
        index = markdown_cell_at(client, self.line)
        if index:
            client.code_cell_outputs(index - 1)
        try:
            data = retrieve_eval_data(self.document, self.text)
        except RetrievalError as exc:
            return [], [create_warning(str(exc), self.document, self.line, "eval")]
        if index is not None:
            record_expression(client.notebook.cells[index], self.text, data[-1].data, data[-1].metadata)
        for output in data:
            output.metadata["strip_text_quotes"] = True
        return render_variable_outputs(data, self.document, self.line, self.source, inline=True), []


def setup(app: Sphinx) -> dict[str, Any]:
    """Register :class:`InOrderEval` as the ``eval`` role (Sphinx entry point)."""
    app.setup_extension("myst_nb")
    app.add_role("eval", InOrderEval(), override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
