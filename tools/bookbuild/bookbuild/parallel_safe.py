"""Third-party extensions that keep no per-document state, declared safe for parallel reading.

Sphinx reads documents in parallel only if every loaded extension declares it safe (``parallel_read_safe``
in its extension metadata); one that declares nothing makes the whole build read serially, with a
warning (an error under ``-W``). The extensions in :data:`CHECKED` declare nothing but keep no
per-document state, as read in the source of the version named there; the declaration refuses another
version, so a new version is read before it is declared safe again.

* ``sphinx-mathjax-offline`` is set up by this module's :func:`setup`, listed in ``_config.yml`` in its
  place, which calls its ``setup`` and returns the declaration for the pair.
* ``sphinx_multitoc_numbering`` is set up by ``sphinx_external_toc`` itself (sphinx-external-toc 1.1.0 does
  so whatever ``use_multitoc_numbering`` says; upstream issues executablebooks/sphinx-multitoc-numbering#27
  and executablebooks/sphinx-external-toc#115). :func:`setup` loads it through ``app.setup_extension``
  (a no-op once it is loaded) and sets ``parallel_read_safe`` on its entry in ``app.extensions``, the
  metadata its ``setup`` would have returned; no function of it or of Sphinx is replaced.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

__all__ = ["CHECKED", "SAFE", "checked_module", "setup"]

#: Module name: (distribution, the version whose source was read).
CHECKED: dict[str, tuple[str, str]] = {
    # replaces TocTreeCollector.assign_section_numbers, which Sphinx calls once, in the main process, after
    # every document has been read and merged: chapter numbers continue across the book's parts
    "sphinx_multitoc_numbering": ("sphinx-multitoc-numbering", "0.1.3"),
    # sets mathjax_path and copies MathJax into _static on build-finished: the book reads offline
    "sphinx-mathjax-offline": ("sphinx-mathjax-offline", "0.0.2"),
}

SAFE = {"parallel_read_safe": True, "parallel_write_safe": True}


def checked_module(module_name: str) -> Any:
    """Import one of :data:`CHECKED`, refusing a version other than the one read."""
    distribution, checked = CHECKED[module_name]
    installed = version(distribution)
    if installed != checked:
        raise ExtensionError(f"unchecked {distribution} {installed} (read {checked})")
    return importlib.import_module(module_name)


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx extension: set up ``sphinx-mathjax-offline`` and declare it and ``sphinx_multitoc_numbering`` safe."""
    checked_module("sphinx-mathjax-offline").setup(app)
    checked_module("sphinx_multitoc_numbering")
    app.setup_extension("sphinx_multitoc_numbering")
    multitoc = app.extensions["sphinx_multitoc_numbering"]
    multitoc.parallel_read_safe = SAFE["parallel_read_safe"]
    multitoc.parallel_write_safe = SAFE["parallel_write_safe"]
    return {"version": "1.0", **SAFE}
