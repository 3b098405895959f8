"""Sphinx extension: write each ``<script>`` of a page once.

sphinx-thebe 0.3.1 registers an inline script declaring ``const THEBE_JS_URL`` with filename ``None``;
Sphinx 7.4 also holds a copy of it under filename ``""`` and does not see the two as equal, so every page
declared the constant twice and the browser logged a SyntaxError on each page load.
"""

from __future__ import annotations


def _script_key(script) -> tuple:
    return (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    """Remove later copies of a script (same file or inline body, same attributes) from the page context."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
