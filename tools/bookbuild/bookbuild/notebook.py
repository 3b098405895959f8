"""Sphinx extension: the notebook a reader downloads is plain Jupyter, with its numbers and tables in place.

A chapter is a MyST notebook: its text holds ``{eval}``
roles for its numbers, ``{numref}``, ``{doc}`` and ``{cite}`` roles, and ``{table}``, ``{admonition}`` and
``{math}`` directives. Plain Jupyter shows all of them as raw text. After an HTML build this extension
writes, for every executed chapter, a plain ``.ipynb`` in place of the one the theme's download button
offers (``_build/html/_sources/<chapter>.ipynb``):

* every role is replaced by the text the book shows (the value of an ``{eval}`` expression as the build
  computed it, "Table 5.1", the chapter's title, "Wu (2023)"), every directive by plain Markdown (a
  blockquote, a caption line, ``$$ ... $$``), so the text reads as in the book;
* code cells keep their outputs; a table made by :class:`ridersurvey.presentation.report.Table` keeps its HTML form with
  the book's number in its caption, and a figure cell is followed by its numbered caption;
* a first code cell hands the kernel the book's table numbers (:mod:`bookbuild.table_numbers`), so that the
  tables keep them when the notebook is run again;
* a first cell says how to install what the notebook needs and how to run it; a last one lists the works
  cited.

The conversion itself (:func:`plain_notebook`, :func:`plain_markdown`) is independent of Sphinx: what the
book knows (numbers, titles, citations) comes through a :class:`Resolver`.
"""

from __future__ import annotations

import copy
import functools
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import nbformat

from bookbuild.i18n import page_gettext
from bookbuild.table_numbers import TABLE_HTML, number_captions, numbers_cell
from bookbuild.text import reader_text

__all__ = [
    "RAW_MYST",
    "Resolver",
    "install_cell",
    "plain_markdown",
    "plain_notebook",
    "raw_myst",
    "setup",
    "translate_markdown",
]

#: Any MyST role or directive left in Markdown text (what a plain-Jupyter reader must never see).
RAW_MYST = re.compile(r"\{[A-Za-z][\w:.-]*\}`|^\s*(`{3,}|:{3,})\{[A-Za-z][\w:.-]*\}", re.MULTILINE)
_ROLE = re.compile(r"\{([A-Za-z][\w:.-]*)\}`([^`]*)`")
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[A-Za-z][\w:.-]*)\}[ \t]*(?P<arg>.*)$")
_TARGET = re.compile(r"^\s*\(([\w.:-]+)\)=\s*$")
_COMMENT = re.compile(r"^\s*%")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
_ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
}
#: A Markdown output that is a numbered MyST table (the print copy of ``ridersurvey.presentation.interactive``).
_MYST_TABLE = re.compile(
    r":::\{table\}[ \t]*(?P<caption>[^\n]*)\n:name:[ \t]*(?P<name>\S+)\n(?::[^\n]*\n)*\n(?P<body>.*?)\n:::", re.S
)


def raw_myst(text: str) -> list[str]:
    """The MyST roles and directive openings left in ``text`` (empty when it is plain Markdown)."""
    return [m.group(0).strip() for m in RAW_MYST.finditer(text)]


@dataclass
class Resolver:
    """What the book knows about the names a chapter's roles refer to.

    Each callable returns the text the book shows; the defaults keep the role's own text, so that a
    conversion without a book (in tests) still yields plain Markdown.

    Parameters
    ----------
    numref : callable, optional
        ``(label, template or None) -> str``, e.g. "Table 5.1".
    eq : callable, optional
        ``label -> str``, e.g. "(5.1)".
    doc : callable, optional
        ``target -> str``: a chapter's title.
    ref : callable, optional
        ``label -> str``: a section's title.
    cite : callable, optional
        ``(keys, textual) -> str``: "Wu (2023)" (textual) or "(Wu, 2023)".
    translate : callable, optional
        ``message -> str``: a paragraph, heading or caption in the edition's language (the page's gettext
        catalog, :func:`translate_markdown`); the default keeps the English.
    cited : list of str
        Citation keys met so far, in order (filled by the conversion).
    language : str, optional
        The edition's language (Sphinx's ``language``), for the tooling's own sentences (:mod:`bookbuild.text`).
    """

    numref: Callable[[str, str | None], str] = lambda label, template: label
    eq: Callable[[str], str] = lambda label: f"({label})"
    doc: Callable[[str], str] = lambda target: target
    ref: Callable[[str], str] = lambda label: label
    cite: Callable[[list[str], bool], str] = lambda keys, textual: ", ".join(keys)
    translate: Callable[[str], str] = lambda message: message
    cited: list[str] = field(default_factory=list)
    language: str | None = None


