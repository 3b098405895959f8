"""Sphinx extension: re-execute a chapter when the code or data it depends on change.

myst-nb's execution cache (jupyter-cache) keys a notebook on its code cells only, and Sphinx re-reads a
page only when its own source is newer than the last build.  A change to ``lib/`` or ``data/`` would
therefore leave every chapter showing stale outputs.  This extension closes the gap:

* every notebook chapter depends on the files matched by ``ridersurvey_cache_common`` (the library, its
  message catalogs and the pinned requirements) plus its own data dependencies, declared in the chapter's front matter::

      ridersurvey:
        depends: [data/riders_survey.csv, data/published/*]

  (or in ``ridersurvey_cache_depends`` keyed by docname); undeclared chapters depend on
  ``ridersurvey_cache_default_depends`` (all of ``data/``);
* on ``env-get-outdated`` a chapter is re-read when the content hash of its dependencies differs from
  the one recorded at its last read (content, not mtime: ``touch`` alone re-reads and re-executes
  nothing);
* with ``inline`` execution (the book's mode) a chapter executes whenever Sphinx reads it, so re-reading it
  is all that is needed: a dependency change re-executes exactly the chapters that declare it, and a
  chapter whose text changed re-executes alone.

Patterns are POSIX globs relative to the project root (``**`` recurses; a directory stands for every
file below it).  Patterns under ``data/`` resolve against ``$RIDERSURVEY_DATA`` when it is set, as
:mod:`ridersurvey.data.paths` does.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

__all__ = [
    "FRONT_MATTER_KEY",
    "declared_depends",
    "dependency_manifest",
    "setup",
]

logger = logging.getLogger(__name__)

FRONT_MATTER_KEY = "ridersurvey"
DEFAULT_COMMON = ("lib/**/*.py", "lib/**/*.toml", "requirements.txt")
DEFAULT_DEPENDS = ("data/**/*",)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_CODE_CELL = re.compile(r"^(`{3,}|~{3,})\{code-cell\}", re.MULTILINE)
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def declared_depends(text: str) -> list[str] | None:
    """Return the ``ridersurvey: depends:`` patterns of a MyST notebook's front matter, or None.

    Parameters
    ----------
    text : str
        The chapter's source text.

    Returns
    -------
    list of str or None
        The declared patterns (a single string is accepted as a one-item list); None when the front
        matter does not declare any, so that the caller applies the default.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return None
    section = meta.get(FRONT_MATTER_KEY) if isinstance(meta, dict) else None
    if not isinstance(section, dict) or "depends" not in section:
        return None
    depends = section["depends"]
    if isinstance(depends, str):
        return [depends]
    return [str(item) for item in (depends or [])]


def _base_for(pattern: str, root: Path, data_dir: Path | None) -> tuple[Path, str, str]:
    """Split a pattern into (directory to glob in, glob relative to it, label prefix)."""
    parts = pattern.strip("/").split("/", 1)
    if data_dir is not None and parts[0] == "data":
        return data_dir, (parts[1] if len(parts) > 1 else ""), "data/"
    return root, pattern.strip("/"), ""


