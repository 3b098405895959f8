"""``{numref}`` from the recorded targets (``bookbuild.numref``): the same references as Sphinx's own domain."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

SOURCES = {
    "index.rst": "Book\n====\n\n.. toctree::\n   :numbered:\n\n   a\n   b\n",
    "a.rst": """.. _sec-a:

Chapter A
=========

.. _tbl-a:

.. table:: Counts by item

   =====  =====
   item   count
   =====  =====
   x      1
   =====  =====

.. _fig-a:

.. figure:: pic.png

   A picture.

.. code-block:: python
   :caption: The call
   :name: code-a

   print(1)
""",
    "b.rst": """Chapter B
=========

See :numref:`tbl-a`, :numref:`Tab. %s <tbl-a>`, :numref:`{name} is {number} <tbl-a>`, :numref:`fig-a`,
:numref:`code-a` and :numref:`sec-a`.
""",
}


def _build(tmp_path: Path, extensions: list[str], sources: dict[str, str] = SOURCES) -> tuple[str, Sphinx]:
    src = tmp_path / "src"
    src.mkdir(parents=True)
    for name, text in sources.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "pic.png").write_bytes(b"")
    (src / "conf.py").write_text(f"extensions = {extensions!r}\nnumfig = True\n", encoding="utf-8")
    app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None, warning=None)
    app.build()
    page = (tmp_path / "out" / "b.html").read_text(encoding="utf-8")
    return re.search(r"<p>See .*?</p>", page, re.S).group(0), app


def test_references_are_those_of_sphinxs_own_domain(tmp_path, monkeypatch):
    from sphinx.environment import BuildEnvironment

    calls: list[str] = []
    get_doctree = BuildEnvironment.get_doctree
    monkeypatch.setattr(BuildEnvironment, "get_doctree", lambda env, doc: calls.append(doc) or get_doctree(env, doc))
    own, _ = _build(tmp_path / "own", [])
    own_reads, calls[:] = calls.count("a"), []
    recorded, app = _build(tmp_path / "recorded", ["bookbuild.numref"])
    assert recorded == own
    assert "Table 1.1" in own and "Tab. 1.1" in own and "Counts by item is 1.1" in own and "Fig. 1.2" not in own
    # page a is read once to be written; Sphinx's own domain also reads it for each of the six references
    assert calls.count("a") == 1 and own_reads == 7
    assert ("a", "tbl-a") in app.env.get_domain("std").enumerable


def test_an_unknown_target_is_left_to_sphinx(tmp_path):
    sources = {**SOURCES, "b.rst": "Chapter B\n=========\n\nSee :numref:`tbl-missing`.\n"}
    own, _ = _build(tmp_path / "own", [], sources)
    recorded, _ = _build(tmp_path / "recorded", ["bookbuild.numref"], sources)
    assert recorded == own