_HEADING = re.compile(r"^(?P<prefix>#{1,6}\s+)(?P<text>.*)$")
_ITEM = re.compile(r"^(?P<prefix>\s*(?:[-*+]|\d+[.)]|:)\s+)(?P<text>\S.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:")
_VERBATIM = re.compile(r"^\s*(\|.*\|\s*$|\$\$|<|!\[)")


def translate_markdown(text: str, translate: Callable[[str], str]) -> str:
    """A MyST markdown cell with each paragraph, heading, list item and directive title translated.

    Sphinx's gettext catalogs key a paragraph by its source lines joined with spaces; a run of text lines
    (a paragraph, or a list item with its continuation lines) is looked up so and, when the catalog has it,
    replaced by its translation on one line. Fences, directive options, targets, comments, tables, display
    math and HTML stay as they are; a message the catalog lacks stays in English.
    """
    out: list[str] = []
    run: list[str] = []
    prefix = ""

    def flush() -> None:
        nonlocal run, prefix
        if run:
            message = " ".join(line.strip() for line in run)
            translated = translate(message)
            out.extend([prefix + translated] if translated != message else [prefix + run[0], *run[1:]])
        run, prefix = [], ""

    in_math = False
    for line in text.splitlines():
        if line.strip() == "$$" or (line.strip().startswith("$$") and not line.strip().endswith("$$")):
            flush()
            in_math = not in_math
            out.append(line)
            continue
        opening = _FENCE_OPEN.match(line)
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        if in_math or not line.strip() or _VERBATIM.match(line) or _TARGET.match(line) or _COMMENT.match(line):
            flush()
            out.append(line)
        elif opening:
            flush()
            argument = opening.group("arg").strip()
            out.append(line.replace(argument, translate(argument), 1) if argument else line)
        elif line.lstrip().startswith(("```", ":::")) or _OPTION.match(line):
            flush()
            out.append(line)
        elif heading:
            flush()
            out.append(heading.group("prefix") + translate(heading.group("text").strip()))
        elif item:
            flush()
            prefix, run = item.group("prefix"), [item.group("text")]
        else:
            run.append(line)
    flush()
    return "\n".join(out)


def _bundle_text(bundle: Mapping[str, Any]) -> str:
    """The text of an output's mime bundle (Markdown, else plain text, without a repr's quotes)."""
    text = bundle.get("text/markdown", bundle.get("text/plain", ""))
    text = "".join(text) if isinstance(text, list) else str(text)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


def _explicit(content: str) -> tuple[str | None, str]:
    """Split ``"text <target>"`` into (text, target); a bare target gives (None, target)."""
    match = _EXPLICIT.match(content.strip())
    if match:
        return match.group("text").strip(), match.group("target").strip()
    return None, content.strip()


