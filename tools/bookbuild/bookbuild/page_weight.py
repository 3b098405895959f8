"""Sphinx extension: lighter pages, through the templates, static files and events Sphinx offers.

* **Icons.** pydata-sphinx-theme loads Font Awesome's whole SVG library (a 1.5 MB script) on every page to
  draw about twenty icons. The build's template folder overrides the theme's asset macros
  (``templates/static/webpack-macros.html``) to leave it out; after the build, :func:`write_icons` reads
  the icons the pages and the theme's scripts name from that same script and writes them, with a few
  lines that draw them as Font Awesome would, to ``_static/rs-icons.js`` (a few KB).
* **Search.** The theme loads Sphinx's search scripts and index on every page, before the first paint;
  ``templates/layout.html`` defers them.
* **Figures.** Every image of the HTML pages is loaded lazily (``loading="lazy"``): a phone fetches only the
  figures it scrolls to. The one-page build that ``make pdf`` prints is left as it was.
* **Maths.** In the HTML pages, MathJax (``mathjax_path``) is loaded by ``_static/rs-mathjax.js`` when the
  first formula comes within a screen of the view. The one-page build for ``make pdf`` loads it as before.
* **Interactive tables.** :mod:`bookbuild.itables_static` loads their library when a table comes near the
  screen.

Nothing is fetched from another host.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
ICONS = "rs-icons.js"
MATHJAX = "rs-mathjax.js"
#: The theme's Font Awesome script, in the build's ``_static``.
FONTAWESOME = Path("_static") / "scripts" / "fontawesome.js"
#: Font Awesome's style classes and the prefixes of its icon packs.
STYLES = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far", "fa-brands": "fab", "fab": "fab"}
_CLASS = re.compile(r"""class=(["'])(?P<classes>[^"']*\bfa-[^"']*)\1""")
_PACK = re.compile(r"var p=\{(?P<body>.*?)\};.{0,400}?\bd\(\"(?P<prefix>fa[srb])\",p\)", re.DOTALL)
_ICON = re.compile(
    r"""(?:"(?P<quoted>[\w-]+)"|(?P<bare>[A-Za-z_$][\w$]*|\d+)):\[(?P<w>\d+),(?P<h>\d+),\[[^\]]*\],[^,]+,"(?P<d>[^"]+)"\]"""
)
#: The drawing script, with ``__ICONS__`` and ``__STYLES__`` to fill in.
DRAW_JS = Path(__file__).parent / "js" / ICONS


def font_awesome_icons(script: str) -> dict[str, dict[str, tuple[int, int, str]]]:
    """The icons defined in Font Awesome's SVG script: pack prefix -> icon name -> (width, height, path)."""
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    for pack in _PACK.finditer(script):
        icons = packs.setdefault(pack.group("prefix"), {})
        for icon in _ICON.finditer(pack.group("body")):
            name = icon.group("quoted") or icon.group("bare")
            icons[name] = (int(icon.group("w")), int(icon.group("h")), icon.group("d"))
    return packs


def icons_named(texts: list[str]) -> set[tuple[str, str]]:
    """The (pack prefix, icon name) pairs that ``class`` attributes in ``texts`` name."""
    named: set[tuple[str, str]] = set()
    for text in texts:
        for found in _CLASS.finditer(text):
            classes = found.group("classes").split()
            prefix = next((STYLES[c] for c in classes if c in STYLES), "fas")
            named.update((prefix, c[3:]) for c in classes if c.startswith("fa-") and c not in STYLES)
    return named


def write_icons(outdir: Path) -> Path:
    """Write ``_static/rs-icons.js``: the icons named by the pages and the theme's scripts, and their drawing."""
    library = font_awesome_icons((outdir / FONTAWESOME).read_text(encoding="utf-8"))
    texts = [page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")]
    texts += [f'class="{m}"' for s in (outdir / "_static").rglob("*.js") for m in _quoted_classes(s)]
    used: dict[str, dict[str, tuple[int, int, str]]] = {}
    for prefix, name in sorted(icons_named(texts)):
        if name in library.get(prefix, {}):
            used.setdefault(prefix, {})[name] = library[prefix][name]
    target = outdir / "_static" / ICONS
    script = DRAW_JS.read_text(encoding="utf-8")
    script = script.replace("__ICONS__", json.dumps(used)).replace("__STYLES__", json.dumps(STYLES))
    target.write_text(script, encoding="utf-8")
    return target


def _quoted_classes(script: Path) -> list[str]:
    """Class lists with a Font Awesome style in a script's string literals (icons the script adds)."""
    if script.name in ("fontawesome.js", ICONS):
        return []
    text = script.read_text(encoding="utf-8", errors="replace")
    return re.findall(r"""["'`]((?:fa-solid|fa-regular|fa-brands)(?: [\w-]+)+)["'`]""", text)


def on_config_inited(app, config) -> None:
    """Put the template overrides and the static files on Sphinx's paths."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path = [str(TEMPLATES), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def on_builder_inited(app) -> None:
    """The HTML pages load MathJax through ``rs-mathjax.js``, which loads the configured MathJax when needed."""
    if app.builder.name == "html" and app.config.mathjax_path != MATHJAX:
        app.config.ridersurvey_mathjax = app.config.mathjax_path
        app.config.mathjax_path = MATHJAX


def on_doctree_resolved(app, doctree, docname) -> None:
    """Images of the multi-page HTML load lazily."""
    if app.builder.name != "html":
        return
    for image in doctree.findall(nodes.image):
        image["loading"] = "lazy"


def on_build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html" and (Path(app.outdir) / FONTAWESOME).is_file():
        write_icons(Path(app.outdir))
    if exception is None and app.config.mathjax_path == MATHJAX:
        script = (Path(__file__).parent / "js" / MATHJAX).read_text(encoding="utf-8")
        target = Path(app.outdir) / "_static" / MATHJAX
        target.write_text(script.replace("__MATHJAX__", app.config.ridersurvey_mathjax), encoding="utf-8")


def setup(app):
    app.add_config_value("ridersurvey_mathjax", "", "html")
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("build-finished", on_build_finished)
    app.add_css_file("rs-icons.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
