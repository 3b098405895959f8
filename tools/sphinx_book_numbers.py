"""Sphinx extension: numbers for the pages outside the numbered chapters, so that no table or figure of
the book is "Table 1", "Table 2" or "Table 3", the names of the paper's tables.

Sphinx numbers the tables and figures of an unnumbered page with one counter shared by every such page:
the introduction's table was "Table 1" and the appendices' went on with 2, 3, 4, ... Here

* the pages after the last numbered chapter (the appendices) are lettered A, B, C, ... in reading order:
  their titles, headings and entries in the navigation get the letter ("A. Codebook and questionnaire",
  "A.1. ..."), and their tables and figures are numbered "A.1", "A.2", ...;
* the tables and figures of the root page (the introduction, which Sphinx never numbers) get the prefix
  ``ridersurvey_root_number`` (default "0"): "Table 0.1".

The numbers are assigned after Sphinx's own (``env-get-updated``, after the toctree collector), so
sphinx-multitoc-numbering's chapter numbers are left as they are.
"""

from __future__ import annotations

import string

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors.toctree import TocTreeCollector


def reading_order(env, docname: str, seen: set[str] | None = None) -> list[str]:
    """``docname`` and every document its toctrees include, depth first, in the order a reader meets them."""
    seen = set() if seen is None else seen
    if docname in seen:
        return []
    seen.add(docname)
    order = [docname]
    for child in env.toctree_includes.get(docname, []):
        order += reading_order(env, child, seen)
    return order


def appendices(env) -> list[str]:
    """The documents after the last numbered chapter, in reading order."""
    order = reading_order(env, env.config.root_doc)
    numbered = [i for i, doc in enumerate(order) if env.toc_secnumbers.get(doc)]
    if not numbered:
        return []
    return [doc for doc in order[numbered[-1] + 1 :] if doc in env.tocs]


def _number_toc(node, secnums: dict, stack: list) -> None:
    """Number every entry of a page's local table of contents 1, 1.1, 1.2, ... (Sphinx's own walk)."""
    for child in node.children:
        if isinstance(child, nodes.bullet_list):
            stack.append(0)
            _number_toc(child, secnums, stack)
            stack.pop()
        elif isinstance(child, (nodes.list_item, addnodes.only)):
            _number_toc(child, secnums, stack)
        elif isinstance(child, addnodes.compact_paragraph):
            stack[-1] += 1
            secnums[child[0]["anchorname"]] = tuple(stack)


def letter_the_appendices(app, env) -> list[str]:
    """Letter the appendices, renumber figures and tables, prefix the root page's; return the pages to rewrite."""
    letters = iter(string.ascii_uppercase)
    lettered = []
    for docname in appendices(env):
        letter = next(letters)
        secnums: dict = {}
        # the page's own title is the single top-level entry: it gets the letter, its sections A.1, A.2, ...
        _number_toc(env.tocs[docname], secnums, [0])
        secnums = {anchor: (letter, *number[1:]) for anchor, number in secnums.items()}
        for reference in env.tocs[docname].findall(nodes.reference):
            if reference.get("anchorname") in secnums:
                reference["secnumber"] = secnums[reference["anchorname"]]
        env.toc_secnumbers[docname] = secnums
        if docname in env.titles:
            env.titles[docname]["secnumber"] = (letter,)
        lettered.append(docname)
    if not env.config.numfig:
        return lettered
    TocTreeCollector.assign_figure_numbers(TocTreeCollector(), env)
    root = env.config.root_doc
    prefix = env.config.ridersurvey_root_number
    for numbers in env.toc_fignumbers.get(root, {}).values():
        for figure_id, number in numbers.items():
            numbers[figure_id] = (prefix, *number)
    return [*lettered, root, *env.toc_fignumbers]


def setup(app):
    app.add_config_value("ridersurvey_root_number", "0", "env")
    app.connect("env-get-updated", letter_the_appendices, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