def _role(name: str, content: str, resolver: Resolver, evaluated: Mapping[str, str]) -> str:
    """The plain text for one role."""
    if name == "eval":
        return evaluated.get(content, content)
    if name == "numref":
        text, target = _explicit(content)
        return resolver.numref(target, text)
    if name == "eq":
        return resolver.eq(content.strip())
    if name in ("doc", "ref", "any"):
        text, target = _explicit(content)
        if text:
            return text
        return resolver.doc(target) if name == "doc" else resolver.ref(target)
    if name.startswith("cite"):
        keys = [k.strip() for k in content.split(",") if k.strip()]
        resolver.cited.extend(k for k in keys if k not in resolver.cited)
        style = name.partition(":")[2]
        return resolver.cite(keys, style in ("t", "ct", "author", "authors"))
    if name == "math":
        return f"${content}$"
    if name in ("sub", "sup"):
        return f"<{name}>{html.escape(content)}</{name}>"
    if name in ("code", "literal", "file", "samp", "kbd"):
        return f"`{content}`"
    text, _target = _explicit(content)
    return text or content


def _inline(text: str, resolver: Resolver, evaluated: Mapping[str, str]) -> str:
    return _ROLE.sub(lambda m: _role(m.group(1), m.group(2), resolver, evaluated), text)


def _split_options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's ``:key: value`` options (or a YAML ``---`` block) and the remaining body lines."""
    options: dict[str, str] = {}
    lines = list(body)
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            import yaml

            loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
            return {str(k): str(v) for k, v in loaded.items()}, lines[end + 1 :]
    while lines and re.match(r"^\s*:[\w-]+:", lines[0]):
        key, _, value = lines.pop(0).strip()[1:].partition(":")
        options[key.strip()] = value.strip()
    return options, lines


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip("\n").splitlines())


def _directive(name: str, arg: str, body_lines: list[str], resolver: Resolver, evaluated: Mapping[str, str]) -> str:
    """Plain Markdown for one directive."""
    options, lines = _split_options(body_lines)
    body = _blocks(lines, resolver, evaluated).strip("\n")
    label = options.get("name") or options.get("label")
    if name == "table":
        number = resolver.numref(label, None) if label else ""
        caption = _inline(arg, resolver, evaluated)
        head = f"**{number}:** {caption}" if number else f"**{caption}**"
        return f"{head}\n\n{body}\n"
    if name in ("admonition", *_ADMONITIONS):
        title = _inline(arg, resolver, evaluated) if name == "admonition" else _ADMONITIONS[name]
        return _quote(f"**{title}**\n\n{body}") + "\n"
    if name == "math":
        number = resolver.eq(label) if label else ""
        tag = f"\\tag{{{number.strip('()')}}}" if number else ""
        return f"$$\n{body}{tag}\n$$\n"
    if name in ("code-block", "code", "sourcecode"):
        return f"```{arg}\n{chr(10).join(lines)}\n```\n"
    if name == "eval":
        return evaluated.get(arg.strip(), arg) + "\n"
    if name == "figure":
        number = resolver.numref(label, None) if label else ""
        caption = f"**{number}:** {body}" if number else body
        return f"![{_plain(body)}]({arg})\n\n{caption}\n"
    if name == "nb-exec-table":
        return reader_text("notebook.exec_table", language=resolver.language) + "\n"
    if name in ("bibliography", "tableofcontents", "toctree"):
        return ""
    return f"{body}\n"


def _plain(text: str) -> str:
    return re.sub(r"[*_`]", "", text).strip()


def _blocks(lines: list[str], resolver: Resolver, evaluated: Mapping[str, str]) -> str:
    """Convert a run of Markdown lines: directives to plain Markdown, roles to text."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        opening = _FENCE_OPEN.match(line)
        if opening:
            char, length = opening.group("fence")[0], len(opening.group("fence"))
            closing = re.compile(rf"^[ \t]*{re.escape(char)}{{{length},}}[ \t]*$")
            end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), len(lines))
            out.append(
                _directive(opening.group("name"), opening.group("arg").strip(), lines[i + 1 : end], resolver, evaluated)
            )
            i = end + 1
            continue
        if _TARGET.match(line) or _COMMENT.match(line):
            i += 1
            continue
        out.append(_inline(line, resolver, evaluated) + "\n")
        i += 1
    return "".join(out)


def plain_markdown(text: str, resolver: Resolver | None = None, evaluated: Mapping[str, str] | None = None) -> str:
    """MyST Markdown as plain (Jupyter-renderable) Markdown.

    Parameters
    ----------
    text : str
        A markdown cell's source.
    resolver : Resolver, optional
        What the book knows; by default roles keep their own text.
    evaluated : mapping, optional
        ``{eval}`` expression -> the text of its value.

    Returns
    -------
    str
    """
    resolver = resolver or Resolver()
    text = translate_markdown(text, resolver.translate)
    return _blocks(text.splitlines(), resolver, evaluated or {}).rstrip("\n")


def _evaluated(cell: Mapping[str, Any]) -> dict[str, str]:
    """``{eval}`` expression -> text, from a markdown cell's ``user_expressions`` metadata."""
    values: dict[str, str] = {}
    for item in cell.get("metadata", {}).get("user_expressions", []):
        result = item.get("result", {})
        if result.get("status") == "ok":
            values[item["expression"]] = _bundle_text(result.get("data", {}))
    return values