def _expand(pattern: str, root: Path, data_dir: Path | None) -> dict[str, Path]:
    """Files matched by one pattern, keyed by their project-relative POSIX label."""
    base, rel, prefix = _base_for(pattern, root, data_dir)
    candidates = [base] if rel == "" else list(base.glob(rel))
    found: dict[str, Path] = {}
    for path in candidates:
        files = (p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if not file.is_file():
                continue
            relative = file.relative_to(base)
            if _SKIP_PARTS.intersection(relative.parts) or file.suffix in {".pyc", ".pyo"}:
                continue
            found[prefix + relative.as_posix()] = file
    return found


def dependency_manifest(
    patterns: Iterable[str],
    root: Path,
    data_dir: Path | None = None,
    hasher_cache: dict[Path, str] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Hash the content of every file the patterns match.

    Parameters
    ----------
    patterns : iterable of str
        POSIX globs relative to ``root`` (``data/...`` relative to ``data_dir`` when given).
    root : Path
        Project root.
    data_dir : Path, optional
        Where ``data/`` patterns resolve; defaults to ``root / "data"``.
    hasher_cache : dict, optional
        Path -> sha256 memo shared across chapters within one build.

    Returns
    -------
    manifest : dict
        Label -> sha256 of the file's bytes, sorted by label.
    unmatched : list of str
        Patterns that matched no file.
    """
    memo = hasher_cache if hasher_cache is not None else {}
    manifest: dict[str, str] = {}
    unmatched: list[str] = []
    for pattern in patterns:
        files = _expand(pattern, root, data_dir)
        if not files:
            unmatched.append(pattern)
        for label, path in files.items():
            if path not in memo:
                memo[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            manifest[label] = memo[path]
    return dict(sorted(manifest.items())), unmatched


def _is_notebook(text: str, suffix: str) -> bool:
    """True for sources myst-nb executes: .ipynb files and MyST notebooks with code cells."""
    if suffix == ".ipynb":
        return True
    from myst_nb.core.read import is_myst_markdown_notebook

    return suffix == ".md" and is_myst_markdown_notebook(text) and bool(_CODE_CELL.search(text))


class _State:
    """Per-build memo of file hashes and per-doc manifests (not pickled with the environment)."""

    def __init__(self) -> None:
        self.file_hashes: dict[Path, str] = {}
        self.manifests: dict[str, dict[str, str]] = {}
        self.reasons: dict[str, list[str]] = {}


def _state(app: Sphinx) -> _State:
    if not hasattr(app, "_ridersurvey_cache_state"):
        app._ridersurvey_cache_state = _State()  # type: ignore[attr-defined]
    return app._ridersurvey_cache_state  # type: ignore[attr-defined]


def _records(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    if not hasattr(env, "ridersurvey_dep_manifests"):
        env.ridersurvey_dep_manifests = {}  # type: ignore[attr-defined]
    return env.ridersurvey_dep_manifests  # type: ignore[attr-defined]


def _data_dir() -> Path | None:
    value = os.environ.get("RIDERSURVEY_DATA")
    return Path(value).resolve() if value else None


def _manifest_for(app: Sphinx, docname: str, text: str) -> dict[str, str]:
    """Compute (once per build) the dependency manifest of one chapter, warning on dead patterns."""
    state = _state(app)
    if docname in state.manifests:
        return state.manifests[docname]
    config = app.config
    own = config.ridersurvey_cache_depends.get(docname)
    if own is None:
        own = declared_depends(text)
    if own is None:
        own = list(config.ridersurvey_cache_default_depends)
    patterns = [*config.ridersurvey_cache_common, *own]
    manifest, unmatched = dependency_manifest(patterns, Path(app.srcdir), _data_dir(), state.file_hashes)
    for pattern in unmatched:
        logger.warning(
            "no file matches dependency %r",
            pattern,
            location=docname,
            type="ridersurvey",
            subtype="cache",
        )
    state.manifests[docname] = manifest
    return manifest


def _env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Return the chapters whose dependency content changed since they were last read."""
    if not app.config.ridersurvey_cache_enabled:
        return []
    records = _records(env)
    outdated: list[str] = []
    for docname in sorted(env.found_docs - added - changed - removed):
        previous = records.get(docname)
        if previous is None:
            continue
        path = Path(env.doc2path(docname))
        text = path.read_text(encoding="utf-8")
        manifest = _manifest_for(app, docname, text)
        if manifest != previous:
            differing = sorted(k for k in manifest.keys() | previous.keys() if manifest.get(k) != previous.get(k))
            _state(app).reasons[docname] = differing
            outdated.append(docname)
    return outdated


def _report(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Say which dependency changes made chapters outdated (after Sphinx's own summary line)."""
    for docname, differing in sorted(_state(app).reasons.items()):
        shown = ", ".join(differing[:5]) + (" ..." if len(differing) > 5 else "")
        logger.info("%s: dependencies changed: %s [bookbuild.cache]", docname, shown)


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Record the dependency manifest of an executable chapter."""
    if not app.config.ridersurvey_cache_enabled:
        return
    suffix = Path(app.env.doc2path(docname)).suffix
    if not _is_notebook(source[0], suffix):
        _records(app.env).pop(docname, None)
        return
    _records(app.env)[docname] = _manifest_for(app, docname, source[0])


def _purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _records(env).pop(docname, None)


def _merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    theirs = _records(other)
    _records(env).update({d: theirs[d] for d in docnames if d in theirs})


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the configuration values and event handlers (Sphinx entry point)."""
    app.add_config_value("ridersurvey_cache_enabled", True, "env", [bool])
    app.add_config_value("ridersurvey_cache_common", list(DEFAULT_COMMON), "env", [list, tuple])
    app.add_config_value("ridersurvey_cache_default_depends", list(DEFAULT_DEPENDS), "env", [list, tuple])
    app.add_config_value("ridersurvey_cache_depends", {}, "env", [dict])
    app.connect("env-get-outdated", _env_get_outdated)
    app.connect("env-before-read-docs", _report)
    app.connect("source-read", _source_read)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
