"""Sphinx extension: resolve cross-references without redoing the same work for every reference.

Two lookups dominated the serial part of the build's writing phase (sampled with py-spy on a clean build):

* Sphinx 7.4 resolves each ``{numref}`` by unpickling the whole doctree of the page that holds the
  target (``StandardDomain._resolve_numref_xref`` calls ``env.get_doctree``), only to read one node's type
  and number. The audit chapter's doctree is about 2.7 MB, and the book has dozens of numbered references
  to it and to the other chapters, so this took about 5 s of the main process. Here each page's doctree is
  unpickled once per build phase and shared by those read-only lookups (nothing else sees the copy); the
  copies are dropped when the environment changes and when the build ends.
* sphinxcontrib-bibtex asks pybtex for the same plugins (``find_plugin``) for each citation, and pybtex
  scans every installed package's entry points each time. Here each (group, name) is looked up once;
  registering a plugin clears the memo.

The pages are unchanged: the same doctree is read, only fewer times.
"""

from __future__ import annotations

import functools
from typing import Any

_doctrees: dict[int, dict[str, Any]] = {}


def _clear(*args: Any) -> None:
    _doctrees.clear()


def _patch_numref() -> None:
    from sphinx.domains.std import StandardDomain

    original = StandardDomain._resolve_numref_xref
    if getattr(original, "_ridersurvey_cached", False):
        return

    @functools.wraps(original)
    def resolve_numref(self, env, *args, **kwargs):
        cache = _doctrees.setdefault(id(env), {})

        def get_doctree(docname: str):
            if docname not in cache:
                cache[docname] = type(env).get_doctree(env, docname)
            return cache[docname]

        env.get_doctree = get_doctree
        try:
            return original(self, env, *args, **kwargs)
        finally:
            del env.get_doctree

    resolve_numref._ridersurvey_cached = True  # type: ignore[attr-defined]
    StandardDomain._resolve_numref_xref = resolve_numref


def _patch_pybtex() -> None:
    import pybtex.plugin as plugin

    if getattr(plugin._load_entry_point, "_ridersurvey_cached", False):
        return
    load = functools.lru_cache(maxsize=None)(plugin._load_entry_point)
    load._ridersurvey_cached = True  # type: ignore[attr-defined]
    register = plugin.register_plugin

    @functools.wraps(register)
    def register_plugin(*args, **kwargs):
        load.cache_clear()
        return register(*args, **kwargs)

    plugin._load_entry_point = load
    plugin.register_plugin = register_plugin


def setup(app):
    _patch_numref()
    _patch_pybtex()
    app.connect("env-updated", _clear)
    app.connect("build-finished", _clear)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