def install_cell(
    title: str, repository: str, chapter: str, book: str, language: str | None = None
) -> nbformat.NotebookNode:
    """The first cell: where the notebook comes from and how to run it.

    Parameters
    ----------
    title : str
        The chapter's title.
    repository : str
        The book's repository URL.
    chapter : str
        The chapter's path in the repository, e.g. ``chapters/model.md``.
    book : str
        The book's title.
    language : str, optional
        The edition's language (:mod:`bookbuild.text`).
    """
    name = repository.rstrip("/").rsplit("/", 1)[-1]
    source = reader_text(
        "notebook.install", language, title=title, book=book, repository=repository, name=name, chapter=chapter
    )
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": ["ridersurvey-install"]})


def _number_table_outputs(cell: nbformat.NotebookNode, resolver: Resolver) -> dict[str, str]:
    """Keep a table's HTML form (not its MyST source) and put the book's number into its caption.

    Returns
    -------
    dict
        Label -> number of the tables of ``ridersurvey.presentation.report`` the cell shows.
    """
    numbers: dict[str, str] = {}
    for output in cell.get("outputs", []):
        data = output.get("data")
        if not data:
            continue
        source = data.get("text/markdown")
        source = "".join(source) if isinstance(source, list) else source
        found = _MYST_TABLE.search(source) if source and "text/html" not in data else None
        if found:
            from markdown_it import MarkdownIt

            body = MarkdownIt("commonmark").enable("table").render(found.group("body"))
            caption = html.escape(resolver.translate(found.group("caption").strip()))
            label = html.escape(found.group("name"))
            data["text/html"] = body.replace(
                "<table>", f'<table class="ridersurvey-table" id="{label}"><caption>{caption}</caption>', 1
            )
            data.pop("text/markdown", None)
        markup = data.get("text/html")
        markup = "".join(markup) if isinstance(markup, list) else markup
        if markup and TABLE_HTML.search(markup):
            data.pop("text/markdown", None)
            markup = _CAPTION.sub(lambda m: _translated_caption(m, resolver), markup)
            shown = {m.group("name"): resolver.numref(m.group("name"), None) for m in TABLE_HTML.finditer(markup)}
            data["text/html"] = number_captions(markup, shown)
            if not found:
                numbers.update(shown)
    return numbers


_CAPTION = re.compile(r"(<caption>)(?P<text>[^<]*)(</caption>)")


def _translated_caption(match: re.Match, resolver: Resolver) -> str:
    text = html.unescape(match.group("text"))
    return match.group(1) + html.escape(resolver.translate(text.strip())) + match.group(3)


def _figure_caption(cell: nbformat.NotebookNode, resolver: Resolver) -> nbformat.NotebookNode | None:
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
    if not figure or not figure.get("caption"):
        return None
    caption = plain_markdown(str(figure["caption"]), resolver)
    number = resolver.numref(figure["name"], None) if figure.get("name") else ""
    return nbformat.v4.new_markdown_cell(f"**{number}:** {caption}" if number else caption)


