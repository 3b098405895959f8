"""Third-party extensions that keep no per-document state, declared safe for parallel reading.

Sphinx reads documents in parallel only if every extension declares it safe (``parallel_read_safe`` in the
metadata its ``setup`` returns); an extension that declares nothing makes the whole build read serially,
with a warning (an error under ``-W``). The extensions in :data:`CHECKED` declare nothing but keep no
per-document state, as read in the source of the version named there; each declaration refuses to apply
to another version, so a new version is read before it is declared safe again.

* ``sphinx-mathjax-offline`` is set up by this module's own Sphinx extension (:func:`setup`, listed in
  ``_config.yml`` in its place), which calls its ``setup`` and declares the pair safe.
* ``sphinx_multitoc_numbering`` is set up by ``sphinx_external_toc`` itself, under its own name, before any
  extension of the book's is loaded; there is no public way to give it metadata, so
  :func:`declare_multitoc_safe` (called by :mod:`bookbuild.build` before Sphinx starts) wraps its public
  ``setup`` to return the declaration. This is the build's one wrapper of a third-party function; without
  it every build reads serially.
"""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import version
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

__all__ = ["CHECKED", "SAFE", "checked_module", "declare_multitoc_safe", "setup"]

CHECKED: dict[str, tuple[str, str]] = {
    # replaces TocTreeCollector.assign_section_numbers, which Sphinx calls once, in the main process, after
    # every document has been read and merged: chapter numbers continue across the book's parts
    "sphinx_multitoc_numbering": ("sphinx-multitoc-numbering", "0.1.3"),
    # sets mathjax_path and copies MathJax into _static on build-finished: the book reads offline
    "sphinx-mathjax-offline": ("sphinx-mathjax-offline", "0.0.2"),
}
"""Module name: (distribution, the version whose source was read)."""

SAFE = {"parallel_read_safe": True, "parallel_write_safe": True}


def checked_module(module_name: str) -> Any:
    """Import one of :data:`CHECKED`, refusing a version other than the one read."""
    distribution, checked = CHECKED[module_name]
    installed = version(distribution)
    if installed != checked:
        raise ExtensionError(f"{distribution} {installed} is installed; bookbuild.parallel_safe has read {checked}")
    return importlib.import_module(module_name)


def declare_multitoc_safe() -> None:
    """Make ``sphinx_multitoc_numbering``'s ``setup`` return the parallel-safety declaration (once)."""
    module = checked_module("sphinx_multitoc_numbering")
    original = module.setup
    if getattr(original, "__wrapped__", None) is not None:
        return

    @functools.wraps(original)
    def setup(app: Sphinx) -> dict[str, Any]:
        return {"version": CHECKED["sphinx_multitoc_numbering"][1], **(original(app) or {}), **SAFE}

    module.setup = setup


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx extension: set up ``sphinx-mathjax-offline`` and declare the pair safe."""
    checked_module("sphinx-mathjax-offline").setup(app)
    return {"version": "1.0", **SAFE}
