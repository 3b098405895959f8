"""Sphinx extension: the interactive tables' library is loaded once, from a static file, not inlined.

``ridersurvey.presentation.interactive`` embeds itables' offline DataTables bundle (about 1 MB of base64) in each
table's HTML, between :data:`ridersurvey.presentation.interactive.LIBRARY_MARKERS`, so that a notebook works offline on
its own. In the HTML book that copy is cut from the page; the bundle is copied once to ``_static/itables/`` from the
installed itables package, and a page with an interactive table loads it with a small module script
(``_static/itables/loader.js``) that sets the promise and sends the event that itables' table scripts wait
for, once a table comes within a screen of the view. Nothing is fetched from another host, as before.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ridersurvey.presentation.interactive import LIBRARY_MARKERS

FOLDER = "itables"
LOADER = f"{FOLDER}/loader.js"
#: The module script that stands in for itables' inline loader (see itables.javascript), with
#: ``__VERSION__``, ``__FOLDER__``, ``__NAME__`` and ``__SELECTOR__`` to fill in.
LOADER_JS = Path(__file__).parent / "js" / "itables-loader.js"
#: The element around each interactive table (``ridersurvey.presentation.interactive``).
VIEW = ".rs-interactive"
_LIBRARY = re.compile(re.escape(LIBRARY_MARKERS[0]) + ".*?" + re.escape(LIBRARY_MARKERS[1]), re.DOTALL)


def _itables() -> tuple[str, Path]:
    import itables

    return itables.__version__, Path(itables.__file__).parent / "html"


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    """Cut the embedded library from the page's body; a page that had one loads the static copy."""
    body = context.get("body", "")
    if LIBRARY_MARKERS[0] not in body:
        return
    context["body"] = _LIBRARY.sub("", body)
    app.add_js_file(LOADER, type="module")


def on_build_finished(app, exception) -> None:
    """Copy the DataTables bundle and write the loader into the build's ``_static/itables``."""
    if exception is not None or app.builder.format != "html":
        return
    version, source = _itables()
    target = Path(app.outdir) / "_static" / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in ("dt_bundle.js", "dt_bundle.css"):
        shutil.copyfile(source / name, target / name)
    name = "_itables_" + version.replace(".", "_")
    script = LOADER_JS.read_text(encoding="utf-8")
    for key, value in {"VERSION": version, "FOLDER": FOLDER, "NAME": name, "SELECTOR": VIEW}.items():
        script = script.replace(f"__{key}__", value)
    (target / "loader.js").write_text(script, encoding="utf-8")


def setup(app):
    app.connect("html-page-context", on_html_page_context)
    app.connect("build-finished", on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