def plain_notebook(
    notebook: nbformat.NotebookNode,
    resolver: Resolver | None = None,
    first: nbformat.NotebookNode | None = None,
    references: Callable[[list[str]], str] | None = None,
) -> nbformat.NotebookNode:
    """An executed MyST notebook as a plain Jupyter notebook (see the module docstring).

    Parameters
    ----------
    notebook : NotebookNode
        The executed notebook (myst-nb writes it to ``_build/jupyter_execute``); not modified.
    resolver : Resolver, optional
    first : NotebookNode, optional
        A cell to put first (:func:`install_cell`).
    references : callable, optional
        Cited keys -> Markdown for a closing list of references.

    Returns
    -------
    NotebookNode
        nbformat 4, valid.
    """
    resolver = replace(resolver or Resolver(), cited=[])
    cells: list[nbformat.NotebookNode] = []
    numbers: dict[str, str] = {}
    for cell in notebook.cells:
        cell = copy.deepcopy(cell)
        if cell.cell_type == "markdown":
            cell.source = plain_markdown(cell.source, resolver, _evaluated(cell))
            cell.metadata.pop("user_expressions", None)
            if cell.source.strip():
                cells.append(cell)
        elif cell.cell_type == "code":
            numbers.update(_number_table_outputs(cell, resolver))
            cells.append(cell)
            caption = _figure_caption(cell, resolver)
            if caption is not None:
                cells.append(caption)
        else:
            cells.append(cell)
    if references is not None and resolver.cited:
        cells.append(nbformat.v4.new_markdown_cell("**References**\n\n" + references(resolver.cited)))
    if numbers:
        cells.insert(0, nbformat.v4.new_code_cell(numbers_cell(numbers), metadata={"tags": ["ridersurvey-numbers"]}))
    if first is not None:
        cells.insert(0, first)
    metadata = {k: v for k, v in notebook.metadata.items() if k in ("kernelspec", "language_info")}
    plain = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    seen: set[str] = set()
    for index, cell in enumerate(plain.cells):
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = f"cell-{index}"
        seen.add(cell["id"])
    nbformat.validate(plain)
    return plain


# ------------------------------------------------------------------------------------------------ Sphinx


def _numbered(env: Any, config: Any, label: str, template: str | None) -> str:
    labels = env.domaindata["std"]["labels"]
    anonymous = env.domaindata["std"]["anonlabels"]
    docname, labelid = (labels.get(label) or anonymous.get(label) or (None, None))[:2]
    if docname is None:
        return template or label
    for figtype, numbers in env.toc_fignumbers.get(docname, {}).items():
        if labelid in numbers:
            number = ".".join(map(str, numbers[labelid]))
            pattern = template if template else config.numfig_format.get(figtype, "%s")
            title = labels[label][2] if label in labels else ""
            return pattern.replace("{number}", number).replace("{name}", title).replace("%s", number)
    return template or (labels[label][2] if label in labels else label)


def _equation(env: Any, label: str) -> str:
    from docutils.nodes import make_id

    docname, eqno = (env.domaindata.get("math", {}).get("objects", {}).get(label) or (None, None))[:2]
    if docname is None:
        return f"({label})"
    if env.config.math_numfig and env.config.numfig:
        numbers = env.toc_fignumbers.get(docname, {}).get("displaymath", {}).get(make_id(f"equation-{label}"))
        if numbers:
            return "(" + ".".join(map(str, numbers)) + ")"
    return f"({eqno})"


def _title(env: Any, target: str, fromdoc: str) -> str:
    from sphinx.util import docname_join

    target = target.removesuffix(".md")
    docname = target.lstrip("/") if target.startswith("/") else docname_join(fromdoc, target)
    title = env.titles.get(docname)
    return f"*{title.astext()}*" if title is not None else target


def _section(env: Any, label: str) -> str:
    found = env.domaindata["std"]["labels"].get(label)
    return f"*{found[2]}*" if found and found[2] else label


