"""Sphinx extension: myst-nb's inline execution runs every code cell, hidden ones included, in order.

With ``nb_execution_mode: inline`` myst-nb executes a notebook while it renders it, so that the
``{eval}`` role can ask the kernel for a value. It executes a code cell only when it renders one, and it
never renders a cell tagged ``remove-cell`` (myst-nb issue 418). A hidden cell is therefore executed
late, when the next visible code cell is rendered, or never, when none follows; the Markdown after
it (``{eval}`` roles, ``{glue}`` roles and directives) sees a kernel that has not run it yet.

This extension makes the inline client catch up before each Markdown cell (every code cell above it
has run) and at the end of the notebook (every cell has run, so the executed notebook myst-nb writes
is complete). The order of execution is the notebook's, as in Jupyter's Run All. Other execution
modes are not affected.

It evaluates ``{eval}`` expressions as Jupyter ``user_expressions``, as jupyterlab-myst does, and records
each result in its Markdown cell's metadata, as ``user_expressions`` (the
format jupyterlab-myst reads and writes), so the executed notebook carries the values the book shows;
:mod:`bookbuild.notebook` writes them into the downloadable notebook's text.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

__all__ = ["record_expression", "setup"]


def _is_inline(client: Any) -> bool:
    from myst_nb.core.execute import NotebookClientInline

    return isinstance(client, NotebookClientInline)


def _run_cells_above(renderer: Any, cell_index: int) -> None:
    """Execute, in an inline client, every cell before ``cell_index`` that has not run yet."""
    client = renderer.nb_client
    if cell_index > 0 and _is_inline(client):
        client.code_cell_outputs(cell_index - 1)


def record_expression(cell: Any, expression: str, outputs: list[Any]) -> None:
    """Store an evaluated expression in a Markdown cell's ``user_expressions`` metadata.

    Parameters
    ----------
    cell : NotebookNode
        The Markdown cell whose text holds the ``{eval}`` role.
    expression : str
    outputs : list of NotebookNode
        What the kernel returned for it (``execute_result``, ``display_data`` or ``error`` outputs).
    """
    results = cell.metadata.setdefault("user_expressions", [])
    if any(item.get("expression") == expression for item in results):
        return
    errors = [o for o in outputs if o.get("output_type") == "error"]
    shown = [o for o in outputs if "data" in o]
    if errors:
        error = errors[0]
        result = {"status": "error", "ename": error.get("ename", ""), "evalue": error.get("evalue", "")}
    elif shown:
        result = {"status": "ok", "data": dict(shown[-1]["data"]), "metadata": dict(shown[-1].get("metadata", {}))}
    else:
        return
    results.append({"expression": expression, "result": result})


def _user_expression(client: Any, expression: str) -> list[Any]:
    """Evaluate ``expression`` as a Jupyter ``user_expressions`` request and return it as cell outputs.

    This is how jupyterlab-myst evaluates ``{eval}``, so the book and JupyterLab agree. myst-nb instead runs
    the expression as a cell without history, whose result IPython suppresses whenever the previous cell
    ended with ``;`` (as a plotting call does): the role would then find no value.
    """
    import nbformat

    kc = client._client.kc
    msg_id = kc.execute("", silent=True, store_history=False, user_expressions={"value": expression})
    reply = client._client.wait_for_reply(msg_id)
    result = (reply or {}).get("content", {}).get("user_expressions", {}).get("value", {})
    if result.get("status") == "ok":
        return [
            nbformat.v4.new_output(
                "execute_result", data=result.get("data", {}), metadata=result.get("metadata", {}), execution_count=None
            )
        ]
    return [
        nbformat.v4.new_output(
            "error",
            ename=result.get("ename", "Error"),
            evalue=result.get("evalue", f"no value for {expression!r}"),
            traceback=result.get("traceback", []),
        )
    ]


def _patch_eval() -> None:
    import re

    from myst_nb.core.execute.base import EvalNameError
    from myst_nb.core.execute.inline import NotebookClientInline

    if getattr(NotebookClientInline, "_ridersurvey_recording", False):
        return

    def eval_variable(self, name):
        if not re.match(self.nb_config.eval_name_regex, name):
            raise EvalNameError(name)
        outputs = _user_expression(self, name)
        index = getattr(self, "_ridersurvey_markdown_cell", None)
        if index is not None:
            record_expression(self.notebook.cells[index], name, outputs)
        return outputs

    NotebookClientInline.eval_variable = eval_variable
    NotebookClientInline._ridersurvey_recording = True


def _patch_renderer() -> None:
    from myst_nb.sphinx_ import SphinxNbRenderer

    if getattr(SphinxNbRenderer, "_ridersurvey_in_order", False):
        return
    render_markdown = SphinxNbRenderer.render_nb_cell_markdown
    finalise = SphinxNbRenderer.render_nb_finalise

    def render_nb_cell_markdown(self, token):
        index = token.meta["index"]
        _run_cells_above(self, index)
        self.nb_client._ridersurvey_markdown_cell = index
        try:
            return render_markdown(self, token)
        finally:
            self.nb_client._ridersurvey_markdown_cell = None

    def render_nb_finalise(self, token):
        _run_cells_above(self, len(self.nb_client.notebook.cells))
        return finalise(self, token)

    SphinxNbRenderer.render_nb_cell_markdown = render_nb_cell_markdown
    SphinxNbRenderer.render_nb_finalise = render_nb_finalise
    SphinxNbRenderer._ridersurvey_in_order = True


def setup(app: Sphinx) -> dict[str, Any]:
    """Patch myst-nb's renderer and inline client (Sphinx entry point)."""
    _patch_renderer()
    _patch_eval()
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