@dataclass
class _Bibliography:
    """Author–year citations and a list of references from the book's BibTeX files (pybtex)."""

    entries: Mapping[str, Any]

    @classmethod
    def load(cls, paths: Iterable[Path]) -> _Bibliography:
        from pybtex.database import parse_file

        entries: dict[str, Any] = {}
        for path in paths:
            entries.update(parse_file(str(path)).entries)
        return cls(entries)

    def _authors(self, key: str) -> tuple[str, str]:
        entry = self.entries.get(key)
        if entry is None:
            return key, ""
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [re.sub(r"[{}]", "", " ".join(p.last_names) or str(p)) for p in people]
        if not names:
            shown = re.sub(r"[{}]", "", entry.fields.get("organization", entry.fields.get("title", key)))
        elif len(names) == 1:
            shown = names[0]
        elif len(names) == 2:
            shown = f"{names[0]} and {names[1]}"
        else:
            shown = f"{names[0]} et al."
        return shown, entry.fields.get("year", "n.d.")

    def cite(self, keys: list[str], textual: bool) -> str:
        pairs = [self._authors(k) for k in keys]
        if textual:
            return "; ".join(f"{a} ({y})" for a, y in pairs)
        return "(" + "; ".join(f"{a}, {y}" for a, y in pairs) + ")"

    def references(self, keys: list[str]) -> str:
        """A Markdown list of the cited works: authors (year). Title. Where published. DOI or URL."""
        lines = []
        for key in keys:
            entry = self.entries.get(key)
            if entry is None:
                continue
            fields = {k.lower(): re.sub(r"[{}]", "", v) for k, v in entry.fields.items()}
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            authors = ", ".join(
                re.sub(r"[{}]", "", " ".join(p.last_names) + (", " + " ".join(p.first_names) if p.first_names else ""))
                for p in people
            ) or fields.get("organization", "")
            where = (
                fields.get("journal")
                or fields.get("booktitle")
                or fields.get("publisher")
                or fields.get("howpublished", "")
            )
            details = ", ".join(x for x in (where, fields.get("volume", ""), fields.get("pages", "")) if x)
            link = f"https://doi.org/{fields['doi']}" if "doi" in fields else fields.get("url", "")
            parts = [f"{authors} ({fields.get('year', 'n.d.')}).", f"{fields.get('title', key)}."]
            if details:
                parts.append(f"*{details}*.")
            if link:
                parts.append(f"<{link}>")
            lines.append("- " + " ".join(parts))
        return "\n".join(sorted(lines, key=str.lower))


def _write_downloads(app: Any, exception: Exception | None) -> None:
    """After an HTML build, write the plain notebook of every executed chapter where the theme links it."""
    if exception is not None or app.builder.format != "html":
        return
    env = app.env
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute"
    bibfiles = [Path(app.srcdir, f) for f in getattr(app.config, "bibtex_bibfiles", [])]
    bibliography = _Bibliography.load(bibfiles) if bibfiles else _Bibliography({})
    repository = (app.config.html_theme_options or {}).get("repository_url", "")
    for docname in sorted(env.found_docs):
        source = executed / f"{docname}.ipynb"
        if not source.is_file():
            continue
        notebook = nbformat.read(source, as_version=4)
        resolver = Resolver(
            numref=functools.partial(_numbered, env, app.config),
            eq=functools.partial(_equation, env),
            doc=functools.partial(_title, env, fromdoc=docname),
            ref=functools.partial(_section, env),
            cite=bibliography.cite,
            translate=page_gettext(app, docname) or (lambda message: message),
            language=app.config.language,
        )
        title = env.titles[docname].astext() if docname in env.titles else docname
        relative = Path(env.doc2path(docname)).relative_to(Path(app.srcdir)).as_posix()
        plain = plain_notebook(
            notebook,
            resolver,
            first=install_cell(title, repository, relative, app.config.html_title, app.config.language),
            references=bibliography.references,
        )
        target = outdir / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(plain, target)


def setup(app: Any) -> dict[str, Any]:
    """Register the download writer (Sphinx entry point)."""
    app.connect("build-finished", _write_downloads, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
